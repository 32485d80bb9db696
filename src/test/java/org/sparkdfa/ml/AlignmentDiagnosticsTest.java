package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.train.EpochRecord;

/** alignmentDiagnostics records per-epoch alignment in the summary, for DFA and for BP. */
class AlignmentDiagnosticsTest extends SparkTestBase {

  private static final int DFA_EPOCHS = 10;
  private static final int BP_EPOCHS = 5;
  private static Dataset<Row> train;

  @BeforeAll
  static void data() {
    SparseParity parity = SparseParity.builder().n(10).k(2).distribution("uniform").seed(3)
        .build();
    train = parity.generate(spark(), 2000, 2).cache();
  }

  private static String key(int layer, String what) {
    return "alignment.layer" + layer + "." + what;
  }

  private static void assertEveryEpochHasMetrics(MlpTrainingSummary s, int epochs,
      int numHidden) {
    assertEquals(epochs, s.totalEpochs(), s.stopDetail());
    for (EpochRecord r : s.epochs()) {
      long alignmentKeys = r.metrics().keySet().stream().filter(k -> k.startsWith("alignment."))
          .count();
      assertEquals(5 * numHidden, alignmentKeys, r.metrics().toString());
      // Besides alignment, every epoch carries the trainer's per-step time split.
      assertTrue(r.metrics().get(org.sparkdfa.train.StepTimes.JOB) > 0, r.metrics().toString());
      for (int k = 1; k <= numHidden; k++) {
        double cos = r.metrics().get(key(k, "cos_mean"));
        double std = r.metrics().get(key(k, "cos_std"));
        double angle = r.metrics().get(key(k, "angle_deg"));
        assertTrue(cos >= -1 && cos <= 1, "epoch " + r.epoch() + ": " + r.metrics());
        assertTrue(std >= 0 && std <= 1, "epoch " + r.epoch() + ": " + r.metrics());
        assertTrue(angle >= 0 && angle <= 180, "epoch " + r.epoch() + ": " + r.metrics());
      }
    }
  }

  /**
   * Observed with these seeds: cos_mean rises from 0.12 after epoch 1 to 0.69 after epoch 10
   * (std 0.05), the angle falls from 64° to 39°; the asserted bounds leave a wide margin.
   */
  @Test
  void dfaRecordsAlignmentEveryEpochAndAligns() {
    MlpClassificationModel model = new DfaMlpClassifier().setLayers(new int[] {10, 64, 1})
        .setStepSize(0.02).setBatchSize(256).setMaxIter(DFA_EPOCHS).setEarlyStoppingPatience(0)
        .setSeed(1).setAlignmentDiagnostics(true).fit(train);
    MlpTrainingSummary s = model.summary();
    assertEveryEpochHasMetrics(s, DFA_EPOCHS, 1);
    Map<String, double[]> history = s.alignmentHistory();
    assertEquals(java.util.Set.of(key(1, "cos_mean"), key(1, "cos_std"), key(1, "angle_deg"),
        key(1, "norm_ratio"), key(1, "weight_angle_deg")), history.keySet());
    double[] cos = s.metricHistory(key(1, "cos_mean"));
    double[] angle = s.metricHistory(key(1, "angle_deg"));
    int last = DFA_EPOCHS - 1;
    assertTrue(cos[last] > 0.3, "DFA should align: " + Arrays.toString(cos));
    assertTrue(cos[last] > cos[0] + 0.2, "alignment should grow: " + Arrays.toString(cos));
    assertTrue(angle[last] < 70, "DFA update within 70° of BP: " + Arrays.toString(angle));

    // The last epoch's figures are those of the final weights, the training B (drawn from the
    // seed as DfaMlpClassifier draws it) and the first 256 training rows.
    java.util.List<Row> rows = train.limit(256).collectAsList();
    int m = rows.size();
    double[] x = new double[10 * m];
    double[] y = new double[m];
    for (int j = 0; j < m; j++) {
      System.arraycopy(((org.apache.spark.ml.linalg.Vector) rows.get(j).getAs("features"))
          .toArray(), 0, x, 10 * j, 10);
      y[j] = ((Number) rows.get(j).getAs("label")).doubleValue();
    }
    org.sparkdfa.nn.NetworkSpec spec = model.spec();
    org.sparkdfa.nn.Alignment.LayerAlignment expected = org.sparkdfa.nn.Alignment.measure(
        new org.sparkdfa.nn.Network(spec), model.weights().toArray(), x, y, null, m,
        org.sparkdfa.nn.DirectFeedback.random(spec, "uniform", 1.0, 1)).get(0);
    assertEquals(expected.cosMean(), cos[last], 1e-12);
    assertEquals(expected.angleDeg(), angle[last], 1e-9);
  }

