package org.sparkdfa.train;

import org.apache.spark.SparkContext;

/**
 * The Spark job group a fit's jobs run in. A caller who set one ({@code sc.setJobGroup("mine",
 * …)}) keeps it: the fit's jobs run in the caller's group with our description, so
 * {@code sc.cancelJobGroup("mine")} stops the fit. A caller without one gets a group named after
 * the fit and the epoch. Closing puts back exactly what the calling thread had (group,
 * description, interrupt-on-cancel), so a fit leaves its caller's job properties as it found
 * them.
 */
final class JobGroup implements AutoCloseable {
  // SparkContext's own keys (private[spark] constants in Scala).
  private static final String GROUP = "spark.jobGroup.id";
  private static final String DESCRIPTION = "spark.job.description";
  private static final String INTERRUPT = "spark.job.interruptOnCancel";

  private final SparkContext sc;
  private final String label;
  private final String group;
  private final String description;
  private final String interrupt;

  private JobGroup(SparkContext sc, String label) {
    this.sc = sc;
    this.label = label;
    this.group = sc.getLocalProperty(GROUP);
    this.description = sc.getLocalProperty(DESCRIPTION);
    this.interrupt = sc.getLocalProperty(INTERRUPT);
  }

  /** Remembers the calling thread's job properties; {@link #close()} restores them. */
  static JobGroup enter(SparkContext sc, String label) {
    return new JobGroup(sc, label);
  }

  /**
   * The next jobs are described by {@code text}: in the caller's group if there is one,
   * otherwise in the group {@code label + suffix}.
   */
  void describe(String suffix, String text) {
    if (group != null) {
      sc.setJobDescription(text);
    } else {
      sc.setJobGroup(label + suffix, text, false);
    }
  }

  @Override
  public void close() {
    sc.setLocalProperty(GROUP, group);
    sc.setLocalProperty(DESCRIPTION, description);
    sc.setLocalProperty(INTERRUPT, interrupt);
  }
}
