package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * RMSProp (Ruder 2016, "RMSprop"; Hinton, Coursera lecture 6e):
 * E ← ρ E + (1 − ρ) g²; θ ← θ − η g / sqrt(E + ε).
 *
 * <p>ε sits inside the square root as in Ruder's equation. Slot: {@code "meanSquaredGrad"}.
 */
final class RmsProp extends DoubleRule {

  private final double rho;
  private final double eps;
  private final double[] meanSq;

  RmsProp(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized);
    this.rho = c.effectiveRho();
    this.eps = c.effectiveEpsilon();
    this.meanSq = newSlot("meanSquaredGrad");
  }

  @Override
  void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t) {
    final double lr = stepSize();
    final double rho = this.rho;
    final double oneMinusRho = 1 - rho;
    final double eps = this.eps;
    final double[] e = meanSq;
    final int n = to - from;
    for (int j = 0; j < n; j++) {
      int i = from + j;
      double gi = g[gFrom + j] + l2 * p[i];
      double ei = rho * e[i] + oneMinusRho * gi * gi;
      e[i] = ei;
      out[i] = p[i] - lr * gi / Math.sqrt(ei + eps);
    }
  }

  /** RMSProp over float32 weights and mean square (see {@link FloatOptimizer}). */
  static final class F32 extends FloatRule {
    private final float rho;
    private final float oneMinusRho;
    private final float eps;
    private final float[] meanSq;

    F32(OptimizerConfig c, int numParams, BitSet regularized) {
      super(c, numParams, regularized);
      this.rho = (float) c.effectiveRho();
      this.oneMinusRho = (float) (1 - c.effectiveRho());
      this.eps = (float) c.effectiveEpsilon();
      this.meanSq = newSlot("meanSquaredGrad");
    }

    @Override
    void update(float[] p, float[] g, int gFrom, float[] out, int from, int to, double l2,
        long t) {
      final float lr = (float) stepSize();
      final float l2f = (float) l2;
      final float rho = this.rho;
      final float oneMinusRho = this.oneMinusRho;
      final float eps = this.eps;
      final float[] e = meanSq;
      final int n = to - from;
      for (int j = 0; j < n; j++) {
        int i = from + j;
        float gi = g[gFrom + j] + l2f * p[i];
        float ei = rho * e[i] + oneMinusRho * gi * gi;
        e[i] = ei;
        out[i] = p[i] - lr * gi / (float) Math.sqrt(ei + eps);
      }
    }
  }
}
