package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * The first three steps of every rule against arithmetic written out by hand from the rule's
 * published equations (see each optimizer's Javadoc for the source). The expected values are
 * plain expressions over literals, never calls into this package, so a wrong rule cannot agree
 * with itself. Default hyperparameters are used, so the literals (0.9, 0.999, 1e-8, ...) also
 * pin the defaults.
 */
class HandComputedStepsTest {

  private static final double TOL = 1e-12;

  // θ0 and a fixed gradient per step. Element 1 of G3 is 0 to exercise "no gradient" paths.
  private static final double[] THETA0 = {1.0, -2.0, 0.5};
  private static final double[] G1 = {0.5, -1.0, 2.0};
  private static final double[] G2 = {-0.25, 0.5, 1.0};
  private static final double[] G3 = {1.5, 0.0, -0.75};

  /**
   * Every rule's three steps in float64 and in float32 ({@link Optimizers#createFloat32}): the
   * same hand-computed numbers must hold for both, within float32 rounding for the latter.
   */
  private record Steps(double[][] f64, double[][] f32) {}

  /** Float32 holds about 7 digits: the values here are of order 1. */
  private static final double TOL_F32 = 2e-6;

  /** Runs three steps and returns θ after each; also checks the gradients were not modified. */
  private static Steps threeSteps(OptimizerConfig c) {
    Optimizer opt = Optimizers.create(c, 3, null);
    double[] theta = THETA0.clone();
    double[][] grads = {G1.clone(), G2.clone(), G3.clone()};
    double[][] out = new double[3][];
    for (int s = 0; s < 3; s++) {
      opt.step(theta, grads[s]);
      out[s] = theta.clone();
    }
    assertArrayEquals(G1, grads[0], 0.0, "grad modified");
    assertArrayEquals(G2, grads[1], 0.0, "grad modified");
    assertArrayEquals(G3, grads[2], 0.0, "grad modified");
    return new Steps(out, threeStepsFloat32(c));
  }

  private static double[][] threeStepsFloat32(OptimizerConfig c) {
    FloatOptimizer opt = Optimizers.createFloat32(c, 3, null);
    float[] theta = toFloat(THETA0);
    float[][] grads = {toFloat(G1), toFloat(G2), toFloat(G3)};
    double[][] out = new double[3][];
    for (int s = 0; s < 3; s++) {
      opt.step(theta, grads[s]);
      out[s] = new double[theta.length];
      for (int i = 0; i < theta.length; i++) out[s][i] = theta[i];
    }
    assertArrayEquals(toFloat(G1), grads[0], 0f, "float32 grad modified");
    return out;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  private static void assertSteps(Steps actual, double[]... expected) {
    for (int s = 0; s < expected.length; s++) {
      assertArrayEquals(expected[s], actual.f64()[s], TOL, "theta after step " + (s + 1));
      assertArrayEquals(expected[s], actual.f32()[s], TOL_F32,
          "float32 theta after step " + (s + 1));
    }
  }

  @Test
  void sgd() {
    // θ ← θ − η g, η = 0.1
    double[] th1 = {1.0 - 0.1 * 0.5, -2.0 - 0.1 * -1.0, 0.5 - 0.1 * 2.0};
    double[] th2 = {th1[0] - 0.1 * -0.25, th1[1] - 0.1 * 0.5, th1[2] - 0.1 * 1.0};
    double[] th3 = {th2[0] - 0.1 * 1.5, th2[1] - 0.1 * 0.0, th2[2] - 0.1 * -0.75};
    Steps actual = threeSteps(OptimizerConfig.defaults("sgd", 0.1));
    assertSteps(actual, th1, th2, th3);
    // The same numbers worked out on paper.
    assertSteps(actual, new double[] {0.95, -1.9, 0.3}, new double[] {0.975, -1.95, 0.2},
        new double[] {0.825, -1.95, 0.275});
  }

  @Test
  void momentum() {
    // v ← γ v + η g; θ ← θ − v, γ = 0.9, η = 0.1, v0 = 0
    double[] v1 = {0.9 * 0.0 + 0.1 * 0.5, 0.9 * 0.0 + 0.1 * -1.0, 0.9 * 0.0 + 0.1 * 2.0};
    double[] th1 = {1.0 - v1[0], -2.0 - v1[1], 0.5 - v1[2]};
    double[] v2 = {0.9 * v1[0] + 0.1 * -0.25, 0.9 * v1[1] + 0.1 * 0.5, 0.9 * v1[2] + 0.1 * 1.0};
    double[] th2 = {th1[0] - v2[0], th1[1] - v2[1], th1[2] - v2[2]};
    double[] v3 = {0.9 * v2[0] + 0.1 * 1.5, 0.9 * v2[1] + 0.1 * 0.0, 0.9 * v2[2] + 0.1 * -0.75};
    double[] th3 = {th2[0] - v3[0], th2[1] - v3[1], th2[2] - v3[2]};
    Steps actual = threeSteps(OptimizerConfig.defaults("momentum", 0.1));
    assertSteps(actual, th1, th2, th3);
    // On paper: v = (0.05, -0.1, 0.2), (0.02, -0.04, 0.28), (0.168, -0.036, 0.177).
    assertSteps(actual, new double[] {0.95, -1.9, 0.3}, new double[] {0.93, -1.86, 0.02},
        new double[] {0.762, -1.824, -0.157});
  }

  @Test
  void nesterov() {
    // Look-ahead form: v ← γ v + η g; θ' ← θ' − (γ v + η g), γ = 0.9, η = 0.1.
    // The velocities are the same as for momentum because the gradients are fixed.
    double[] v1 = {0.9 * 0.0 + 0.1 * 0.5, 0.9 * 0.0 + 0.1 * -1.0, 0.9 * 0.0 + 0.1 * 2.0};
    double[] th1 = {
        1.0 - (0.9 * v1[0] + 0.1 * 0.5),
        -2.0 - (0.9 * v1[1] + 0.1 * -1.0),
        0.5 - (0.9 * v1[2] + 0.1 * 2.0)};
    double[] v2 = {0.9 * v1[0] + 0.1 * -0.25, 0.9 * v1[1] + 0.1 * 0.5, 0.9 * v1[2] + 0.1 * 1.0};
    double[] th2 = {
        th1[0] - (0.9 * v2[0] + 0.1 * -0.25),
        th1[1] - (0.9 * v2[1] + 0.1 * 0.5),
        th1[2] - (0.9 * v2[2] + 0.1 * 1.0)};
    double[] v3 = {0.9 * v2[0] + 0.1 * 1.5, 0.9 * v2[1] + 0.1 * 0.0, 0.9 * v2[2] + 0.1 * -0.75};
    double[] th3 = {
        th2[0] - (0.9 * v3[0] + 0.1 * 1.5),
        th2[1] - (0.9 * v3[1] + 0.1 * 0.0),
        th2[2] - (0.9 * v3[2] + 0.1 * -0.75)};
    Steps actual = threeSteps(OptimizerConfig.defaults("nesterov", 0.1));
    assertSteps(actual, th1, th2, th3);
    // On paper, and equal to the momentum θ_t minus γ v_t (θ' = θ − γ v), e.g. 0.95 − 0.9·0.05.
    assertSteps(actual, new double[] {0.905, -1.81, 0.12}, new double[] {0.912, -1.824, -0.232},
        new double[] {0.6108, -1.7916, -0.3163});
    assertSteps(actual,
        new double[] {0.95 - 0.9 * 0.05, -1.9 - 0.9 * -0.1, 0.3 - 0.9 * 0.2},
        new double[] {0.93 - 0.9 * 0.02, -1.86 - 0.9 * -0.04, 0.02 - 0.9 * 0.28},
        new double[] {0.762 - 0.9 * 0.168, -1.824 - 0.9 * -0.036, -0.157 - 0.9 * 0.177});
  }

  @Test
  void adagrad() {
    // G ← G + g²; θ ← θ − η g / sqrt(G + ε), η = 0.1, ε = 1e-8
    double[] s1 = {0.0 + 0.5 * 0.5, 0.0 + -1.0 * -1.0, 0.0 + 2.0 * 2.0};
    double[] th1 = {
        1.0 - 0.1 * 0.5 / Math.sqrt(s1[0] + 1e-8),
        -2.0 - 0.1 * -1.0 / Math.sqrt(s1[1] + 1e-8),
        0.5 - 0.1 * 2.0 / Math.sqrt(s1[2] + 1e-8)};
    double[] s2 = {s1[0] + -0.25 * -0.25, s1[1] + 0.5 * 0.5, s1[2] + 1.0 * 1.0};
    double[] th2 = {
        th1[0] - 0.1 * -0.25 / Math.sqrt(s2[0] + 1e-8),
        th1[1] - 0.1 * 0.5 / Math.sqrt(s2[1] + 1e-8),
        th1[2] - 0.1 * 1.0 / Math.sqrt(s2[2] + 1e-8)};
    double[] s3 = {s2[0] + 1.5 * 1.5, s2[1] + 0.0 * 0.0, s2[2] + -0.75 * -0.75};
    double[] th3 = {
        th2[0] - 0.1 * 1.5 / Math.sqrt(s3[0] + 1e-8),
        th2[1] - 0.1 * 0.0 / Math.sqrt(s3[1] + 1e-8),
        th2[2] - 0.1 * -0.75 / Math.sqrt(s3[2] + 1e-8)};
    assertSteps(threeSteps(OptimizerConfig.defaults("adagrad", 0.1)), th1, th2, th3);
  }

  @Test
  void adadelta() {
    // Zeiler's rule scaled by η = 0.5; ρ = 0.95, ε = 1e-6; both accumulators start at 0.
    //   Eg ← ρ Eg + (1−ρ) g²;  Δ = −sqrt(Ed + ε)/sqrt(Eg + ε) · g;  Ed ← ρ Ed + (1−ρ) Δ²;
    //   θ ← θ + η Δ
    double[] eg1 = {
        0.95 * 0.0 + (1 - 0.95) * 0.5 * 0.5,
        0.95 * 0.0 + (1 - 0.95) * -1.0 * -1.0,
        0.95 * 0.0 + (1 - 0.95) * 2.0 * 2.0};
    double[] d1 = {
        -(Math.sqrt(0.0 + 1e-6) / Math.sqrt(eg1[0] + 1e-6)) * 0.5,
        -(Math.sqrt(0.0 + 1e-6) / Math.sqrt(eg1[1] + 1e-6)) * -1.0,
        -(Math.sqrt(0.0 + 1e-6) / Math.sqrt(eg1[2] + 1e-6)) * 2.0};
    double[] ed1 = {
        0.95 * 0.0 + (1 - 0.95) * d1[0] * d1[0],
        0.95 * 0.0 + (1 - 0.95) * d1[1] * d1[1],
        0.95 * 0.0 + (1 - 0.95) * d1[2] * d1[2]};
    double[] th1 = {1.0 + 0.5 * d1[0], -2.0 + 0.5 * d1[1], 0.5 + 0.5 * d1[2]};

    double[] eg2 = {
        0.95 * eg1[0] + (1 - 0.95) * -0.25 * -0.25,
        0.95 * eg1[1] + (1 - 0.95) * 0.5 * 0.5,
        0.95 * eg1[2] + (1 - 0.95) * 1.0 * 1.0};
    double[] d2 = {
        -(Math.sqrt(ed1[0] + 1e-6) / Math.sqrt(eg2[0] + 1e-6)) * -0.25,
        -(Math.sqrt(ed1[1] + 1e-6) / Math.sqrt(eg2[1] + 1e-6)) * 0.5,
        -(Math.sqrt(ed1[2] + 1e-6) / Math.sqrt(eg2[2] + 1e-6)) * 1.0};
    double[] ed2 = {
        0.95 * ed1[0] + (1 - 0.95) * d2[0] * d2[0],
        0.95 * ed1[1] + (1 - 0.95) * d2[1] * d2[1],
        0.95 * ed1[2] + (1 - 0.95) * d2[2] * d2[2]};
    double[] th2 = {th1[0] + 0.5 * d2[0], th1[1] + 0.5 * d2[1], th1[2] + 0.5 * d2[2]};

    double[] eg3 = {
        0.95 * eg2[0] + (1 - 0.95) * 1.5 * 1.5,
        0.95 * eg2[1] + (1 - 0.95) * 0.0 * 0.0,
        0.95 * eg2[2] + (1 - 0.95) * -0.75 * -0.75};
    double[] d3 = {
        -(Math.sqrt(ed2[0] + 1e-6) / Math.sqrt(eg3[0] + 1e-6)) * 1.5,
        -(Math.sqrt(ed2[1] + 1e-6) / Math.sqrt(eg3[1] + 1e-6)) * 0.0,
        -(Math.sqrt(ed2[2] + 1e-6) / Math.sqrt(eg3[2] + 1e-6)) * -0.75};
    double[] th3 = {th2[0] + 0.5 * d3[0], th2[1] + 0.5 * d3[1], th2[2] + 0.5 * d3[2]};

    assertSteps(threeSteps(OptimizerConfig.defaults("adadelta", 0.5)), th1, th2, th3);
  }

  @Test
  void adadeltaWithUnitStepIsZeilersRule() {
    // η = 1: first step is exactly Δ1 = −sqrt(ε)/sqrt((1−ρ)g² + ε) · g, nothing else.
    double[] th1 = {
        1.0 - Math.sqrt(1e-6) / Math.sqrt(0.05 * 0.25 + 1e-6) * 0.5,
        -2.0 - Math.sqrt(1e-6) / Math.sqrt(0.05 * 1.0 + 1e-6) * -1.0,
        0.5 - Math.sqrt(1e-6) / Math.sqrt(0.05 * 4.0 + 1e-6) * 2.0};
    assertSteps(threeSteps(OptimizerConfig.defaults("adadelta", 1.0)), th1);
  }

  @Test
  void rmsprop() {
    // E ← ρ E + (1−ρ) g²; θ ← θ − η g / sqrt(E + ε), η = 0.1, ρ = 0.9, ε = 1e-8
    double[] e1 = {
        0.9 * 0.0 + (1 - 0.9) * 0.5 * 0.5,
        0.9 * 0.0 + (1 - 0.9) * -1.0 * -1.0,
        0.9 * 0.0 + (1 - 0.9) * 2.0 * 2.0};
    double[] th1 = {
        1.0 - 0.1 * 0.5 / Math.sqrt(e1[0] + 1e-8),
        -2.0 - 0.1 * -1.0 / Math.sqrt(e1[1] + 1e-8),
        0.5 - 0.1 * 2.0 / Math.sqrt(e1[2] + 1e-8)};
    double[] e2 = {
        0.9 * e1[0] + (1 - 0.9) * -0.25 * -0.25,
        0.9 * e1[1] + (1 - 0.9) * 0.5 * 0.5,
        0.9 * e1[2] + (1 - 0.9) * 1.0 * 1.0};
    double[] th2 = {
        th1[0] - 0.1 * -0.25 / Math.sqrt(e2[0] + 1e-8),
        th1[1] - 0.1 * 0.5 / Math.sqrt(e2[1] + 1e-8),
        th1[2] - 0.1 * 1.0 / Math.sqrt(e2[2] + 1e-8)};
    double[] e3 = {
        0.9 * e2[0] + (1 - 0.9) * 1.5 * 1.5,
        0.9 * e2[1] + (1 - 0.9) * 0.0 * 0.0,
        0.9 * e2[2] + (1 - 0.9) * -0.75 * -0.75};
    double[] th3 = {
        th2[0] - 0.1 * 1.5 / Math.sqrt(e3[0] + 1e-8),
        th2[1] - 0.1 * 0.0 / Math.sqrt(e3[1] + 1e-8),
        th2[2] - 0.1 * -0.75 / Math.sqrt(e3[2] + 1e-8)};
    assertSteps(threeSteps(OptimizerConfig.defaults("rmsprop", 0.1)), th1, th2, th3);
  }

  @Test
  void adam() {
    // Kingma & Ba Algorithm 1, η = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8:
    //   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  θ ← θ − η (m/(1−β1^t)) / (sqrt(v/(1−β2^t)) + ε)
    double[] m1 = {
        0.9 * 0.0 + (1 - 0.9) * 0.5, 0.9 * 0.0 + (1 - 0.9) * -1.0, 0.9 * 0.0 + (1 - 0.9) * 2.0};
    double[] v1 = {
        0.999 * 0.0 + (1 - 0.999) * 0.5 * 0.5,
        0.999 * 0.0 + (1 - 0.999) * -1.0 * -1.0,
        0.999 * 0.0 + (1 - 0.999) * 2.0 * 2.0};
    double c11 = 1 - 0.9;    // 1 − β1^1
    double c21 = 1 - 0.999;  // 1 − β2^1
    double[] th1 = {
        1.0 - 0.1 * (m1[0] / c11) / (Math.sqrt(v1[0] / c21) + 1e-8),
        -2.0 - 0.1 * (m1[1] / c11) / (Math.sqrt(v1[1] / c21) + 1e-8),
        0.5 - 0.1 * (m1[2] / c11) / (Math.sqrt(v1[2] / c21) + 1e-8)};
    // Sanity check of the bias correction: after one step m̂ = g and v̂ = g², so every
    // coordinate moves by η·g/(|g| + ε) ≈ η·sign(g).
    assertArrayEquals(new double[] {0.9, -1.9, 0.4}, th1, 1e-8);

    double[] m2 = {
        0.9 * m1[0] + (1 - 0.9) * -0.25, 0.9 * m1[1] + (1 - 0.9) * 0.5,
        0.9 * m1[2] + (1 - 0.9) * 1.0};
    double[] v2 = {
        0.999 * v1[0] + (1 - 0.999) * -0.25 * -0.25,
        0.999 * v1[1] + (1 - 0.999) * 0.5 * 0.5,
        0.999 * v1[2] + (1 - 0.999) * 1.0 * 1.0};
    double c12 = 1 - 0.9 * 0.9;
    double c22 = 1 - 0.999 * 0.999;
    double[] th2 = {
        th1[0] - 0.1 * (m2[0] / c12) / (Math.sqrt(v2[0] / c22) + 1e-8),
        th1[1] - 0.1 * (m2[1] / c12) / (Math.sqrt(v2[1] / c22) + 1e-8),
        th1[2] - 0.1 * (m2[2] / c12) / (Math.sqrt(v2[2] / c22) + 1e-8)};

    double[] m3 = {
        0.9 * m2[0] + (1 - 0.9) * 1.5, 0.9 * m2[1] + (1 - 0.9) * 0.0,
        0.9 * m2[2] + (1 - 0.9) * -0.75};
    double[] v3 = {
        0.999 * v2[0] + (1 - 0.999) * 1.5 * 1.5,
        0.999 * v2[1] + (1 - 0.999) * 0.0 * 0.0,
        0.999 * v2[2] + (1 - 0.999) * -0.75 * -0.75};
    double c13 = 1 - 0.9 * 0.9 * 0.9;
    double c23 = 1 - 0.999 * 0.999 * 0.999;
    double[] th3 = {
        th2[0] - 0.1 * (m3[0] / c13) / (Math.sqrt(v3[0] / c23) + 1e-8),
        th2[1] - 0.1 * (m3[1] / c13) / (Math.sqrt(v3[1] / c23) + 1e-8),
        th2[2] - 0.1 * (m3[2] / c13) / (Math.sqrt(v3[2] / c23) + 1e-8)};

    assertSteps(threeSteps(OptimizerConfig.defaults("adam", 0.1)), th1, th2, th3);
  }
}
