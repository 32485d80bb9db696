package org.sparkdfa.train.cluster;

import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.train.SparkJobs;
import org.sparkdfa.train.StepRunner;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.FloatWeightsCopy;
import org.sparkdfa.train.steps.OrderedSum;
import org.sparkdfa.train.steps.PairSum;
import org.sparkdfa.train.steps.StepGradient;
import org.sparkdfa.train.steps.PackedSum;
import org.sparkdfa.train.steps.PartitionGradient;
import org.sparkdfa.train.steps.WeightsCopy;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/**
 * Steps for tasks in other JVMs as one Spark job per epoch: the cluster analogue of the local
 * master's epoch job. Each partition's task ({@link EpochStreamTask}) runs every step of the
 * epoch on its executor, connected to the driver's {@link StepServer}; per step the driver
 * writes the weights, encoded once, to every connection and reads back each task's share as
 * bytes ({@link PackedSum}), summed in the fixed tree order of {@link OrderedSum} — the same
 * bytes and sums as {@link BroadcastSteps}, so the same bits. A job per step costs a cluster's
 * scheduling, task launch and result path every step (docs/BENCHMARKS.md); here once an epoch,
 * and, when every epoch trains on the same blocks, once for a run of epochs.
 *
 * <p>Between epochs the job's tasks hold their slots, waiting for the next epoch's weights. So
 * that they never keep another job from running, the runner ends them ("yields") as soon as a
 * job that is not its own starts on the context — the fit's validation, a listener's job,
 * another fit — or when the next epoch has not come after {@link #PARK_MS} ms; an epoch during
 * which another job started ends its job as well. The next epoch then starts a job of its own,
 * as every epoch did before.
 *
 * <p>The job runs in barrier mode: all its tasks start together or none does, so no task waits
 * for a step a partition without a slot can never deliver ({@link EpochJobs} checks the slots
 * first). If the epoch job fails at step s — a task or executor lost, a connection broken — the
 * job is cancelled and step s and every later step of the fit run through {@link BroadcastSteps},
 * which retries failed tasks: the fit goes on with the same bits. A cancel of the fit (its job
 * group, or an interrupt) is not a failure: it ends the fit.
 */
