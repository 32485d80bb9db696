package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BP gradients against central finite differences, every hidden activation × every loss. */
class GradientCheckTest {

  static Stream<Arguments> activationsAndLosses() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (String act : Activation.HIDDEN_NAMES) {
      for (Loss loss : Loss.values()) {
        b.add(Arguments.of(Activation.fromName(act), loss));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} × {1}")
  @MethodSource("activationsAndLosses")
  void backpropMatchesCentralDifferences(Activation act, Loss loss) {
    int outputs = loss == Loss.CROSS_ENTROPY || loss == Loss.MSE ? 3 : 1;
    NetworkSpec spec = NetworkSpec.mlp(new int[] {4, 5, 3, outputs}, act, loss);
    Network net = new Network(spec);
    Fixture f = Fixture.random(spec, 7, 11);
    // Shift ReLU pre-activations away from the kink, where the derivative is undefined.
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 3);
    for (int l = 0; l < spec.numWeightLayers(); l++) {
      for (int i = spec.biasOffset(l); i < spec.biasOffset(l) + spec.size(l + 1); i++) {
        params[i] = 0.1;
      }
    }
    assertGradientMatches(net, params, f, Feedback.BACKPROP, 1e-6);
  }

  @ParameterizedTest(name = "weighted rows, {1}")
  @MethodSource("activationsAndLosses")
  void weightedRowsScaleTheirShare(Activation act, Loss loss) {
    if (act != Activation.TANH) return;
    int outputs = loss == Loss.CROSS_ENTROPY ? 2 : 1;
    NetworkSpec spec = NetworkSpec.mlp(new int[] {3, 4, outputs}, act, loss);
    Fixture f = Fixture.random(spec, 6, 5);
    f.weights = new double[] {0.5, 2, 1, 0, 3, 1.5};
    assertGradientMatches(new Network(spec), Init.GLOROT_UNIFORM.initialize(spec, 9), f,
        Feedback.BACKPROP, 1e-6);
  }

  static void assertGradientMatches(Network net, double[] params, Fixture f, Feedback fb,
      double tol) {
    NetworkSpec spec = net.spec();
    Workspace ws = net.newWorkspace(f.m);
    double[] grad = new double[spec.numParams()];
    net.gradient(params, f.x, f.labels, f.weights, f.m, fb, grad, ws);
    double h = 1e-5;
    for (int i = 0; i < params.length; i++) {
      double saved = params[i];
      params[i] = saved + h;
      double up = net.loss(params, f.x, f.labels, f.weights, f.m, ws);
      params[i] = saved - h;
      double down = net.loss(params, f.x, f.labels, f.weights, f.m, ws);
      params[i] = saved;
      double numeric = (up - down) / (2 * h);
      double scale = Math.max(1e-4, Math.abs(numeric) + Math.abs(grad[i]));
      double rel = Math.abs(numeric - grad[i]) / scale;
      int index = i;
      assertTrue(rel <= tol, () -> "parameter " + index + ": analytic " + grad[index]
          + " vs central difference " + numeric + " (relative error " + rel + ")");
    }
  }

  /** A small random block of examples with labels valid for the spec's loss. */
  static final class Fixture {
    final int m;
    final double[] x;
    final double[] labels;
    double[] weights;

    Fixture(int m, double[] x, double[] labels) {
      this.m = m;
      this.x = x;
      this.labels = labels;
    }

    static Fixture random(NetworkSpec spec, int m, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      double[] x = new double[spec.inputs() * m];
      for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
      int classes = spec.loss().numClasses(spec.outputs());
      double[] y = new double[m];
      for (int i = 0; i < m; i++) {
        y[i] = spec.loss() == Loss.MSE && spec.outputs() == 1 ? r.nextDouble(-1, 1)
            : r.nextInt(classes);
      }
      return new Fixture(m, x, y);
    }
  }
}
