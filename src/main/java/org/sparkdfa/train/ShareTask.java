package org.sparkdfa.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.immutable.Range;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * A step's work in one partition, as a named function class handed to the most specific
 * {@code SparkContext.runJob}. Spark's ClosureCleaner reads and parses (with ASM) the class file
 * that declares every lambda it is given, on every job: for treeAggregate or fold that is
 * Spark's RDD class, for the short runJob overloads SparkContext's own wrapper lambda. Profiled,
 * that was nearly all of the driver's CPU time per step. Named classes are skipped.
 */
final class ShareTask extends AbstractFunction2<TaskContext, Iterator<PartitionData>, GradientSum>
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
  public GradientSum apply(TaskContext task, Iterator<PartitionData> partition) {
    GradientSum sum = null;
    while (partition.hasNext()) { // one PartitionData per partition; a share leaves as it is
      GradientSum share = ticket.share(context.value(), partition.next(), epoch, step,
          stepsPerEpoch);
      sum = sum == null ? share : sum.merge(share);
    }
    return sum == null ? new GradientSum() : sum;
  }

  /** Runs this on every partition of {@code blocks}; element i is partition i's share. */
  GradientSum[] runOn(JavaRDD<PartitionData> blocks) {
    int n = blocks.getNumPartitions();
    Collect results = new Collect(n);
    blocks.context().runJob(blocks.rdd(), this, new Range.Exclusive(0, n, 1), results,
        scala.reflect.ClassTag$.MODULE$.apply(GradientSum.class));
    return results.shares;
  }

  /** Keeps each partition's result (runs on the driver; a named class for the same reason). */
  private static final class Collect extends AbstractFunction2<Object, GradientSum, BoxedUnit> {
    final GradientSum[] shares;

    Collect(int n) {
      shares = new GradientSum[n];
    }

    @Override
    public BoxedUnit apply(Object index, GradientSum share) {
      shares[(Integer) index] = share;
      return BoxedUnit.UNIT;
    }
  }
}
