package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weight alignment (the angle between a feedback matrix and the forward weights it stands in
 * for) and the norm ratio of the rule's delta to BP's, on tiny networks against a direct
 * computation with plain two-dimensional arrays.
 */
class WeightAlignmentTest {

  /** W_j (0-based weight layer) as out × in rows and columns. */
  private static double[][] w(NetworkSpec spec, double[] params, int j) {
    int out = spec.size(j + 1);
    int in = spec.size(j);
    double[][] m = new double[out][in];
    for (int i = 0; i < out; i++) {
      for (int c = 0; c < in; c++) m[i][c] = params[spec.weightOffset(j) + i + out * c];
    }
    return m;
  }

  private static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
    }
    return t;
  }

  private static double[][] times(double[][] a, double[][] b) {
    double[][] p = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b[0].length; j++) {
        for (int l = 0; l < b.length; l++) p[i][j] += a[i][l] * b[l][j];
      }
    }
    return p;
  }

  /** rows × cols column-major as a matrix. */
  private static double[][] matrix(double[] colMajor, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) m[i][j] = colMajor[i + rows * j];
    }
    return m;
  }

  /** The angle in degrees between two equally shaped matrices, entry by entry. */
  private static double angle(double[][] a, double[][] b) {
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        dot += a[i][j] * b[i][j];
        aa += a[i][j] * a[i][j];
        bb += b[i][j] * b[i][j];
      }
    }
    return Math.toDegrees(Math.acos(dot / Math.sqrt(aa * bb)));
  }

  /** layers [3, 4, 5, 2]: two hidden layers, two outputs (so every product is a real matrix). */
  private static final NetworkSpec DEEP = NetworkSpec.mlp(new int[] {3, 4, 5, 2},
      Activation.TANH, Loss.CROSS_ENTROPY);

  @Test
  void dfaAnglesAreBetweenEachBAndTheProductOfTheTransposedWeightsAbove() {
    double[] params = Init.GLOROT_UNIFORM.initialize(DEEP, 7);
    DirectFeedback b = DirectFeedback.random(DEEP, "gaussian", 1.0, 3);
    double[] angles = Alignment.weightAngles(DEEP, params, b);
    assertEquals(2, angles.length);
    // Hidden layer 2 (the last): B_2 against W_3ᵀ; hidden layer 1: B_1 against W_2ᵀ W_3ᵀ.
    double[][] w3t = transpose(w(DEEP, params, 2));
    double[][] w2t = transpose(w(DEEP, params, 1));
    assertEquals(angle(matrix(b.matrix(1), 5, 2), w3t), angles[1], 1e-10);
    assertEquals(angle(matrix(b.matrix(0), 4, 2), times(w2t, w3t)), angles[0], 1e-10);
    for (double a : angles) assertTrue(a > 0 && a < 180, java.util.Arrays.toString(angles));
  }

  @Test
  void dfaWithBEqualToTheProductIsAtZeroAndItsNegativeAt180Degrees() {
    double[] params = Init.GLOROT_UNIFORM.initialize(DEEP, 2);
    double[][] p1 = times(transpose(w(DEEP, params, 1)), transpose(w(DEEP, params, 2)));
    double[] b1 = new double[4 * 2];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 2; j++) b1[i + 4 * j] = 3 * p1[i][j];
    }
    double[] b2 = new double[5 * 2];
    double[][] w3 = w(DEEP, params, 2);
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 2; j++) b2[i + 5 * j] = -w3[j][i];
    }
    double[] angles = Alignment.weightAngles(DEEP, params,
        new DirectFeedback(DEEP, new double[][] {b1, b2}));
    assertEquals(0.0, angles[0], 1e-6);
    assertEquals(180.0, angles[1], 1e-6);
  }

  @Test
  void faAnglesAreBetweenEachBAndTheTransposedWeightsOfTheLayerAbove() {
    double[] params = Init.GLOROT_UNIFORM.initialize(DEEP, 9);
    FeedbackAlignment fa = FeedbackAlignment.random(DEEP, "uniform", 1.0, 4);
    double[] angles = Alignment.weightAngles(DEEP, params, fa);
    // matrix(k) is shaped like W_{k+1}: B_{k+1} is its transpose, compared with W_{k+1}ᵀ.
    assertEquals(angle(transpose(matrix(fa.matrix(0), 5, 4)), transpose(w(DEEP, params, 1))),
        angles[0], 1e-10);
    assertEquals(angle(transpose(matrix(fa.matrix(1), 2, 5)), transpose(w(DEEP, params, 2))),
        angles[1], 1e-10);
    double[] own = Alignment.weightAngles(DEEP, params, FeedbackAlignment.ofWeights(DEEP, params));
    assertEquals(0.0, own[0], 1e-6);
    assertEquals(0.0, own[1], 1e-6);
  }

  @Test
  void backpropHasNoFeedbackMatrixAndFrozenLayersAreNotMeasured() {
    double[] params = Init.GLOROT_UNIFORM.initialize(DEEP, 1);
    for (double a : Alignment.weightAngles(DEEP, params, Feedback.BACKPROP)) {
      assertTrue(Double.isNaN(a));
    }
    NetworkSpec frozen = new NetworkSpec(new int[] {3, 5, 1}, new Activation[] {Activation.COS},
        Loss.BCE, new boolean[] {false, true}, new boolean[] {false});
    double[] fp = Init.GLOROT_UNIFORM.initialize(frozen, 1);
    assertTrue(Double.isNaN(Alignment.weightAngles(frozen, fp,
        DirectFeedback.random(frozen, "uniform", 1.0, 1))[0]));
  }

  /**
   * The hand-made example of AlignmentTest (layers [1, 2, 2], identity, MSE): BP's deltas are
   * (−1, 0), (0, −1), (0, 0), DFA's with B = [[1, 1], [0, 1]] are (−1, 0), (−1, −1), (0, 0):
   * norms √2 and √3. Its B against W_2ᵀ = I: cos = 2 / (√3 · √2).
   */
  @Test
  void normRatioAndWeightAngleOfTheHandMadeExample() {
    NetworkSpec spec = NetworkSpec.mlp(new int[] {1, 2, 2}, Activation.IDENTITY, Loss.MSE);
    double[] params = new double[spec.numParams()];
    int w2 = spec.weightOffset(1);
    params[w2] = 1;
    params[w2 + 3] = 1;
    DirectFeedback b = new DirectFeedback(spec, new double[][] {{1, 0, 1, 1}});
    List<Alignment.LayerAlignment> res = Alignment.measure(new Network(spec), params,
        new double[] {1, 2, 5}, new double[] {0, 1, 0}, new double[] {1, 1, 0}, 3, b);
    assertEquals(Math.sqrt(3.0 / 2.0), res.get(0).normRatio(), 1e-15);
    assertEquals(Math.toDegrees(Math.acos(2 / Math.sqrt(6))),
        Alignment.weightAngles(spec, params, b)[0], 1e-12);
  }

  /** FA with B_{k+1} = s·W_{k+1}ᵀ at every layer scales layer k's delta by s^(L−k). */
  @Test
  void normRatioOfScaledTransposedWeightsIsThePowerOfTheScale() {
    double[] params = Init.GLOROT_UNIFORM.initialize(DEEP, 5);
    double[][] scaled = new double[2][];
    for (int k = 0; k < 2; k++) {
      int from = DEEP.weightOffset(k + 1);
      int len = DEEP.size(k + 2) * DEEP.size(k + 1);
      scaled[k] = new double[len];
      for (int i = 0; i < len; i++) scaled[k][i] = 2 * params[from + i];
    }
    int m = 6;
    double[] x = new double[3 * m];
    for (int i = 0; i < x.length; i++) x[i] = Math.sin(i + 1);
    double[] y = {0, 1, 1, 0, 1, 0};
    List<Alignment.LayerAlignment> res = Alignment.measure(new Network(DEEP), params, x, y, null,
        m, new FeedbackAlignment(DEEP, scaled));
    assertEquals(4.0, res.get(0).normRatio(), 1e-12);
    assertEquals(2.0, res.get(1).normRatio(), 1e-12);
    assertEquals(0.0, res.get(0).angleDeg(), 1e-5);
  }
}
