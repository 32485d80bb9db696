package org.sparkdfa.train.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.TransportFormsTest;

/** The bytes path's weights and settings. */
class TransportSettingsTest {

  @Test
  void shippedWeightsAreASnapshotAndDecodeAfterSerialization() throws Exception {
    double[] params = TransportFormsTest.random(500, 4);
    ShippedWeights<double[]> w64 = ShippedWeights.of(params, Flat.F64);
    ShippedWeights<float[]> w32 = ShippedWeights.of(params, Flat.F32);
    double[] original = params.clone();
    params[0] += 1; // later optimizer steps must not leak into a step's broadcast
    assertArrayEquals(original, w64.values());
    assertArrayEquals(original, TransportFormsTest.javaRoundTrip(w64).values());
    float[] f = TransportFormsTest.javaRoundTrip(w32).values();
    for (int i = 0; i < f.length; i++) assertEquals((float) original[i], f[i]);
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
