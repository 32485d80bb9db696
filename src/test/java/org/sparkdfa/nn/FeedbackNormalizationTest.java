package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The feedback matrices' normalizations: Glorot, ∝ 1/√c (fan-in) and ∝ 1/√h (fan-out). */
class FeedbackNormalizationTest {

  /** layers [20, 300, 200, 4]: hidden sizes 300 and 200, c = 4. */
  private static final NetworkSpec SPEC = NetworkSpec.mlp(new int[] {20, 300, 200, 4},
      Activation.RELU, Loss.CROSS_ENTROPY);

  private static double variance(double[] v) {
    double s = 0;
    for (double x : v) s += x * x;
    return s / v.length;
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) m = Math.max(m, Math.abs(x));
    return m;
  }

  @Test
  void defaultIsGlorotAndTheOthersRescaleTheSameDraws() {
    DirectFeedback glorot = DirectFeedback.random(SPEC, "uniform", 1.0, 7);
    DirectFeedback explicit = DirectFeedback.random(SPEC, "uniform", "glorot", 1.0, 7);
    DirectFeedback fanIn = DirectFeedback.random(SPEC, "uniform", "fan-in", 1.0, 7);
    DirectFeedback fanOut = DirectFeedback.random(SPEC, "uniform", "fan-out", 2.0, 7);
    for (int k = 0; k < 2; k++) {
      int h = SPEC.size(k + 1);
      int c = 4;
      assertArrayEquals(glorot.matrix(k), explicit.matrix(k), 0.0);
      double[] g = glorot.matrix(k);
      double[] in = fanIn.matrix(k);
      double[] out = fanOut.matrix(k);
      double inFactor = Math.sqrt(3.0 / c) / Math.sqrt(6.0 / (h + c));
      double outFactor = 2 * Math.sqrt(3.0 / h) / Math.sqrt(6.0 / (h + c));
      for (int i = 0; i < g.length; i++) {
        assertEquals(g[i] * inFactor, in[i], 1e-12);
        assertEquals(g[i] * outFactor, out[i], 1e-12);
      }
      // U(-s, s) with s = scale·√(3·variance): variance 1/c and 4/h.
      assertTrue(maxAbs(in) <= Math.sqrt(3.0 / c));
      assertEquals(1.0 / c, variance(in), 0.1 / c);
      assertEquals(4.0 / h, variance(out), 0.4 / h);
    }
  }

  @Test
  void gaussianFeedbackHasTheVarianceOfItsNormalization() {
    DirectFeedback in = DirectFeedback.random(SPEC, "gaussian", "fan-in", 1.0, 3);
    DirectFeedback out = DirectFeedback.random(SPEC, "gaussian", "fan-out", 1.0, 3);
    assertEquals(1.0 / 4, variance(in.matrix(0)), 0.1 / 4);
    assertEquals(1.0 / 300, variance(out.matrix(0)), 0.1 / 300);
    assertEquals(1.0 / 200, variance(out.matrix(1)), 0.1 / 200);
  }

  /** FA's c is the size of the layer above: B_2 stands in for W_2ᵀ (300 × 200). */
  @Test
  void faNormalizesByTheLayerAbove() {
    FeedbackAlignment in = FeedbackAlignment.random(SPEC, "gaussian", "fan-in", 1.0, 5);
    assertEquals(1.0 / 200, variance(in.matrix(0)), 0.1 / 200);
    assertEquals(1.0 / 4, variance(in.matrix(1)), 0.25 / 4); // 800 entries: ±5% is 1 sd
    // The last hidden layer's matrix is DFA's, transposed, whatever the normalization.
    DirectFeedback dfa = DirectFeedback.random(SPEC, "gaussian", "fan-in", 1.0, 5);
    double[] b = dfa.matrix(1);
    double[] t = in.matrix(1);
    for (int i = 0; i < 200; i++) {
      for (int j = 0; j < 4; j++) assertEquals(b[i + 200 * j], t[j + 4 * i], 0.0);
    }
  }

  @Test
  void unknownNormalizationNamesTheParamAndTheChoices() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> DirectFeedback.random(SPEC, "uniform", "xavier", 1.0, 1)).getMessage();
    assertTrue(m.contains("feedbackNormalization 'xavier'") && m.contains("glorot, fan-in, "
        + "fan-out"), m);
  }
}
