package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.train.StopReason;

/** Trained models reach known accuracy; every loss trains; the summary tells the story. */
class TrainingQualityTest extends SparkTestBase {

  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void data() {
    train = Fixtures.parity(spark(), 4000, 2).cache();
    test = Fixtures.parityTest(spark(), 1000).cache();
  }

  @Test
  void backpropLearnsTwoSparseParity() {
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 32, 1})
        .setStepSize(0.02).setBatchSize(200).setMaxIter(25).setSeed(1).fit(train);
    double acc = Fixtures.accuracy(model, test);
    assertTrue(acc >= 0.95, "BP accuracy " + acc);
    double[] loss = model.summary().lossHistory();
    assertTrue(loss[loss.length - 1] < loss[0] * 0.5, "loss should fall: " + Arrays.toString(loss));
    assertEquals(25, model.summary().totalEpochs());
    assertEquals(25 * 20, model.summary().totalSteps());
  }

  @Test
  void dfaLearnsTwoSparseParity() {
    MlpClassificationModel model = new DfaMlpClassifier().setLayers(new int[] {10, 64, 1})
        .setStepSize(0.02).setBatchSize(200).setMaxIter(30).setSeed(1).fit(train);
    double acc = Fixtures.accuracy(model, test);
    assertTrue(acc >= 0.95, "DFA accuracy " + acc);
    assertEquals(StopReason.MAX_ITER, model.summary().stopReason());
  }

  @Test
  void float32TrainsAsWellAsFloat64() {
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {10, 32, 1})
        .setStepSize(0.02).setBatchSize(200).setMaxIter(25).setSeed(1);
    double acc64 = Fixtures.accuracy(bp.fit(train), test);
    MlpClassificationModel m32 = bp.copy(new org.apache.spark.ml.param.ParamMap())
        .setPrecision("float32").fit(train);
    double acc32 = Fixtures.accuracy(m32, test);
    assertTrue(acc32 >= 0.95 && Math.abs(acc32 - acc64) <= 0.02,
        "float32 " + acc32 + " vs float64 " + acc64);
    MlpClassificationModel dfa32 = new DfaMlpClassifier().setLayers(new int[] {10, 64, 1})
        .setStepSize(0.02).setBatchSize(200).setMaxIter(30).setSeed(1).setPrecision("float32")
        .fit(train);
    assertTrue(Fixtures.accuracy(dfa32, test) >= 0.95);
  }

  @Test
  void hingeLossTrainsAndFeedsTheBinaryEvaluator() {
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 32, 1})
        .setLoss("hinge").setStepSize(0.02).setBatchSize(200).setMaxIter(25).setSeed(2)
        .fit(train);
    Dataset<Row> scored = model.transform(test);
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    assertTrue(auc > 0.95, "hinge AUC " + auc);
    assertEquals(2, ((org.apache.spark.ml.linalg.Vector) scored.first()
        .getAs("rawPrediction")).size());
  }

  @Test
  void bceModelsFeedLogLossLikeMllibModels() {
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 32, 1})
        .setStepSize(0.02).setBatchSize(200).setMaxIter(25).setSeed(3).fit(train);
    double logLoss = new MulticlassClassificationEvaluator().setMetricName("logLoss")
        .evaluate(model.transform(test));
    assertTrue(logLoss < 0.2, "logLoss " + logLoss);
  }

  @Test
  void threeClassSoftmaxTrains() {
    Dataset<Row> data = Fixtures.threeClass(spark(), 3000, 5).cache();
    Dataset<Row>[] split = data.randomSplit(new double[] {0.8, 0.2}, 1);
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {6, 16, 3})
        .setStepSize(0.02).setBatchSize(200).setMaxIter(20).setSeed(4).fit(split[0]);
    assertEquals(3, model.numClasses());
    double acc = Fixtures.accuracy(model, split[1]);
    assertTrue(acc >= 0.97, "3-class accuracy " + acc);
  }

  @Test
  void mseTrainsOnBinaryAndMulticlassTargets() {
    MlpClassificationModel binary = new BpMlpClassifier().setLayers(new int[] {10, 32, 1})
        .setLoss("mse").setStepSize(0.02).setBatchSize(200).setMaxIter(25).setSeed(5)
        .fit(train);
    double binaryAcc = Fixtures.accuracy(binary, test);
    assertTrue(binaryAcc >= 0.9, "mse binary accuracy " + binaryAcc);
    Dataset<Row> three = Fixtures.threeClass(spark(), 2000, 6);
    MlpClassificationModel multi = new DfaMlpClassifier().setLayers(new int[] {6, 16, 3})
        .setLoss("mse").setStepSize(0.02).setBatchSize(200).setMaxIter(20).setSeed(6)
        .fit(three);
    double multiAcc = Fixtures.accuracy(multi, three);
    assertTrue(multiAcc >= 0.9, "mse 3-class accuracy " + multiAcc);
  }

  @Test
  void lbfgsTrainsThroughBreeze() {
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setOptimizer("lbfgs").setMaxIter(60).setSeed(7).fit(train);
    double acc = Fixtures.accuracy(model, test);
    assertTrue(acc >= 0.95, "L-BFGS accuracy " + acc);
    double[] loss = model.summary().lossHistory();
    assertTrue(loss[loss.length - 1] < loss[0], Arrays.toString(loss));
  }

  @Test
  void validationSetGivesPerEpochMetricsAndEarlyStopping() {
    Dataset<Row> withIndicator = train.withColumn("isVal",
        org.apache.spark.sql.functions.expr("id % 5 = 0"));
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 32, 1})
        .setStepSize(0.02).setBatchSize(200).setMaxIter(200).setEarlyStoppingPatience(2)
        .setTol(1e-3).setValidationIndicatorCol("isVal").setSeed(8).fit(withIndicator);
    MlpTrainingSummary s = model.summary();
    assertEquals(StopReason.NO_IMPROVEMENT, s.stopReason(), s.stopDetail());
    assertTrue(s.totalEpochs() < 200);
    double[] valAcc = s.validationAccuracyHistory();
    assertTrue(valAcc[valAcc.length - 1] > 0.9, Arrays.toString(valAcc));
    for (double sec : s.secondsPerEpoch()) assertTrue(sec > 0);
  }
}