public final class StreamSteps<A> implements StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSteps.class);
  /** How long an abandoned epoch's tasks get to stop on their own before their job is cancelled. */
  private static final long ABANDON_WAIT_MS = 30_000;
  /** How long an epoch job's tasks wait between epochs before they are ended. */
  static final long PARK_MS = 5_000;
  /** The local property that marks a runner's epoch jobs, its value the runner's own mark. */
  private static final String JOB_PROPERTY = "sparkdfa.streamSteps";

  private final TrainingData train;
  private final Broadcast<PartitionGradient<A>> context;
  private final int stepsPerEpoch;
  private final StepTimes times;
  private final BroadcastSteps<A> fallback;
  private final StepServer server;
  private final ShareArrays<A> arrays;
  /** The weights' wire bytes, written by the driver's update as it goes. */
  private final Wire.Weights wire;
  private final JavaSparkContext jsc;
  private final long parkMs;
  private final String jobMark = UUID.randomUUID().toString();
  private final SparkListener otherJobs = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart start) {
      if (jobMark.equals(mark(start))) return;
      contended = true;
      yieldParked();
    }
  };
  private final ScheduledExecutorService parkTimer = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "sparkdfa-step-park-timer");
        t.setDaemon(true);
        return t;
      });
  /** Guards {@link #parked} and {@link #parkTimeout} between the fit and the yielding threads. */
  private final Object parking = new Object();
  /** The epoch job's tasks wait for the next epoch (its last step is done). */
  private boolean parked;
  private ScheduledFuture<?> parkTimeout;
  /** Another job started during the current epoch: its job ends with it. */
  private volatile boolean contended;
  private EpochLink<A> link;
  private SimpleFutureAction<BoxedUnit[]> job;
  private int epoch = -1;
  /** The epoch job failed once: every later step runs through {@link #fallback}. */
  private boolean broken;

  /** True when {@code start} is the start of an epoch job of some fit's runner. */
  public static boolean isEpochJob(SparkListenerJobStart start) {
    return mark(start) != null;
  }

  private static String mark(SparkListenerJobStart start) {
    Properties p = start.properties();
    return p == null ? null : p.getProperty(JOB_PROPERTY);
  }

  public StreamSteps(JavaSparkContext jsc, TrainingData train,
      Broadcast<PartitionGradient<A>> context, int stepsPerEpoch, int depth, StepTimes times) {
    this(jsc, train, context, stepsPerEpoch, depth, times, PARK_MS);
  }

  /** {@code parkMs}: how long tasks wait between epochs before they are ended. */
  StreamSteps(JavaSparkContext jsc, TrainingData train, Broadcast<PartitionGradient<A>> context,
      int stepsPerEpoch, int depth, StepTimes times, long parkMs) {
    this.jsc = jsc;
    this.parkMs = parkMs;
    this.train = train;
    this.context = context;
    this.stepsPerEpoch = stepsPerEpoch;
    this.times = times;
    this.fallback = new BroadcastSteps<>(jsc, train, context, stepsPerEpoch, depth, times);
    this.arrays = new ShareArrays<>(context.value().flat(),
        context.value().network().spec().numParams(), train.numPartitions());
    this.wire = new Wire.Weights(context.value().flat(),
        context.value().network().spec().numParams());
    this.server = StepServer.open(EpochJobs.bindAddress(jsc.getConf()),
        EpochJobs.host(jsc.getConf()));
    jsc.sc().addSparkListener(otherJobs);
  }

  @Override
  public StepGradient gradient(double[] params, int epoch, int step) {
    if (broken) return fallback.gradient(params, epoch, step);
    return run(() -> wire.of(params), epoch, step, () -> fallback.gradient(params, epoch, step));
  }

  /**
   * Float32 master weights go to the wire as they are, in one bulk copy (see
   * {@link StepRunner}); the fallback gets them the same way.
   */
  @Override
  public StepGradient gradient(float[] params, int epoch, int step) {
    if (broken) return fallback.gradient(params, epoch, step);
    return run(() -> wire.of(params), epoch, step, () -> fallback.gradient(params, epoch, step));
  }

  /** The wire bytes, for the float32 update to write as it goes; none once the job broke. */
  @Override
  public FloatWeightsCopy float32MasterCopy() {
    return broken ? null : wire;
  }

  /** One step through the epoch job: {@code weights} out, the shares back. */
  private StepGradient run(Supplier<ByteBuffer> weights, int epoch, int step,
      Supplier<StepGradient> fallbackStep) {
    StepGradient sum;
    long t0 = System.nanoTime();
    long t1 = t0;
    try {
      if (!goesOn(epoch, step)) start(epoch, step);
      link.publish(step, weights.get());
      t1 = System.nanoTime();
      times.addWeightsOut(t1 - t0);
      // The ordered sum, its root addition left to the update's pass (as on a local master):
      // the bits of OrderedSum, which BroadcastSteps' bytes add up to as well.
      sum = PairSum.of(arrays.flat(), link.take(step, watch(job)));
      long[] parts = link.parts(step);
      for (int i = 0; i < parts.length; i++) times.addPart(EpochLink.PARTS[i], parts[i]);
    } catch (Exception e) { // Spark's job failures: (checked) SparkExceptions, thrown sneakily
      if (cancelled(e)) {
        abandonEpoch();
        throw e;
      }
      fallBack(e, epoch, step);
      return fallbackStep.get();
    }
    times.addTask(sum.taskNanos());
    times.addJob(System.nanoTime() - t1);
    times.countStep();
    if (step + 1 == stepsPerEpoch) endOfEpoch();
    return sum;
  }

  /**
   * True when the running job takes step {@code step} of {@code epoch}: a step of its epoch, or
   * the next epoch's first step while its tasks wait for it (then the link is advanced).
   */
  private boolean goesOn(int epoch, int step) {
    if (link == null) return false;
    synchronized (parking) {
      if (!parked) return this.epoch == epoch;
      unpark();
      if (link.ended() || epoch != this.epoch + 1 || step != 0) return false;
    }
    link.advance(epoch);
    this.epoch = epoch;
    return true;
  }

  /**
   * The epoch's last share is in: its tasks wait for the next epoch if they can go on with it
   * (the same blocks every epoch, no other job started), else they are ended.
   */
  private void endOfEpoch() {
    if (train.sameBlocksEveryEpoch() && !contended && !job.isCompleted()) {
      synchronized (parking) {
        parked = true;
        parkTimeout = parkTimer.schedule(this::yieldParked, parkMs, TimeUnit.MILLISECONDS);
      }
      if (contended) yieldParked(); // a job that started while it parked
      return;
    }
    link.end();
    finishEpoch();
  }

  /** Ends the waiting tasks (another job wants their slots, or they waited too long). */
  private void yieldParked() {
    synchronized (parking) {
      if (parked && link != null) link.end();
    }
  }

  private void unpark() {
    parked = false;
    if (parkTimeout != null) parkTimeout.cancel(false);
    parkTimeout = null;
  }

  private void start(int epoch, int firstStep) {
    abandonEpoch();
    int parts = train.numPartitions();
    EpochLink<A> next = new EpochLink<>(epoch, parts, stepsPerEpoch, arrays);
    server.serve(next);
    link = next;
    this.epoch = epoch;
    contended = false;
    ClassTag<PartitionData> tag = ClassTag$.MODULE$.apply(PartitionData.class);
    RDD<PartitionData> barrier = train.blocks(epoch).rdd().barrier()
        .mapPartitions(new EpochJobs.Same<>(), true, tag);
    String before = jsc.getLocalProperty(JOB_PROPERTY);
    jsc.setLocalProperty(JOB_PROPERTY, jobMark);
    try {
      job = SparkJobs.submit(new JavaRDD<>(barrier, tag),
          new EpochStreamTask<>(context, server, epoch, firstStep, stepsPerEpoch),
          new BoxedUnit[parts]);
    } finally {
      jsc.setLocalProperty(JOB_PROPERTY, before);
    }
  }

  /** A failure of the fit's cancel (job group or interrupt), not of the epoch job. */
  private static boolean cancelled(Exception e) {
    if (Thread.currentThread().isInterrupted()) return true;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("cancelled") && !(t instanceof EpochLink.Broken)) return true;
    }
    return false;
  }

  private void fallBack(Exception e, int epoch, int step) {
    LOG.warn("The epoch job failed at step {} of epoch {} ({}); the fit goes on with one Spark "
        + "job per step, with the same weights", step + 1, epoch + 1, e.toString());
    LOG.debug("the epoch job's failure", e);
    broken = true;
    // No waiting for the job's tasks here: a barrier stage whose task failed is retried whole,
    // and its new tasks could never join this epoch. Nothing new is let in, the job cancelled.
    server.serve(null);
    if (job != null) {
      job.cancel();
      EpochJobs.awaitQuietly(job, ABANDON_WAIT_MS);
    }
    clear();
    server.close();
  }

  /** The job's tasks were told to end; a late failure is only logged. */
  private void finishEpoch() {
    try {
      SparkJobs.await(job);
    } catch (Exception e) {
      if (cancelled(e)) throw e;
      LOG.warn("An epoch job failed after its last step: {}", e.toString());
    } finally {
      clear();
    }
  }

  private static EpochLink.Job watch(SimpleFutureAction<BoxedUnit[]> job) {
    return new EpochLink.Job() {
      @Override
      public boolean ended() {
        if (!job.isCompleted()) return false;
        SparkJobs.await(job); // throws the job's failure
        return true;
      }

      @Override
      public void cancel() {
        job.cancel();
      }
    };
  }

  @Override
  public void abandonEpoch() {
    if (link == null) return;
    link.end();
    try {
      if (!EpochJobs.awaitQuietly(job, ABANDON_WAIT_MS)) job.cancel();
    } finally {
      clear();
    }
  }

  private void clear() {
    synchronized (parking) {
      unpark();
    }
    server.serve(null);
    if (link != null) link.close();
    link = null;
    job = null;
  }

  @Override
  public WeightsCopy weightsCopy() {
    return broken ? null : wire;
  }

  /** The current epoch's link, for tests that break it on purpose. */
  EpochLink<A> link() {
    return link;
  }

  @Override
  public String describe() {
    return broken ? fallback.describe() + " (the epoch job failed)"
        : "one Spark job per epoch on the cluster (barrier mode; its tasks stream each step's "
            + "weights and shares through the driver's port " + server.port() + ")";
  }

  @Override
  public void close() {
    try {
      abandonEpoch();
    } finally {
      jsc.sc().removeSparkListener(otherJobs);
      parkTimer.shutdownNow();
      server.close();
      fallback.close();
    }
  }
}
