package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.ml.DfaMlpClassifier;
import org.sparkdfa.ml.MlpClassificationModel;
import org.sparkdfa.ml.NeuralClassifierBase;
import org.sparkdfa.train.local.LocalExchange;
import org.sparkdfa.train.local.EpochChannel;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.GradientSum;


/**
 * On a local master whose slots hold every partition, an epoch's steps run as one Spark job whose
 * tasks wait for each step's weights. The weights are those of one job per step, bit for bit;
 * a fit that stops early, fails or is cancelled leaves no task, job or parked object behind.
 */
class EpochJobTest extends SparkTestBase {

  private static final SparseParity PARITY =
      SparseParity.builder().n(10).k(2).distribution("uniform").seed(5).build();

  /** The weights of a fit and the Spark jobs it started. */
  private record Fit(double[] weights, int jobs) {}

  /** Waits until the listeners have seen every event so far (job starts and ends). */
  private static void drain(SparkContext sc) {
    try {
      sc.listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Fit fit(NeuralClassifierBase<?> estimator, Dataset<Row> data,
      Map<String, String> properties) {
    SparkContext sc = spark().sparkContext();
    AtomicInteger jobs = new AtomicInteger();
    SparkListener counter = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    drain(sc);
    sc.addSparkListener(counter);
    properties.forEach(sc::setLocalProperty);
    int ownersBefore = LocalExchange.openOwners();
    try {
      double[] w = estimator.fit(data).weights().toArray();
      assertEquals(0, LocalExchange.size(), "parked objects outlived the fit");
      assertEquals(ownersBefore, LocalExchange.openOwners(), "an epoch's channel was not released");
      drain(sc);
      return new Fit(w, jobs.get());
    } finally {
      properties.keySet().forEach(k -> sc.setLocalProperty(k, null));
      sc.removeSparkListener(counter);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"float64", "float32"})
  void oneJobPerEpochGivesTheWeightsOfOneJobPerStep(String precision) {
    // Two partitions on local[2]: both fit in the slots, so the default runs one job per epoch.
    Dataset<Row> data = PARITY.generate(spark(), 1200, 2).cache();
    data.count();
    DfaMlpClassifier dfa = new DfaMlpClassifier().setLayers(new int[] {10, 16, 8, 1})
        .setStepSize(0.02).setBatchSize(100).setMaxIter(2).setSeed(7).setPrecision(precision);
    Fit perEpoch = fit(dfa, data, Map.of());
    Fit perStepAhead = fit(dfa, data, Map.of(StepRunners.EPOCH_JOBS_KEY, "false"));
    Fit oneAtATime = fit(dfa, data, Map.of(StepRunners.RUN_AHEAD_KEY, "false"));
    Fit asBytes = fit(dfa, data, Map.of(LocalExchange.CONF_KEY, "false"));
    assertArrayEquals(oneAtATime.weights(), perEpoch.weights(), 0.0, "one job per epoch");
    assertArrayEquals(oneAtATime.weights(), perStepAhead.weights(), 0.0, "per step, ahead");
    assertArrayEquals(oneAtATime.weights(), asBytes.weights(), 0.0, "as bytes");
    // 2 epochs of 12 steps: 24 step jobs become 2 epoch jobs; the fit's other jobs are the same.
    assertEquals(oneAtATime.jobs() - 22, perEpoch.jobs(),
        "jobs per epoch " + perEpoch.jobs() + ", per step " + oneAtATime.jobs());
    assertEquals(oneAtATime.jobs(), perStepAhead.jobs());
    data.unpersist();
  }

  @Test
  void aPartitionWithoutRowsInSomeStepsAndAValidationSetGiveTheSameWeights() {
    // At most 10 rows in one partition and about 300 in the other, batch 20: the small one has
    // rows in only some of the 15 or so steps, so its task delivers empty shares without waiting.
    Dataset<Row> data = PARITY.generate(spark(), 600, 2)
        .withColumn("pid", org.apache.spark.sql.functions.spark_partition_id())
        .where("pid = 1 OR rand(1) < 0.02")
        .withColumn("isVal", org.apache.spark.sql.functions.rand(3).lt(0.2)).cache();
    assertEquals(2, data.rdd().getNumPartitions());
    long fewRows = data.where("pid = 0").count();
    assertTrue(fewRows >= 1 && fewRows <= 10, "rows in partition 0: " + fewRows);
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {10, 12, 1})
        .setStepSize(0.05).setBatchSize(20).setMaxIter(3).setSeed(7)
        .setValidationIndicatorCol("isVal");
    Fit perEpoch = fit(bp, data, Map.of());
    Fit oneAtATime = fit(bp, data, Map.of(StepRunners.RUN_AHEAD_KEY, "false"));
    assertArrayEquals(oneAtATime.weights(), perEpoch.weights(), 0.0);
    assertTrue(perEpoch.jobs() < oneAtATime.jobs(), perEpoch.jobs() + " vs " + oneAtATime.jobs());
    data.unpersist();
  }

  @Test
  void aFitThatDivergesInsideAnEpochJobLeavesNothingRunning() {
    Dataset<Row> data = PARITY.generate(spark(), 600, 2).cache();
    data.count();
    SparkContext sc = spark().sparkContext();
    int ownersBefore = LocalExchange.openOwners();
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setOptimizer("sgd").setStepSize(1e200).setBatchSize(50).setMaxIter(3).setSeed(7)
        .fit(data);
    assertEquals(StopReason.DIVERGED, model.summary().stopReason(),
        model.summary().stopDetail());
    assertEquals(0, LocalExchange.size(), "a share of the abandoned epoch stayed parked");
    assertEquals(ownersBefore, LocalExchange.openOwners(), "the epoch's channel was not released");
    drain(sc);
    assertEquals(0, sc.statusTracker().getActiveJobIds().length, "the epoch job still runs");
    data.unpersist();
  }

  @Test
  void everyStepIsReportedToTheListenersInOrder() {
    Dataset<Row> data = PARITY.generate(spark(), 400, 2);
    List<String> steps = java.util.Collections.synchronizedList(new ArrayList<>());
    EpochListener listener = new EpochListener() {
      @Override
      public Map<String, Double> onEpochEnd(int epoch, double[] params) {
        return Map.of();
      }

      @Override
      public void onStep(int epoch, int step, int stepsPerEpoch) {
        steps.add(epoch + "." + step + "/" + stepsPerEpoch);
      }
    };
    new BpMlpClassifier().setLayers(new int[] {10, 8, 1}).setBatchSize(100).setMaxIter(2)
        .addEpochListener(listener).fit(data);
    assertEquals(List.of("1.1/4", "1.2/4", "1.3/4", "1.4/4", "2.1/4", "2.2/4", "2.3/4", "2.4/4"),
        steps);
  }

  @Test
  void theSlotsOfALocalMasterAreItsThreadsOverTheCpusPerTask() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(1, StepRunners.localSlots("local", 1));
    assertEquals(2, StepRunners.localSlots("local[2]", 1));
    assertEquals(4, StepRunners.localSlots("local[ 4 , 2]", 1));
    assertEquals(cores, StepRunners.localSlots("local[*]", 1));
    assertEquals(2, StepRunners.localSlots("local[4]", 2));
    assertEquals(0, StepRunners.localSlots("spark://127.0.0.1:7077", 1));
    assertEquals(0, StepRunners.localSlots("local-cluster[2,1,1024]", 1));
  }

