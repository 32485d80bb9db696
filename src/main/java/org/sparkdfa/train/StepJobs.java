package org.sparkdfa.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.nn.Precision;

/**
 * Runs a fit's optimizer steps as Spark jobs, one job per step, and says how each step's weights
 * and gradient travel ({@link StepExchange}).
 *
 * <p><b>Running ahead.</b> On a local master every job pays Spark's scheduling (job, stage, task
 * launch, deserialization) before the math starts, and the task gathers its rows and zeroes its
 * gradient before that. None of it needs the weights. So while step s computes, the job of step
 * s+1 is already submitted with its weights behind a {@link WeightsGate}: its tasks launch as
 * soon as step s's tasks free their slots, prepare their rows, and wait; the driver opens the
 * gate the moment its update is done. The weights every step computes with are exactly those
 * of the sequential loop (bit-identical results); only the waiting moved off the critical path.
 *
 * <p>This is safe only when no task of step s can be left waiting for a slot that step s+1's
 * waiting tasks hold. Spark's FIFO scheduler always offers a free slot to the earlier job first,
 * so that can only happen if a task of step s fails and is retried; {@code local} and
 * {@code local[N]} never retry a task. Running ahead is therefore used with FIFO scheduling on
 * {@code local}/{@code local[N]}/{@code local[*]} masters only (not {@code local[N,F]} with
 * F &gt; 1), and can be switched off with {@value #CONF_KEY}{@code =false} (a Spark conf key, or a
 * local property of the thread that calls fit).
 */
final class StepJobs {
  private static final Logger LOG = LoggerFactory.getLogger(StepJobs.class);

  /** {@code false} runs each step's job only once its weights exist. */
  static final String CONF_KEY = "spark.sparkdfa.runAhead";

  private static final Pattern LOCAL_WITH_RETRIES =
      Pattern.compile("local\\[\\s*(\\d+|\\*)\\s*,\\s*(\\d+)\\s*\\]");

  private final JavaSparkContext jsc;
  private final Broadcast<StepContext> bctx;
  private final StepBuffers buffers;
  private final Precision precision;
  private final int depth;
  private final StepTimes times;
  private final boolean runAhead;

  StepJobs(JavaSparkContext jsc, Broadcast<StepContext> bctx, StepBuffers buffers, int depth,
      StepTimes times) {
    this.jsc = jsc;
    this.bctx = bctx;
    this.buffers = buffers;
    this.precision = bctx.value().precision;
    this.depth = depth;
    this.times = times;
    this.runAhead = buffers.byReference() && canRunAhead(jsc.sc());
  }

  /** Whether this fit's steps may be submitted before their weights exist. */
  boolean runsAhead() {
    return runAhead;
  }

  /** Whether the next step's job may be submitted before its weights exist (see the class doc). */
  static boolean canRunAhead(SparkContext sc) {
    if (!sc.isLocal()) return false;
    String local = sc.getLocalProperty(CONF_KEY);
    boolean wanted = local != null ? Boolean.parseBoolean(local.trim())
        : sc.getConf().getBoolean(CONF_KEY, true);
    if (!wanted) return false;
    if (!"FIFO".equals(sc.getSchedulingMode().toString())) {
      LOG.info("Steps are not run ahead: spark.scheduler.mode is {}, not FIFO",
          sc.getSchedulingMode());
      return false;
    }
    if (retriesTasks(sc.master())) {
      LOG.info("Steps are not run ahead: master {} retries failed tasks", sc.master());
      return false;
    }
    return true;
  }

  /** Whether a local master string lets a failed task run again ({@code local[N,F]}, F > 1). */
  static boolean retriesTasks(String master) {
    Matcher m = LOCAL_WITH_RETRIES.matcher(master.trim());
    return m.matches() && Integer.parseInt(m.group(2)) > 1;
  }

  /** Starts step {@code step} of {@code epoch} with {@code params} as its weights. */
  StepJob now(JavaRDD<PartitionData> blocks, double[] params, int epoch, int step,
      int stepsPerEpoch) {
    long t0 = System.nanoTime();
    StepExchange exchange = StepExchange.open(jsc, params, precision, buffers);
    if (!exchange.byReference()) {
      times.weightsOut += System.nanoTime() - t0;
      return StepJob.done(aggregate(blocks, exchange, epoch, step, stepsPerEpoch), times);
    }
    StepJob job = StepJob.submit(blocks, new ShareTask(bctx, exchange.ticket(), epoch, step,
        stepsPerEpoch), exchange, times);
    times.weightsOut += System.nanoTime() - t0;
    return job;
  }

