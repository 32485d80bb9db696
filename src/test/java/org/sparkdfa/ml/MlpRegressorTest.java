package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/** The MLP regressors as Spark ML regressors: quality, tuning, pipelines, persistence. */
class MlpRegressorTest extends SparkTestBase {

  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @TempDir
  Path tmp;

  /** y = sin(x1) + x2² + noise, x uniform in [−1.5, 1.5]², as raw columns x1, x2, label. */
  static Dataset<Row> sinPlusSquare(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double x1 = r.nextDouble(-1.5, 1.5);
      double x2 = r.nextDouble(-1.5, 1.5);
      double y = Math.sin(x1) + x2 * x2 + 0.05 * r.nextGaussian();
      out.add(RowFactory.create(x1, x2, y));
    }
    StructType schema = new StructType().add("x1", DataTypes.DoubleType)
        .add("x2", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
    return spark().createDataFrame(out, schema).repartition(2);
  }

  @BeforeAll
  static void data() {
    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"x1", "x2"})
        .setOutputCol("features");
    train = assembler.transform(sinPlusSquare(2000, 1)).cache();
    test = assembler.transform(sinPlusSquare(500, 2)).cache();
  }

  private static double r2(RegressionModel<?, ?> model, Dataset<Row> rows) {
    return new RegressionEvaluator().setMetricName("r2").evaluate(model.transform(rows));
  }

  @Test
  void bpAndDfaFitSinPlusSquare() {
    MlpRegressionModel bp = new BpMlpRegressor().setHiddenLayers(32, 32).setStepSize(0.01)
        .setMaxIter(30).fit(train);
    double bpR2 = r2(bp, test);
    assertTrue(bpR2 >= 0.95, "BP test R² " + bpR2);
    MlpRegressionModel dfa = new DfaMlpRegressor().setHiddenLayers(128).setStepSize(0.01)
        .setMaxIter(30).fit(train);
    double dfaR2 = r2(dfa, test);
    assertTrue(dfaR2 >= 0.9, "DFA test R² " + dfaR2);
    assertArrayEquals(new int[] {2, 32, 32, 1}, bp.getLayers());

    // The summaries are Spark's RegressionMetrics on the same rows as RegressionEvaluator.
    MlpRegressionSummary s = bp.evaluate(test);
    Dataset<Row> scored = bp.transform(test);
    assertEquals(new RegressionEvaluator().evaluate(scored), s.rootMeanSquaredError(), 1e-9);
    assertEquals(bpR2, s.r2(), 1e-9);
    assertEquals(new RegressionEvaluator().setMetricName("mae").evaluate(scored),
        s.meanAbsoluteError(), 1e-9);
    assertEquals(500, s.numInstances());
    MlpRegressionTrainingSummary t = bp.summary();
    assertEquals(t.objectiveHistory().length, t.totalIterations());
    assertTrue(t.totalIterations() > 0 && t.totalIterations() <= 30);
    assertEquals(new RegressionEvaluator().evaluate(bp.transform(train)),
        t.rootMeanSquaredError(), 1e-9);
  }

  @Test
  void huberFitsToo() throws Exception {
    MlpRegressionModel model = new BpMlpRegressor().setHiddenLayers(16).setLoss("huber")
        .setHuberDelta(0.5).setStepSize(0.01).setMaxIter(10).fit(train);
    assertEquals("huber", model.spec().loss().paramName());
    assertEquals(0.5, model.spec().huberDelta(), 0.0);
    assertEquals(0.5, model.getHuberDelta(), 0.0);
    assertTrue(r2(model, test) > 0.5);
    model.write().save(tmp.resolve("huber").toString());
    MlpRegressionModel back = MlpRegressionModel.load(tmp.resolve("huber").toString());
    assertEquals(0.5, back.spec().huberDelta(), 0.0);
    assertEquals(0.5, back.getHuberDelta(), 0.0);
  }

  @Test
  void crossValidatorWithRegressionEvaluatorPicksAModelThatSavesAndLoads() throws Exception {
    BpMlpRegressor bp = new BpMlpRegressor().setStepSize(0.01).setMaxIter(5);
    ParamMap[] grid = new ParamGridBuilder().addGrid(bp.hiddenLayers(),
        scala.jdk.javaapi.CollectionConverters.asScala(List.of(new int[] {1}, new int[] {16})))
        .build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(bp).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator()).setNumFolds(2).setSeed(4).fit(train);
    assertEquals(2, cv.avgMetrics().length);
    assertTrue(cv.avgMetrics()[1] < cv.avgMetrics()[0], "16 hidden units beat 1 on RMSE");
    MlpRegressionModel best = assertInstanceOf(MlpRegressionModel.class, cv.bestModel());
    assertArrayEquals(new int[] {2, 16, 1}, best.spec().layers());
    String path = tmp.resolve("cv").toString();
    cv.write().save(path);
    CrossValidatorModel back = CrossValidatorModel.load(path);
    MlpRegressionModel loaded = assertInstanceOf(MlpRegressionModel.class, back.bestModel());
    assertArrayEquals(best.weights().toArray(), loaded.weights().toArray(), 0.0);
    assertEquals(cv.transform(test).select("prediction").collectAsList(),
        back.transform(test).select("prediction").collectAsList());
  }

  @Test
  void pipelineOfAssemblerAndEveryRegressorSavesAndReloads() throws Exception {
    Dataset<Row> raw = sinPlusSquare(300, 3);
    for (NeuralRegressorBase<?> est : List.<NeuralRegressorBase<?>>of(
        new BpMlpRegressor().setHiddenLayers(8), new DfaMlpRegressor().setHiddenLayers(8),
        new FaMlpRegressor().setHiddenLayers(8, 4))) {
      est.setMaxIter(2);
      PipelineModel model = new Pipeline().setStages(new PipelineStage[] {new VectorAssembler()
          .setInputCols(new String[] {"x1", "x2"}).setOutputCol("features"), est}).fit(raw);
      String path = tmp.resolve(est.getClass().getSimpleName()).toString();
      model.write().save(path);
      PipelineModel back = PipelineModel.load(path);
      assertEquals(model.transform(raw).select("prediction").collectAsList(),
          back.transform(raw).select("prediction").collectAsList());
      assertInstanceOf(MlpRegressionModel.class, back.stages()[1]);
    }
  }

  @Test
  void lossesBelongToTheirKindOfEstimator() {
    IllegalArgumentException reg = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpRegressor().setHiddenLayers(4).setLoss("bce").fit(train));
    assertTrue(reg.getMessage().contains("classification loss"), reg.getMessage());
    IllegalArgumentException cls = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenLayers(4).setLoss("huber")
            .fit(Fixtures.parity(spark(), 100, 1)));
    assertTrue(cls.getMessage().contains("regression loss"), cls.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BpMlpRegressor().setHuberDelta(0));
  }

  @Test
  void labelsFarFromUnitScaleDrawAWarning() {
    assertNull(NeuralRegressorBase.labelScaleWarning("label", 1.3, 0.9));
    String far = NeuralRegressorBase.labelScaleWarning("label", 5400, 1200);
    assertNotNull(far);
    assertTrue(far.contains("(label - 5400.0) / 1200.0"), far);
    assertNotNull(NeuralRegressorBase.labelScaleWarning("label", 0, 0.001));
  }
}
