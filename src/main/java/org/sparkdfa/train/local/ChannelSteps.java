package org.sparkdfa.train.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.train.StepRunner;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.steps.PairSum;
import org.sparkdfa.train.steps.StepGradient;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * Steps whose tasks run a whole epoch each and meet the driver at an {@link EpochChannel}: per
 * step the driver publishes the weights and takes the P shares in tree order (the root's
 * addition left to the update's pass, {@link PairSum}). Where the tasks
 * run — a Spark job ({@link EpochSteps}) or plain threads ({@link ThreadSteps}) — is the
 * subclass's; everything else about a step is here, once.
 */
abstract class ChannelSteps<A> implements StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelSteps.class);

  final GradientPool<A> pool;
  final int partitions;
  private final int stepsPerEpoch;
  private final StepTimes times;
  private EpochChannel<A> channel;
  private EpochChannel.Tasks tasks;
  private int epoch = -1;

  ChannelSteps(GradientPool<A> pool, int partitions, int stepsPerEpoch, StepTimes times) {
    this.pool = pool;
    this.partitions = partitions;
    this.stepsPerEpoch = stepsPerEpoch;
    this.times = times;
  }

  int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** Starts every partition's task of {@code epoch} on {@code ch}; returns how to watch them. */
  abstract EpochChannel.Tasks start(int epoch, EpochChannel<A> ch);

  /** Waits until the epoch's tasks have ended, rethrowing a failure. */
  abstract void awaitTasks();

  /** Frees what the epoch held (its exchange scope). */
  void endEpoch() {}

  @Override
  public StepGradient gradient(double[] params, int epoch, int step) {
    long t0 = System.nanoTime();
    return run(pool.weights(params), epoch, step, t0);
  }

  @Override
  public StepGradient gradient(float[] params, int epoch, int step) {
    long t0 = System.nanoTime();
    return run(pool.weights(params), epoch, step, t0);
  }

  private StepGradient run(A weights, int epoch, int step, long t0) {
    if (channel == null || this.epoch != epoch) {
      abandonEpoch();
      EpochChannel<A> ch = new EpochChannel<>(partitions);
      tasks = start(epoch, ch);
      channel = ch;
      this.epoch = epoch;
    }
    channel.publish(step, weights);
    long t1 = System.nanoTime();
    times.addWeightsOut(t1 - t0);
    try {
      StepGradient sum = PairSum.of(pool.flat(), channel.take(step, tasks));
      times.addTask(sum.taskNanos());
      if (step + 1 == stepsPerEpoch) finish();
      return sum;
    } finally {
      times.addJob(System.nanoTime() - t1);
      times.countStep();
    }
  }

  /** The epoch's last step is taken: its tasks are returning; a late failure is rethrown. */
  private void finish() {
    try {
      awaitTasks();
    } finally {
      clear();
    }
  }

  @Override
  public WeightsCopy weightsCopy() {
    return pool.weightsCopy();
  }

  @Override
  public void abandonEpoch() {
    if (channel == null) return;
    channel.abandon();
    try {
      awaitTasks();
    } catch (Exception e) { // Spark's SparkException arrives unchecked
      LOG.debug("an abandoned epoch's tasks failed", e);
    } finally {
      clear();
    }
  }

  private void clear() {
    channel = null;
    tasks = null;
    endEpoch();
  }
}
