package org.sparkdfa.nn;

/**
 * Caller-owned buffers for one block of up to {@code maxCols} examples: per weight layer the
 * output z (after activation; for the last layer the logits), the delta, and a gate mask for
 * gated layers. Reused across steps so the hot loop allocates nothing.
 */
public final class Workspace {
  final int maxCols;
  final double[][] z;
  final double[][] delta;
  final double[][] gate;

  public Workspace(NetworkSpec spec, int maxCols) {
    if (maxCols <= 0) throw new IllegalArgumentException("maxCols must be positive, got " + maxCols);
    this.maxCols = maxCols;
    int n = spec.numWeightLayers();
    z = new double[n][];
    delta = new double[n][];
    gate = new double[n][];
    for (int l = 0; l < n; l++) {
      int size = spec.size(l + 1) * maxCols;
      z[l] = new double[size];
      delta[l] = new double[size];
      if (l < spec.numHidden() && spec.gated(l)) gate[l] = new double[size];
    }
  }

  public int maxCols() {
    return maxCols;
  }

  /** The output block of weight layer l from the last forward pass (size(l+1) × m). */
  public double[] output(int l) {
    return z[l];
  }

  /** The delta of weight layer l from the last gradient call (size(l+1) × m). */
  public double[] delta(int l) {
    return delta[l];
  }
}
