package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;

/** The baselines as ordinary Spark ML stages: Pipeline persistence and cross-validation. */
class LazyBaselinesPipelineTest extends SparkTestBase {

  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void data() {
    train = Fixtures.parity(spark(), 2000, 2).cache();
    test = Fixtures.parityTest(spark(), 300).cache();
  }

  @Test
  void pipelinesWithBaselinesSaveAndLoad() throws Exception {
    Path dir = Files.createTempDirectory("lazy-pipeline");
    GatedLinearClassifier galu = new GatedLinearClassifier().setWidth(16).setBatchSize(500)
        .setMaxIter(2).setStepSize(0.02).setSeed(3);
    RandomFeaturesClassifier rf = new RandomFeaturesClassifier().setFeatureType("gaussian")
        .setSigma(0.9).setWidth(24).setBatchSize(500).setMaxIter(2).setStepSize(0.02).setSeed(4)
        .setPredictionCol("rfPrediction").setRawPredictionCol("rfRaw")
        .setProbabilityCol("rfProbability");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {galu, rf});

    pipeline.save(dir.resolve("pipeline").toString());
    PipelineStage[] stages = Pipeline.load(dir.resolve("pipeline").toString()).getStages();
    GatedLinearClassifier galuBack = assertInstanceOf(GatedLinearClassifier.class, stages[0]);
    RandomFeaturesClassifier rfBack = assertInstanceOf(RandomFeaturesClassifier.class, stages[1]);
    assertEquals(16, galuBack.getWidth());
    assertEquals(0.9, rfBack.getSigma(), 0.0);
    assertEquals(24, rfBack.getWidth());
    assertEquals("gaussian", rfBack.getFeatureType());

    PipelineModel fitted = pipeline.fit(train);
    String modelPath = dir.resolve("model").toString();
    fitted.save(modelPath);
    assertThrows(java.io.IOException.class, () -> fitted.save(modelPath),
        "a second save without overwrite() must fail");
    PipelineModel loaded = PipelineModel.load(modelPath);
    for (int i = 0; i < 2; i++) {
      MlpClassificationModel before = (MlpClassificationModel) fitted.stages()[i];
      MlpClassificationModel after = assertInstanceOf(MlpClassificationModel.class,
          loaded.stages()[i]);
      assertArrayEquals(before.weights().toArray(), after.weights().toArray(), 0.0);
      assertArrayEquals(before.spec().layers(), after.spec().layers());
      assertArrayEquals(before.getLayers(), after.getLayers());
    }
    MlpClassificationModel galuModel = (MlpClassificationModel) loaded.stages()[0];
    assertTrue(galuModel.spec().gated(0));
    assertArrayEquals(GatedLinearClassifier.gateMatrix(16, 10, 3), galuModel.network().gate(0),
        0.0);
    assertTrue(!((MlpClassificationModel) loaded.stages()[1]).spec().trainable(0));

    List<Row> a = fitted.transform(test).select("rawPrediction", "rfRaw").collectAsList();
    List<Row> b = loaded.transform(test).select("rawPrediction", "rfRaw").collectAsList();
    for (int r = 0; r < a.size(); r++) {
      for (int c = 0; c < 2; c++) {
        assertArrayEquals(((Vector) a.get(r).get(c)).toArray(),
            ((Vector) b.get(r).get(c)).toArray(), 0.0);
      }
    }
  }

  @Test
  void crossValidatorTunesABaselineParam() {
    RandomFeaturesClassifier rf = new RandomFeaturesClassifier().setFeatureType("relu")
        .setBatchSize(500).setMaxIter(3).setStepSize(0.05).setSeed(5);
    ParamMap[] grid = new ParamGridBuilder().addGrid(rf.width(), new int[] {4, 64}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(rf).setEstimatorParamMaps(grid)
        .setEvaluator(new BinaryClassificationEvaluator()).setNumFolds(2).setSeed(6).fit(train);
    assertEquals(2, cv.avgMetrics().length);
    MlpClassificationModel best = assertInstanceOf(MlpClassificationModel.class, cv.bestModel());
    assertEquals(10, best.numFeatures());
    assertTrue(cv.transform(test).count() == 300);
  }

  /**
   * The most common Pipeline of all, as a user writes it: raw columns, VectorAssembler, a
   * baseline given only its width. VectorAssembler's schema carries no vector size, and
   * Pipeline.fit checks every stage's schema before fitting any; the size comes from the data.
   */
  @Test
  void vectorAssemblerThenABaselineGivenOnlyItsWidth() throws Exception {
    Dataset<Row> raw = train.withColumn("xs", org.apache.spark.ml.functions.vector_to_array(
        org.apache.spark.sql.functions.col("features"), "float64"));
    String[] names = new String[10];
    org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[11];
    for (int i = 0; i < 10; i++) {
      names[i] = "x" + i;
      cols[i] = org.apache.spark.sql.functions.col("xs").getItem(i).as(names[i]);
    }
    cols[10] = org.apache.spark.sql.functions.col("label");
    Dataset<Row> columns = raw.select(cols);
    org.apache.spark.ml.feature.VectorAssembler assembler =
        new org.apache.spark.ml.feature.VectorAssembler().setInputCols(names)
            .setOutputCol("features");
    assertEquals(-1, FeatureSize.declared(assembler.transformSchema(columns.schema()),
        "features"), "VectorAssembler's schema is expected to carry no size");
    for (LazyClassifierBase<?> est : List.<LazyClassifierBase<?>>of(
        new GatedLinearClassifier().setWidth(16), new RandomFeaturesClassifier().setWidth(16))) {
      est.setMaxIter(2).setSeed(5);
      PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, est})
          .fit(columns);
      MlpClassificationModel fitted = (MlpClassificationModel) model.stages()[1];
      assertArrayEquals(new int[] {10, 16, 1}, fitted.getLayers());
      Path dir = Files.createTempDirectory("assembler-pipeline");
      model.write().overwrite().save(dir.toString());
      PipelineModel back = PipelineModel.load(dir.toString());
      List<Row> a = model.transform(columns).select("prediction").collectAsList();
      assertEquals(a, back.transform(columns).select("prediction").collectAsList());
    }
  }
}
