package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FA against its definition (Lillicrap et al. 2016) and against DFA and BP where they meet. */
class FeedbackAlignmentTest {

  @Test
  void withOneHiddenLayerFaIsDfaBitForBit() {
    for (Loss loss : new Loss[] {Loss.BCE, Loss.CROSS_ENTROPY}) {
      int c = loss == Loss.BCE ? 1 : 3;
      NetworkSpec spec = NetworkSpec.mlp(new int[] {5, 7, c}, Activation.RELU, loss);
      double[] params = Init.GLOROT_UNIFORM.initialize(spec, 3);
      GradientCheckTest.Fixture f = GradientCheckTest.Fixture.random(spec, 11, 4);
      for (String dist : DirectFeedback.DISTRIBUTIONS) {
        double[] dfa = gradient(spec, params, f, DirectFeedback.random(spec, dist, 1.5, 9));
        double[] fa = gradient(spec, params, f, FeedbackAlignment.random(spec, dist, 1.5, 9));
        assertArrayEquals(dfa, fa, 0.0, loss + " " + dist);
      }
    }
  }

  @Test
  void withTheTransposedWeightsFaIsBackpropAtAnyDepth() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {4, 6, 5, 3, 2}, Activation.TANH,
        Loss.CROSS_ENTROPY);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 2);
    GradientCheckTest.Fixture f = GradientCheckTest.Fixture.random(spec, 9, 5);
    double[] bp = gradient(spec, params, f, Feedback.BACKPROP);
    double[] fa = gradient(spec, params, f, FeedbackAlignment.ofWeights(spec, params));
    assertArrayEquals(bp, fa, 0.0);
  }

  @Test
  void deeperThanOneHiddenLayerFaDiffersFromDfaBelowTheLastHiddenLayer() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {4, 6, 5, 1}, Activation.RELU, Loss.BCE);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 2);
    GradientCheckTest.Fixture f = GradientCheckTest.Fixture.random(spec, 9, 6);
    double[] dfa = gradient(spec, params, f, DirectFeedback.random(spec, "uniform", 1.0, 4));
    double[] fa = gradient(spec, params, f, FeedbackAlignment.random(spec, "uniform", 1.0, 4));
    // The last hidden layer (weight layer 1) and the output layer get the same updates ...
    for (int i = spec.weightOffset(1); i < spec.numParams(); i++) {
      assertEquals(dfa[i], fa[i], 0.0, "parameter " + i);
    }
    // ... the first does not: FA sends B_1 δ_1, DFA sends B_0 e.
    boolean differs = false;
    for (int i = 0; i < spec.weightOffset(1); i++) differs |= dfa[i] != fa[i];
    assertTrue(differs);
  }

  /**
   * d = 1, two ReLU hidden layers of 2, c = 1 (BCE). W1 = (1, 2)ᵀ, W2 = [[1, 0], [0, 1]],
   * W3 = (1, 1), biases 0, x = 1, y = 1. FA's matrices: B2 (for W2) = [[0.5, 1], [−1, 2]],
   * B3 (for W3) = (2, −1).
   */
  @Test
  void hiddenDeltasMatchTheDefinitionOnAHandMadeTwoLayerExample() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {1, 2, 2, 1}, Activation.RELU, Loss.BCE);
    double[] params = new double[spec.numParams()];
    System.arraycopy(new double[] {1, 2}, 0, params, spec.weightOffset(0), 2);
    System.arraycopy(new double[] {1, 0, 0, 1}, 0, params, spec.weightOffset(1), 4);
    System.arraycopy(new double[] {1, 1}, 0, params, spec.weightOffset(2), 2);
    // Column-major, shaped like W2 (2 × 2) and W3 (1 × 2).
    FeedbackAlignment fa = new FeedbackAlignment(spec, new double[][] {{0.5, -1, 1, 2},
        {2, -1}});
    Network net = new Network(spec);
    Workspace ws = net.newWorkspace(1);
    double[] grad = new double[spec.numParams()];
    net.gradient(params, new double[] {1}, new double[] {1}, null, 1, fa, grad, ws);
    // z1 = (1, 2), z2 = (1, 2), a3 = 3, e = σ(3) − 1.
    double e = 1.0 / (1.0 + Math.exp(-3)) - 1.0;
    // δ2 = (B3ᵀ e) ⊙ relu'(a2) = (2e, −e); δ1 = (B2ᵀ δ2) ⊙ relu'(a1):
    // B2ᵀ = [[0.5, −1], [1, 2]] → (0.5·2e − 1·(−e), 1·2e + 2·(−e)) = (2e, 0).
    assertArrayEquals(new double[] {2 * e, -e}, java.util.Arrays.copyOf(ws.delta(1), 2), 1e-15);
    assertArrayEquals(new double[] {2 * e, 0}, java.util.Arrays.copyOf(ws.delta(0), 2), 1e-15);
    // ∂W1 = δ1 xᵀ, ∂b1 = δ1.
    assertArrayEquals(new double[] {2 * e, 0, 2 * e, 0}, java.util.Arrays.copyOfRange(grad, 0, 4),
        1e-15);
  }

  @Test
  void matricesArePureFunctionsOfTheSeedAndShapedLikeTheWeights() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {4, 6, 5, 3}, Activation.RELU,
        Loss.CROSS_ENTROPY);
    FeedbackAlignment a = FeedbackAlignment.random(spec, "gaussian", 1.0, 42);
    assertArrayEquals(a.matrix(0), FeedbackAlignment.random(spec, "gaussian", 1.0, 42).matrix(0),
        0.0);
    assertTrue(a.matrix(0)[0] != FeedbackAlignment.random(spec, "gaussian", 1.0, 43).matrix(0)[0]);
    assertEquals(5 * 6, a.matrix(0).length);
    assertEquals(3 * 5, a.matrix(1).length);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new FeedbackAlignment(spec, new double[][] {new double[30], new double[14]}));
    assertTrue(bad.getMessage().contains("shaped like weight layer 2"), bad.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FeedbackAlignment.random(spec, "cauchy", 1.0, 1)).getMessage()
        .contains("feedbackDistribution"));
  }

  private static double[] gradient(NetworkSpec spec, double[] params,
      GradientCheckTest.Fixture f, Feedback fb) {
    Network net = new Network(spec);
    double[] g = new double[spec.numParams()];
    net.gradient(params, f.x, f.labels, f.weights, f.m, fb, g, net.newWorkspace(f.m));
    return g;
  }
}
