package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.train.StopReason;

/** Long runs survive interruptions: checkpoints resume bit-identically; divergence stops cleanly. */
class CheckpointResumeTest extends SparkTestBase {

  @TempDir
  Path tmp;

  private static DfaMlpClassifier estimator(String optimizer) {
    return new DfaMlpClassifier().setLayers(new int[] {10, 16, 8, 1}).setOptimizer(optimizer)
        .setStepSize(0.01).setBatchSize(128).setSeed(21).setEarlyStoppingPatience(0);
  }

  @Test
  void resumedTrainingEndsWithBitIdenticalWeights() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 1000, 3).cache();
    for (String optimizer : new String[] {"adam", "nesterov", "adadelta"}) {
      double[] uninterrupted = estimator(optimizer).setMaxIter(6).fit(data).weights().toArray();

      String dir = tmp.resolve("ck-" + optimizer).toString();
      // "Crash" after epoch 3: the first run simply ends there, leaving its checkpoint.
      MlpClassificationModel first = estimator(optimizer).setMaxIter(3).setCheckpointDir(dir)
          .fit(data);
      assertEquals(3, first.summary().totalEpochs());
      MlpClassificationModel resumed = estimator(optimizer).setMaxIter(6).setCheckpointDir(dir)
          .fit(data);
      assertArrayEquals(uninterrupted, resumed.weights().toArray(), 0.0, optimizer);
      assertEquals(6, resumed.summary().totalEpochs(), "history carries over");
      try (Stream<Path> files = Files.walk(Path.of(dir))) {
        assertEquals(List.of("checkpoint-000006.bin"), files.filter(Files::isRegularFile)
            .map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).toList(),
            "one checkpoint kept (in the fit's sub-folder), no temp files");
      }
    }
  }

  @Test
  void float32MasterWeightsResumeBitIdenticallyAndTheOtherUpdatePrecisionIsAnotherFit()
      throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 1000, 3).cache();
    for (String optimizer : new String[] {"adam", "momentum"}) {
      double[] uninterrupted = estimator(optimizer).setPrecision("float32").setMaxIter(4)
          .fit(data).weights().toArray();
      String dir = tmp.resolve("ck32-" + optimizer).toString();
      estimator(optimizer).setPrecision("float32").setMaxIter(2).setCheckpointDir(dir)
          .fit(data);
      MlpClassificationModel resumed = estimator(optimizer).setPrecision("float32")
          .setMaxIter(4).setCheckpointDir(dir).fit(data);
      assertArrayEquals(uninterrupted, resumed.weights().toArray(), 0.0, optimizer);
      assertEquals(4, resumed.summary().totalEpochs(), "history carries over");

      // The same fit with float64 master weights: its own sub-folder, trained from scratch.
      MlpClassificationModel wide = estimator(optimizer).setPrecision("float32")
          .setUpdatePrecision("float64").setMaxIter(3).setCheckpointDir(dir).fit(data);
      assertEquals(3, wide.summary().totalEpochs());
      double[] fresh = estimator(optimizer).setPrecision("float32")
          .setUpdatePrecision("float64").setMaxIter(3).fit(data).weights().toArray();
      assertArrayEquals(fresh, wide.weights().toArray(), 0.0);
      try (Stream<Path> folders = Files.list(Path.of(dir))) {
        assertEquals(2, folders.count(), "one sub-folder per update precision");
      }
    }
  }

  @Test
  void otherSetupsTrainAfreshAndCorruptCheckpointsAreRefusedClearly() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 600, 2).cache();
    String dir = tmp.resolve("ck").toString();
    estimator("adam").setMaxIter(1).setCheckpointDir(dir).fit(data);
    Path file;
    try (Stream<Path> files = Files.walk(Path.of(dir))) {
      file = files.filter(p -> p.getFileName().toString().endsWith(".bin")).findFirst()
          .orElseThrow();
    }

    // Another setup in the same checkpointDir gets its own sub-folder and trains from scratch.
    MlpClassificationModel other = estimator("adam").setLayers(new int[] {10, 32, 1})
        .setMaxIter(2).setCheckpointDir(dir).fit(data);
    assertEquals(2, other.summary().totalEpochs());
    assertArrayEquals(estimator("adam").setLayers(new int[] {10, 32, 1}).setMaxIter(2).fit(data)
        .weights().toArray(), other.weights().toArray(), 0.0);
    try (Stream<Path> folders = Files.list(Path.of(dir))) {
      assertEquals(2, folders.count(), "one sub-folder per setup");
    }

    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    IllegalStateException corrupt = assertThrows(IllegalStateException.class,
        () -> estimator("adam").setMaxIter(2).setCheckpointDir(dir).fit(data));
    assertTrue(corrupt.getMessage().contains("corrupt or truncated")
        && corrupt.getMessage().contains("delete"), corrupt.getMessage());
  }

  @Test
  void divergenceStopsAtOnceAndKeepsTheLastGoodWeights() {
    Dataset<Row> data = Fixtures.parity(spark(), 600, 2);
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setLoss("mse").setOptimizer("sgd").setStepSize(1e6).setBatchSize(100).setMaxIter(5)
        .setSeed(3).fit(data);
    MlpTrainingSummary s = model.summary();
    assertEquals(StopReason.DIVERGED, s.stopReason());
    assertTrue(s.stopDetail().contains("epoch 1") && s.stopDetail().contains("step ")
        && s.stopDetail().contains("smaller stepSize"), s.stopDetail());
    for (double w : model.weights().toArray()) assertTrue(Double.isFinite(w));
  }
}
