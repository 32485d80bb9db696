package org.sparkdfa.optim;

import java.util.BitSet;

/**
 * Nesterov accelerated gradient, stored in look-ahead form.
 *
 * <p>Textbook form (Ruder 2016, "Nesterov accelerated gradient"):
 * <pre>
 *   v_t     = γ v_{t-1} + η ∇J(θ_{t-1} − γ v_{t-1})
 *   θ_t     = θ_{t-1} − v_t
 * </pre>
 * The trainer can only evaluate the gradient at the parameters it holds, so, following the
 * reformulation of Sutskever et al. 2013 ("On the importance of initialization and momentum in
 * deep learning", ICML) and Bengio, Boulanger-Lewandowski &amp; Pascanu 2013 ("Advances in
 * optimizing recurrent networks", ICASSP, Section 3.5), the vector held in {@code params} is the
 * look-ahead point θ'_t = θ_t − γ v_t. Then the gradient the trainer computes, g = ∇J(θ'_{t-1}), is
 * exactly the one the textbook rule needs, and
 * <pre>
 *   θ'_t = θ_t − γ v_t
 *        = (θ_{t-1} − v_t) − γ v_t
 *        = (θ'_{t-1} + γ v_{t-1}) − (1 + γ) v_t
 *        = θ'_{t-1} + γ v_{t-1} − (1 + γ)(γ v_{t-1} + η g)
 *        = θ'_{t-1} − γ² v_{t-1} − (1 + γ) η g
 *        = θ'_{t-1} − γ v_t − η g                     (since γ v_t = γ² v_{t-1} + γ η g)
 * </pre>
 * which is what {@link #update} does: v ← γ v + η g; θ' ← θ' − (γ v + η g). With v_0 = 0 the
 * starting point is the same in both forms (θ'_0 = θ_0).
 *
 * <p>Consequence: the parameters left after training are the look-ahead θ' = θ − γ v, not θ.
 * They differ by γ v, which vanishes as the optimizer converges; PyTorch and Keras return the same
 * look-ahead parameters. L2, if enabled, is likewise evaluated at θ' (it is part of ∇J there).
 * Slot: {@code "velocity"} (the textbook v).
 */
final class Nesterov extends DoubleRule {

  private final double gamma;
  private final double[] velocity;

  Nesterov(OptimizerConfig c, int numParams, BitSet regularized) {
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
      double step = lr * (g[gFrom + j] + l2 * p[i]);
      double vi = gamma * v[i] + step;
      v[i] = vi;
      out[i] = p[i] - (gamma * vi + step);
    }
  }

  /** Nesterov (look-ahead form) over float32 weights and velocity (see {@link FloatOptimizer}). */
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
        float step = lr * (g[gFrom + j] + l2f * p[i]);
        float vi = gamma * v[i] + step;
        v[i] = vi;
        out[i] = p[i] - (gamma * vi + step);
      }
    }
  }
}
