package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * Adadelta (Zeiler 2012, Algorithm 1; Ruder 2016, "Adadelta"):
 * <pre>
 *   E[g²] ← ρ E[g²] + (1 − ρ) g²
 *   Δ     = −( sqrt(E[Δ²] + ε) / sqrt(E[g²] + ε) ) g
 *   E[Δ²] ← ρ E[Δ²] + (1 − ρ) Δ²
 *   θ     ← θ + η Δ
 * </pre>
 * Zeiler's rule has no learning rate; η here scales the applied update the way PyTorch's
 * {@code lr} does, and η = 1 is exactly the paper's rule. The accumulator E[Δ²] stores the
 * unscaled Δ (again as PyTorch does), so η changes the step length without feeding back into the
 * rule's own units estimate. Slots: {@code "meanSquaredGrad"}, {@code "meanSquaredDelta"}.
 */
final class Adadelta extends DoubleRule {

  private final double rho;
  private final double eps;
  private final double[] meanSqGrad;
  private final double[] meanSqDelta;

  Adadelta(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized);
    this.rho = c.effectiveRho();
    this.eps = c.effectiveEpsilon();
    this.meanSqGrad = newSlot("meanSquaredGrad");
    this.meanSqDelta = newSlot("meanSquaredDelta");
  }

  @Override
  void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t) {
    final double lr = stepSize();
    final double rho = this.rho;
    final double oneMinusRho = 1 - rho;
    final double eps = this.eps;
    final double[] eg = meanSqGrad;
    final double[] ed = meanSqDelta;
    final int n = to - from;
    for (int j = 0; j < n; j++) {
      int i = from + j;
      double gi = g[gFrom + j] + l2 * p[i];
      double egi = rho * eg[i] + oneMinusRho * gi * gi;
      eg[i] = egi;
      double edi = ed[i];
      double delta = -(Math.sqrt(edi + eps) / Math.sqrt(egi + eps)) * gi;
      ed[i] = rho * edi + oneMinusRho * delta * delta;
      out[i] = p[i] + lr * delta;
    }
  }

  /** Adadelta over float32 weights and accumulators (see {@link FloatOptimizer}). */
  static final class F32 extends FloatRule {
    private final float rho;
    private final float oneMinusRho;
    private final float eps;
    private final float[] meanSqGrad;
    private final float[] meanSqDelta;

    F32(OptimizerConfig c, int numParams, BitSet regularized) {
      super(c, numParams, regularized);
      this.rho = (float) c.effectiveRho();
      this.oneMinusRho = (float) (1 - c.effectiveRho());
      this.eps = (float) c.effectiveEpsilon();
      this.meanSqGrad = newSlot("meanSquaredGrad");
      this.meanSqDelta = newSlot("meanSquaredDelta");
    }

    @Override
    void update(float[] p, float[] g, int gFrom, float[] out, int from, int to, double l2,
        long t) {
      final float lr = (float) stepSize();
      final float l2f = (float) l2;
      final float rho = this.rho;
      final float oneMinusRho = this.oneMinusRho;
      final float eps = this.eps;
      final float[] eg = meanSqGrad;
      final float[] ed = meanSqDelta;
      final int n = to - from;
      for (int j = 0; j < n; j++) {
        int i = from + j;
        float gi = g[gFrom + j] + l2f * p[i];
        float egi = rho * eg[i] + oneMinusRho * gi * gi;
        eg[i] = egi;
        float edi = ed[i];
        float delta = -((float) Math.sqrt(edi + eps) / (float) Math.sqrt(egi + eps)) * gi;
        ed[i] = rho * edi + oneMinusRho * delta * delta;
        out[i] = p[i] + lr * delta;
      }
    }
  }
}
