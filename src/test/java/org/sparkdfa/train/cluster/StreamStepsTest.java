package org.sparkdfa.train.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.StepRunner;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.PartitionGradient;
import org.sparkdfa.train.steps.StepGradient;

/**
 * The cluster's epoch job ({@link StreamSteps}) through its real channel — a barrier job whose
 * tasks connect to the driver's socket — on the test's local[2] master (the tasks run in this
 * JVM, but the weights and shares cross real sockets as bytes). Broken on purpose: a connection
 * dropped mid-epoch, the fit's job group cancelled, the driver interrupted, a task that cannot
 * connect. After a dropped connection the epoch goes on through {@link BroadcastSteps} with the
 * same bits; in every case nothing of the runner is left running. Epochs on the same blocks run
 * in one job, whose waiting tasks give way to any other job between epochs.
 */
class StreamStepsTest extends SparkTestBase {
  private static final int PARTITIONS = 2;
  private static final NetworkSpec SPEC =
      NetworkSpec.mlp(new int[] {10, 8, 1}, Activation.RELU, Loss.BCE);

  private static JavaSparkContext jsc;
  private static TrainingData data;
  private static Broadcast<PartitionGradient<float[]>> bctx;
  private static int steps;
  private static double[] params;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void pack() {
    jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    SparseParity parity = SparseParity.builder().n(10).k(2).distribution("uniform").seed(4)
        .build();
    BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", 10, Loss.BCE, 1,
        Precision.FLOAT32);
    data = TrainingData.pack(parity.generate(spark(), 600, PARTITIONS), cols);
    bctx = jsc.broadcast((PartitionGradient<float[]>) PartitionGradient.create(new Network(SPEC),
        Feedback.BACKPROP, 3, PARTITIONS, Precision.FLOAT32));
    steps = (int) ((data.rows() + 63) / 64); // batch 64
    params = Init.GLOROT_UNIFORM.initialize(SPEC, 3);
  }

  @AfterAll
  static void free() {
    bctx.destroy();
    data.close();
  }

  /** Every step's gradient of two epochs; {@code beforeStep} runs before each step's call. */
  private static List<double[]> run(StepRunner runner, IntConsumer beforeStep) {
    return run(runner, params, beforeStep);
  }

  /** {@link #run} at {@code at} instead of the test's params. */
  private static List<double[]> run(StepRunner runner, double[] at, IntConsumer beforeStep) {
    return steps(beforeStep, (epoch, step) -> runner.gradient(at, epoch, step));
  }

  /** {@link #run} at float32 master weights (the params rounded to float). */
  private static List<double[]> runFloat32(StepRunner runner, IntConsumer beforeStep) {
    float[] weights = new float[params.length];
    for (int i = 0; i < weights.length; i++) weights[i] = (float) params[i];
    return steps(beforeStep, (epoch, step) -> runner.gradient(weights, epoch, step));
  }

  /** The gradient of one step, at whatever weights the caller holds. */
  @FunctionalInterface
  private interface Step {
    StepGradient at(int epoch, int step);
  }

  /** Every step's gradient, loss and weight of two epochs. */
  private static List<double[]> steps(IntConsumer beforeStep, Step gradient) {
    return steps(steps, beforeStep, gradient);
  }

  /** {@link #steps} at {@code stepsPerEpoch} steps per epoch. */
  private static List<double[]> steps(int stepsPerEpoch, IntConsumer beforeStep, Step gradient) {
    List<double[]> out = new ArrayList<>();
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int step = 0; step < stepsPerEpoch; step++) {
        beforeStep.accept(epoch * stepsPerEpoch + step);
        StepGradient sum = gradient.at(epoch, step);
        out.add(sum.gradient());
        out.add(new double[] {sum.loss(), sum.weight()});
        sum.recycle();
      }
    }
    return out;
  }

  /** Before step {@code at} (counted over both epochs), drops the runner's connection k. */
  private static IntConsumer dropAt(StreamSteps<?> r, int at, int k) {
    return s -> {
      if (s == at) {
        try {
          r.link().dropConnection(k);
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      }
    };
  }

  private static List<double[]> broadcast() {
    try (StepRunner r = new BroadcastSteps<>(jsc, data, bctx, steps, 2, new StepTimes())) {
      return run(r, s -> {});
    }
  }

  private static List<double[]> broadcastFloat32() {
    try (StepRunner r = new BroadcastSteps<>(jsc, data, bctx, steps, 2, new StepTimes())) {
      return runFloat32(r, s -> {});
    }
  }

  @Test
  void float32MasterWeightsGoOutAsTheyAreWithTheBitsOfOneJobPerStep()
      throws InterruptedException, NoSuchMethodException {
    // Its own override, not StepRunner's widening default (same bits, a double[] per step).
    StreamSteps.class.getDeclaredMethod("gradient", float[].class, int.class, int.class);
    List<double[]> expected = broadcastFloat32();
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes())) {
      assertSame(expected, runFloat32(r, s -> {}), "float32 master, epoch job vs job per step");
    }
    int dropAt = steps + 1; // in the second epoch
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes())) {
      List<double[]> got = runFloat32(r, dropAt(r, dropAt, 0));
      assertTrue(r.describe().contains("the epoch job failed"), r.describe());
      assertSame(expected, got, "float32 master after a dropped connection");
    }
    assertNothingLeft();
  }

  @Test
  void float32MasterWeightsHaveTheBitsOfTheDoublePathAtTheSameValues()
      throws InterruptedException {
    // The float path (its own bulk copy) against the double path (Wire.Weights' write loop)
    // at the params rounded to float: a float path that diverged would fail here even if
    // BroadcastSteps' float path diverged the same way.
    double[] rounded = new double[params.length];
    for (int i = 0; i < rounded.length; i++) rounded[i] = (float) params[i];
    List<double[]> viaDouble;
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes())) {
      viaDouble = run(r, rounded, s -> {});
    }
    assertSame(viaDouble, broadcastFloat32(), "job per step, float path vs epoch job, doubles");
    assertNothingLeft();
  }

  private static void assertSame(List<double[]> expected, List<double[]> actual, String what) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), 0.0, what + ", entry " + i);
    }
  }

  /** Waits (untimed: until the condition holds) for the runner's threads and jobs to end. */
  private static void assertNothingLeft() throws InterruptedException {
    SparkContext sc = jsc.sc();
    for (int i = 0; i < 600 && (stepThreads() > 0
        || sc.statusTracker().getActiveJobIds().length > 0); i++) {
      Thread.sleep(50);
    }
    assertEquals(0, stepThreads(), "a thread of the step server is still running");
    assertEquals(0, sc.statusTracker().getActiveJobIds().length, "a job is still running");
  }

  private static long stepThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sparkdfa-step-")).count();
  }

  /** What {@code body} gave, and how many of the runners' epoch jobs started while it ran. */
  private record Counted<T>(T result, int epochJobs) {}

  private static <T> Counted<T> countingEpochJobs(Supplier<T> body) {
    AtomicInteger jobs = new AtomicInteger();
    SparkListener count = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        if (StreamSteps.isEpochJob(start)) jobs.incrementAndGet();
      }
    };
    SparkContext sc = jsc.sc();
    sc.addSparkListener(count);
    try {
      T result = body.get();
      sc.listenerBus().waitUntilEmpty(); // the listener has seen every job start
      return new Counted<>(result, jobs.get());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain", e);
    } finally {
      sc.removeSparkListener(count);
    }
  }

  @Test
  void theEpochJobGivesBroadcastStepsBits() throws InterruptedException {
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes())) {
      Counted<List<double[]>> got = countingEpochJobs(() -> run(r, s -> {}));
      assertSame(broadcast(), got.result(), "epoch job vs one job per step");
      assertEquals(1, got.epochJobs(), "two epochs on the same blocks run in one job");
      assertTrue(r.describe().contains("one Spark job per epoch"), r.describe());
    }
    assertNothingLeft();
  }

  @Test
  void aPartitionWithoutRowsInMostStepsSkipsTheirWeightsAcrossTheEpochBoundary()
      throws InterruptedException {
    // Partition 0 keeps about 6 of its ~300 rows: its task has rows in only a few of each
    // epoch's steps, so it runs ahead through empty shares, into the wait for the next epoch,
    // while the weights of the steps it skipped are still coming.
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> lopsided = SparseParity.builder()
        .n(10).k(2).distribution("uniform").seed(4).build().generate(spark(), 600, PARTITIONS)
        .withColumn("pid", org.apache.spark.sql.functions.spark_partition_id())
        .where("pid = 1 OR rand(1) < 0.02").drop("pid");
    BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", 10, Loss.BCE, 1,
        Precision.FLOAT32);
    try (TrainingData few = TrainingData.pack(lopsided, cols)) {
      long[] rows = few.partitionRows();
      assertTrue(rows[0] >= 1 && rows[0] <= 15, "rows of partition 0: " + rows[0]);
      int s = (int) ((few.rows() + 19) / 20); // batch 20
      List<double[]> expected;
      try (StepRunner r = new BroadcastSteps<>(jsc, few, bctx, s, 2, new StepTimes())) {
        expected = steps(s, i -> {}, (epoch, step) -> r.gradient(params, epoch, step));
      }
      try (StreamSteps<float[]> r = new StreamSteps<>(jsc, few, bctx, s, 2, new StepTimes())) {
        Counted<List<double[]>> got = countingEpochJobs(() -> steps(s, i -> {},
            (epoch, step) -> r.gradient(params, epoch, step)));
        assertSame(expected, got.result(), "a partition with few rows, over two epochs");
        assertEquals(1, got.epochJobs(), "both epochs in one job");
        assertTrue(r.describe().contains("one Spark job per epoch"), "fell back: "
            + r.describe());
      }
    }
    assertNothingLeft();
  }

  @Test
  void anotherJobBetweenEpochsRunsAndTheNextEpochStartsAJobOfItsOwn()
      throws InterruptedException {
    long[] counted = new long[1];
    // Waiting for longer than the test's patience: only the other job's start can end the tasks.
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes(), 600_000)) {
      // Both slots are the waiting tasks': the count runs only if they give way to it.
      Counted<List<double[]>> got = countingEpochJobs(() -> run(r, s -> {
        if (s != steps) return;
        try {
          counted[0] = jsc.parallelize(List.of(1, 2, 3, 4, 5), 2).countAsync()
              .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError("a job between epochs did not run", e);
        }
      }));
      assertEquals(5, counted[0]);
      assertSame(broadcast(), got.result(), "with a job between the epochs");
      assertEquals(2, got.epochJobs(), "the second epoch runs in a job of its own");
      assertTrue(r.describe().contains("one Spark job per epoch"), "fell back: " + r.describe());
    }
    assertNothingLeft();
  }

  @Test
  void tasksThatWaitTooLongForTheNextEpochAreEnded() throws InterruptedException {
    SparkContext sc = jsc.sc();
    boolean[] endedWhileWaiting = new boolean[1];
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes(), 200)) {
      Counted<List<double[]>> got = countingEpochJobs(() -> run(r, s -> {
        if (s != steps) return;
        for (int i = 0; i < 200 && sc.statusTracker().getActiveJobIds().length > 0; i++) {
          sleep(50);
        }
        endedWhileWaiting[0] = sc.statusTracker().getActiveJobIds().length == 0;
      }));
      assertTrue(endedWhileWaiting[0], "the waiting epoch job never ended");
      assertSame(broadcast(), got.result(), "after a long wait between epochs");
      assertEquals(2, got.epochJobs(), "the second epoch runs in a job of its own");
    }
    assertNothingLeft();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aDroppedConnectionMidEpochGoesOnPerStepWithTheSameBits() throws InterruptedException {
    int dropAt = steps / 2;
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes())) {
      List<double[]> got = run(r, dropAt(r, dropAt, 1));
      assertTrue(r.describe().contains("the epoch job failed"), r.describe());
      assertSame(broadcast(), got, "after a dropped connection");
    }
    assertNothingLeft();
  }

  @Test
  void aCancelledJobGroupEndsTheFitInsteadOfFallingBack() throws InterruptedException {
    SparkContext sc = jsc.sc();
    sc.setJobGroup("stream-steps-cancel", "cancelled on purpose", false);
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes())) {
      Exception e = assertThrows(Exception.class, () -> run(r, s -> {
        if (s == 1) cancelAndWait(sc, "stream-steps-cancel");
      }));
      assertTrue(String.valueOf(e.getMessage()).contains("cancelled"), e.toString());
      assertTrue(r.describe().contains("one Spark job per epoch"), "fell back: " + r.describe());
    } finally {
      sc.clearJobGroup();
    }
    assertNothingLeft();
  }

  /** Cancels the group and waits until Spark has failed its running job (Spark does it async). */
  private static void cancelAndWait(SparkContext sc, String group) {
    int[] ids = sc.statusTracker().getJobIdsForGroup(group);
    assertTrue(ids.length > 0, "the epoch job runs in the caller's group");
    int job = java.util.Arrays.stream(ids).max().getAsInt();
    sc.cancelJobGroup(group);
    while (sc.statusTracker().getJobInfo(job).get().status()
        == org.apache.spark.JobExecutionStatus.RUNNING) {
      Thread.onSpinWait();
    }
  }

  @Test
  void anInterruptedDriverStopsTheEpochJob() throws InterruptedException {
    try (StreamSteps<float[]> r = new StreamSteps<>(jsc, data, bctx, steps, 2,
        new StepTimes())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(r, s -> {
        if (s == 2) Thread.currentThread().interrupt();
      }));
      assertTrue(Thread.interrupted(), "the interrupt was swallowed");
      assertTrue(e.getMessage().contains("interrupted"), e.toString());
    }
    assertNothingLeft();
  }

  @Test
  void aTaskThatCannotConnectSaysWhereAndWhatToCheck() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    int closed = port;
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> EpochStreamTask.connect("127.0.0.1", closed));
    for (String part : new String[] {"127.0.0.1:" + closed, "spark.driver.host", "firewall",
        "spark.sparkdfa.epochJobs=false"}) {
      assertTrue(e.getMessage().contains(part), "missing '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void epochJobsAreRefusedWhereTheyCannotRun() {
    SparkConf plain = new SparkConf(false);
    assertNull(EpochJobs.whyNot(plain, true, 2, () -> 2));
    assertNotNull(EpochJobs.whyNot(plain, false, 2, () -> 2));
    assertTrue(EpochJobs.whyNot(plain, true, 3, () -> 2).contains("2 task slots for 3"));
    for (String key : new String[] {"spark.network.crypto.enabled", "spark.ssl.enabled",
        "spark.ssl.rpc.enabled", "spark.dynamicAllocation.enabled", "spark.speculation"}) {
      String why = EpochJobs.whyNot(new SparkConf(false).set(key, "true"), true, 2, () -> 2);
      assertNotNull(why, key);
      assertTrue(why.contains(key), why);
    }
    assertNull(EpochJobs.whyNot(new SparkConf(false).set("spark.authenticate", "true"), true, 2,
        () -> 2), "authentication alone keeps epoch jobs (their token travels in the task)");
  }
}
