package org.sparkdfa.train.local;

import java.util.HashMap;
import java.util.Map;
import org.sparkdfa.train.steps.GradientSum;

/**
 * Where the tasks of one epoch ({@link EpochSteps}, {@link ThreadSteps}) and the driver meet, step by step: the
 * driver publishes each step's weights at that step's {@link WeightsGate}, every task computes
 * its share and delivers it here, and the driver takes the step's P shares once all are in.
 * Parked in the {@link LocalExchange} for the length of the epoch (tasks reach it by id).
 *
 * <p>A task may deliver steps ahead of the driver only when its shares are empty (no rows of its
 * partition fall in those steps), so shares are kept per step.
 */
public final class EpochChannel<A> {
  /** How often a waiting driver checks whether the job has ended without delivering. */
  private static final long POLL_MS = 20;

  private final int partitions;
  private final Map<Integer, WeightsGate<A>> gates = new HashMap<>();
  private final Map<Integer, GradientSum<A>[]> shares = new HashMap<>();
  private final Map<Integer, Integer> delivered = new HashMap<>();
  private boolean abandoned;

  public EpochChannel(int partitions) {
    this.partitions = partitions;
  }

  /** Opens step {@code step}'s gate with its weights. */
  public void publish(int step, A weights) {
    gate(step).publish(weights);
  }

  /** Step {@code step}'s weights for a task: waits for the driver; null once abandoned. */
  public A weights(int step) {
    return gate(step).await();
  }

  private synchronized WeightsGate<A> gate(int step) {
    return gates.computeIfAbsent(step, s -> {
      WeightsGate<A> g = new WeightsGate<>();
      if (abandoned) g.abandon();
      return g;
    });
  }

  /** A task's share of {@code step}; dropped when the epoch was abandoned. */
  @SuppressWarnings("unchecked")
  public synchronized void deliver(int step, int partition, GradientSum<A> share) {
    if (abandoned) return;
    shares.computeIfAbsent(step, s -> new GradientSum[partitions])[partition] = share;
    delivered.merge(step, 1, Integer::sum);
    if (delivered.get(step) == partitions) notifyAll();
  }

  /** The tasks that deliver, as the driver watches them while it waits. */
  public interface Tasks {
    /** True once every task has ended; throws the first task's failure if one failed. */
    boolean ended();

    /** Stops the tasks (the waiting driver was interrupted). */
    void cancel();
  }

  /**
   * Waits until every partition has delivered step {@code step} and hands the shares over
   * (element i is partition i's). If a task fails first its failure is rethrown (tasks that end
   * without delivering are a bug, reported as such).
   */
  public synchronized GradientSum<A>[] take(int step, Tasks tasks) {
    try {
      while (delivered.getOrDefault(step, 0) < partitions) {
        if (tasks.ended()) {
          throw new IllegalStateException("the epoch's tasks ended without delivering step "
              + (step + 1) + " (" + delivered.getOrDefault(step, 0) + " of " + partitions
              + " shares)");
        }
        wait(POLL_MS);
      }
    } catch (InterruptedException e) {
      tasks.cancel();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a step's shares", e);
    }
    delivered.remove(step);
    gates.remove(step);
    return shares.remove(step);
  }

  /** Opens every gate, now and later, without weights: the tasks stop at their next step. */
  public synchronized void abandon() {
    abandoned = true;
    for (WeightsGate<A> g : gates.values()) g.abandon();
    notifyAll();
  }

  public synchronized boolean abandoned() {
    return abandoned;
  }
}
