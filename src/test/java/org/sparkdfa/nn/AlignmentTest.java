package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The alignment figures against cases whose answer is known by hand. */
class AlignmentTest {

  private static double[] random(int n, long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextDouble(-scale, scale);
    return v;
  }

  /** B_k = W_{k+1}ᵀ (h × c column-major) taken from the parameters. */
  private static double[] transposeOfLayerAbove(NetworkSpec spec, double[] params, int k) {
    int h = spec.size(k + 1);
    int c = spec.size(k + 2);
    double[] b = new double[h * c];
    int off = spec.weightOffset(k + 1);
    for (int i = 0; i < c; i++) {
      for (int j = 0; j < h; j++) b[j + i * h] = params[off + i + j * c];
    }
    return b;
  }

  @Test
  void feedbackEqualToTheTransposedOutputWeightsIsPerfectlyAligned() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {5, 7, 1}, Activation.RELU, Loss.BCE);
    Network net = new Network(spec);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 11);
    int m = 20;
    double[] x = random(5 * m, 1, 1);
    double[] y = new double[m];
    for (int j = 0; j < m; j++) y[j] = j % 2;
    DirectFeedback b = new DirectFeedback(spec,
        new double[][] {transposeOfLayerAbove(spec, params, 0)});
    List<Alignment.LayerAlignment> res = Alignment.measure(net, params, x, y, null, m, b);
    assertEquals(1, res.size());
    Alignment.LayerAlignment a = res.get(0);
    assertEquals(1, a.hiddenLayer());
    assertEquals(1.0, a.cosMean(), 0.0);
    assertEquals(0.0, a.cosStd(), 0.0);
    assertEquals(0.0, a.angleDeg(), 0.0);
    assertEquals(m, a.rows() + a.skippedRows());
    assertTrue(a.rows() > 0);
  }

  @Test
  void topLayerOfADeepNetAlignsWhenItsFeedbackIsTheTransposeAndTheLowerDoesNot() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {4, 6, 5, 3}, Activation.TANH,
        Loss.CROSS_ENTROPY);
    Network net = new Network(spec);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 5);
    int m = 16;
    double[] x = random(4 * m, 2, 1);
    double[] y = new double[m];
    for (int j = 0; j < m; j++) y[j] = j % 3;
    DirectFeedback b = new DirectFeedback(spec,
        new double[][] {random(6 * 3, 9, 1), transposeOfLayerAbove(spec, params, 1)});
    List<Alignment.LayerAlignment> res = Alignment.measure(net, params, x, y, null, m, b);
    assertEquals(2, res.size());
    assertEquals(2, res.get(1).hiddenLayer());
    assertEquals(1.0, res.get(1).cosMean(), 1e-12);
    assertEquals(0.0, res.get(1).cosStd(), 1e-6);
    assertEquals(0.0, res.get(1).angleDeg(), 1e-4);
    assertTrue(res.get(0).cosMean() < 0.99, "random B_1: " + res.get(0));
  }

  /**
   * layers [1, 2, 2], identity hidden activation, MSE with one-hot targets. W_1 = 0, b_1 = 0 and
   * b_2 = 0 give zero logits, so e_j = −onehot(y_j). With W_2 = I the BP delta is e_j itself; with
   * B = [[1, 1], [0, 1]] the DFA delta is B e_j. Row 0 (y = 0): both (−1, 0), cosine 1. Row 1
   * (y = 1): BP (0, −1), DFA (−1, −1), cosine 1/√2. Row 2 has weight 0: zero error, skipped.
   */
  @Test
  void handMadeExample() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {1, 2, 2}, Activation.IDENTITY, Loss.MSE);
    Network net = new Network(spec);
    double[] params = new double[spec.numParams()];
    assertEquals(10, params.length);
    int w2 = spec.weightOffset(1);
    params[w2] = 1; // W_2 = I (2 × 2, column-major)
    params[w2 + 3] = 1;
    double[] bMatrix = {1, 0, 1, 1}; // column-major [[1, 1], [0, 1]]
    DirectFeedback b = new DirectFeedback(spec, new double[][] {bMatrix});
    double[] x = {1, 2, 5};
    double[] y = {0, 1, 0};
    double[] w = {1, 1, 0};
    List<Alignment.LayerAlignment> res = Alignment.measure(net, params, x, y, w, 3, b);
    Alignment.LayerAlignment a = res.get(0);
    double c1 = 1 / Math.sqrt(2);
    assertEquals(2, a.rows());
    assertEquals(1, a.skippedRows());
    assertEquals((1 + c1) / 2, a.cosMean(), 1e-15);
    assertEquals((1 - c1) / 2, a.cosStd(), 1e-15);
    // Summed layer-1 gradient [∂W_1 (2), ∂b_1 (2)]: BP (−1, −2, −1, −1), DFA (−3, −2, −2, −1).
    double expected = Math.toDegrees(Math.acos(10 / Math.sqrt(7 * 18)));
    assertEquals(expected, a.angleDeg(), 1e-12);
  }

  @Test
  void randomFeedbackAgainstBackpropGivesCosinesStrictlyInsideTheInterval() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {8, 16, 12, 3}, Activation.RELU,
        Loss.CROSS_ENTROPY);
    Network net = new Network(spec);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 3);
    int m = 64;
    double[] x = random(8 * m, 4, 1);
    double[] y = new double[m];
    for (int j = 0; j < m; j++) y[j] = j % 3;
    DirectFeedback b = DirectFeedback.random(spec, "uniform", 1.0, 17);
    List<Alignment.LayerAlignment> res = Alignment.measure(net, params, x, y, null, m, b);
    assertEquals(2, res.size());
    for (Alignment.LayerAlignment a : res) {
      assertTrue(a.cosMean() > -1 && a.cosMean() < 1, a.toString());
      assertTrue(a.cosStd() > 0, a.toString());
      assertTrue(a.angleDeg() > 0 && a.angleDeg() < 180, a.toString());
      assertEquals(m, a.rows() + a.skippedRows());
    }
    // Deterministic: the same inputs give the same figures.
    assertEquals(res, Alignment.measure(net, params, x, y, null, m, b));
  }

  @Test
  void frozenFirstLayerOrNoHiddenLayerHasNothingToMeasure() {
    NetworkSpec frozen = new NetworkSpec(new int[] {3, 5, 1}, new Activation[] {Activation.COS},
        Loss.BCE, new boolean[] {false, true}, new boolean[] {false});
    assertTrue(!Alignment.anyMeasurable(frozen));
    double[] params = Init.GLOROT_UNIFORM.initialize(frozen, 1);
    DirectFeedback b = DirectFeedback.random(frozen, "uniform", 1.0, 1);
    assertTrue(Alignment.measure(new Network(frozen), params, random(6, 1, 1),
        new double[] {0, 1}, null, 2, b).isEmpty());
    NetworkSpec linear = NetworkSpec.mlp(new int[] {3, 1}, Activation.RELU, Loss.BCE);
    assertTrue(!Alignment.anyMeasurable(linear));
  }

  @Test
  void cosineOfZeroVectorsIsUndefinedAndAnglesAreInDegrees() {
    assertTrue(Double.isNaN(Alignment.cosine(new double[] {0, 0}, new double[] {1, 2}, 0, 2)));
    assertEquals(90.0, Alignment.angleDegrees(new double[] {1, 0}, new double[] {0, 3}, 0, 2),
        1e-12);
    assertEquals(180.0, Alignment.angleDegrees(new double[] {1, 1}, new double[] {-2, -2}, 0, 2),
        1e-12);
  }
}
