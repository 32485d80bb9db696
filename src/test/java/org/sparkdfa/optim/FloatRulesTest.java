package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The float32 rules ({@link Optimizers#createFloat32}) against the float64 ones: the same
 * trajectory within float rounding over many steps, state saved exactly and resumed
 * bit-identically, and a float64 state that float32 cannot hold refused without change.
 */
class FloatRulesTest {
  private static final int N = 500;
  private static final int STEPS = 300;

  @ParameterizedTest
  @CsvSource({"sgd, 0", "momentum, 0.01", "nesterov, 0.01", "adagrad, 0", "adadelta, 0.01",
      "rmsprop, 0.01", "adam, 0", "adam, 0.01"})
  void float32FollowsFloat64WithinRounding(String rule, double regParam) {
    OptimizerConfig c = config(rule, regParam);
    Optimizer f64 = Optimizers.create(c, N, mask());
    FloatOptimizer f32 = Optimizers.createFloat32(c, N, mask());
    SplittableRandom r = new SplittableRandom(3);
    double[] a = uniform(r);
    float[] b = toFloat(a);
    a = widen(b); // the same start, exactly
    double maxMove = 0;
    double[] start = a.clone();
    for (int s = 0; s < STEPS; s++) {
      double[] g = gradient(a, r);
      f64.step(a, g);
      f32.step(b, toFloat(g));
    }
    double maxDiff = 0;
    for (int i = 0; i < N; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      maxMove = Math.max(maxMove, Math.abs(a[i] - start[i]));
    }
    assertTrue(maxMove > 0.05, rule + ": the weights moved (" + maxMove + ")");
    // Float32 keeps 24 bits: over 300 steps the two may drift by a few thousand ulps of
    // values of order 1, never by a visible part of how far the weights moved.
    assertTrue(maxDiff < 2e-4, rule + ": float32 drifted " + maxDiff + " from float64");
    assertEquals(f64.steps(), f32.steps());
  }

  @ParameterizedTest
  @CsvSource({"momentum", "adadelta", "adam"})
  void savedStateResumesBitIdentically(String rule) {
    OptimizerConfig c = config(rule, 0.01);
    FloatOptimizer straight = Optimizers.createFloat32(c, N, mask());
    FloatOptimizer first = Optimizers.createFloat32(c, N, mask());
    SplittableRandom r = new SplittableRandom(5);
    float[] a = toFloat(uniform(r));
    float[] b = a.clone();
    float[][] grads = new float[10][];
    for (int s = 0; s < grads.length; s++) grads[s] = toFloat(uniform(r));
    for (int s = 0; s < 5; s++) {
      straight.step(a, grads[s]);
      first.step(b, grads[s]);
    }
    FloatOptimizer resumed = Optimizers.createFloat32(c, N, mask());
    resumed.restore(first.state());
    // A float64 optimizer takes the widened state exactly too.
    Optimizer wide = Optimizers.create(c, N, mask());
    wide.restore(first.state());
    assertEquals(first.state(), wide.state());
    for (int s = 5; s < grads.length; s++) {
      straight.step(a, grads[s]);
      resumed.step(b, grads[s]);
    }
    assertArrayEquals(a, b, 0f);
    assertEquals(straight.state(), resumed.state());
  }

  @ParameterizedTest
  @CsvSource({"momentum", "adam"})
  void aFloat64StateFloat32CannotHoldIsRefusedAndChangesNothing(String rule) {
    OptimizerConfig c = config(rule, 0);
    Optimizer wide = Optimizers.create(c, N, null);
    SplittableRandom r = new SplittableRandom(7);
    wide.step(uniform(r), uniform(r));
    FloatOptimizer f32 = Optimizers.createFloat32(c, N, null);
    OptimizerState before = f32.state();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f32.restore(wide.state()));
    assertTrue(e.getMessage().contains("float32 cannot hold exactly"), e.getMessage());
    assertEquals(before, f32.state());
  }

  static OptimizerConfig config(String rule, double regParam) {
    OptimizerConfig d = OptimizerConfig.defaults(rule, rule.equals("adadelta") ? 1.0 : 0.01);
    return new OptimizerConfig(d.name(), d.stepSize(), d.momentum(), d.beta1(), d.beta2(),
        d.epsilon(), d.rho(), regParam);
  }

  static BitSet mask() {
    BitSet m = new BitSet();
    m.set(50, 300);
    m.set(350, 480);
    return m;
  }

  /** A noisy quadratic's gradient: pulls every weight towards 0.3 (it depends on the weights). */
  private static double[] gradient(double[] w, SplittableRandom r) {
    double[] g = new double[w.length];
    for (int i = 0; i < g.length; i++) g[i] = (w[i] - 0.3) + 0.1 * r.nextDouble(-1, 1);
    return g;
  }

  private static double[] uniform(SplittableRandom r) {
    double[] v = new double[N];
    for (int i = 0; i < N; i++) v[i] = r.nextDouble(-1, 1);
    return v;
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  private static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return d;
  }
}
