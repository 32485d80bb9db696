package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** L2 regularization: gradient g + λθ on the masked indices only. */
class RegularizationTest {

  private static OptimizerConfig withReg(String name, double stepSize, double regParam) {
    OptimizerConfig d = OptimizerConfig.defaults(name, stepSize);
    return new OptimizerConfig(d.name(), d.stepSize(), d.momentum(), d.beta1(), d.beta2(),
        d.epsilon(), d.rho(), regParam);
  }

  private static BitSet bits(int... indices) {
    BitSet b = new BitSet();
    for (int i : indices) {
      b.set(i);
    }
    return b;
  }

  @Test
  void sgdByHand() {
    // η = 0.5, λ = 0.1, mask {0, 2} (say weights), indices 1 and 3 are biases.
    Optimizer opt = Optimizers.create(withReg("sgd", 0.5, 0.1), 4, bits(0, 2));
    double[] theta = {1.0, -2.0, 0.5, 3.0};
    opt.step(theta, new double[] {0.5, 0.5, 0.5, 0.5});
    double[] expected = {
        1.0 - 0.5 * (0.5 + 0.1 * 1.0),
        -2.0 - 0.5 * 0.5,
        0.5 - 0.5 * (0.5 + 0.1 * 0.5),
        3.0 - 0.5 * 0.5};
    assertArrayEquals(expected, theta, 1e-12);
  }

  /**
   * Masked L2 inside the optimizer must equal feeding an unregularized optimizer the gradient
   * g + λθ on the masked indices, bit for bit. The mask has runs at the start, middle and end.
   */
  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void maskedL2EqualsExplicitGradientTerm(OptimizerKind k) {
    int n = 10;
    double lambda = 0.3;
    BitSet mask = bits(0, 1, 4, 5, 6, 9);
    Optimizer reg = Optimizers.create(withReg(k.canonicalName(), 0.05, lambda), n, mask);
    Optimizer plain = Optimizers.create(withReg(k.canonicalName(), 0.05, 0.0), n, null);
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = b[i] = 1.0 - 0.37 * i;
    }
    double[] g = new double[n];
    double[] gPlusL2 = new double[n];
    for (int s = 0; s < 6; s++) {
      for (int i = 0; i < n; i++) {
        g[i] = Math.sin(1.7 * i + s);
        gPlusL2[i] = mask.get(i) ? g[i] + lambda * b[i] : g[i];
      }
      reg.step(a, g);
      plain.step(b, gPlusL2);
      assertArrayEquals(b, a, 0.0, k + " step " + (s + 1));
    }
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void nullMaskRegularizesEverything(OptimizerKind k) {
    int n = 5;
    BitSet all = new BitSet();
    all.set(0, n);
    Optimizer viaNull = Optimizers.create(withReg(k.canonicalName(), 0.05, 0.2), n, null);
    Optimizer viaAll = Optimizers.create(withReg(k.canonicalName(), 0.05, 0.2), n, all);
    double[] a = {1, 2, 3, 4, 5};
    double[] b = a.clone();
    double[] g = {0.1, -0.2, 0.3, -0.4, 0.0};
    for (int s = 0; s < 3; s++) {
      viaNull.step(a, g);
      viaAll.step(b, g);
    }
    assertArrayEquals(b, a, 0.0);
    // And it really did regularize: differs from the unregularized trajectory.
    Optimizer none = Optimizers.create(withReg(k.canonicalName(), 0.05, 0.0), n, null);
    double[] c = {1, 2, 3, 4, 5};
    for (int s = 0; s < 3; s++) {
      none.step(c, g);
    }
    assertTrue(a[4] != c[4], k + ": L2 had no effect");
  }

  @Test
  void maskIsCopiedAtCreation() {
    BitSet mask = bits(0);
    Optimizer opt = Optimizers.create(withReg("sgd", 1.0, 0.5), 2, mask);
    mask.set(1);
    double[] theta = {2.0, 2.0};
    opt.step(theta, new double[] {0.0, 0.0});
    assertArrayEquals(new double[] {2.0 - 1.0 * (0.0 + 0.5 * 2.0), 2.0}, theta, 0.0);
  }

  @Test
  void emptyMaskMeansNoRegularization() {
    Optimizer opt = Optimizers.create(withReg("sgd", 1.0, 0.5), 2, new BitSet());
    double[] theta = {2.0, 2.0};
    opt.step(theta, new double[] {0.25, 0.0});
    assertArrayEquals(new double[] {1.75, 2.0}, theta, 0.0);
  }

  @Test
  void maskBeyondNumParamsIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create(withReg("adam", 0.1, 0.1), 4, bits(1, 4)));
    assertTrue(e.getMessage().contains("index 4") && e.getMessage().contains("numParams is 4"),
        e.getMessage());
  }
}
