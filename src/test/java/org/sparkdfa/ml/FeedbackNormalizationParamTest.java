package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.train.EpochListener;
import org.sparkdfa.train.StopReason;

/**
 * The feedbackNormalization param of DFA and FA as a user sets it, and an epoch listener ending
 * a fit early.
 */
class FeedbackNormalizationParamTest extends SparkTestBase {

  @Test
  void normalizationChangesTrainingIsCheckedAndPersists(@TempDir Path tmp) throws Exception {
    assertEquals("glorot", new DfaMlpClassifier().getFeedbackNormalization());
    Dataset<Row> train = Fixtures.parity(spark(), 400, 2);
    MlpClassificationModel glorot = new DfaMlpClassifier().setLayers(new int[] {10, 8, 8, 1})
        .setOptimizer("sgd").setStepSize(0.05).setMaxIter(1).setSeed(3).fit(train);
    FaMlpClassifier est = new FaMlpClassifier().setLayers(new int[] {10, 8, 8, 1})
        .setOptimizer("sgd").setStepSize(0.05).setMaxIter(1).setSeed(3)
        .setFeedbackNormalization("fan-in");
    MlpClassificationModel fanIn = new DfaMlpClassifier().setLayers(new int[] {10, 8, 8, 1})
        .setOptimizer("sgd").setStepSize(0.05).setMaxIter(1).setSeed(3)
        .setFeedbackNormalization("fan-in").fit(train);
    assertFalse(java.util.Arrays.equals(glorot.weights().toArray(), fanIn.weights().toArray()));
    String m = assertThrows(IllegalArgumentException.class,
        () -> new DfaMlpClassifier().setFeedbackNormalization("1/sqrt(c)")).getMessage();
    assertTrue(m.contains("feedbackNormalization") && m.contains("fan-in"), m);
    String dir = tmp.resolve("fa").toString();
    est.write().overwrite().save(dir);
    assertEquals("fan-in", FaMlpClassifier.load(dir).getFeedbackNormalization());
  }

  /** Stops after epoch 2: the fit ends there with the listener's stop reason. */
  static final class StopAfterTwo implements EpochListener {
    private static final long serialVersionUID = 1L;
    private int epoch;

    @Override
    public Map<String, Double> onEpochEnd(int e, double[] params) {
      epoch = e;
      return Map.of();
    }

    @Override
    public boolean stopRequested() {
      return epoch >= 2;
    }
  }

  @Test
  void anEpochListenerCanEndTheFitEarly() {
    BpMlpClassifier est = new BpMlpClassifier().setLayers(new int[] {10, 8, 1}).setMaxIter(6)
        .setSeed(1);
    est.addEpochListener(new StopAfterTwo());
    MlpTrainingSummary s = est.fit(Fixtures.parity(spark(), 300, 2)).summary();
    assertEquals(2, s.totalEpochs());
    assertEquals(StopReason.LISTENER, s.stopReason());
    assertTrue(s.stopDetail().contains("stopped after epoch 2 of 6"), s.stopDetail());
  }
}
