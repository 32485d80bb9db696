package org.sparkdfa.train;

import java.io.Serializable;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.immutable.Range;
import scala.runtime.AbstractFunction1;

/**
 * One partition's part of an epoch job ({@link EpochJob}): every step of the epoch in one task.
 * For each step it takes a zeroed gradient from the fit's pool and gathers its rows, then waits
 * at the step's gate for the weights, computes its share and delivers it to the
 * {@link EpochChannel}; the next step's gathering overlaps the driver's update. A named function
 * class for the reason given in {@link ShareTask}.
 */
final class EpochTask extends AbstractFunction1<Iterator<PartitionData>, GradientSum>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<StepContext> context;
  /** The LocalExchange ids of the epoch's channel and of the fit's gradient pool. */
  private final long channel;
  private final long buffers;
  private final int epoch;
  private final int stepsPerEpoch;

  EpochTask(Broadcast<StepContext> context, long channel, long buffers, int epoch,
      int stepsPerEpoch) {
    this.context = context;
    this.channel = channel;
    this.buffers = buffers;
    this.epoch = epoch;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public GradientSum apply(Iterator<PartitionData> partition) {
    if (!LocalExchange.contains(channel)) return new GradientSum(); // a straggler of a cancel
    EpochChannel ch = (EpochChannel) LocalExchange.get(channel);
    StepContext ctx = context.value();
    while (partition.hasNext()) { // one PartitionData per partition
      run(ctx, ch, partition.next(), buffers, epoch, stepsPerEpoch);
    }
    return new GradientSum();
  }

  /**
   * Partition p's shares of every step of {@code epoch}, each delivered to {@code ch} (the
   * arrays from the pool with exchange id {@code buffers}), until the last step or until the
   * channel is abandoned. Also what {@link InProcessLoop}'s threads run.
   */
  static void run(StepContext ctx, EpochChannel ch, PartitionData p, long buffers, int epoch,
      int stepsPerEpoch) {
    for (int step = 0; step < stepsPerEpoch && !ch.abandoned(); step++) {
      int s = step;
      Object zeroed = StepBuffers.zeroed(buffers);
      GradientSum share = ctx.shareGradientInto(p, () -> ch.weights(s), epoch, step,
          stepsPerEpoch, zeroed);
      if (share.grad == null && share.grad32 == null) {
        StepBuffers.giveBack(buffers, zeroed); // no rows in this step, or abandoned
      }
      ch.deliver(step, p.partition, share.returningTo(buffers));
    }
  }

  /** Submits this on every partition of {@code blocks} without waiting. */
  SimpleFutureAction<GradientSum[]> submitOn(JavaRDD<PartitionData> blocks) {
    int n = blocks.getNumPartitions();
    ShareTask.Collect ignored = new ShareTask.Collect(n);
    return blocks.context().submitJob(blocks.rdd(), this, new Range.Exclusive(0, n, 1), ignored,
        ignored);
  }
}
