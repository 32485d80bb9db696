package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * Adam in the form of Kingma &amp; Ba 2015, Algorithm 1 (also Ruder 2016, "Adam"):
 * <pre>
 *   m ← β1 m + (1 − β1) g
 *   v ← β2 v + (1 − β2) g²
 *   m̂ = m / (1 − β1^t),   v̂ = v / (1 − β2^t)
 *   θ ← θ − η m̂ / (sqrt(v̂) + ε)
 * </pre>
 * with ε outside the square root. The paper's Section 2 "more efficient" variant folds the bias
 * corrections into η and so moves ε; we keep Algorithm 1 so results match the paper and the
 * hand-computed tests. The corrections are per step, so their reciprocals are computed once per
 * range and the per-element loop only multiplies. Slots: {@code "firstMoment"},
 * {@code "secondMoment"}; the restored step count keeps the bias correction continuous.
 */
final class Adam extends AbstractOptimizer {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double[] m;
  private final double[] v;

  Adam(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized);
    this.beta1 = c.beta1();
    this.beta2 = c.beta2();
    this.eps = c.effectiveEpsilon();
    this.m = newSlot("firstMoment");
    this.v = newSlot("secondMoment");
  }

  @Override
  void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t) {
    final double lr = stepSize();
    final double b1 = beta1;
    final double b2 = beta2;
    final double oneMinusB1 = 1 - b1;
    final double oneMinusB2 = 1 - b2;
    final double eps = this.eps;
    final double invBias1 = 1.0 / (1 - Math.pow(b1, t));
    final double invBias2 = 1.0 / (1 - Math.pow(b2, t));
    final double[] m = this.m;
    final double[] v = this.v;
    final int n = to - from;
    for (int j = 0; j < n; j++) {
      int i = from + j;
      double gi = g[gFrom + j] + l2 * p[i];
      double mi = b1 * m[i] + oneMinusB1 * gi;
      double vi = b2 * v[i] + oneMinusB2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      out[i] = p[i] - lr * (mi * invBias1) / (Math.sqrt(vi * invBias2) + eps);
    }
  }
}
