package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Huber loss: hand-computed values and errors, and BP gradients in both of its regimes. */
class HuberLossTest {

  @Test
  void quadraticWithinDeltaLinearBeyond() {
    // residuals 0.5 (inside δ = 2), 3 (outside), −4 (outside), weight 2 on the last
    double[] out = {1.5, 4, -4};
    double[] y = {1, 1, 0};
    double[] e = new double[3];
    double loss = Loss.HUBER.lossAndError(out, 1, 3, y, new double[] {1, 1, 2}, e, 2.0);
    double expected = 0.5 * 0.25 + 2 * (3 - 1) + 2 * (2 * (4 - 1));
    assertEquals(expected, loss, 1e-12);
    assertArrayEquals(new double[] {0.5, 2, -4}, e, 1e-12, "the residual clipped to ±δ, weighted");
  }

  @Test
  void oneOutputAndAnyFiniteLabel() {
    assertNull(Loss.HUBER.labelProblem(-123.5, 1));
    assertNotNull(Loss.HUBER.labelProblem(Double.NaN, 1));
    assertNotNull(Loss.HUBER.outputSizeProblem(2));
  }

  /** Residuals spread over [−3, 3] with δ = 0.4: both regimes, none within h of the kink. */
  @Test
  void backpropMatchesCentralDifferences() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {4, 5, 3, 1}, Activation.TANH, Loss.HUBER)
        .withHuberDelta(0.4);
    Network net = new Network(spec);
    int m = 12;
    SplittableRandom r = new SplittableRandom(5);
    double[] x = new double[4 * m];
    for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
    double[] y = new double[m];
    for (int i = 0; i < m; i++) y[i] = r.nextDouble(-3, 3);
    GradientCheckTest.Fixture f = new GradientCheckTest.Fixture(m, x, y);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 3);
    GradientCheckTest.assertGradientMatches(net, params, f, Feedback.BACKPROP, 1e-6);
    assertEquals("[4, 5, 3, 1] tanh tanh huber(delta=0.4)", spec.toString());
  }
}