  /**
   * Submits step {@code step} of {@code epoch} before its weights exist: the caller must
   * {@link StepJob#publish} or {@link StepJob#abandon} it. Null when steps do not run ahead
   * ({@link #canRunAhead}, and only by reference).
   */
  StepJob ahead(JavaRDD<PartitionData> blocks, int epoch, int step, int stepsPerEpoch) {
    if (!runAhead) return null;
    StepExchange exchange = StepExchange.gated(precision, buffers);
    return StepJob.submit(blocks, new ShareTask(bctx, exchange.ticket(), epoch, step,
        stepsPerEpoch), exchange, times);
  }

  /** The bytes path (tasks in other JVMs): gradients summed by treeAggregate, in tree order. */
  private GradientSum aggregate(JavaRDD<PartitionData> blocks, StepExchange exchange, int epoch,
      int step, int stepsPerEpoch) {
    long t0 = System.nanoTime();
    try (exchange) {
      int parts = blocks.getNumPartitions();
      StepExchange.Ticket ticket = exchange.ticket();
      Broadcast<StepContext> ctx = bctx;
      OrderedSum total = blocks
          .map(p -> OrderedSum.leaf(parts, p.partition,
              ticket.share(ctx.value(), p, epoch, step, stepsPerEpoch)))
          .treeAggregate(new OrderedSum(parts), OrderedSum::merge, OrderedSum::merge, depth);
      return total.result().unpacked();
    } finally {
      times.job += System.nanoTime() - t0;
    }
  }

  /** One step's job: running, or already done (the bytes path runs synchronously). */
  static final class StepJob {
    private final StepExchange exchange;
    private final SimpleFutureAction<GradientSum[]> action;
    private final StepTimes times;
    private GradientSum result;
    private boolean finished;

    private StepJob(StepExchange exchange, SimpleFutureAction<GradientSum[]> action,
        StepTimes times, GradientSum result) {
      this.exchange = exchange;
      this.action = action;
      this.times = times;
      this.result = result;
      this.finished = action == null;
    }

    static StepJob done(GradientSum sum, StepTimes times) {
      StepJob job = new StepJob(null, null, times, sum);
      times.task += sum.taskNanos;
      times.steps++;
      return job;
    }

    static StepJob submit(JavaRDD<PartitionData> blocks, ShareTask task, StepExchange exchange,
        StepTimes times) {
      try {
        return new StepJob(exchange, task.submitOn(blocks), times, null);
      } catch (RuntimeException e) {
        exchange.close();
        throw e;
      }
    }

    /** Lets the job's tasks compute with {@code params}, unchanged until {@link #result()}. */
    void publish(double[] params) {
      long t0 = System.nanoTime();
      exchange.publish(params);
      times.weightsOut += System.nanoTime() - t0;
    }

    /** Waits for the job and returns the step's ordered sum (a task's failure is rethrown). */
    GradientSum result() {
      if (finished) return result;
      long t0 = System.nanoTime();
      try {
        GradientSum[] shares = ShareTask.await(action);
        result = OrderedSum.ofPartitions(shares).result().unpacked();
        times.task += result.taskNanos;
        return result;
      } finally {
        finished = true;
        exchange.close(); // drops what the tasks parked, after the sum has taken it into hand
        times.job += System.nanoTime() - t0;
        times.steps++;
      }
    }

    /**
     * Gives up a submitted step: its tasks return empty shares, and this waits for the job to
     * end so nothing of it outlives the fit. A failure of the abandoned job is not reported.
     */
    void abandon() {
      if (finished) return;
      exchange.abandon();
      try {
        ShareTask.await(action);
      } catch (Exception e) { // Spark's SparkException arrives unchecked
        LOG.debug("an abandoned step's job failed", e);
      } finally {
        finished = true;
        exchange.close();
      }
    }
  }
}
