package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/** The estimators inside Spark ML's machinery: Pipeline, CrossValidator, persistence. */
class SparkMlIntegrationTest extends SparkTestBase {

  @TempDir
  Path tmp;

  private static List<Double> predictions(Dataset<Row> scored) {
    return scored.orderBy("id").select("prediction").as(org.apache.spark.sql.Encoders.DOUBLE())
        .collectAsList();
  }

  @Test
  void pipelineOfAssemblerScalerAndDfaFitsAndTransforms() {
    Dataset<Row> raw = Fixtures.parity(spark(), 2000, 2);
    String[] cols = new String[10];
    for (int i = 0; i < 10; i++) {
      cols[i] = "x" + i;
      raw = raw.withColumn(cols[i], org.apache.spark.ml.functions.vector_to_array(
          functions.col("features"), "float64").getItem(i));
    }
    raw = raw.drop("features");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(cols).setOutputCol("assembled"),
        new StandardScaler().setInputCol("assembled").setOutputCol("features"),
        new DfaMlpClassifier().setLayers(new int[] {10, 32, 1}).setStepSize(0.02)
            .setBatchSize(200).setMaxIter(20).setSeed(1)});
    PipelineModel model = pipeline.fit(raw);
    Dataset<Row> scored = model.transform(raw);
    assertTrue(List.of(scored.columns()).containsAll(List.of("rawPrediction", "probability",
        "prediction")));
    double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(scored);
    assertTrue(acc > 0.9, "pipeline accuracy " + acc);
  }

  @Test
  void crossValidatorPicksAModelThatSavesAndLoads() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 900, 2).cache();
    BpMlpClassifier bp = new BpMlpClassifier().setBatchSize(300).setMaxIter(4).setSeed(2);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(bp.layers(), scala.jdk.javaapi.CollectionConverters.asScala(List.of(
            new int[] {10, 8, 1}, new int[] {10, 16, 1})))
        .addGrid(bp.optimizer(), scala.jdk.javaapi.CollectionConverters.asScala(List.of(
            "adam", "momentum")))
        .addGrid(bp.stepSize(), new double[] {0.01, 0.05})
        .build();
    assertEquals(8, grid.length);
    CrossValidator cv = new CrossValidator().setEstimator(bp).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
        .setNumFolds(3).setSeed(3);
    CrossValidatorModel cvModel = cv.fit(data);
    assertEquals(8, cvModel.avgMetrics().length);
    String path = tmp.resolve("cv").toString();
    cvModel.write().save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    assertEquals(predictions(cvModel.transform(data)), predictions(loaded.transform(data)));
    assertTrue(loaded.bestModel() instanceof MlpClassificationModel);
  }

  @Test
  void modelSaveLoadRoundTripGivesIdenticalPredictions() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 1000, 2);
    MlpClassificationModel model = new DfaMlpClassifier().setLayers(new int[] {10, 16, 8, 1})
        .setStepSize(0.02).setBatchSize(250).setMaxIter(3).setSeed(4).fit(data);
    String path = tmp.resolve("model").toString();
    model.write().save(path);
    MlpClassificationModel loaded = MlpClassificationModel.load(path);
    assertArrayEquals(model.weights().toArray(), loaded.weights().toArray(), 0.0);
    assertEquals(model.uid(), loaded.uid());
    assertEquals(model.getStepSize(), loaded.getStepSize());
    assertArrayEquals(model.getLayers(), loaded.getLayers());
    Dataset<Row> a = model.transform(data);
    Dataset<Row> b = loaded.transform(data);
    assertEquals(predictions(a), predictions(b));
    assertEquals(a.orderBy("id").select("probability").collectAsList(),
        b.orderBy("id").select("probability").collectAsList());
    // Spark's convention: a second save to the same path without overwrite() fails...
    assertThrows(Exception.class, () -> model.write().save(path));
    // ...and overwrite() replaces it.
    model.write().overwrite().save(path);
    assertNotNull(MlpClassificationModel.load(path));
    // Nothing half-written stays behind next to the model.
    try (var files = Files.list(tmp)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
    }
  }

  @Test
  void estimatorSaveLoadKeepsEveryParam() throws Exception {
    spark(); // the writer uses the active session
    DfaMlpClassifier dfa = new DfaMlpClassifier().setLayers(new int[] {7, 5, 3})
        .setHiddenActivation("tanh").setLoss("cross_entropy").setOptimizer("rmsprop")
        .setStepSize(0.003).setRho(0.8).setEpsilon(1e-7).setRegParam(0.01).setBatchSize(64)
        .setMaxIter(9).setTol(1e-4).setSeed(99).setAggregationDepth(3)
        .setEarlyStoppingPatience(2).setWeightInit("he_normal").setFeedbackDistribution("gaussian")
        .setFeedbackScale(0.5).setWeightCol("w").setValidationIndicatorCol("v");
    String path = tmp.resolve("estimator").toString();
    dfa.write().save(path);
    DfaMlpClassifier loaded = DfaMlpClassifier.load(path);
    assertEquals(dfa.uid(), loaded.uid());
    for (org.apache.spark.ml.param.Param<?> p : dfa.params()) {
      assertEquals(dfa.isSet(p), loaded.isSet(loaded.getParam(p.name())), p.name());
      if (dfa.isDefined(p)) {
        Object expected = dfa.getOrDefault(p);
        Object actual = loaded.getOrDefault(loaded.getParam(p.name()));
        if (expected instanceof int[] e) {
          assertArrayEquals(e, (int[]) actual, p.name());
        } else {
          assertEquals(expected, actual, p.name());
        }
      }
    }
  }

  @Test
  void paramsFollowSparkConventions() {
    BpMlpClassifier bp = new BpMlpClassifier();
    // The uid pitfall: Spark's own params must belong to this instance.
    bp.setFeaturesCol("f").setLabelCol("y");
    assertEquals("f", bp.getFeaturesCol());
    String explained = bp.explainParams();
    for (String name : List.of("layers", "hiddenActivation", "loss", "optimizer", "stepSize",
        "momentum", "beta1", "beta2", "epsilon", "rho", "regParam", "batchSize", "maxIter", "tol",
        "seed", "initialWeights", "aggregationDepth", "weightCol", "validationIndicatorCol",
        "earlyStoppingPatience", "feedbackDistribution", "feedbackScale")) {
      assertTrue(explained.contains(name + ":"), name + " missing from explainParams");
    }
    assertTrue(explained.contains("(default: adam)"));
    BpMlpClassifier copy = bp.copy(new ParamMap().put(bp.stepSize().w(0.5)));
    assertEquals(0.5, copy.getStepSize());
    assertEquals(0.001, bp.getStepSize());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bp.setOptimizer("adamw"));
    assertTrue(e.getMessage().contains("optimizer") && e.getMessage().contains("adamw")
        && e.getMessage().contains("rmsprop"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> bp.setStepSize(-1));
    assertTrue(e.getMessage().contains("stepSize") && e.getMessage().contains("-1"));
  }
}
