package org.sparkdfa.optim;

import java.util.BitSet;

/** A rule over float64 weights and slots: the {@link Optimizer} face of the shared plumbing. */
abstract class DoubleRule extends AbstractOptimizer<double[]> implements Optimizer {

  DoubleRule(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized, SlotArrays.F64);
  }

  /**
   * Applies the rule to indices [from, to), reading the weights from {@code p} and writing the
   * updated ones to {@code out} (which may be {@code p}: in place). The loss gradient at index
   * i = from + j is {@code g[gFrom + j]}; the gradient to use there is that
   * {@code + l2 * p[i]}, where l2 is λ inside a regularized run and 0 outside. Rules loop over
   * j from 0 with i = from + j, and read {@code g[gFrom + j]} before they write {@code out[i]}:
   * {@code g} may be {@code out} with {@code gFrom == from} (the driver's update).
   *
   * @param t 1-based step count of this step
   */
  abstract void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t);

  @Override
  public final void step(double[] params, double[] grad) {
    begin(params, grad).apply(0, numParams);
  }

  @Override
  public final RangeStep begin(double[] params, double[] grad) {
    IntoStep rule = rule(params, params, startInPlace(params, grad));
    return (from, to) -> rule.apply(grad, from, from, to);
  }

  @Override
  public final IntoStep beginInto(double[] params, double[] into) {
    return rule(params, into, start(params, into));
  }

  /** Step t's rule (see {@link AbstractOptimizer#start} for why it is here and in FloatRule). */
  private IntoStep rule(double[] params, double[] into, long t) {
    if (regParam() == 0.0) {
      return (g, gFrom, from, to) -> update(params, g, gFrom, into, from, to, 0.0, t);
    }
    return (g, gFrom, from, to) -> masked(params, g, gFrom, into, from, to, t);
  }

  /** [from, to) split along the regularized runs: λ inside a run, 0 outside. */
  private void masked(double[] params, double[] g, int gFrom, double[] into, int from, int to,
      long t) {
    int pos = from;
    int[] runs = regularizedRuns();
    for (int k = 0; k < runs.length && pos < to; k += 2) {
      int start = Math.max(runs[k], pos);
      int end = Math.min(runs[k + 1], to);
      if (end <= start) continue;
      if (pos < start) update(params, g, gFrom + pos - from, into, pos, start, 0.0, t);
      update(params, g, gFrom + start - from, into, start, end, regParam(), t);
      pos = end;
    }
    if (pos < to) update(params, g, gFrom + pos - from, into, pos, to, 0.0, t);
  }
}
