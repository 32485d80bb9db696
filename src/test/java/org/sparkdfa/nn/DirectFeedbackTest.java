package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DFA against its definition (Nøkland 2016). */
class DirectFeedbackTest {

  private final NetworkSpec twoHidden =
      NetworkSpec.mlp(new int[] {4, 6, 5, 3}, Activation.TANH, Loss.CROSS_ENTROPY);

  @Test
  void outputLayerGradientEqualsBackprop() {
    Network net = new Network(twoHidden);
    double[] params = Init.GLOROT_UNIFORM.initialize(twoHidden, 1);
    GradientCheckTest.Fixture f = GradientCheckTest.Fixture.random(twoHidden, 9, 2);
    double[] bp = gradient(net, params, f, Feedback.BACKPROP);
    double[] dfa = gradient(net, params, f,
        DirectFeedback.random(twoHidden, "gaussian", 1.0, 5));
    int from = twoHidden.weightOffset(2);
    for (int i = from; i < twoHidden.numParams(); i++) {
      assertEquals(bp[i], dfa[i], 0.0, "output-layer parameter " + i);
    }
    // ...while hidden layers differ: the feedback is random, not Wᵀ.
    boolean hiddenDiffers = false;
    for (int i = 0; i < from; i++) hiddenDiffers |= bp[i] != dfa[i];
    assertTrue(hiddenDiffers);
  }

  @Test
  void oneHiddenLayerWithFeedbackEqualToTransposeIsBackprop() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {3, 4, 2}, Activation.SIGMOID, Loss.CROSS_ENTROPY);
    Network net = new Network(spec);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 4);
    // B_1 = W_2ᵀ: W_2 is 2 × 4 column-major, B_1 is 4 × 2 column-major.
    int w2 = spec.weightOffset(1);
    double[] b1 = new double[4 * 2];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 2; j++) b1[i + 4 * j] = params[w2 + j + 2 * i];
    }
    GradientCheckTest.Fixture f = GradientCheckTest.Fixture.random(spec, 7, 3);
    double[] bp = gradient(net, params, f, Feedback.BACKPROP);
    double[] dfa = gradient(net, params, f, new DirectFeedback(spec, new double[][] {b1}));
    assertArrayEquals(bp, dfa, 0.0);
  }

  @Test
  void hiddenDeltasMatchTheDefinitionOnAHandMadeExample() {
    // d = 2, h = 2 (ReLU), c = 1 (BCE). W1 = [[1, −1], [2, 0.5]] (rows = units), b1 = 0,
    // W2 = [1, 1], b2 = 0, x = (1, 1), y = 1, B = (0.5, −2).
    NetworkSpec spec = NetworkSpec.mlp(new int[] {2, 2, 1}, Activation.RELU, Loss.BCE);
    double[] params = new double[spec.numParams()];
    // Column-major W1: column 0 = weights from x_0 = (1, 2); column 1 = from x_1 = (−1, 0.5).
    System.arraycopy(new double[] {1, 2, -1, 0.5}, 0, params, spec.weightOffset(0), 4);
    System.arraycopy(new double[] {1, 1}, 0, params, spec.weightOffset(1), 2);
    Network net = new Network(spec);
    Workspace ws = net.newWorkspace(1);
    double[] grad = new double[spec.numParams()];
    DirectFeedback dfa = new DirectFeedback(spec, new double[][] {{0.5, -2}});
    net.gradient(params, new double[] {1, 1}, new double[] {1}, null, 1, dfa, grad, ws);
    // a1 = W1 x = (0, 2.5) → z1 = relu = (0, 2.5); a2 = 2.5; e = σ(2.5) − 1.
    double e = 1.0 / (1.0 + Math.exp(-2.5)) - 1.0;
    // δ1 = (B e) ⊙ relu'(a1) = (0.5e·0, −2e·1) = (0, −2e).
    assertArrayEquals(new double[] {0, -2 * e}, java.util.Arrays.copyOf(ws.delta(0), 2), 1e-15);
    // ∂W1 = δ1 xᵀ; ∂b1 = δ1.
    assertArrayEquals(new double[] {0, -2 * e, 0, -2 * e, 0, -2 * e},
        java.util.Arrays.copyOfRange(grad, 0, 6), 1e-15);
    // Output layer keeps the true gradient: ∂W2 = e z1ᵀ, ∂b2 = e.
    assertArrayEquals(new double[] {0, 2.5 * e, e},
        java.util.Arrays.copyOfRange(grad, 6, 9), 1e-15);
  }

  @Test
  void feedbackIsAPureFunctionOfTheSeed() {
    DirectFeedback a = DirectFeedback.random(twoHidden, "uniform", 1.0, 42);
    DirectFeedback b = DirectFeedback.random(twoHidden, "uniform", 1.0, 42);
    DirectFeedback c = DirectFeedback.random(twoHidden, "uniform", 1.0, 43);
    assertArrayEquals(a.matrix(1), b.matrix(1), 0.0);
    assertTrue(a.matrix(1)[0] != c.matrix(1)[0]);
    double bound = Math.sqrt(6.0 / (5 + 3));
    for (double v : a.matrix(1)) assertTrue(Math.abs(v) <= bound);
  }

  @Test
  void badFeedbackSettingsAreRejectedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DirectFeedback.random(twoHidden, "cauchy", 1.0, 1));
    assertTrue(e.getMessage().contains("feedbackDistribution"));
    e = assertThrows(IllegalArgumentException.class,
        () -> DirectFeedback.random(twoHidden, "uniform", 0.0, 1));
    assertTrue(e.getMessage().contains("feedbackScale"));
  }

  private static double[] gradient(Network net, double[] params, GradientCheckTest.Fixture f,
      Feedback fb) {
    double[] g = new double[net.spec().numParams()];
    net.gradient(params, f.x, f.labels, f.weights, f.m, fb, g, net.newWorkspace(f.m));
    return g;
  }
}
