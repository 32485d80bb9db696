package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/** Feedback alignment as a Spark ML estimator, used as a user would. */
class FaMlpClassifierTest extends SparkTestBase {

  @Test
  void withOneHiddenLayerFaTrainsExactlyAsDfa() {
    Dataset<Row> train = Fixtures.parity(spark(), 600, 2);
    MlpClassificationModel dfa = new DfaMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setMaxIter(3).setSeed(4).fit(train);
    MlpClassificationModel fa = new FaMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setMaxIter(3).setSeed(4).fit(train);
    assertArrayEquals(dfa.weights().toArray(), fa.weights().toArray(), 0.0);
  }

  @Test
  void deeperFaLearnsSavesAndLoads(@TempDir Path tmp) throws Exception {
    Dataset<Row> train = Fixtures.parity(spark(), 2000, 2);
    FaMlpClassifier est = new FaMlpClassifier().setLayers(new int[] {10, 32, 32, 1})
        .setFeedbackDistribution("gaussian").setStepSize(0.01).setMaxIter(30).setSeed(2);
    MlpClassificationModel model = est.fit(train);
    double acc = Fixtures.accuracy(model, Fixtures.parityTest(spark(), 1000));
    assertTrue(acc > 0.9, "FA test accuracy on 2-sparse parity: " + acc);
    MlpClassificationModel dfa = new DfaMlpClassifier().setLayers(new int[] {10, 32, 32, 1})
        .setFeedbackDistribution("gaussian").setStepSize(0.01).setMaxIter(1).setSeed(2)
        .fit(train);
    MlpClassificationModel fa1 = est.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(1)
        .fit(train);
    assertFalse(java.util.Arrays.equals(dfa.weights().toArray(), fa1.weights().toArray()),
        "two hidden layers: FA and DFA must differ");
    String estDir = tmp.resolve("est").toString();
    est.write().overwrite().save(estDir);
    FaMlpClassifier loaded = FaMlpClassifier.load(estDir);
    assertEquals("gaussian", loaded.getFeedbackDistribution());
    assertEquals(est.uid(), loaded.uid());
    String modelDir = tmp.resolve("model").toString();
    model.write().overwrite().save(modelDir);
    assertArrayEquals(model.weights().toArray(),
        MlpClassificationModel.load(modelDir).weights().toArray(), 0.0);
  }
}
