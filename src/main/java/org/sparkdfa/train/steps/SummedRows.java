package org.sparkdfa.train.steps;

import java.io.Serializable;

/**
 * The scalars every summed share carries beside its gradient: weighted loss, row weight and row
 * count over the rows, and the slowest contributing task's compute time (a step's critical path
 * of math, reported apart from Spark's part of the step).
 */
public abstract class SummedRows implements Serializable {
  private static final long serialVersionUID = 1L;

  double loss;
  double weight;
  long count;
  long taskNanos;

  protected SummedRows() {}

  protected SummedRows(SummedRows totals) {
    addTotals(totals);
  }

  final void addTotals(SummedRows o) {
    loss += o.loss;
    weight += o.weight;
    count += o.count;
    taskNanos = Math.max(taskNanos, o.taskNanos);
  }

  /** Summed weighted loss. */
  public final double loss() {
    return loss;
  }

  /** Summed row weight (the rows' count when unweighted). */
  public final double weight() {
    return weight;
  }

  public final long count() {
    return count;
  }

  /** The slowest contributing task's own compute, in ns. */
  public final long taskNanos() {
    return taskNanos;
  }
}
