package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.train.StepRunners;
import org.sparkdfa.train.local.LocalExchange;

/**
 * Local SGD (localSteps H > 1): each partition runs H mini-batch steps on its own, then the
 * driver averages the weight deltas and applies the outer optimizer. H = 1 is today's training
 * bit for bit; H > 1 is deterministic, the same on every way steps run, resumes from
 * checkpoints, and refuses settings it cannot honour by name.
 */
class LocalStepsTest extends SparkTestBase {

  @TempDir
  Path tmp;

  private static DfaMlpClassifier dfa() {
    return new DfaMlpClassifier().setLayers(new int[] {10, 16, 8, 1}).setStepSize(0.02)
        .setBatchSize(64).setMaxIter(3).setSeed(13).setEarlyStoppingPatience(0);
  }

  private static double[] fit(NeuralClassifierBase<?> estimator, Dataset<Row> data,
      Map<String, String> properties) {
    SparkContext sc = spark().sparkContext();
    properties.forEach(sc::setLocalProperty);
    try {
      return estimator.fit(data).weights().toArray();
    } finally {
      properties.keySet().forEach(k -> sc.setLocalProperty(k, null));
    }
  }

  @Test
  void oneLocalStepIsSynchronousTrainingBitForBit() {
    Dataset<Row> data = Fixtures.parity(spark(), 800, 2).cache();
    assertArrayEquals(dfa().fit(data).weights().toArray(),
        dfa().setLocalSteps(1).setOuterOptimizer("nesterov").fit(data).weights().toArray(), 0.0);
    data.unpersist();
  }

