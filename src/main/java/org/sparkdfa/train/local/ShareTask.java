package org.sparkdfa.train.local;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.SparkJobs;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.PartitionGradient;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One step's work in one partition on a local master ({@link LocalStepJobs}): sums the share
 * into an array of the fit's {@link GradientPool} at weights lent through the
 * {@link LocalExchange} (an array, or a {@link WeightsGate} for a step submitted ahead), and
 * parks the result in the step's scope. Only ids travel; a named function class
 * ({@link SparkJobs}).
 */
final class ShareTask<A> extends AbstractFunction1<Iterator<PartitionData>, ParkedShare>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<PartitionGradient<A>> context;
  /** Exchange ids: the step's scope, its weights (or gate), the fit's pool. */
  private final long scope;
  private final long weights;
  private final long pool;
  private final int epoch;
  private final int step;
  private final int stepsPerEpoch;

  ShareTask(Broadcast<PartitionGradient<A>> context, long scope, long weights, long pool,
      int epoch, int step, int stepsPerEpoch) {
    this.context = context;
    this.scope = scope;
    this.weights = weights;
    this.pool = pool;
    this.epoch = epoch;
    this.step = step;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public ParkedShare apply(Iterator<PartitionData> partition) {
    if (!partition.hasNext()) return ParkedShare.park(null, null);
    PartitionData p = partition.next(); // one PartitionData per partition
    GradientPool<A> home = GradientPool.find(pool);
    A zeroed = home.zeroed();
    GradientSum<A> share = context.value().share(p, this::weights, epoch, step, stepsPerEpoch,
        zeroed, home);
    if (share.isEmpty()) home.giveBack(zeroed);
    // A straggler of an ended step finds no scope: its array is left to the collector.
    return ParkedShare.park(share, (LocalExchange.Scope) LocalExchange.find(scope));
  }

  /** The step's weights: lent at once, or waited for at the gate (null once abandoned). */
  @SuppressWarnings("unchecked")
  private A weights() {
    Object lent = LocalExchange.get(weights);
    return lent instanceof WeightsGate<?> gate ? ((WeightsGate<A>) gate).await() : (A) lent;
  }
}
