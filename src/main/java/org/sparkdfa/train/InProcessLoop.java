package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.local.ThreadSteps;

/**
 * The trainer's own loop ({@link TrainingLoop}) over steps that run without Spark
 * ({@link ThreadSteps}): the same packed partitions, per-partition work, tree order, update and
 * optimizer, with a fixed pool of threads standing in for the task slots. The reference the
 * overhead benchmarks divide Spark's epoch time by; for the same config and partitioning it
 * ends with bit-identical weights (InProcessLoopTest checks it).
 *
 * <p>Not supported (a benchmark does not need them): validation sets, checkpoints, L-BFGS and
 * fresh-per-epoch data. Divergence throws instead of stopping quietly.
 */
public final class InProcessLoop implements AutoCloseable {
  private final TrainingConfig config;
  private final int stepsPerEpoch;
  private final StepRunner steps;
  private final TrainingLoop loop;

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
    List<PartitionData> sorted = new ArrayList<>(partitions);
    sorted.sort(Comparator.comparingInt(PartitionData::partition));
    long rows = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).partition() != i) {
        throw new IllegalArgumentException("partitions must be 0.." + (partitions.size() - 1)
            + ", each once; partition " + i + " is missing or repeated");
      }
      rows += sorted.get(i).rows();
    }
    this.config = config;
    this.stepsPerEpoch = TrainingLoop.unitsPerEpoch(config, rows);
    StepTimes times = new StepTimes();
    this.steps = new ThreadSteps<>(Trainer.context(config, sorted.size(), rows), sorted, threads,
        stepsPerEpoch, times);
    this.loop = new TrainingLoop(config, steps, stepsPerEpoch, times, null, null, epoch -> { });
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** The current weights (a copy). */
  public double[] params() {
    return loop.params().clone();
  }

  /** Every epoch of the config, from the initial weights; the result as Trainer returns it. */
  public TrainingResult train() {
    for (int e = 0; e < config.maxEpochs(); e++) epoch(e);
    return new TrainingResult(params(), List.copyOf(loop.history()), loop.steps(),
        StopReason.MAX_ITER, "reached maxIter = " + config.maxEpochs() + " epochs");
  }

  /** Runs epoch {@code epoch} (0-based, it seeds the permutations) and returns its record. */
  public EpochRecord epoch(int epoch) {
    if (!loop.epoch(epoch) && loop.reason() == StopReason.DIVERGED) {
      throw new IllegalStateException(loop.detail());
    }
    return loop.history().get(loop.history().size() - 1);
  }

  @Override
  public void close() {
    try {
      steps.close();
    } finally {
      loop.close();
    }
  }
}
