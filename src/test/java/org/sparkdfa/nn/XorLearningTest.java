package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.optim.Optimizers;

/**
 * End-to-end smoke fit of the math core: BP and DFA each learn XOR (2-bit parity) to 100% with
 * every optimizer, full-batch over the four points, from fixed seeds. A 2-16-1 tanh network with
 * BCE; the step sizes are ordinary choices per rule.
 *
 * <p>Not flaky by construction: everything is seeded, and these settings were checked on seeds
 * 1..200 for every (algorithm, optimizer) pair — all learned XOR, the slowest in 434 steps — so
 * the budget of 3000 steps leaves a wide margin (also for the last-bit differences between native
 * and Java BLAS).
 */
class XorLearningTest {

  /** The four XOR points as a column-major 2 × 4 block, and their labels. */
  private static final double[] X = {0, 0, 0, 1, 1, 0, 1, 1};
  private static final double[] Y = {0, 1, 1, 0};
  private static final int HIDDEN = 16;
  private static final int MAX_STEPS = 3000;
  /** Mean BCE below this means every example has p(correct) > e^{-0.4} ≈ 0.67. */
  private static final double TARGET_LOSS = 0.1;
  private static final long[] SEEDS = {1, 2, 3};

  @ParameterizedTest(name = "{0} with {1} (stepSize {2})")
  @CsvSource({
      "bp,  sgd,      0.5",
      "bp,  momentum, 0.1",
      "bp,  nesterov, 0.1",
      "bp,  adagrad,  0.1",
      "bp,  adadelta, 1.0",
      "bp,  rmsprop,  0.01",
      "bp,  adam,     0.01",
      "dfa, sgd,      0.5",
      "dfa, momentum, 0.1",
      "dfa, nesterov, 0.1",
      "dfa, adagrad,  0.1",
      "dfa, adadelta, 1.0",
      "dfa, rmsprop,  0.01",
      "dfa, adam,     0.01"})
  void learnsXorToFullAccuracy(String algorithm, String optimizer, double stepSize) {
    for (long seed : SEEDS) {
      NetworkSpec spec = NetworkSpec.mlp(new int[] {2, HIDDEN, 1}, Activation.TANH, Loss.BCE);
      Network net = new Network(spec);
      double[] params = Init.GLOROT_UNIFORM.initialize(spec, seed);
      Feedback feedback = algorithm.equals("bp") ? Feedback.BACKPROP
          : DirectFeedback.random(spec, "uniform", 1.0, seed);
      Optimizer opt = Optimizers.create(OptimizerConfig.defaults(optimizer, stepSize),
          params.length, null);
      Workspace ws = net.newWorkspace(4);
      double[] grad = new double[params.length];

      double meanLoss = Double.NaN;
      int steps = 0;
      for (; steps < MAX_STEPS; steps++) {
        Arrays.fill(grad, 0.0);
        meanLoss = net.gradient(params, X, Y, null, 4, feedback, grad, ws) / 4;
        if (meanLoss < TARGET_LOSS) break;
        for (int i = 0; i < grad.length; i++) grad[i] /= 4;
        opt.step(params, grad);
      }
      String what = algorithm + "/" + optimizer + " seed " + seed;
      assertTrue(meanLoss < TARGET_LOSS, what + ": mean loss " + meanLoss + " after "
          + MAX_STEPS + " steps");
      double[] logits = net.forward(params, X, 4, ws);
      for (int i = 0; i < 4; i++) {
        assertEquals(Y[i], logits[i] > 0 ? 1.0 : 0.0, what + ": point (" + X[2 * i] + ", "
            + X[2 * i + 1] + ") misclassified after " + steps + " steps, logit " + logits[i]);
      }
    }
  }
}
