package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule minimizes the convex quadratic J(θ) = ½ Σ a_i (θ_i − c_i)² from θ = 0. The curvatures
 * differ 8x across coordinates so that a rule that ignores the gradient scale (or gets a sign
 * wrong) shows up; step sizes are ordinary choices for each rule.
 */
class ConvergenceTest {

  private static final double[] A = {1.0, 4.0, 0.5};
  private static final double[] C = {3.0, -1.0, 0.5};

  @ParameterizedTest
  @CsvSource({
      "sgd,      0.2,  500",
      "momentum, 0.05, 500",
      "nesterov, 0.05, 500",
      "adagrad,  0.5,  2000",
      "adadelta, 1.0,  3000",
      "rmsprop,  0.01, 3000",
      "adam,     0.05, 3000"})
  void minimizesQuadratic(String name, double stepSize, int steps) {
    Optimizer opt = Optimizers.create(OptimizerConfig.defaults(name, stepSize), A.length, null);
    double[] theta = new double[A.length];
    double[] g = new double[A.length];
    double j0 = loss(theta);
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < A.length; i++) {
        g[i] = A[i] * (theta[i] - C[i]);
      }
      opt.step(theta, g);
    }
    double j = loss(theta);
    assertTrue(j < 1e-6 * j0, name + ": J went from " + j0 + " to " + j);
  }

  private static double loss(double[] theta) {
    double s = 0;
    for (int i = 0; i < A.length; i++) {
      double d = theta[i] - C[i];
      s += 0.5 * A[i] * d * d;
    }
    return s;
  }
}
