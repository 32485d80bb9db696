package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.cluster.TransportSettings;
import org.sparkdfa.train.local.LocalExchange;
import org.sparkdfa.train.steps.GradientSum;


/** Weights and gradients in transport form: bytes out, the same values back. */
class TransportTest {

  private static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-30, 30));
    return v;
  }

  @SuppressWarnings("unchecked")
  private static <T> T javaRoundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void wireRoundTripsDoublesAndFloatsBitForBit() {
    double[] v = random(1001, 1);
    v[3] = -0.0;
    v[4] = Double.MIN_VALUE;
    v[5] = Double.NaN;
    assertArrayEquals(v, Wire.decodeDoubles(Wire.encode(v)));
    float[] f = new float[v.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
    assertArrayEquals(f, Wire.decodeFloats(Wire.encode(f)));
  }

  @Test
  void packedSumsMergeToTheSameValuesAsArrays() throws Exception {
    double[] a = random(777, 2);
    double[] b = random(777, 3);
    double[] expected = new double[a.length];
    for (int i = 0; i < a.length; i++) expected[i] = a[i] + b[i];
    GradientSum left = javaRoundTrip(new GradientSum(a.clone(), 1.5, 2, 2).packed());
    GradientSum right = javaRoundTrip(new GradientSum(b.clone(), 2.5, 3, 3).packed());
    GradientSum sum = left.merge(right);
    assertArrayEquals(expected, sum.gradient());
    assertEquals(4.0, sum.loss());
    assertEquals(5.0, sum.weight());
    assertEquals(5, sum.count());
    // A sum never merged (one partition) is averaged straight from its packed form.
    double[] avg = new double[a.length];
    assertTrue(javaRoundTrip(new GradientSum(a.clone(), 0, 4, 4).packed()).averageInto(avg));
    for (int i = 0; i < a.length; i++) assertEquals(a[i] / 4, avg[i]);
  }

  @Test
  void packedFloatSumsMerge() throws Exception {
    float[] a = {1f, 2f, -3f};
    float[] b = {0.5f, 0.25f, 3f};
    GradientSum sum = new GradientSum().merge(new GradientSum(a, 1, 1, 1).packed())
        .merge(javaRoundTrip(new GradientSum(b, 1, 1, 1).packed()));
    assertArrayEquals(new double[] {1.5, 2.25, 0}, sum.gradient());
  }

  @Test
  void stepWeightsAreASnapshotAndDecodeAfterSerialization() throws Exception {
    double[] params = random(500, 4);
    StepWeights w64 = StepWeights.shipped(params, Precision.FLOAT64);
    StepWeights w32 = StepWeights.shipped(params, Precision.FLOAT32);
    double[] original = params.clone();
    params[0] += 1; // later optimizer steps must not leak into a step's broadcast
    assertArrayEquals(original, (double[]) w64.values());
    assertArrayEquals(original, (double[]) javaRoundTrip(w64).values());
    float[] f = (float[]) javaRoundTrip(w32).values();
    for (int i = 0; i < f.length; i++) assertEquals((float) original[i], f[i]);
  }

  @Test
  void lentWeightsAreFoundAfterSerializationUntilReleased() throws Exception {
    double[] params = random(500, 5);
    long owner = LocalExchange.newOwner();
    StepWeights w64 = StepWeights.lent(params, owner);
    StepWeights w32 = StepWeights.lent(StepWeights.inPrecision(params, Precision.FLOAT32), owner);
    StepWeights copy = javaRoundTrip(w64);
    assertSame(params, copy.values(), "float64 weights are lent, not copied");
    float[] f = (float[]) javaRoundTrip(w32).values();
    for (int i = 0; i < f.length; i++) assertEquals((float) params[i], f[i]);
    StepWeights late = javaRoundTrip(w64);
    LocalExchange.release(owner);
    IllegalStateException e = assertThrows(IllegalStateException.class, late::values);
    assertTrue(e.getMessage().contains(LocalExchange.CONF_KEY + "=false"), e.getMessage());
  }

  @Test
  void parkedSumsMergeLikeArraysAndLeaveNothingBehind() throws Exception {
    double[] a = random(777, 6);
    double[] b = random(777, 7);
    float[] c = {1f, 2f, 3f};
    float[] d = {0.5f, -2f, 4f};
    int before = LocalExchange.size();
    long owner = LocalExchange.newOwner();
    GradientSum sum = javaRoundTrip(new GradientSum(a.clone(), 1.5, 2, 2).parked(owner, 0))
        .merge(javaRoundTrip(new GradientSum(b.clone(), 2.5, 3, 3).parked(owner, 0)));
    double[] expected = new double[a.length];
    for (int i = 0; i < a.length; i++) expected[i] = a[i] + b[i];
    assertArrayEquals(expected, sum.gradient());
    assertEquals(4.0, sum.loss());
    assertEquals(5, sum.count());
    GradientSum floats = new GradientSum().merge(new GradientSum(c, 0, 1, 1).parked(owner, 0))
        .merge(javaRoundTrip(new GradientSum(d, 0, 1, 1).parked(owner, 0)));
    assertArrayEquals(new double[] {1.5, 0, 7}, floats.gradient());
    assertEquals(before, LocalExchange.size(), "a merged parked sum is taken out of the exchange");
    new GradientSum(a.clone(), 0, 1, 1).parked(owner, 0); // a share whose sum never got merged
    LocalExchange.release(owner);
    assertEquals(before, LocalExchange.size());
  }

  @Test
  void pooledGradientArraysComeBackOnceSummedAndAreZeroedForTheNextStep() throws Exception {
    try (StepBuffers buffers = StepBuffers.local(3, Precision.FLOAT64, 4)) {
      long owner = LocalExchange.newOwner();
      double[] a = (double[]) StepBuffers.zeroed(buffers.id());
      double[] b = (double[]) StepBuffers.zeroed(buffers.id());
      a[0] = 1;
      b[0] = 2;
      GradientSum sum = new GradientSum()
          .merge(javaRoundTrip(new GradientSum(a, 0, 1, 1).parked(owner, buffers.id())))
          .merge(javaRoundTrip(new GradientSum(b, 0, 1, 1).parked(owner, buffers.id())));
      assertEquals(1, buffers.idle(), "the right-hand array is spent by the merge");
      double[] avg = new double[3];
      assertTrue(sum.averageInto(avg));
      assertArrayEquals(new double[] {1.5, 0, 0}, avg);
      sum.recycle();
      assertEquals(2, buffers.idle(), "the summed array comes back after averaging");
      double[] again = (double[]) StepBuffers.zeroed(buffers.id());
      assertTrue(again == a || again == b, "a pooled array is reused");
      assertArrayEquals(new double[3], again, 0.0);
      LocalExchange.release(owner);
    }
  }

  @Test
  void adviceNamesTheSettingsForLargeNetworksOnly() {
    SparkConf defaults = new SparkConf(false);
    String advice = TransportSettings.advice(defaults, 1_205_761, Precision.FLOAT64);
    assertNotNull(advice);
    assertTrue(advice.contains("--conf spark.task.maxDirectResultSize=64m"), advice);
    assertTrue(advice.contains("--conf spark.broadcast.compress=false"), advice);
    SparkConf tuned = new SparkConf(false).set("spark.task.maxDirectResultSize", "64m")
        .set("spark.broadcast.compress", "false");
    assertNull(TransportSettings.advice(tuned, 1_205_761, Precision.FLOAT64));
    assertNull(TransportSettings.advice(defaults, 10_000, Precision.FLOAT32));
  }
}
