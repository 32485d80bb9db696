package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/**
 * Everyday situations that used to lose a saved model, silently return stale weights or fail
 * late or with the wrong words: each now ends in correct work or a clear error before any work.
 */
class NothingLostTest extends SparkTestBase {
  private static final AtomicInteger JOBS = new AtomicInteger();

  @TempDir
  Path tmp;

  @BeforeAll
  static void countJobs() {
    spark().sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        JOBS.incrementAndGet();
      }
    });
  }

  private static int jobsSoFar() {
    try {
      spark().sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
    return JOBS.get();
  }

  private static BpMlpClassifier bp(long seed) {
    return new BpMlpClassifier().setLayers(new int[] {10, 8, 1}).setStepSize(0.01)
        .setBatchSize(100).setMaxIter(2).setSeed(seed);
  }

  /** Runs {@code save} while Parquet is asked for a codec this JVM does not have (lzo). */
  private static void withUnavailableCodec(Runnable save) {
    String key = "spark.sql.parquet.compression.codec";
    String before = spark().conf().get(key);
    spark().conf().set(key, "lzo");
    try {
      save.run();
    } finally {
      spark().conf().set(key, before);
    }
  }

  // 1 ---------------------------------------------------------------------------------------
  @Test
  void aFailedOverwriteLeavesThePreviousModelLoadable() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 300, 2).cache();
    MlpClassificationModel saved = bp(1).fit(data);
    MlpClassificationModel other = bp(2).fit(data);
    String dir = tmp.resolve("model").toString();
    saved.write().save(dir);

    assertThrows(Exception.class, () -> withUnavailableCodec(() -> {
      try {
        other.write().overwrite().save(dir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }));
    assertArrayEquals(saved.weights().toArray(), MlpClassificationModel.load(dir).weights()
        .toArray(), 0.0, "the previous model must survive a failed overwrite");
    // A bad writer option fails the same way, and a good overwrite still replaces the folder.
    assertThrows(Exception.class,
        () -> other.write().overwrite().option("compression", "no-such-codec").save(dir));
    assertArrayEquals(saved.weights().toArray(), MlpClassificationModel.load(dir).weights()
        .toArray(), 0.0);
    other.write().overwrite().save(dir);
    assertArrayEquals(other.weights().toArray(), MlpClassificationModel.load(dir).weights()
        .toArray(), 0.0);
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of("model"), left.map(p -> p.getFileName().toString()).toList(),
          "no temporary or moved-aside folder stays behind");
    }

    // A PipelineModel through AtomicDirectory.overwrite: Spark's own PipelineModel writer deletes
    // the folder before writing any stage, which no stage can prevent.
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {bp(1)}).fit(data);
    PipelineModel newer = new Pipeline().setStages(new PipelineStage[] {bp(2)}).fit(data);
    String pdir = tmp.resolve("pipeline").toString();
    pipeline.write().save(pdir);
    assertThrows(Exception.class, () -> withUnavailableCodec(
        () -> AtomicDirectory.overwrite(newer, pdir)));
    MlpClassificationModel stage = (MlpClassificationModel) PipelineModel.load(pdir).stages()[0];
    assertArrayEquals(saved.weights().toArray(), stage.weights().toArray(), 0.0);
  }

  // 2 ---------------------------------------------------------------------------------------
  @Test
  void aRerunOnCorrectedDataTrainsAfreshInsteadOfReturningTheOldWeights() throws Exception {
    Dataset<Row> first = Fixtures.parity(spark(), 400, 2).cache();
    // The same rows and partitioning, ten labels corrected.
    Dataset<Row> corrected = first.withColumn("label", functions.when(functions.col("id")
        .lt(10), functions.lit(1.0).minus(functions.col("label"))).otherwise(
            functions.col("label"))).cache();
    String dir = tmp.resolve("ck").toString();
    double[] old = bp(5).setCheckpointDir(dir).fit(first).weights().toArray();
    List<Path> before = folders(dir);

    MlpClassificationModel rerun = bp(5).setCheckpointDir(dir).fit(corrected);
    double[] fresh = bp(5).fit(corrected).weights().toArray();
    assertFalse(java.util.Arrays.equals(old, rerun.weights().toArray()),
        "the rerun returned the first run's weights");
    assertArrayEquals(fresh, rerun.weights().toArray(), 0.0);
    assertEquals(2, rerun.summary().totalEpochs());
    // ...and rerunning on the first data still resumes its own checkpoint (nothing to train).
    assertArrayEquals(old, bp(5).setCheckpointDir(dir).fit(first).weights().toArray(), 0.0);

    // A checkpoint of other data found where this fit's belongs (a folder copied by hand) is
    // refused, saying what differs.
    List<Path> after = new java.util.ArrayList<>(folders(dir));
    after.removeAll(before);
    for (String f : new String[] {"checkpoint-000002.bin", ".checkpoint-000002.bin.crc"}) {
      Files.copy(before.get(0).resolve(f), after.get(0).resolve(f),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bp(5).setCheckpointDir(dir).fit(corrected));
    assertTrue(e.getMessage().contains("the training data differs from the checkpoint's (digest"),
        e.getMessage());
  }

  private static List<Path> folders(String dir) throws java.io.IOException {
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  // 5 ---------------------------------------------------------------------------------------
  @Test
  void aCheckpointDirThatCannotBeWrittenIsRefusedBeforeAnyJob() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 200, 2);
    Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
    int before = jobsSoFar();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bp(1).setCheckpointDir(file.resolve("ck").toString()).fit(data));
    assertTrue(e.getMessage().contains("checkpointDir") && e.getMessage().contains("a-file/ck"),
        e.getMessage());
    assertEquals(before, jobsSoFar(), "no Spark job may run before the error");
  }

  // 6 ---------------------------------------------------------------------------------------
  @Test
  void lbfgsRefusesCheckpointsListenersAndValidationByName() {
    Dataset<Row> data = Fixtures.parity(spark(), 200, 2)
        .withColumn("isVal", functions.col("id").lt(40));
    int before = jobsSoFar();
    Map<String, Runnable> cases = Map.of(
        "checkpointDir", () -> bp(1).setOptimizer("lbfgs")
            .setCheckpointDir(tmp.resolve("ck").toString()).fit(data),
        "addEpochListener", () -> bp(1).setOptimizer("lbfgs")
            .addEpochListener((epoch, params) -> Map.of()).fit(data),
        "validationIndicatorCol", () -> bp(1).setOptimizer("lbfgs")
            .setValidationIndicatorCol("isVal").fit(data),
        "earlyStoppingPatience", () -> bp(1).setOptimizer("lbfgs")
            .setEarlyStoppingPatience(3).fit(data));
    cases.forEach((param, fit) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit::run, param);
      assertTrue(e.getMessage().contains("lbfgs") && e.getMessage().contains(param),
          e.getMessage());
    });
    assertEquals(before, jobsSoFar(), "refused before any Spark job");
    assertFalse(Files.exists(tmp.resolve("ck")));
  }

  // 9 ---------------------------------------------------------------------------------------
  @Test
  void crossValidationWithCheckpointsEqualsWithoutAndResumesOnRerun() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 400, 2).cache();
    BpMlpClassifier est = bp(9);
    ParamMap[] grid = new ParamGridBuilder().addGrid(est.stepSize(), new double[] {0.01, 0.05})
        .build();
    CrossValidator cv = new CrossValidator().setEstimatorParamMaps(grid).setNumFolds(2)
        .setParallelism(2).setSeed(4).setEvaluator(new BinaryClassificationEvaluator());
    double[] without = cv.setEstimator(est).fit(data).avgMetrics();

    String dir = tmp.resolve("cv-ck").toString();
    est.setCheckpointDir(dir); // the grid's params belong to est: keep the same instance
    double[] with = cv.fit(data).avgMetrics();
    // The weights are bit-identical; Spark's AUC itself varies in the last bit between runs.
    assertArrayEquals(without, with, 1e-12);
    assertTrue(Math.abs(with[0] - with[1]) > 1e-6, "the grid points were both trained");
    List<Path> fits;
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      fits = s.filter(p -> p.getFileName().toString().startsWith("fit-")).toList();
    }
    assertEquals(5, fits.size(), "2 folds x 2 grid points + the final refit, one folder each");
    // The same job again: every fit finds its folder and resumes (here: nothing left to train).
    double[] rerun = cv.fit(data).avgMetrics();
    assertArrayEquals(without, rerun, 1e-12);
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      assertEquals(5, s.count());
    }
  }

  // Also ------------------------------------------------------------------------------------
  @Test
  void namesAreCaseInsensitiveAsTheValidatorsSay() {
    Dataset<Row> data = Fixtures.parity(spark(), 200, 2).cache();
    double[] lower = bp(3).setOptimizer("lbfgs").setHiddenActivation("relu").setLoss("auto")
        .setPrecision("float64").fit(data).weights().toArray();
    double[] upper = bp(3).setOptimizer("LBFGS").setHiddenActivation("ReLU").setLoss("AUTO")
        .setPrecision("Float64").fit(data).weights().toArray();
    assertArrayEquals(lower, upper, 0.0);
    double[] adam = bp(3).setOptimizer("adam").setWeightInit("glorot_uniform").fit(data)
        .weights().toArray();
    assertArrayEquals(adam, bp(3).setOptimizer("Adam").setWeightInit("GLOROT_UNIFORM")
        .fit(data).weights().toArray(), 0.0);
  }

  @Test
  void loadingAFolderWithTheWrongClassNamesTheClassItHolds() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 200, 2);
    String modelDir = tmp.resolve("model").toString();
    bp(1).setMaxIter(1).fit(data).write().save(modelDir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpMlpClassifier.load(modelDir));
    assertTrue(e.getMessage().contains("holds a " + MlpClassificationModel.class.getName())
        && e.getMessage().contains("MlpClassificationModel.load"), e.getMessage());

    String estimatorDir = tmp.resolve("estimator").toString();
    bp(1).write().save(estimatorDir);
    e = assertThrows(IllegalArgumentException.class, () -> DfaMlpClassifier.load(estimatorDir));
    assertTrue(e.getMessage().contains("BpMlpClassifier.load"), e.getMessage());
    assertEquals(bp(1).getStepSize(), BpMlpClassifier.load(estimatorDir).getStepSize());
  }
}
