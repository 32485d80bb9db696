package org.sparkdfa.train.local;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.SparkJobs;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.PartitionGradient;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * One partition's part of an epoch job ({@link EpochSteps}): every step of the epoch in one
 * task. For each step it takes a zeroed gradient from the fit's pool and gathers its rows, then
 * waits at the step's gate for the weights, computes its share and delivers it to the
 * {@link EpochChannel}; the next step's gathering overlaps the driver's update. A named function
 * class ({@link SparkJobs}).
 */
final class EpochTask<A> extends AbstractFunction1<Iterator<PartitionData>, BoxedUnit>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<PartitionGradient<A>> context;
  /** The exchange ids of the epoch's channel and of the fit's gradient pool. */
  private final long channel;
  private final long pool;
  private final int epoch;
  private final int stepsPerEpoch;

  EpochTask(Broadcast<PartitionGradient<A>> context, long channel, long pool, int epoch,
      int stepsPerEpoch) {
    this.context = context;
    this.channel = channel;
    this.pool = pool;
    this.epoch = epoch;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  @SuppressWarnings("unchecked")
  public BoxedUnit apply(Iterator<PartitionData> partition) {
    EpochChannel<A> ch = (EpochChannel<A>) LocalExchange.find(channel);
    if (ch == null) return BoxedUnit.UNIT; // a straggler of a cancelled epoch
    GradientPool<A> home = GradientPool.find(pool);
    while (partition.hasNext()) { // one PartitionData per partition
      run(context.value(), ch, partition.next(), home, epoch, stepsPerEpoch);
    }
    return BoxedUnit.UNIT;
  }

  /**
   * Partition p's shares of every step of {@code epoch}, each delivered to {@code ch} (the
   * arrays from {@code pool}), until the last step or until the channel is abandoned. Also what
   * {@link ThreadSteps}'s threads run.
   */
  static <A> void run(PartitionGradient<A> ctx, EpochChannel<A> ch, PartitionData p,
      GradientPool<A> pool, int epoch, int stepsPerEpoch) {
    for (int step = 0; step < stepsPerEpoch && !ch.abandoned(); step++) {
      int s = step;
      A zeroed = pool.zeroed();
      GradientSum<A> share = ctx.share(p, () -> ch.weights(s), epoch, step, stepsPerEpoch,
          zeroed, pool);
      if (share.isEmpty()) pool.giveBack(zeroed); // no rows in this step, or abandoned
      ch.deliver(step, p.partition(), share);
    }
  }
}
