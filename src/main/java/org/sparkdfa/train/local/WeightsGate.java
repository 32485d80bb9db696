package org.sparkdfa.train.local;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;

/**
 * A step's weights that do not exist yet when its tasks start: the driver publishes them once
 * it has applied the previous step's update, and the step's tasks, launched meanwhile, wait here
 * after gathering their rows. Opened once, either with the weights or empty (the step was
 * abandoned: training diverged or failed), so a waiting task never outlives its fit.
 *
 * <p>The wait polls its task's kill flag, so cancelling the job (or the job group) frees the slot
 * within {@link #POLL_MS} milliseconds even if the driver never opens the gate.
 */
public final class WeightsGate<A> {
  public static final long POLL_MS = 50;

  private final CountDownLatch open = new CountDownLatch(1);
  private volatile A values;

  /** Lets the waiting tasks compute with {@code weights}. */
  public void publish(A weights) {
    if (weights == null) throw new IllegalArgumentException("weights must not be null");
    values = weights;
    open.countDown();
  }

  /** Lets the waiting tasks go without weights: they return an empty share. */
  public void abandon() {
    open.countDown();
  }

  /** The published weights, or null if the step was abandoned; blocks until the gate opens. */
  public A await() {
    TaskContext task = TaskContext.get();
    try {
      while (!open.await(POLL_MS, TimeUnit.MILLISECONDS)) {
        if (task != null) task.killTaskIfInterrupted();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the step's weights", e);
    }
    return values;
  }
}
