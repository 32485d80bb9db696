package org.sparkdfa.optim;

import java.util.BitSet;

/** A rule over float32 weights and slots: the {@link FloatOptimizer} face of the plumbing. */
abstract class FloatRule extends AbstractOptimizer<float[]> implements FloatOptimizer {

  FloatRule(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized, SlotArrays.F32);
  }

  @Override
  public final void step(float[] params, float[] grad) {
    begin(params, grad).apply(0, numParams);
  }

  @Override
  public final Optimizer.RangeStep begin(float[] params, float[] grad) {
    return startInPlace(params, grad);
  }

  @Override
  public final IntoStep beginInto(float[] params, float[] into) {
    Ranges<float[]> r = start(params, into);
    return r::apply;
  }
}
