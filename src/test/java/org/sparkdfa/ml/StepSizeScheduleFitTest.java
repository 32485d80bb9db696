package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/** Step-size schedules in a fit: they change the run, and a resumed run continues on them. */
class StepSizeScheduleFitTest extends SparkTestBase {

  @TempDir
  Path tmp;

  private static DfaMlpClassifier estimator(String optimizer, String schedule) {
    DfaMlpClassifier est = new DfaMlpClassifier().setHiddenLayers(16, 8).setOptimizer(optimizer)
        .setStepSize(0.01).setStepSizeSchedule(schedule).setWarmupSteps(5).setMaxIter(6)
        .setEarlyStoppingPatience(0).setSeed(9);
    return "cosine".equals(schedule) ? est.setMinStepSize(0.0005) : est.setDecayRate(0.7);
  }

  /** A run that "crashes" after epoch 4 (its checkpoint is epoch 3's) resumes bit for bit. */
  @Test
  void aRunResumedMidScheduleEndsWithBitIdenticalWeights() {
    Dataset<Row> data = Fixtures.parity(spark(), 800, 2).cache();
    for (String[] setup : new String[][] {{"adam", "cosine"}, {"momentum", "exponential"}}) {
      double[] uninterrupted = estimator(setup[0], setup[1]).fit(data).weights().toArray();
      String dir = tmp.resolve("ck-" + setup[1]).toString();
      DfaMlpClassifier crashing = estimator(setup[0], setup[1]).setCheckpointDir(dir);
      crashing.addEpochListener((epoch, params) -> {
        if (epoch == 4) throw new IllegalStateException("simulated crash in epoch 4");
        return java.util.Map.of();
      });
      assertThrows(RuntimeException.class, () -> crashing.fit(data));
      assertEquals(java.util.List.of("checkpoint-000003.bin"), checkpoints(dir),
          "the crash left epoch 3's checkpoint");
      MlpClassificationModel resumed = estimator(setup[0], setup[1]).setCheckpointDir(dir)
          .fit(data);
      assertEquals(java.util.List.of("checkpoint-000006.bin"), checkpoints(dir),
          "the same fit's folder (same fingerprint: it resumed) now ends at epoch 6");
      assertArrayEquals(uninterrupted, resumed.weights().toArray(), 0.0, setup[1]);
      assertEquals(6, resumed.summary().totalIterations());
    }
  }

  /** The checkpoint files under {@code dir}, which must hold exactly one fit's folder. */
  private static java.util.List<String> checkpoints(String dir) {
    try (java.util.stream.Stream<Path> folders = java.nio.file.Files.list(Path.of(dir));
        java.util.stream.Stream<Path> files = java.nio.file.Files.walk(Path.of(dir))) {
      assertEquals(1, folders.count(), "one fit folder");
      return files.filter(java.nio.file.Files::isRegularFile).map(f -> f.getFileName()
          .toString()).filter(n -> n.endsWith(".bin")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theScheduleChangesTheRunAndIsSavedWithTheEstimator() throws Exception {
    Dataset<Row> data = Fixtures.parity(spark(), 400, 2).cache();
    double[] constant = new BpMlpClassifier().setHiddenLayers(8).setMaxIter(2).fit(data)
        .weights().toArray();
    BpMlpClassifier cosine = new BpMlpClassifier().setHiddenLayers(8).setMaxIter(2)
        .setStepSizeSchedule("cosine").setWarmupSteps(3);
    assertFalse(java.util.Arrays.equals(constant, cosine.fit(data).weights().toArray()));
    cosine.write().save(tmp.resolve("est").toString());
    BpMlpClassifier back = BpMlpClassifier.load(tmp.resolve("est").toString());
    assertEquals("cosine", back.getStepSizeSchedule());
    assertEquals(3, back.getWarmupSteps());
  }

  @Test
  void settingsThatWouldDoNothingAreRefused() {
    Dataset<Row> data = Fixtures.parity(spark(), 100, 1);
    IllegalArgumentException decay = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenLayers(4).setDecayRate(0.5).fit(data));
    assertTrue(decay.getMessage().contains("decayRate") && decay.getMessage().contains(
        "exponential"), decay.getMessage());
    IllegalArgumentException min = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenLayers(4).setStepSizeSchedule("cosine")
            .setMinStepSize(0.5).fit(data));
    assertTrue(min.getMessage().contains("minStepSize = 0.5"), min.getMessage());
    IllegalArgumentException lbfgs = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setHiddenLayers(4).setOptimizer("lbfgs")
            .setStepSizeSchedule("cosine").fit(data));
    assertTrue(lbfgs.getMessage().contains("lbfgs"), lbfgs.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setStepSizeSchedule("linear"));
  }
}
