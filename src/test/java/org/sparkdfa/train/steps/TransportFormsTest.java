package org.sparkdfa.train.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gradients in transport form: bytes out, the same values back, sums as of arrays. */
public class TransportFormsTest {

  public static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-30, 30));
    return v;
  }

  @SuppressWarnings("unchecked")
  public static <T> T javaRoundTrip(T value) throws Exception {
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
  void wireRoundTripsDoublesAndFloatsBitForBit() throws Exception {
    double[] v = random(1001, 1);
    v[3] = -0.0;
    v[4] = Double.MIN_VALUE;
    v[5] = Double.NaN;
    assertArrayEquals(v, Flat.F64.decode(Flat.F64.encode(v)));
    float[] f = new float[v.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
    assertArrayEquals(f, Flat.F32.decode(Flat.F32.encode(f)));
    assertTrue(javaRoundTrip(Flat.F32) == Flat.F32, "the precisions stay singletons");
  }

  @Test
  void packedSumsMergeToTheSameValuesAsArrays() throws Exception {
    double[] a = random(777, 2);
    double[] b = random(777, 3);
    double[] expected = new double[a.length];
    for (int i = 0; i < a.length; i++) expected[i] = a[i] + b[i];
    PackedSum left = javaRoundTrip(PackedSum.of(GradientSum.of(Flat.F64, a.clone(), 1.5, 2, 2)));
    PackedSum right = javaRoundTrip(PackedSum.of(GradientSum.of(Flat.F64, b.clone(), 2.5, 3, 3)));
    PackedSum sum = left.plus(right);
    assertArrayEquals(expected, sum.gradient());
    assertEquals(4.0, sum.loss());
    assertEquals(5.0, sum.weight());
    assertEquals(5, sum.count());
    // The same sum of arrays in hand: the same bits.
    GradientSum<double[]> inHand = GradientSum.of(Flat.F64, a.clone(), 1.5, 2, 2)
        .plus(GradientSum.of(Flat.F64, b.clone(), 2.5, 3, 3));
    assertArrayEquals(inHand.gradient(), sum.gradient());
    // A sum is averaged straight from its bytes.
    double[] avg = new double[a.length];
    PackedSum one = javaRoundTrip(PackedSum.of(GradientSum.of(Flat.F64, a.clone(), 0, 4, 4)));
    assertTrue(one.scaleInto(avg, 1.0 / one.weight(), 0, avg.length));
    for (int i = 0; i < a.length; i++) assertEquals(a[i] / 4, avg[i]);
  }

  @Test
  void packedFloatSumsMerge() throws Exception {
    float[] a = {1f, 2f, -3f};
    float[] b = {0.5f, 0.25f, 3f};
    PackedSum sum = new PackedSum(Flat.F32).plus(PackedSum.of(GradientSum.of(Flat.F32, a, 1, 1, 1)))
        .plus(javaRoundTrip(PackedSum.of(GradientSum.of(Flat.F32, b, 1, 1, 1))));
    assertArrayEquals(new double[] {1.5, 2.25, 0}, sum.gradient());
    double[] avg = new double[3];
    assertTrue(sum.scaleInto(avg, 0.5, 0, 3));
    assertArrayEquals(new double[] {0.75, 1.125, 0}, avg);
  }

  @Test
  void anEmptySumHoldsNoArrayAndAddsOnlyTotals() {
    GradientSum<double[]> empty = new GradientSum<>(Flat.F64);
    assertTrue(empty.isEmpty());
    assertNull(empty.gradient());
    GradientSum<double[]> sum = empty.plus(GradientSum.of(Flat.F64, new double[] {1, 2}, 1, 1, 1));
    assertArrayEquals(new double[] {1, 2}, sum.gradient(), "the first array is adopted");
    PackedSum packedEmpty = new PackedSum(Flat.F64).plus(new PackedSum(Flat.F64));
    assertNull(packedEmpty.gradient());
  }

  @Test
  void nonFiniteEntriesAreReportedWhileAveraging() {
    double[] g = {1, Double.NaN, 3};
    double[] out = new double[3];
    assertTrue(Flat.F64.scaleInto(g, 1, out, 0, 1));
    assertTrue(!Flat.F64.scaleInto(g, 1, out, 0, 3));
    assertTrue(!PackedSum.of(GradientSum.of(Flat.F64, g, 0, 1, 1)).scaleInto(out, 1, 1, 2));
  }
}