  @Test
  void aWaitingDriverGetsATaskFailureInsteadOfWaitingForever() {
    EpochChannel channel = new EpochChannel<double[]>(2);
    channel.deliver(0, 0, new GradientSum<>(Flat.F64));
    IllegalStateException failure = new IllegalStateException("task 1 failed");
    EpochChannel.Tasks failed = new EpochChannel.Tasks() {
      @Override
      public boolean ended() {
        throw failure;
      }

      @Override
      public void cancel() {}
    };
    assertEquals(failure, assertThrows(IllegalStateException.class,
        () -> channel.take(0, failed)));
    EpochChannel.Tasks endedQuietly = new EpochChannel.Tasks() {
      @Override
      public boolean ended() {
        return true;
      }

      @Override
      public void cancel() {}
    };
    assertTrue(assertThrows(IllegalStateException.class, () -> channel.take(0, endedQuietly))
        .getMessage().contains("1 of 2 shares"));
  }

  @Test
  void sharesAreKeptPerStepAndAnAbandonedChannelOpensEveryGateEmpty() {
    EpochChannel channel = new EpochChannel<double[]>(2);
    EpochChannel.Tasks running = new EpochChannel.Tasks() {
      @Override
      public boolean ended() {
        return false;
      }

      @Override
      public void cancel() {}
    };
    GradientSum<double[]> a = new GradientSum<>(Flat.F64);
    GradientSum<double[]> b = new GradientSum<>(Flat.F64);
    GradientSum<double[]> later = new GradientSum<>(Flat.F64);
    channel.deliver(1, 1, later); // a partition without rows in step 0 runs ahead
    channel.deliver(0, 1, b);
    channel.deliver(0, 0, a);
    GradientSum<double[]>[] step0 = channel.take(0, running);
    assertTrue(step0[0] == a && step0[1] == b);
    channel.publish(1, new double[] {1.0});
    assertArrayEquals(new double[] {1.0}, (double[]) channel.weights(1), 0.0);
    channel.abandon();
    assertEquals(null, channel.weights(1 + 1), "a gate opened after abandon must be empty");
    channel.deliver(1, 0, new GradientSum<>(Flat.F64)); // dropped: nobody takes it
    assertTrue(channel.abandoned());
  }
}
