package org.sparkdfa.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.cluster.BroadcastSteps;
import org.sparkdfa.train.cluster.EpochJobs;
import org.sparkdfa.train.cluster.StreamSteps;
import org.sparkdfa.train.cluster.TransportSettings;
import org.sparkdfa.train.local.EpochSteps;
import org.sparkdfa.train.local.GradientPool;
import org.sparkdfa.train.local.LocalExchange;
import org.sparkdfa.train.local.LocalStepJobs;
import org.sparkdfa.train.steps.PartitionGradient;

/**
 * Chooses, once per fit, how its steps run ({@link StepRunner}), and logs the choice:
 * <ul>
 *   <li>a cluster (tasks in other JVMs) where {@link EpochJobs#whyNot} finds nothing against it
 *       — its free task slots hold every partition, {@value #EPOCH_JOBS_KEY} not false, no
 *       Spark encryption, dynamic allocation or speculation: {@link StreamSteps}, one barrier
 *       job per epoch whose tasks stream each step through a driver-side socket (and fall back
 *       to {@link BroadcastSteps} if it fails);</li>
 *   <li>other clusters (the reason logged), or a local master with the local exchange switched
 *       off ({@value LocalExchange#CONF_KEY}{@code =false}): {@link BroadcastSteps}, one job per
 *       step;</li>
 *   <li>a local master that may run ahead ({@link #canRunAhead}) whose task slots hold every
 *       partition at once: {@link EpochSteps}, one job per epoch;</li>
 *   <li>other local masters: {@link LocalStepJobs}, one job per step by reference, the next
 *       submitted ahead where allowed.</li>
 * </ul>
 * ({@link org.sparkdfa.train.local.ThreadSteps}, the same steps without Spark, is the
 * benchmarks' and is never chosen here.) Every choice gives bit-identical weights.
 */
public final class StepRunners {
  private static final Logger LOG = LoggerFactory.getLogger(StepRunners.class);

  /**
   * {@code false} runs one Spark job per step even where an epoch job could run (on a local
   * master and on a cluster).
   */
  public static final String EPOCH_JOBS_KEY = "spark.sparkdfa.epochJobs";
  /** {@code false} submits each step's job only once its weights exist. */
  public static final String RUN_AHEAD_KEY = "spark.sparkdfa.runAhead";

  private static final Pattern LOCAL_THREADS =
      Pattern.compile("local(?:\\[\\s*(\\d+|\\*)\\s*(?:,\\s*\\d+\\s*)?\\])?");
  private static final Pattern LOCAL_WITH_RETRIES =
      Pattern.compile("local\\[\\s*(\\d+|\\*)\\s*,\\s*(\\d+)\\s*\\]");

  private StepRunners() {}

  /** The runner of one fit's steps; the caller closes it when the fit ends. */
  static <A> StepRunner forFit(JavaSparkContext jsc, Broadcast<PartitionGradient<A>> context,
      TrainingData train, int stepsPerEpoch, TrainingConfig config, StepTimes times) {
    StepRunner runner = choose(jsc, context, train, stepsPerEpoch, config, times);
    LOG.info("{}: {} steps per epoch, {}", config.jobLabel(), stepsPerEpoch, runner.describe());
    return runner;
  }

  private static <A> StepRunner choose(JavaSparkContext jsc,
      Broadcast<PartitionGradient<A>> context, TrainingData train, int stepsPerEpoch,
      TrainingConfig config, StepTimes times) {
    SparkContext sc = jsc.sc();
    int numParams = config.network().spec().numParams();
    if (!LocalExchange.usable(sc)) {
      return remote(jsc, context, train, stepsPerEpoch, config, times);
    }
    LocalExchange.Scope fit = LocalExchange.open();
    // Two steps' shares can be out at once (the next step runs ahead), one array per partition
    // each; a smaller cap would drop and reallocate arrays every step.
    GradientPool<A> pool = GradientPool.open(fit, context.value().flat(), numParams,
        2 * train.numPartitions() + 1);
    boolean ahead = canRunAhead(sc);
    if (ahead && wanted(sc, EPOCH_JOBS_KEY) && train.numPartitions()
        <= localSlots(sc.master(), sc.getConf().getInt("spark.task.cpus", 1))) {
      return new EpochSteps<>(train, context, fit, pool, stepsPerEpoch, times);
    }
    return new LocalStepJobs<>(train, context, fit, pool, stepsPerEpoch, ahead, times);
  }

  /**
   * Tasks in other JVMs: an epoch job ({@link StreamSteps}) on a cluster where
   * {@link EpochJobs#whyNot} finds nothing against it, else one job per step, with the reason
   * logged.
   */
  private static <A> StepRunner remote(JavaSparkContext jsc,
      Broadcast<PartitionGradient<A>> context, TrainingData train, int stepsPerEpoch,
      TrainingConfig config, StepTimes times) {
    SparkContext sc = jsc.sc();
    int depth = config.aggregationDepth();
    if (!sc.isLocal()) {
      String whyNot = EpochJobs.whyNot(sc, wanted(sc, EPOCH_JOBS_KEY), train.numPartitions());
      if (whyNot == null) return new StreamSteps<>(jsc, train, context, stepsPerEpoch, depth,
          times);
      LOG.info("{}: no epoch jobs on this cluster: {}", config.jobLabel(), whyNot);
    }
    TransportSettings.check(jsc.getConf(), config.network().spec().numParams(),
        config.precision(), config.jobLabel());
    return new BroadcastSteps<>(jsc, train, context, stepsPerEpoch, depth, times);
  }

  /**
   * Whether a step's tasks may start before its weights exist (waiting at a gate): only when no
   * task of step s can be left waiting for a slot that step s+1's waiting tasks hold. Spark's
   * FIFO scheduler always offers a free slot to the earlier job first, so that can only happen
   * if a task fails and is retried; {@code local} and {@code local[N]} never retry a task. So:
   * FIFO scheduling on {@code local}/{@code local[N]}/{@code local[*]} (not {@code local[N,F]}
   * with F &gt; 1), unless {@value #RUN_AHEAD_KEY}{@code =false}.
   */
  public static boolean canRunAhead(SparkContext sc) {
    if (!sc.isLocal() || !wanted(sc, RUN_AHEAD_KEY)) return false;
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

  /** A switch that is on unless a local property of the caller or the Spark conf says false. */
  private static boolean wanted(SparkContext sc, String key) {
    String local = sc.getLocalProperty(key);
    return local != null ? Boolean.parseBoolean(local.trim()) : sc.getConf().getBoolean(key, true);
  }

  /** Whether a local master string lets a failed task run again ({@code local[N,F]}, F > 1). */
  public static boolean retriesTasks(String master) {
    Matcher m = LOCAL_WITH_RETRIES.matcher(master.trim());
    return m.matches() && Integer.parseInt(m.group(2)) > 1;
  }

  /**
   * Tasks a local master runs at once: its thread count over {@code taskCpus}; 0 for a master
   * that is not local.
   */
  public static int localSlots(String master, int taskCpus) {
    Matcher m = LOCAL_THREADS.matcher(master.trim());
    if (!m.matches()) return 0;
    String threads = m.group(1);
    int n = threads == null ? 1 : "*".equals(threads)
        ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    return n / Math.max(1, taskCpus);
  }
}
