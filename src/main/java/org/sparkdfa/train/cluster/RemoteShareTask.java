package org.sparkdfa.train.cluster;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.blocks.ExecutorMemory;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.steps.PackedSum;
import org.sparkdfa.train.steps.PartitionGradient;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One step's work in one partition on an executor in another JVM ({@link BroadcastSteps}): the
 * partition's share at the step's weights ({@link WeightsBlock}), returned as bytes. A named
 * function class, so Spark's ClosureCleaner does not parse a class file per job
 * ({@code SparkJobs}).
 */
final class RemoteShareTask<A> extends AbstractFunction1<Iterator<PartitionData>, PackedSum>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<PartitionGradient<A>> context;
  private final WeightsBlock weights;
  private final int epoch;
  private final int step;
  private final int stepsPerEpoch;

  RemoteShareTask(Broadcast<PartitionGradient<A>> context, WeightsBlock weights,
      int epoch, int step, int stepsPerEpoch) {
    this.context = context;
    this.weights = weights;
    this.epoch = epoch;
    this.step = step;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public PackedSum apply(Iterator<PartitionData> partition) {
    if (!partition.hasNext()) return new PackedSum(context.value().flat());
    return share(partition.next()); // one PartitionData per partition
  }

  /** Partition p's share; out of memory, an error naming the partition and the fixes. */
  PackedSum share(PartitionData p) {
    PartitionGradient<A> ctx = context.value();
    return ExecutorMemory.guard(() -> String.format(java.util.Locale.ROOT, "computing step %d "
        + "of epoch %d on partition %d (%d rows, %s packed)", step, epoch, p.partition(),
        p.rows(), ExecutorMemory.mb(p.packedBytes())), ctx.flat().precision(),
        () -> ctx.sharePacked(p, () -> weights.values(ctx.flat()), epoch, step, stepsPerEpoch));
  }
}
