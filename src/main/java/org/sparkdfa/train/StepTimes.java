package org.sparkdfa.train;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where an epoch's step time goes on the driver, per step: building and broadcasting the weights,
 * the Spark job (tasks' compute, result transport and the ordered sum; the slowest task's own
 * compute is reported apart, so the rest of the job is Spark's), and the driver's update
 * (averaging, optimizer, checks). Reported in the epoch log line and the epoch record, so the
 * cost of Spark around the math is visible without a profiler.
 */
public final class StepTimes {
  /** Epoch metric: mean ms per step to snapshot, encode, broadcast and destroy the weights. */
  public static final String WEIGHTS_OUT = "time.weights_out_ms";
  /** Epoch metric: mean ms per step in the Spark job (compute, gradient transport, sum). */
  public static final String JOB = "time.job_ms";
  /**
   * Epoch metric: mean ms per step of the slowest task's own compute (gather and math), the
   * part of {@link #JOB} that is not Spark's.
   */
  public static final String TASK = "time.task_ms";
  /** Epoch metric: mean ms per step of the driver's update (average, optimizer, checks). */
  public static final String UPDATE = "time.update_ms";

  /** Prefix of the epoch metrics of a runner's own parts of a step ({@link #addPart}). */
  public static final String PART_PREFIX = "time.part.";

  private final Map<String, Long> parts = new TreeMap<>();
  private long weightsOut;
  private long job;
  private long update;
  private long task;
  private long steps;

  public StepTimes() {}

  /** Adds time spent sending a step's weights out. */
  public void addWeightsOut(long nanos) {
    weightsOut += nanos;
  }

  /** Adds time spent in a step's job (or waiting for its shares). */
  public void addJob(long nanos) {
    job += nanos;
  }

  /** Adds a step's slowest task's own compute. */
  public void addTask(long nanos) {
    task += nanos;
  }

  /** Adds time spent in the driver's update. */
  public void addUpdate(long nanos) {
    update += nanos;
  }

  /**
   * Adds time spent in part {@code name} of a step, a runner's own split of where its step goes
   * (reported as {@value #PART_PREFIX}{@code <name>_ms}, mean ms per step).
   */
  public void addPart(String name, long nanos) {
    parts.merge(name, nanos, Long::sum);
  }

  /** Counts one step done. */
  public void countStep() {
    steps++;
  }

  void reset() {
    weightsOut = 0;
    job = 0;
    update = 0;
    task = 0;
    steps = 0;
    parts.clear();
  }

  /** Mean milliseconds per step, under the metric names above. */
  Map<String, Double> perStepMillis() {
    Map<String, Double> m = new TreeMap<>();
    if (steps == 0) return m;
    m.put(WEIGHTS_OUT, weightsOut / 1e6 / steps);
    m.put(JOB, job / 1e6 / steps);
    m.put(UPDATE, update / 1e6 / steps);
    m.put(TASK, task / 1e6 / steps);
    for (Map.Entry<String, Long> e : parts.entrySet()) {
      m.put(PART_PREFIX + e.getKey() + "_ms", e.getValue() / 1e6 / steps);
    }
    return m;
  }

  String describe() {
    if (steps == 0) return "";
    return String.format(java.util.Locale.ROOT,
        "; per step %.1f ms weights out, %.1f ms Spark job (%.1f ms of it the slowest task's "
        + "compute), %.1f ms update", weightsOut / 1e6 / steps, job / 1e6 / steps,
        task / 1e6 / steps, update / 1e6 / steps);
  }
}