  @Test
  void onOnePartitionAveragingRoundsIsSequentialSgd() {
    // One partition: its local steps are the trainer's own steps, and averaging one delta with
    // outerStepSize 1 moves to the partition's weights (up to rounding of w·Δ/w).
    Dataset<Row> data = Fixtures.parity(spark(), 600, 1).cache();
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {10, 16, 1}).setOptimizer("sgd")
        .setStepSize(0.05).setBatchSize(32).setMaxIter(2).setSeed(5).setEarlyStoppingPatience(0);
    double[] sequential = bp.fit(data).weights().toArray();
    MlpClassificationModel local = bp.copy(new org.apache.spark.ml.param.ParamMap())
        .setLocalSteps(4).fit(data);
    double[] rounds = local.weights().toArray();
    for (int i = 0; i < sequential.length; i++) {
      assertEquals(sequential[i], rounds[i], 1e-12 * (1 + Math.abs(sequential[i])), "weight " + i);
    }
    // 600 rows at batch 32: 19 steps per epoch, in rounds of 4: 5 outer steps per epoch.
    assertEquals(10, local.summary().history().totalSteps(), "outer steps");
    data.unpersist();
  }

  @Test
  void onOnePartitionFloat32RoundsAreSequentialFloat32Sgd() {
    // The same with float32 master weights: the partition's inner weights are float32 as the
    // driver's are, so averaged rounds follow the float32 fit up to the rounding of w·Δ/w in
    // float32 (a rule without slots: a fresh inner optimizer per round changes nothing).
    Dataset<Row> data = Fixtures.parity(spark(), 600, 1).cache();
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setOptimizer("sgd").setStepSize(0.05).setBatchSize(32).setMaxIter(2).setSeed(5)
        .setEarlyStoppingPatience(0).setPrecision("float32");
    double[] sequential = bp.fit(data).weights().toArray();
    double[] rounds = bp.copy(new org.apache.spark.ml.param.ParamMap()).setLocalSteps(4)
        .setOuterOptimizer("average").setOuterStepSize(1.0).fit(data).weights().toArray();
    for (int i = 0; i < sequential.length; i++) {
      assertEquals(sequential[i], rounds[i], 2e-5 * (1 + Math.abs(sequential[i])), "weight " + i);
    }
    data.unpersist();
  }

  @Test
  void roundsAreDeterministicTheSameOnEveryRunnerAndLearn() {
    Dataset<Row> data = Fixtures.parity(spark(), 1200, 2).cache();
    DfaMlpClassifier local = dfa().setLocalSteps(4).setOuterOptimizer("nesterov")
        .setOuterStepSize(0.7).setOuterMomentum(0.9).setMaxIter(12);
    double[] epochJobs = fit(local, data, Map.of());
    assertArrayEquals(epochJobs, fit(local, data, Map.of()), 0.0, "same seed, same weights");
    assertArrayEquals(epochJobs, fit(local, data, Map.of(StepRunners.EPOCH_JOBS_KEY, "false")),
        0.0, "one job per round, run ahead");
    assertArrayEquals(epochJobs, fit(local, data, Map.of(LocalExchange.CONF_KEY, "false")), 0.0,
        "as bytes (the cluster path)");
    assertFalse(Arrays.equals(epochJobs, fit(dfa().setMaxIter(12), data, Map.of())),
        "local steps change the trajectory");
    double acc = Fixtures.accuracy(local.fit(data), Fixtures.parityTest(spark(), 500));
    assertTrue(acc > 0.9, "local SGD learns 2-parity over 10 bits: accuracy " + acc);
    data.unpersist();
  }

  @Test
  void roundsWithFloat32MasterWeightsAreTheSameOnEveryRunnerAndLearn() {
    Dataset<Row> data = Fixtures.parity(spark(), 1200, 2).cache();
    DfaMlpClassifier local = dfa().setLocalSteps(4).setOuterOptimizer("nesterov")
        .setOuterStepSize(0.7).setOuterMomentum(0.9).setMaxIter(12).setPrecision("float32");
    double[] epochJobs = fit(local, data, Map.of());
    assertArrayEquals(epochJobs, fit(local, data, Map.of(StepRunners.EPOCH_JOBS_KEY, "false")),
        0.0, "one job per round, run ahead");
    assertArrayEquals(epochJobs, fit(local, data, Map.of(LocalExchange.CONF_KEY, "false")), 0.0,
        "as bytes (the cluster path)");
    for (double w : epochJobs) assertEquals(w, (double) (float) w, 0.0, "float32 master");
    assertFalse(Arrays.equals(epochJobs, fit(local.copy(new org.apache.spark.ml.param.ParamMap())
        .setUpdatePrecision("float64"), data, Map.of())), "the update precision is in effect");
    double acc = Fixtures.accuracy(local.fit(data), Fixtures.parityTest(spark(), 500));
    assertTrue(acc > 0.9, "float32 local SGD learns 2-parity over 10 bits: accuracy " + acc);
    data.unpersist();
  }

  @Test
  void roundsResumeFromACheckpointBitIdentically() {
    Dataset<Row> data = Fixtures.parity(spark(), 800, 2).cache();
    DfaMlpClassifier local = dfa().setLocalSteps(3).setOuterOptimizer("nesterov");
    double[] uninterrupted = local.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(4)
        .fit(data).weights().toArray();
    String dir = tmp.resolve("ck").toString();
    local.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(2).setCheckpointDir(dir)
        .fit(data);
    double[] resumed = local.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(4)
        .setCheckpointDir(dir).fit(data).weights().toArray();
    assertArrayEquals(uninterrupted, resumed, 0.0);
    data.unpersist();
  }

  @Test
  void settingsLocalStepsCannotHonourAreRefusedByName() {
    Dataset<Row> data = Fixtures.parity(spark(), 200, 2);
    assertThrows(IllegalArgumentException.class, () -> dfa().setLocalSteps(0));
    IllegalArgumentException outer = assertThrows(IllegalArgumentException.class,
        () -> dfa().setOuterOptimizer("adam"));
    assertTrue(outer.getMessage().contains("outerOptimizer"), outer.getMessage());
    IllegalArgumentException lbfgs = assertThrows(IllegalArgumentException.class,
        () -> dfa().setLocalSteps(4).setOptimizer("lbfgs").fit(data));
    assertTrue(lbfgs.getMessage().contains("localSteps") && lbfgs.getMessage().contains("lbfgs"),
        lbfgs.getMessage());
    IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
        () -> dfa().setLocalSteps(4).setStepSizeSchedule("cosine").fit(data));
    assertTrue(schedule.getMessage().contains("stepSizeSchedule"), schedule.getMessage());
  }
}
