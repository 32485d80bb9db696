package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * Adagrad (Ruder 2016, "Adagrad"; Duchi, Hazan &amp; Singer 2011):
 * G ← G + g²; θ ← θ − η g / sqrt(G + ε).
 *
 * <p>ε sits inside the square root as in Ruder's equation; it only matters while G ≈ 0. Slot:
 * {@code "sumSquaredGrad"} (the diagonal of G).
 */
final class Adagrad extends AbstractOptimizer {

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
}
