package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.train.StopReason;

/** Trained models reach known accuracy on problems a linear model cannot solve. */
class TrainingQualityTest extends SparkTestBase {

  static final SparseParity PARITY_10_2 =
      SparseParity.builder().n(10).k(2).distribution("uniform").seed(3).build();

  static Dataset<Row> parityTrain() {
    return PARITY_10_2.generate(spark(), 4000, 2).cache();
  }

  static Dataset<Row> parityTest() {
    return PARITY_10_2.generate(spark(), 1000, 7, 2);
  }

  static double accuracy(MlpClassificationModel model, Dataset<Row> test) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(test));
  }

  @Test
  void backpropLearnsTwoSparseParity() {
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 32, 1})
        .setOptimizer("adam").setStepSize(0.01).setBatchSize(64).setMaxIter(30).setSeed(1)
        .fit(parityTrain());
    double acc = accuracy(model, parityTest());
    assertTrue(acc >= 0.95, "BP accuracy " + acc);
    double[] loss = model.summary().lossHistory();
    assertTrue(loss[loss.length - 1] < loss[0] * 0.5, "loss should fall: "
        + java.util.Arrays.toString(loss));
  }

  @Test
  void dfaLearnsTwoSparseParity() {
    MlpClassificationModel model = new DfaMlpClassifier().setLayers(new int[] {10, 64, 1})
        .setOptimizer("adam").setStepSize(0.01).setBatchSize(64).setMaxIter(40).setSeed(1)
        .fit(parityTrain());
    double acc = accuracy(model, parityTest());
    assertTrue(acc >= 0.95, "DFA accuracy " + acc);
    assertEquals(StopReason.MAX_ITER, model.summary().stopReason());
  }
}
