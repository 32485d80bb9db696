package org.sparkdfa.train.steps;

import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.Optimizers;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * One partition's round of local steps: from the round's weights θ, the partition's shares of
 * steps [r·H, (r+1)·H) one after another, each averaged over its rows and applied by a fresh
 * copy of the inner optimizer to the partition's own weights θ_p, kept in the fit's master
 * precision ({@link RoundPlan#innerPrecision}): in double with a float64 master (the gradient in
 * the fit's precision), in float32 — weights, gradient and moments, each local step read by the
 * next one's tasks as they are — with a float32 master. The round's result, summed over
 * partitions like a gradient, is w_p · (θ − θ_p) with w_p the partition's row weight in the
 * round (computed in double), so the driver's average of the sum is the row-weighted mean
 * weight delta, which its outer optimizer applies. Loss, weight and count are the local steps'
 * own.
 */
final class LocalRound {
  private LocalRound() {}

  @SuppressWarnings("unchecked")
  static <A> GradientSum<A> run(PartitionGradient<A> ctx, RoundPlan plan, PartitionData p,
      A weights, int epoch, int round, A out, ArrayHome<A> home) {
    if (plan.innerPrecision() == Precision.FLOAT32) {
      // PartitionGradient.withRounds admits a float32 inner only with float32 shares: A is float[].
      return (GradientSum<A>) float32((PartitionGradient<float[]>) ctx, plan, p,
          (float[]) weights, epoch, round, (float[]) out, (ArrayHome<float[]>) home);
    }
    return float64(ctx, plan, p, weights, epoch, round, out, home);
  }

  private static <A> GradientSum<A> float64(PartitionGradient<A> ctx, RoundPlan plan,
      PartitionData p, A weights, int epoch, int round, A out, ArrayHome<A> home) {
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
      result.addTotals(share);
    }
    if (result.weight <= 0) return new GradientSum<>(flat);
    flat.scaledDifference(start, theta, result.weight, out);
    result.taskNanos = System.nanoTime() - t0;
    return result;
  }

  /** The round with float32 inner weights and moments (see the class comment). */
  private static GradientSum<float[]> float32(PartitionGradient<float[]> ctx, RoundPlan plan,
      PartitionData p, float[] weights, int epoch, int round, float[] out,
      ArrayHome<float[]> home) {
    Flat<float[]> flat = ctx.flat();
    int n = weights.length;
    ScratchPool<float[]> pool = ctx.pool();
    ScratchPool.Float32Round r = pool.borrowRound(plan, n,
        ctx.network().spec().regularizedIndices());
    try {
      float[] theta = r.theta;
      System.arraycopy(weights, 0, theta, 0, n);
      GradientSum<float[]> result = new GradientSum<>(flat, out, home);
      long t0 = System.nanoTime();
      for (int s = plan.firstStep(round); s < plan.endStep(round); s++) {
        flat.zero(r.work);
        GradientSum<float[]> share = ctx.stepShare(p, () -> theta, epoch, s,
            plan.stepsPerEpoch(), r.work, null);
        if (share.isEmpty() || share.weight() <= 0) continue;
        share.scaleInto(r.grad, 1.0 / share.weight(), 0, n);
        r.inner.step(theta, r.grad);
        result.addTotals(share);
      }
      if (result.weight <= 0) return new GradientSum<>(flat);
      double scale = result.weight;
      for (int i = 0; i < n; i++) out[i] = (float) (scale * ((double) weights[i] - theta[i]));
      result.taskNanos = System.nanoTime() - t0;
      return result;
    } finally {
      pool.giveBack(r);
    }
  }
}
