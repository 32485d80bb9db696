package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float32 path computes the same math as float64, to single-precision accuracy. */
class FloatPrecisionTest {

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  private static void assertClose(double[] expected, float[] actual, double tol, String what) {
    double scale = 0;
    for (double e : expected) scale = Math.max(scale, Math.abs(e));
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(expected[i] - actual[i]) / Math.max(1e-6, scale);
      int idx = i;
      assertTrue(err <= tol, () -> what + "[" + idx + "]: " + expected[idx] + " vs "
          + actual[idx]);
    }
  }

  @Test
  void floatGradientsMatchDoubleForBackpropAndDfa() {
    for (Loss loss : Loss.values()) {
      int outputs = loss == Loss.CROSS_ENTROPY ? 3 : 1;
      NetworkSpec spec = NetworkSpec.mlp(new int[] {20, 16, 12, outputs}, Activation.TANH, loss);
      Network net = new Network(spec);
      double[] params = Init.GLOROT_UNIFORM.initialize(spec, 5);
      GradientCheckTest.Fixture f = GradientCheckTest.Fixture.random(spec, 33, 6);
      for (Feedback fb : new Feedback[] {Feedback.BACKPROP,
          DirectFeedback.random(spec, "uniform", 1.0, 7)}) {
        double[] g64 = new double[spec.numParams()];
        double loss64 = net.gradient(params, f.x, f.labels, null, f.m, fb, g64,
            net.newWorkspace(f.m));
        float[] g32 = new float[spec.numParams()];
        double loss32 = net.gradient(toFloat(params), toFloat(f.x), f.labels, null, f.m, fb, g32,
            net.newWorkspace(f.m, Precision.FLOAT32));
        assertTrue(Math.abs(loss64 - loss32) <= 1e-4 * Math.abs(loss64), loss + " " + fb);
        assertClose(g64, g32, 1e-4, loss + " " + fb);
      }
    }
  }

  @Test
  void gatedNetworksRunInFloatToo() {
    NetworkSpec spec = new NetworkSpec(new int[] {6, 8, 1}, new Activation[] {Activation.IDENTITY},
        Loss.BCE, new boolean[] {true, true}, new boolean[] {true});
    double[] gate = Init.GLOROT_UNIFORM.initialize(
        NetworkSpec.mlp(new int[] {6, 8, 1}, Activation.RELU, Loss.BCE), 9);
    Network net = new Network(spec, new double[][] {java.util.Arrays.copyOf(gate, 48)});
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 10);
    GradientCheckTest.Fixture f = GradientCheckTest.Fixture.random(spec, 9, 11);
    double[] g64 = new double[spec.numParams()];
    net.gradient(params, f.x, f.labels, null, f.m, Feedback.BACKPROP, g64, net.newWorkspace(9));
    float[] g32 = new float[spec.numParams()];
    net.gradient(toFloat(params), toFloat(f.x), f.labels, null, f.m, Feedback.BACKPROP, g32,
        net.newWorkspace(9, Precision.FLOAT32));
    assertClose(g64, g32, 1e-4, "GaLU");
  }
}
