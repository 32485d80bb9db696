package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/**
 * Pipelines as users write them: raw columns, Spark's feature stages, and an MLP given only its
 * hidden layers. No stage's schema carries the vector size at Pipeline.fit; the data does.
 */
class HiddenLayersPipelineTest extends SparkTestBase {

  private static final String[] NAMES = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
      "x9"};
  private static Dataset<Row> columns;

  @TempDir
  Path tmp;

  @BeforeAll
  static void data() {
    Dataset<Row> parity = Fixtures.parity(spark(), 600, 2);
    Column xs = org.apache.spark.ml.functions.vector_to_array(functions.col("features"),
        "float64");
    Column[] cols = new Column[11];
    for (int i = 0; i < 10; i++) cols[i] = xs.getItem(i).as(NAMES[i]);
    cols[10] = functions.col("label");
    columns = parity.select(cols).cache();
  }

  private static VectorAssembler assembler(String out) {
    return new VectorAssembler().setInputCols(NAMES).setOutputCol(out);
  }

  /** Fits, saves, reloads in a new PipelineModel.load and compares every prediction. */
  private PipelineModel fitSaveAndReload(Pipeline pipeline, String name) {
    try {
      return fitSaveAndReloadOrThrow(pipeline, name);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private PipelineModel fitSaveAndReloadOrThrow(Pipeline pipeline, String name)
      throws java.io.IOException {
    PipelineModel model = pipeline.fit(columns);
    String path = tmp.resolve(name).toString();
    model.write().save(path);
    PipelineModel back = PipelineModel.load(path);
    List<Row> a = model.transform(columns).select("rawPrediction", "prediction").collectAsList();
    List<Row> b = back.transform(columns).select("rawPrediction", "prediction").collectAsList();
    assertEquals(a.size(), b.size());
    for (int r = 0; r < a.size(); r++) {
      assertArrayEquals(((Vector) a.get(r).get(0)).toArray(),
          ((Vector) b.get(r).get(0)).toArray(), 0.0);
      assertEquals(a.get(r).getDouble(1), b.get(r).getDouble(1), 0.0);
    }
    return model;
  }

  private static MlpClassificationModel last(PipelineModel model) {
    return assertInstanceOf(MlpClassificationModel.class,
        model.stages()[model.stages().length - 1]);
  }

  @Test
  void vectorAssemblerThenBpDfaFaGivenOnlyHiddenLayers() {
    for (NeuralClassifierBase<?> est : List.<NeuralClassifierBase<?>>of(
        new BpMlpClassifier().setHiddenLayers(16, 8), new DfaMlpClassifier().setHiddenLayers(16),
        new FaMlpClassifier().setHiddenLayers(16, 8))) {
      est.setMaxIter(2).setSeed(7);
      PipelineModel model = fitSaveAndReload(new Pipeline().setStages(
          new PipelineStage[] {assembler("features"), est}), est.getClass().getSimpleName());
      MlpClassificationModel fitted = last(model);
      int[] expected = est.getHiddenLayers().length == 2 ? new int[] {10, 16, 8, 1}
          : new int[] {10, 16, 1};
      assertArrayEquals(expected, fitted.spec().layers());
      assertArrayEquals(expected, fitted.getLayers(), "the model reports its resolved layers");
    }
  }

  @Test
  void afterStandardScalerAndPca() {
    PipelineModel model = fitSaveAndReload(new Pipeline().setStages(new PipelineStage[] {
        assembler("raw"), new StandardScaler().setInputCol("raw").setOutputCol("scaled"),
        new PCA().setInputCol("scaled").setOutputCol("features").setK(6),
        new DfaMlpClassifier().setHiddenLayers(12).setMaxIter(2)}), "pca");
    assertArrayEquals(new int[] {6, 12, 1}, last(model).spec().layers());
  }

  /** SQLTransformer computes category columns, OneHotEncoder turns them into sparse vectors. */
  @Test
  void afterSqlTransformerAndOneHotEncoderOnSparseVectors() {
    StringBuilder sql = new StringBuilder("SELECT *");
    String[] cats = new String[10];
    String[] hot = new String[10];
    for (int i = 0; i < 10; i++) {
      cats[i] = "c" + i;
      hot[i] = "h" + i;
      sql.append(", CAST(x").append(i).append(" > 0 AS INT) AS c").append(i);
    }
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new SQLTransformer().setStatement(sql + " FROM __THIS__"),
        new OneHotEncoder().setInputCols(cats).setOutputCols(hot).setDropLast(false),
        new VectorAssembler().setInputCols(hot).setOutputCol("features"),
        new BpMlpClassifier().setHiddenLayers(8).setMaxIter(2)});
    PipelineModel model = fitSaveAndReload(pipeline, "onehot");
    assertInstanceOf(SparseVector.class, model.transform(columns).select("features").head()
        .get(0), "the features are expected to be sparse");
    assertArrayEquals(new int[] {20, 8, 1}, last(model).spec().layers(),
        "ten one-hot columns of two slots each");
  }

  /** A SQLTransformer that computes the features vector itself drops every metadata. */
  @Test
  void afterSqlTransformerBuildingTheVector() {
    PipelineModel model = fitSaveAndReload(new Pipeline().setStages(new PipelineStage[] {
        assembler("v"), new SQLTransformer().setStatement("SELECT v AS features, label FROM "
            + "__THIS__"), new BpMlpClassifier().setHiddenLayers(4).setMaxIter(1)}), "sql");
    assertArrayEquals(new int[] {10, 4, 1}, last(model).spec().layers());
  }

  @Test
  void crossEntropyTakesTheClassesFromLabelMetadataOrTheData() {
    Dataset<Row> three = Fixtures.threeClass(spark(), 300, 4);
    BpMlpClassifier fromData = new BpMlpClassifier().setHiddenLayers(8).setMaxIter(1);
    assertArrayEquals(new int[] {6, 8, 3}, fromData.fit(three).spec().layers(),
        "auto with three classes in the data: softmax over 3 outputs");
    Dataset<Row> named = three.withColumn("name", functions.concat(functions.lit("class "),
        functions.col("label").cast("string")));
    PipelineModel indexed = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("name").setOutputCol("indexed"),
        new BpMlpClassifier().setHiddenLayers(8).setLoss("cross_entropy").setLabelCol("indexed")
            .setMaxIter(1)}).fit(named);
    assertArrayEquals(new int[] {6, 8, 3}, last(indexed).spec().layers());
    assertArrayEquals(new int[] {10, 8, 2}, new BpMlpClassifier().setHiddenLayers(8)
        .setLoss("cross_entropy").setMaxIter(1).fit(Fixtures.parity(spark(), 200, 2)).spec()
        .layers(), "cross_entropy keeps one output per class also for two classes");
  }

  @Test
  void layersAndHiddenLayersMustAgree() {
    Dataset<Row> parity = Fixtures.parity(spark(), 200, 2);
    assertArrayEquals(new int[] {10, 6, 1}, new BpMlpClassifier().setHiddenLayers(6)
        .setLayers(new int[] {10, 6, 1}).setMaxIter(1).fit(parity).spec().layers());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenLayers(6, 6).setLayers(new int[] {10, 6, 1})
            .fit(parity));
    assertTrue(e.getMessage().contains("hiddenLayers [6, 6]")
        && e.getMessage().contains("layers [10, 6, 1]"), e.getMessage());
  }

  @Test
  void aSizeDisagreeingWithLayersNamesBoth() {
    // Declared in the metadata (the generator writes it): refused before any job.
    Dataset<Row> parity = Fixtures.parity(spark(), 200, 2);
    IllegalArgumentException declared = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setLayers(new int[] {12, 4, 1}).fit(parity));
    assertTrue(declared.getMessage().contains("size 10")
        && declared.getMessage().contains("layers[0] = 12"), declared.getMessage());
    // Not declared (VectorAssembler in a Pipeline): refused by the packing pass, naming both.
    RuntimeException fromData = assertThrows(RuntimeException.class, () -> new Pipeline()
        .setStages(new PipelineStage[] {assembler("features"),
            new BpMlpClassifier().setLayers(new int[] {12, 4, 1})}).fit(columns));
    assertTrue(fromData.getMessage().contains("size 10")
        && fromData.getMessage().contains("layers[0] = 12"), fromData.getMessage());
  }

  /** The sizes are read before packing; a bad row met there still fails in plain words. */
  @Test
  void aNullValidationIndicatorIsReportedWhenTheSizesComeFromTheData() {
    Dataset<Row> rows = Fixtures.threeClass(spark(), 100, 3).withColumn("isVal",
        functions.when(functions.rand(1).lt(0.5), functions.lit(true)));
    RuntimeException e = assertThrows(RuntimeException.class, () -> new BpMlpClassifier()
        .setHiddenLayers(4).setValidationIndicatorCol("isVal").setMaxIter(1).fit(rows));
    assertInstanceOf(org.sparkdfa.train.InvalidInputException.class, e);
    assertTrue(e.getMessage().contains("is null in a row"), e.getMessage());
  }

  @Test
  void neitherLayersNorHiddenLayersSaysHowToSetThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().fit(Fixtures.parity(spark(), 100, 1)));
    assertTrue(e.getMessage().contains("setHiddenLayers"), e.getMessage());
  }

  @Test
  void paramGridOverHiddenLayers() {
    BpMlpClassifier bp = new BpMlpClassifier().setMaxIter(2);
    ParamMap[] grid = new ParamGridBuilder().addGrid(bp.hiddenLayers(),
        scala.jdk.javaapi.CollectionConverters.asScala(List.of(new int[] {2}, new int[] {16, 8})))
        .build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(new Pipeline().setStages(
        new PipelineStage[] {assembler("features"), bp})).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator()).setNumFolds(2).setSeed(3)
        .fit(columns);
    assertEquals(2, cv.avgMetrics().length);
    MlpClassificationModel best = last((PipelineModel) cv.bestModel());
    assertTrue(best.spec().numHidden() == 1 || best.spec().numHidden() == 2);
  }

  @Test
  void hiddenActivationsPerLayerArePersistedAndChecked() throws Exception {
    Dataset<Row> parity = Fixtures.parity(spark(), 200, 2);
    BpMlpClassifier est = new BpMlpClassifier().setHiddenLayers(8, 4)
        .setHiddenActivations("tanh", "relu").setMaxIter(1);
    est.write().save(tmp.resolve("est").toString());
    assertArrayEquals(new String[] {"tanh", "relu"},
        BpMlpClassifier.load(tmp.resolve("est").toString()).getHiddenActivations());
    MlpClassificationModel model = est.fit(parity);
    assertEquals("tanh", model.spec().hiddenActivation(0).paramName());
    assertEquals("relu", model.spec().hiddenActivation(1).paramName());
    model.write().save(tmp.resolve("model").toString());
    MlpClassificationModel back = MlpClassificationModel.load(tmp.resolve("model").toString());
    assertEquals("tanh", back.spec().hiddenActivation(0).paramName());
    assertArrayEquals(new String[] {"tanh", "relu"}, back.getHiddenActivations());

    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenLayers(8, 4).setHiddenActivations("tanh")
            .fit(parity));
    assertTrue(count.getMessage().contains("hiddenActivations has 1 name"), count.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenLayers(8).setHiddenActivations("tanh")
            .setHiddenActivation("relu").fit(parity));
    assertTrue(both.getMessage().contains("conflicts"), both.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenActivations("tanh", "swish"));
    assertThrows(IllegalArgumentException.class,
        () -> new GatedLinearClassifier().setHiddenLayers(8).fit(parity));
  }
}
