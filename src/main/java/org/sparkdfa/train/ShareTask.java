package org.sparkdfa.train;

import java.io.Serializable;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.immutable.Range;
import scala.Function0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * A step's work in one partition, as a named function class handed to
 * {@code SparkContext.submitJob}. Spark's ClosureCleaner reads and parses (with ASM) the class file
 * that declares every lambda it is given, on every job: for treeAggregate or fold that is
 * Spark's RDD class, for the short runJob overloads SparkContext's own wrapper lambda. Profiled,
 * that was nearly all of the driver's CPU time per step. Named classes are skipped.
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

  /**
   * Submits this on every partition of {@code blocks} without waiting; element i of the future's
   * value is partition i's share.
   */
  SimpleFutureAction<GradientSum[]> submitOn(JavaRDD<PartitionData> blocks) {
    int n = blocks.getNumPartitions();
    Collect results = new Collect(n);
    return blocks.context().submitJob(blocks.rdd(), this,
        new Range.Exclusive(0, n, 1), results, results);
  }

  /**
   * Waits for a submitted job; a failure is rethrown as {@code runJob} throws it (Spark's
   * SparkException, unchecked here as in Scala).
   */
  static GradientSum[] await(SimpleFutureAction<GradientSum[]> action) {
    try {
      scala.concurrent.Await.ready(action, scala.concurrent.duration.Duration.Inf());
    } catch (InterruptedException e) {
      action.cancel();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a step's job", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e); // cannot happen: the wait is unbounded
    }
    scala.util.Try<GradientSum[]> outcome = action.value().get();
    if (outcome.isFailure()) throw ShareTask.<RuntimeException>sneaky(outcome.failed().get());
    return outcome.get();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /**
   * Keeps each partition's result and hands them over when the job ends (runs on the driver; a
   * named class for the same reason).
   */
  static final class Collect extends AbstractFunction2<Object, GradientSum, BoxedUnit>
      implements Function0<GradientSum[]> {
    final GradientSum[] shares;

    Collect(int n) {
      shares = new GradientSum[n];
    }

    @Override
    public BoxedUnit apply(Object index, GradientSum share) {
      shares[(Integer) index] = share;
      return BoxedUnit.UNIT;
    }

    @Override
    public GradientSum[] apply() {
      return shares;
    }
  }
}
