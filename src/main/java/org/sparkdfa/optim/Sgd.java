package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * Plain (mini-batch) gradient descent, θ ← θ − η g (Ruder 2016, "Mini-batch gradient descent").
 *
 * <p>Kept separate from {@link Momentum} with γ = 0 so that it carries no velocity slot: no
 * memory and nothing to checkpoint.
 */
final class Sgd extends DoubleRule {


  Sgd(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized);
  }

  @Override
  void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t) {
    final double lr = stepSize();
    final int n = to - from;
    for (int j = 0; j < n; j++) {
      int i = from + j;
      out[i] = p[i] - lr * (g[gFrom + j] + l2 * p[i]);
    }
  }

  /** Plain gradient descent over float32 weights (see {@link FloatOptimizer}). */
  static final class F32 extends FloatRule {
    F32(OptimizerConfig c, int numParams, BitSet regularized) {
      super(c, numParams, regularized);
    }

    @Override
    void update(float[] p, float[] g, int gFrom, float[] out, int from, int to, double l2,
        long t) {
      final float lr = (float) stepSize();
      final float l2f = (float) l2;
      final int n = to - from;
      for (int j = 0; j < n; j++) {
        int i = from + j;
        out[i] = p[i] - lr * (g[gFrom + j] + l2f * p[i]);
      }
    }
  }
}