  /**
   * A random B never trained against: observed cos_mean ≈ ±0.09 and angles of 77–89° in both
   * layers, far from DFA's alignment.
   */
  @Test
  void bpGetsAControlMeasurementForEveryHiddenLayer() {
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 32, 16, 1})
        .setStepSize(0.02).setBatchSize(256).setMaxIter(BP_EPOCHS).setEarlyStoppingPatience(0)
        .setSeed(1).setAlignmentDiagnostics(true).setAlignmentProbeRows(100).fit(train);
    MlpTrainingSummary s = model.summary();
    assertEveryEpochHasMetrics(s, BP_EPOCHS, 2);
    assertEquals(10, s.alignmentHistory().size());
    for (int k = 1; k <= 2; k++) {
      double[] cos = s.metricHistory(key(k, "cos_mean"));
      assertTrue(Math.abs(cos[BP_EPOCHS - 1]) < 0.5, "layer " + k + ": " + Arrays.toString(cos));
    }
  }

  /**
   * FA is measured with its own matrices (not a DFA control): the last epoch's weight angles and
   * norm ratios are those of the final weights against FaMlpClassifier's B, and the weights turn
   * towards B (the angle of the top hidden layer ends below the ~90° of a random matrix).
   */
  @Test
  void faRecordsWeightAlignmentAgainstItsOwnFeedback() {
    int epochs = 6;
    MlpClassificationModel model = new FaMlpClassifier().setLayers(new int[] {10, 32, 16, 1})
        .setStepSize(0.02).setBatchSize(256).setMaxIter(epochs).setEarlyStoppingPatience(0)
        .setSeed(1).setAlignmentDiagnostics(true).setAlignmentProbeRows(100).fit(train);
    MlpTrainingSummary s = model.summary();
    assertEveryEpochHasMetrics(s, epochs, 2);
    org.sparkdfa.nn.NetworkSpec spec = model.spec();
    double[] expected = org.sparkdfa.nn.Alignment.weightAngles(spec, model.weights().toArray(),
        org.sparkdfa.nn.FeedbackAlignment.random(spec, "uniform", 1.0, 1));
    for (int k = 1; k <= 2; k++) {
      double[] angle = s.metricHistory(key(k, "weight_angle_deg"));
      double[] ratio = s.metricHistory(key(k, "norm_ratio"));
      assertEquals(expected[k - 1], angle[epochs - 1], 1e-9);
      assertTrue(ratio[epochs - 1] > 0 && Double.isFinite(ratio[epochs - 1]),
          Arrays.toString(ratio));
    }
    double[] top = s.metricHistory(key(2, "weight_angle_deg"));
    assertTrue(top[epochs - 1] < 85, "FA weights align with B: " + Arrays.toString(top));
  }

  @Test
  void offByDefaultAndNothingToMeasureWithoutHiddenLayers() {
    MlpClassificationModel off = new DfaMlpClassifier().setLayers(new int[] {10, 8, 1})
        .setBatchSize(500).setMaxIter(2).setSeed(1).fit(train);
    assertTrue(off.summary().alignmentHistory().isEmpty());
    assertFalse(new DfaMlpClassifier().getAlignmentDiagnostics());
    assertEquals(256, new DfaMlpClassifier().getAlignmentProbeRows());
    MlpClassificationModel linear = new DfaMlpClassifier().setLayers(new int[] {10, 1})
        .setBatchSize(500).setMaxIter(2).setSeed(1).setAlignmentDiagnostics(true).fit(train);
    assertTrue(linear.summary().alignmentHistory().isEmpty());
    assertTrue(Double.isNaN(linear.summary().metricHistory(key(1, "cos_mean"))[0]));
  }

  /** The probe is measured in float64 whatever the training precision (it once was not). */
  @Test
  void float32TrainingRecordsTheSameKindOfAlignment() {
    MlpClassificationModel model = new DfaMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setPrecision("float32").setBatchSize(256).setMaxIter(2).setEarlyStoppingPatience(0)
        .setSeed(1).setAlignmentDiagnostics(true).setAlignmentProbeRows(50).fit(train);
    assertEveryEpochHasMetrics(model.summary(), 2, 1);
  }
}
