package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * Classical momentum (Ruder 2016, "Momentum"; Qian 1999): v ← γ v + η g; θ ← θ − v.
 *
 * <p>η sits inside the velocity, as in Ruder's formulation (PyTorch keeps it outside,
 * v ← γ v + g; θ ← θ − η v, which is the same trajectory for a constant η). The stored velocity
 * is therefore exactly the last step taken, in parameter units. Slot: {@code "velocity"}.
 */
final class Momentum extends DoubleRule {

  private final double gamma;
  private final double[] velocity;

  Momentum(OptimizerConfig c, int numParams, BitSet regularized) {
    super(c, numParams, regularized);
    this.gamma = c.momentum();
    this.velocity = newSlot("velocity");
  }

  @Override
  void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t) {
    final double lr = stepSize();
    final double gamma = this.gamma;
    final double[] v = velocity;
    final int n = to - from;
    for (int j = 0; j < n; j++) {
      int i = from + j;
      double gi = g[gFrom + j] + l2 * p[i];
      double vi = gamma * v[i] + lr * gi;
      v[i] = vi;
      out[i] = p[i] - vi;
    }
  }

  /** Classical momentum over float32 weights and velocity (see {@link FloatOptimizer}). */
  static final class F32 extends FloatRule {
    private final float gamma;
    private final float[] velocity;

    F32(OptimizerConfig c, int numParams, BitSet regularized) {
      super(c, numParams, regularized);
      this.gamma = (float) c.momentum();
      this.velocity = newSlot("velocity");
    }

    @Override
    void update(float[] p, float[] g, int gFrom, float[] out, int from, int to, double l2,
        long t) {
      final float lr = (float) stepSize();
      final float l2f = (float) l2;
      final float gamma = this.gamma;
      final float[] v = velocity;
      final int n = to - from;
      for (int j = 0; j < n; j++) {
        int i = from + j;
        float gi = g[gFrom + j] + l2f * p[i];
        float vi = gamma * v[i] + lr * gi;
        v[i] = vi;
        out[i] = p[i] - vi;
      }
    }
  }
}
