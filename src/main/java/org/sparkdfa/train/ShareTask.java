package org.sparkdfa.train;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * A step's work in one partition, as a named function class handed straight to
 * {@code SparkContext.runJob}. Spark's ClosureCleaner reads and parses (with ASM) the class file
 * that declares every lambda it is given — for RDD operators such as treeAggregate that is
 * Spark's own RDD class — on every job; profiled, that was nearly all of the driver's CPU time
 * per step. A named class is only checked for serializability.
 */
final class ShareTask extends AbstractFunction1<Iterator<PartitionData>, GradientSum>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<StepContext> context;
  private final StepExchange.Ticket ticket;
  private final int epoch;
  private final int step;
  private final int stepsPerEpoch;

  ShareTask(Broadcast<StepContext> context, StepExchange.Ticket ticket, int epoch, int step,
      int stepsPerEpoch) {
    this.context = context;
    this.ticket = ticket;
    this.epoch = epoch;
    this.step = step;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public GradientSum apply(Iterator<PartitionData> partition) {
    GradientSum sum = null;
    while (partition.hasNext()) { // one PartitionData per partition; a share leaves as it is
      GradientSum share = ticket.share(context.value(), partition.next(), epoch, step,
          stepsPerEpoch);
      sum = sum == null ? share : sum.merge(share);
    }
    return sum == null ? new GradientSum() : sum;
  }
}
