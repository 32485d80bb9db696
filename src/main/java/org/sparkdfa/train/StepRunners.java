package org.sparkdfa.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Chooses, once per fit, how its steps run ({@link StepRunner}):
 * <ul>
 *   <li>tasks in other JVMs (a cluster), or the local exchange switched off: one job per step,
 *       weights broadcast and gradients returned as bytes;</li>
 *   <li>a local master that may run ahead ({@link StepJobs#canRunAhead}) whose task slots hold
 *       every partition at once: one job per epoch ({@link EpochJob});</li>
 *   <li>other local masters: one job per step by reference, run ahead where allowed.</li>
 * </ul>
 * Every choice gives bit-identical weights. {@value #CONF_KEY}{@code =false} (a Spark conf key,
 * or a local property of the thread that calls fit) keeps one job per step.
 */
final class StepRunners {
  /** {@code false} runs one Spark job per step even where an epoch job could run. */
  static final String CONF_KEY = "spark.sparkdfa.epochJobs";

  private static final Pattern LOCAL_THREADS =
      Pattern.compile("local(?:\\[\\s*(\\d+|\\*)\\s*(?:,\\s*\\d+\\s*)?\\])?");

  private StepRunners() {}

  static StepRunner forFit(JavaSparkContext jsc, Broadcast<StepContext> bctx,
      StepBuffers buffers, TrainingData train, int stepsPerEpoch, int depth, StepTimes times) {
    StepJobs jobs = new StepJobs(jsc, bctx, buffers, depth, times);
    SparkContext sc = jsc.sc();
    if (jobs.runsAhead() && epochJobsWanted(sc)
        && train.numPartitions() <= localSlots(sc.master(), sc.getConf().getInt(
            "spark.task.cpus", 1))) {
      return new EpochJob(train, bctx, buffers, stepsPerEpoch, times);
    }
    return new JobPerStep(train, jobs, stepsPerEpoch, jobs.runsAhead());
  }

  private static boolean epochJobsWanted(SparkContext sc) {
    String local = sc.getLocalProperty(CONF_KEY);
    return local != null ? Boolean.parseBoolean(local.trim())
        : sc.getConf().getBoolean(CONF_KEY, true);
  }

  /**
   * Tasks a local master runs at once: its thread count over {@code taskCpus}; 0 for a master
   * that is not local.
   */
  static int localSlots(String master, int taskCpus) {
    Matcher m = LOCAL_THREADS.matcher(master.trim());
    if (!m.matches()) return 0;
    String threads = m.group(1);
    int n = threads == null ? 1 : "*".equals(threads)
        ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    return n / Math.max(1, taskCpus);
  }
}
