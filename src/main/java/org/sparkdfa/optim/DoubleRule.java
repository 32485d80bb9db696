package org.sparkdfa.optim;

import java.util.BitSet;

/** A rule over float64 weights and slots: the {@link Optimizer} face of the shared plumbing. */
abstract class DoubleRule extends AbstractOptimizer<double[]> implements Optimizer {

  DoubleRule(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized, SlotArrays.F64);
  }

  @Override
  public final void step(double[] params, double[] grad) {
    begin(params, grad).apply(0, numParams);
  }

  @Override
  public final RangeStep begin(double[] params, double[] grad) {
    return startInPlace(params, grad);
  }

  @Override
  public final IntoStep beginInto(double[] params, double[] into) {
    Ranges<double[]> r = start(params, into);
    return r::apply;
  }
}
