package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.ml.classification.BinaryClassificationSummary;
import org.apache.spark.ml.classification.ClassificationSummary;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/** Our summaries are Spark's summary types and agree with Spark's evaluators on the same rows. */
class SummaryTest extends SparkTestBase {

  @TempDir
  Path tmp;

  private static double multiclass(String metric, Dataset<Row> scored) {
    return new MulticlassClassificationEvaluator().setMetricName(metric).evaluate(scored);
  }

  @Test
  void binarySummaryAgreesWithSparksEvaluators() throws Exception {
    Dataset<Row> train = Fixtures.parity(spark(), 600, 2).cache();
    // Under 200 distinct scores: Spark's 100-bin summary and 1000-bin evaluator do not bin.
    Dataset<Row> test = Fixtures.parityTest(spark(), 150).cache();
    MlpClassificationModel model = new BpMlpClassifier().setHiddenLayers(16).setMaxIter(3)
        .fit(train);

    MlpClassificationSummary s = model.evaluate(test);
    MlpBinaryClassificationSummary b = assertInstanceOf(MlpBinaryClassificationSummary.class, s);
    assertInstanceOf(BinaryClassificationSummary.class, b);
    Dataset<Row> scored = model.transform(test);
    assertEquals(multiclass("accuracy", scored), s.accuracy(), 1e-9);
    assertEquals(multiclass("weightedPrecision", scored), s.weightedPrecision(), 1e-9);
    assertEquals(multiclass("weightedRecall", scored), s.weightedRecall(), 1e-9);
    assertEquals(multiclass("f1", scored), s.weightedFMeasure(), 1e-9);
    assertEquals(new BinaryClassificationEvaluator().evaluate(scored), b.areaUnderROC(), 1e-9);
    assertEquals(new BinaryClassificationEvaluator().setMetricName("areaUnderPR")
        .evaluate(scored), new org.apache.spark.mllib.evaluation.BinaryClassificationMetrics(
            b.predictions().select("rawPrediction", "label").javaRDD().map(r ->
                new scala.Tuple2<Object, Object>(((org.apache.spark.ml.linalg.Vector) r.get(0))
                    .apply(1), r.getDouble(1))).rdd(), 100).areaUnderPR(), 1e-9);
    assertTrue(b.roc().count() > 2);
    assertEquals(2, s.labels().length);
    assertEquals(2, s.precisionByLabel().length);

    MlpBinaryClassificationTrainingSummary t = model.binarySummary();
    assertTrue(model.summary() == t);
    assertEquals(3, t.totalIterations());
    assertEquals(3, t.objectiveHistory().length);
    assertEquals(t.lossHistory()[2], t.objectiveHistory()[2], 0.0);
    assertEquals(multiclass("accuracy", model.transform(train)), t.accuracy(), 1e-9,
        "the training summary's metrics are on the training rows");
    assertEquals(3, t.secondsPerEpoch().length);

    model.write().save(tmp.resolve("m").toString());
    MlpClassificationModel loaded = MlpClassificationModel.load(tmp.resolve("m").toString());
    assertFalse(loaded.hasSummary());
    assertThrows(IllegalStateException.class, loaded::summary);
    assertEquals(s.accuracy(), loaded.evaluate(test).accuracy(), 0.0);
  }

  @Test
  void multiclassSummaryAgreesWithSparksEvaluator() {
    Dataset<Row> train = Fixtures.threeClass(spark(), 400, 1).cache();
    Dataset<Row> test = Fixtures.threeClass(spark(), 200, 2).cache();
    MlpClassificationModel model = new DfaMlpClassifier().setHiddenLayers(12).setMaxIter(3)
        .setPredictionCol("").fit(train);
    ClassificationSummary s = model.evaluate(test);
    assertFalse(s instanceof BinaryClassificationSummary);
    Dataset<Row> scored = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setPredictionCol("prediction").transform(test);
    assertEquals(multiclass("accuracy", scored), s.accuracy(), 1e-9);
    assertEquals(multiclass("f1", scored), s.weightedFMeasure(), 1e-9);
    assertEquals(3, s.recallByLabel().length);
    assertThrows(IllegalStateException.class, model::binarySummary);
    assertEquals(3, model.summary().totalIterations());
  }
}
