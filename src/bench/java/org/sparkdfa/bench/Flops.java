package org.sparkdfa.bench;

import org.sparkdfa.nn.NetworkSpec;

/**
 * Floating-point work a training step of a {@link NetworkSpec} requires, counted the way the
 * kernel does it: per weight layer the forward gemm (2·out·in·m) and bias add (out·m); on the way
 * back the feedback gemm of every hidden layer (BP: 2·h_k·h_{k+1}·m, DFA: 2·h_k·c·m), and per
 * trainable layer the weight-gradient gemm (2·out·in·m) and bias row sums (out·m). Elementwise
 * activation, derivative and loss work is not counted (it is not gemm work), and neither is the
 * input-layer delta, which no one needs and the code does not compute.
 */
public final class Flops {
  private Flops() {}

  /** Counted FLOPs of one forward + backward + gradient over m examples. */
  public static double trainingStep(NetworkSpec spec, int m, boolean dfa) {
    double f = 0;
    int layers = spec.numWeightLayers();
    for (int l = 0; l < layers; l++) {
      double in = spec.size(l);
      double out = spec.size(l + 1);
      f += 2 * out * in * m + out * m;
    }
    int lowest = 0;
    while (lowest < layers && !spec.trainable(lowest)) lowest++;
    for (int l = layers - 1; l >= lowest; l--) {
      double in = spec.size(l);
      double out = spec.size(l + 1);
      if (l < layers - 1) {
        double above = dfa ? spec.outputs() : spec.size(l + 2);
        f += 2 * out * above * m;
      }
      if (spec.trainable(l)) f += 2 * out * in * m + out * m;
    }
    return f;
  }

  /** FLOPs of a dgemm C(m×n) += A(m×k)·B(k×n). */
  public static double gemm(int m, int n, int k) {
    return 2.0 * m * n * k;
  }
}
