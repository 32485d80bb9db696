package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * Adagrad (Ruder 2016, "Adagrad"; Duchi, Hazan &amp; Singer 2011):
 * G ← G + g²; θ ← θ − η g / sqrt(G + ε).
 *
 * <p>ε sits inside the square root as in Ruder's equation; it only matters while G ≈ 0. Slot:
 * {@code "sumSquaredGrad"} (the diagonal of G).
 */
final class Adagrad extends DoubleRule {

  private final double eps;
  private final double[] sumSq;

  Adagrad(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized);
    this.eps = c.effectiveEpsilon();
    this.sumSq = newSlot("sumSquaredGrad");
  }

  @Override
  void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t) {
    final double lr = stepSize();
    final double eps = this.eps;
    final double[] s = sumSq;
    final int n = to - from;
    for (int j = 0; j < n; j++) {
      int i = from + j;
      double gi = g[gFrom + j] + l2 * p[i];
      double si = s[i] + gi * gi;
      s[i] = si;
      out[i] = p[i] - lr * gi / Math.sqrt(si + eps);
    }
  }

  /** Adagrad over float32 weights and accumulator (see {@link FloatOptimizer}). */
  static final class F32 extends FloatRule {
    private final float eps;
    private final float[] sumSq;

    F32(OptimizerConfig c, int numParams, BitSet regularized) {
      super(c, numParams, regularized);
      this.eps = (float) c.effectiveEpsilon();
      this.sumSq = newSlot("sumSquaredGrad");
    }

    @Override
    void update(float[] p, float[] g, int gFrom, float[] out, int from, int to, double l2,
        long t) {
      final float lr = (float) stepSize();
      final float l2f = (float) l2;
      final float eps = this.eps;
      final float[] s = sumSq;
      final int n = to - from;
      for (int j = 0; j < n; j++) {
        int i = from + j;
        float gi = g[gFrom + j] + l2f * p[i];
        float si = s[i] + gi * gi;
        s[i] = si;
        out[i] = p[i] - lr * gi / (float) Math.sqrt(si + eps);
      }
    }
  }
}
