package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkdfa.SparkTestBase;

/**
 * Every kind of bad input gets one sentence naming the column or param, the bad value and the fix
 * — parameter problems before any Spark job, data problems in the packing pass (the first and only
 * pass over the data) — and nothing is written.
 */
class BadInputTest extends SparkTestBase {

  private static final AtomicInteger JOBS = new AtomicInteger();

  @TempDir
  static Path tmp;

  @BeforeAll
  static void countJobs() {
    spark().sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        JOBS.incrementAndGet();
      }
    });
  }

  private static final StructType SCHEMA = new StructType()
      .add("features", new VectorUDT(), true)
      .add("label", DataTypes.DoubleType, true)
      .add("w", DataTypes.DoubleType, true);

  /** Three good rows of 3 features plus the given rows. */
  private static Dataset<Row> rows(Row... extra) {
    List<Row> rows = new ArrayList<>(List.of(
        RowFactory.create(Vectors.dense(1, 0, 1), 1.0, 1.0),
        RowFactory.create(Vectors.dense(0, 1, 0), 0.0, 1.0),
        RowFactory.create(Vectors.dense(1, 1, 0), 1.0, 2.0)));
    rows.addAll(Arrays.asList(extra));
    return spark().createDataFrame(rows, SCHEMA).repartition(1);
  }

  private static BpMlpClassifier bp() {
    return new BpMlpClassifier().setLayers(new int[] {3, 4, 1}).setMaxIter(2).setBatchSize(2)
        .setCheckpointDir(tmp.resolve("never-written").toString());
  }

  static Stream<Arguments> badData() {
    return Stream.of(
        Arguments.of("NaN feature", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, Double.NaN, 0), 1.0, 1.0)), bp(),
            new String[] {"'features'", "NaN", "impute"}),
        Arguments.of("infinite feature", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, Double.POSITIVE_INFINITY, 0), 1.0, 1.0)), bp(),
            new String[] {"'features'", "Infinity", "finite"}),
        Arguments.of("vector size differs from layers[0]", (Supplier<Dataset<Row>>) () ->
            rows(RowFactory.create(Vectors.dense(1, 0, 1, 1), 1.0, 1.0)), bp(),
            new String[] {"'features'", "size 4", "layers[0] = 3"}),
        Arguments.of("mixed sizes", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, 0), 1.0, 1.0),
            RowFactory.create(Vectors.dense(1, 0, 1), 0.0, 1.0)), bp(),
            new String[] {"'features'", "size 2", "layers[0] = 3"}),
        Arguments.of("label outside bce's 0/1", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, 0, 1), 2.0, 1.0)), bp(),
            new String[] {"'label'", "2.0", "0..1", "StringIndexer"}),
        Arguments.of("label outside cross_entropy's classes", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, 0, 1), 3.0, 1.0)),
            bp().setLayers(new int[] {3, 4, 3}),
            new String[] {"'label'", "3.0", "0..2"}),
        Arguments.of("non-integer class label", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, 0, 1), 0.5, 1.0)), bp(),
            new String[] {"'label'", "0.5", "integer"}),
        Arguments.of("null features", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(null, 1.0, 1.0)), bp(),
            new String[] {"'features'", "null", "drop"}),
        Arguments.of("null label", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, 0, 1), null, 1.0)), bp(),
            new String[] {"'label'", "null"}),
        Arguments.of("negative weight", (Supplier<Dataset<Row>>) () -> rows(
            RowFactory.create(Vectors.dense(1, 0, 1), 1.0, -1.0)), bp().setWeightCol("w"),
            new String[] {"'w'", "-1.0", ">= 0"}),
        Arguments.of("empty training set", (Supplier<Dataset<Row>>) () -> rows().limit(0), bp(),
            new String[] {"empty", "'features'"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badData")
  void badDataIsNamedAndNothingIsWritten(String what, Supplier<Dataset<Row>> data,
      BpMlpClassifier estimator, String[] mustMention) {
    Dataset<Row> df = data.get();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> estimator.fit(df), what);
    for (String s : mustMention) {
      assertTrue(e.getMessage().contains(s), what + ": '" + s + "' missing from: "
          + e.getMessage());
    }
    assertFalse(Files.exists(tmp.resolve("never-written")), "nothing may be written");
  }

  static Stream<Arguments> badParams() {
    Dataset<Row>[] holder = new Dataset[1];
    return Stream.of(
        Arguments.of("layers with one entry", (Runnable) () -> bp().setLayers(new int[] {3}),
            new String[] {"layers", "[3]", "at least 2"}),
        Arguments.of("non-positive layer size", (Runnable) () ->
            bp().setLayers(new int[] {3, 0, 1}), new String[] {"layers", "[3, 0, 1]", "positive"}),
        Arguments.of("bce with 3 outputs", (Runnable) () ->
            bp().setLayers(new int[] {3, 4, 3}).setLoss("bce").fit(rows()),
            new String[] {"bce", "1 output", "3"}),
        Arguments.of("cross_entropy with 1 output", (Runnable) () ->
            bp().setLoss("cross_entropy").fit(rows()),
            new String[] {"cross_entropy", "at least 2", "bce"}),
        Arguments.of("stepSize 0", (Runnable) () -> bp().setStepSize(0),
            new String[] {"stepSize", "0.0", "> 0"}),
        Arguments.of("batchSize -5", (Runnable) () -> bp().setBatchSize(-5),
            new String[] {"batchSize", "-5", "> 0"}),
        Arguments.of("maxIter -1", (Runnable) () -> bp().setMaxIter(-1),
            new String[] {"maxIter", "-1", ">= 0"}),
        Arguments.of("unknown activation", (Runnable) () -> bp().setHiddenActivation("gelu"),
            new String[] {"hiddenActivation", "gelu", "relu"}),
        Arguments.of("unknown loss", (Runnable) () -> bp().setLoss("focal"),
            new String[] {"loss", "focal", "cross_entropy"}),
        Arguments.of("unknown optimizer", (Runnable) () -> bp().setOptimizer("adamw"),
            new String[] {"optimizer", "adamw", "adam"}),
        Arguments.of("layers unset", (Runnable) () -> new BpMlpClassifier().fit(rows()),
            new String[] {"layers", "not set", "setLayers"}),
        Arguments.of("missing column", (Runnable) () -> bp().setFeaturesCol("pixels").fit(rows()),
            new String[] {"'pixels'", "does not exist", "features"}),
        Arguments.of("initialWeights of another shape", (Runnable) () ->
            bp().setInitialWeights(Vectors.dense(1, 2)).fit(rows()),
            new String[] {"initialWeights", "2 values", "21"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badParams")
  void badParamsFailBeforeAnySparkJob(String what, Runnable action, String[] mustMention) {
    rows(); // building the DataFrame runs no job; make the session exist first
    int before = JOBS.get();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run, what);
    for (String s : mustMention) {
      assertTrue(e.getMessage().contains(s), what + ": '" + s + "' missing from: "
          + e.getMessage());
    }
    assertEquals(before, JOBS.get(), what + ": no Spark job may run before the error");
    assertFalse(Files.exists(tmp.resolve("never-written")));
  }

  @Test
  void modelFoldersThatAreMissingTruncatedOrForeignAreNamed() throws Exception {
    Path missing = tmp.resolve("no-such-model");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MlpClassificationModel.load(missing.toString()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

    MlpClassificationModel model = bp().setCheckpointDir(tmp.resolve("ck").toString())
        .fit(rows());
    Path truncated = tmp.resolve("truncated");
    model.write().save(truncated.toString());
    try (Stream<Path> files = Files.walk(truncated.resolve("data"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    e = assertThrows(IllegalArgumentException.class,
        () -> MlpClassificationModel.load(truncated.toString()));
    assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("save"),
        e.getMessage());

    Path estimatorFolder = tmp.resolve("an-estimator");
    bp().write().save(estimatorFolder.toString());
    e = assertThrows(IllegalArgumentException.class,
        () -> MlpClassificationModel.load(estimatorFolder.toString()));
    assertTrue(e.getMessage().contains("BpMlpClassifier"), e.getMessage());
  }
}
