package org.sparkdfa.train.steps;

import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.Optimizers;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * One partition's round of local steps: from the round's weights θ, the partition's shares of
 * steps [r·H, (r+1)·H) one after another, each averaged over its rows and applied by a fresh
 * copy of the inner optimizer to the partition's own weights θ_p (in double, as the driver
 * keeps them; the gradient in the fit's precision). The round's result, summed over partitions
 * like a gradient, is w_p · (θ − θ_p) with w_p the partition's row weight in the round, so the
 * driver's average of the sum is the row-weighted mean weight delta, which its outer optimizer
 * applies. Loss, weight and count are the local steps' own.
 */
final class LocalRound {
  private LocalRound() {}

  static <A> GradientSum<A> run(PartitionGradient<A> ctx, RoundPlan plan, PartitionData p,
      A weights, int epoch, int round, A out, ArrayHome<A> home) {
    Flat<A> flat = ctx.flat();
    int n = flat.length(weights);
    double[] start = flat.toDouble(weights);
    double[] theta = start.clone();
    Optimizer inner = Optimizers.create(plan.inner(), n,
        ctx.network().spec().regularizedIndices());
    double[] grad = new double[n];
    A work = flat.alloc(n);
    A local = flat.fromParams(theta, null);
    GradientSum<A> result = new GradientSum<>(flat, out, home);
    long t0 = System.nanoTime();
    for (int s = plan.firstStep(round); s < plan.endStep(round); s++) {
      if (s > plan.firstStep(round)) flat.zero(work);
      A at = local;
      GradientSum<A> share = ctx.stepShare(p, () -> at, epoch, s, plan.stepsPerEpoch(), work,
          null);
      if (share.isEmpty() || share.weight() <= 0) continue;
      share.scaleInto(grad, 1.0 / share.weight(), 0, n);
      inner.step(theta, grad);
      local = flat.fromParams(theta, local);
      result.loss += share.loss();
      result.weight += share.weight();
      result.count += share.count();
    }
    if (result.weight <= 0) return new GradientSum<>(flat);
    flat.scaledDifference(start, theta, result.weight, out);
    result.taskNanos = System.nanoTime() - t0;
    return result;
  }
}
