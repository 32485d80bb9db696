package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The look-ahead Nesterov implementation against Ruder's textbook form on a quadratic
 * J(θ) = ½ Σ a_i (θ_i − c_i)² (+ ½ λ |θ|²), whose gradient a ⊙ (θ − c) (+ λθ) is known in closed
 * form, so the textbook rule can evaluate it at the look-ahead point θ − γ v itself.
 */
class NesterovEquivalenceTest {

  private static final double[] A = {1.0, 4.0, 0.5, 2.5};
  private static final double[] C = {3.0, -1.0, 0.5, -2.0};

  @Test
  void matchesTextbookForm() {
    check(0.0);
  }

  @Test
  void matchesTextbookFormWithL2() {
    check(0.1);
  }

  private static void check(double lambda) {
    double gamma = 0.9;
    double eta = 0.05;
    int n = A.length;
    OptimizerConfig c = new OptimizerConfig("nesterov", eta, gamma, 0, 0, null, null, lambda);
    Optimizer opt = Optimizers.create(c, n, null);

    // Textbook state (θ, v) and the optimizer's stored look-ahead parameters θ'.
    double[] theta = {0.0, 0.0, 0.0, 0.0};
    double[] v = new double[n];
    double[] stored = theta.clone();
    double[] g = new double[n];
    double[] lookAhead = new double[n];

    for (int t = 1; t <= 200; t++) {
      // Textbook: v_t = γ v_{t-1} + η ∇J(θ_{t-1} − γ v_{t-1}); θ_t = θ_{t-1} − v_t.
      for (int i = 0; i < n; i++) {
        double x = theta[i] - gamma * v[i];
        v[i] = gamma * v[i] + eta * (A[i] * (x - C[i]) + lambda * x);
        theta[i] -= v[i];
      }
      // Trainer side: the gradient of the data loss only, at the parameters it holds
      // (L2 is added by the optimizer itself).
      for (int i = 0; i < n; i++) {
        g[i] = A[i] * (stored[i] - C[i]);
      }
      opt.step(stored, g);
      for (int i = 0; i < n; i++) {
        lookAhead[i] = theta[i] - gamma * v[i];
      }
      assertArrayEquals(lookAhead, stored, 1e-12, "θ' = θ − γv at t = " + t);
    }
    assertArrayEquals(v, opt.state().slots().get("velocity"), 1e-12, "velocity");
    // Both converged to the (regularized) minimizer a c / (a + λ).
    for (int i = 0; i < n; i++) {
      double min = A[i] * C[i] / (A[i] + lambda);
      assertTrue(Math.abs(theta[i] - min) < 1e-6, "textbook θ not at minimum");
      assertTrue(Math.abs(stored[i] - min) < 1e-6, "stored θ' not at minimum");
    }
  }
}
