package org.sparkdfa.train.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sparkdfa.train.Futures;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.steps.PartitionGradient;

/**
 * Steps without Spark: the same packed partitions and the same per-partition work as an epoch
 * job ({@link EpochTask#run}), on a fixed pool of threads standing in for the task slots. The
 * reference the overhead benchmark divides Spark's epoch time by: only Spark's job and task
 * scheduling is gone, so for the same config and partitioning it gives bit-identical weights.
 */
public final class ThreadSteps<A> extends ChannelSteps<A> {
  private final PartitionGradient<A> context;
  private final List<PartitionData> blocks;
  private final LocalExchange.Scope fit;
  private final ExecutorService threads;
  private List<Future<?>> running;

  /**
   * @param blocks  partition i of the data at index i
   * @param threads worker threads, like the task slots of {@code local[P]}; at least one per
   *                partition is used (each waits at every step's gate)
   */
  public ThreadSteps(PartitionGradient<A> context, List<PartitionData> blocks, int threads,
      int stepsPerEpoch, StepTimes times) {
    this(context, blocks, threads, stepsPerEpoch, times, LocalExchange.open());
  }

  private ThreadSteps(PartitionGradient<A> context, List<PartitionData> blocks, int threads,
      int stepsPerEpoch, StepTimes times, LocalExchange.Scope fit) {
    super(GradientPool.open(fit, context.flat(), context.network().spec().numParams(),
        Math.max(2, blocks.size() + 1)), blocks.size(), stepsPerEpoch, times);
    this.context = context;
    this.blocks = List.copyOf(blocks);
    this.fit = fit;
    this.threads = Executors.newFixedThreadPool(Math.max(threads, blocks.size()), r -> {
      Thread t = new Thread(r, "in-process-steps");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  EpochChannel.Tasks start(int epoch, EpochChannel<A> ch) {
    List<Future<?>> tasks = new ArrayList<>(blocks.size());
    for (PartitionData p : blocks) {
      tasks.add(threads.submit(() -> EpochTask.run(context, ch, p, pool, epoch,
          stepsPerEpoch())));
    }
    running = tasks;
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

  @Override
  void awaitTasks() {
    for (Future<?> f : running) Futures.join(f, "a partition's shares");
  }

  @Override
  public String describe() {
    return "plain threads in this JVM, one per partition (no Spark)";
  }

  @Override
  public void close() {
    abandonEpoch();
    threads.shutdownNow();
    fit.close();
  }
}
