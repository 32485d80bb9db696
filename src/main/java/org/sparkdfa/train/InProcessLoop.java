package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.Optimizers;

/**
 * The trainer's mini-batch loop without Spark: the same packed partitions, the same per-partition
 * work ({@link EpochTask#run}: every step's share, handed over through an {@link EpochChannel}),
 * the same {@link OrderedSum} tree, the same averaging and optimizer on the same thread as the
 * weights — only Spark's job and task scheduling is gone, and a fixed pool of P threads stands
 * in for the task slots. It is the reference the overhead benchmark divides Spark's epoch time by, so it must
 * do no more and no less math than {@link Trainer}: for the same config and partitioning it ends
 * with bit-identical weights (InProcessLoopTest checks it).
 *
 * <p>Not supported (a benchmark does not need them): validation sets, early stopping, listeners,
 * checkpoints, L-BFGS, and fresh-per-epoch data. Divergence throws instead of stopping quietly.
 */
public final class InProcessLoop implements AutoCloseable {

  private final TrainingConfig config;
  private final StepContext ctx;
  private final List<PartitionData> partitions;
  private final int stepsPerEpoch;
  private final Optimizer optimizer;
  private final ExecutorService pool;
  /** Gradient arrays and the float32 weights reused from step to step, as the trainer does. */
  private final StepBuffers buffers;
  private final StepUpdate update;
  private final double[] grad;
  private final double[] before;
  private double[] params;
  private long steps;

  /**
   * @param partitions every partition of the packed training data (e.g. collected from
   *                   {@link TrainingData#blocks}), in any order
   * @param threads    worker threads, like the task slots of {@code local[P]}; at least one per
   *                   partition is used
   */
  public InProcessLoop(TrainingConfig config, List<PartitionData> partitions, int threads) {
    if (config.lbfgs()) {
      throw new IllegalArgumentException("InProcessLoop runs the mini-batch rules, not lbfgs");
    }
    this.config = config;
    this.partitions = new ArrayList<>(partitions);
    this.partitions.sort(Comparator.comparingInt(PartitionData::partition));
    for (int i = 0; i < this.partitions.size(); i++) {
      if (this.partitions.get(i).partition() != i) {
        throw new IllegalArgumentException("partitions must be 0.." + (partitions.size() - 1)
            + ", each once; partition " + i + " is missing or repeated");
      }
    }
    long rows = 0;
    for (PartitionData p : this.partitions) rows += p.rows();
    // Same plan as Trainer: steps per epoch from the global batch, each partition's share a range
    // of its own permutation.
    this.stepsPerEpoch = (int) Math.max(1, (rows + config.batchSize() - 1) / config.batchSize());
    this.ctx = new StepContext(config.network(), config.feedback(), config.seed(),
        this.partitions.size(), config.precision());
    this.params = config.initialParams().clone();
    this.grad = new double[params.length];
    this.before = new double[params.length];
    this.optimizer = Optimizers.create(config.optimizer(), params.length,
        config.network().spec().regularizedIndices());
    this.buffers = StepBuffers.local(config.network().spec().numParams(), config.precision(),
        Math.max(2, partitions.size() + 1));
    this.update = new StepUpdate(params.length);
    // One worker per partition at least: each waits at every step's gate (see EpochTask#run).
    this.pool = Executors.newFixedThreadPool(Math.max(threads, this.partitions.size()), r -> {
      Thread t = new Thread(r, "in-process-loop");
      t.setDaemon(true);
      return t;
    });
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** The current weights (a copy). */
  public double[] params() {
    return params.clone();
  }

  /** Every epoch of the config, from the initial weights; the result as Trainer returns it. */
  public TrainingResult train() {
    List<EpochRecord> history = new ArrayList<>();
    for (int e = 0; e < config.maxEpochs(); e++) history.add(epoch(e));
    return new TrainingResult(params.clone(), history, steps, StopReason.MAX_ITER,
        "reached maxIter = " + config.maxEpochs() + " epochs");
  }

  /** Runs epoch {@code epoch} (0-based, it seeds the permutations) and returns its record. */
  public EpochRecord epoch(int epoch) {
    optimizer.startEpoch(epoch); // per-epoch step-size schedules
    long start = System.nanoTime();
    double lossSum = 0;
    double weightSum = 0;
    StepTimes times = new StepTimes();
    EpochChannel channel = new EpochChannel(partitions.size());
    List<Future<?>> tasks = new ArrayList<>(partitions.size());
    for (PartitionData p : partitions) {
      tasks.add(pool.submit(() -> EpochTask.run(ctx, channel, p, buffers.id(), epoch,
          stepsPerEpoch)));
    }
    EpochChannel.Tasks watch = watching(tasks);
    try {
      for (int step = 0; step < stepsPerEpoch; step++) {
        long t0 = System.nanoTime();
        channel.publish(step, buffers.weights(params, config.precision()));
        long t1 = System.nanoTime();
        GradientSum sum = OrderedSum.ofPartitions(channel.take(step, watch)).result().unpacked();
        long t2 = System.nanoTime();
        times.weightsOut += t1 - t0;
        times.job += t2 - t1; // the shares on the pool: what Spark's job is in the trainer
        times.task += sum.taskNanos;
        times.steps++;
        if (sum.weight <= 0) continue;
        // The trainer's own update (it keeps the last good weights too: part of its cost).
        StepUpdate.Outcome outcome = Double.isFinite(sum.loss)
            ? update.apply(optimizer, sum, params, grad, before)
            : StepUpdate.Outcome.BAD_GRADIENT;
        sum.recycle();
        if (outcome == StepUpdate.Outcome.BAD_GRADIENT) {
          throw diverged(epoch, step, "the loss or gradient");
        }
        if (outcome == StepUpdate.Outcome.BAD_WEIGHT) {
          params = before.clone();
          throw diverged(epoch, step, "a weight");
        }
        steps++;
        lossSum += sum.loss;
        weightSum += sum.weight;
        times.update += System.nanoTime() - t2;
      }
    } finally {
      channel.abandon(); // a no-op for tasks past their last step
      for (Future<?> f : tasks) Futures.join(f, "a partition's shares");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new EpochRecord(epoch + 1, weightSum > 0 ? lossSum / weightSum : Double.NaN,
        Double.NaN, Double.NaN, seconds, steps, times.perStepMillis());
  }

  /** The pool's tasks of one epoch as the channel watches them. */
  private static EpochChannel.Tasks watching(List<Future<?>> tasks) {
    return new EpochChannel.Tasks() {
      @Override
      public boolean ended() {
        boolean all = true;
        for (Future<?> f : tasks) {
          if (f.isDone()) {
            Futures.join(f, "a partition's shares"); // throws its failure
          } else {
            all = false;
          }
        }
        return all;
      }

      @Override
      public void cancel() {
        for (Future<?> f : tasks) f.cancel(true);
      }
    };
  }

  private static IllegalStateException diverged(int epoch, int step, String what) {
    return new IllegalStateException("diverged at epoch " + (epoch + 1) + ", step " + (step + 1)
        + ": " + what + " became NaN/Infinity");
  }

  @Override
  public void close() {
    pool.shutdownNow();
    buffers.close();
    update.close();
  }
}
