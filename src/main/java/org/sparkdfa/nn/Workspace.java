package org.sparkdfa.nn;

/**
 * Caller-owned buffers for one block of up to {@code maxCols} examples, in one precision: per
 * weight layer the output z (after activation; for the last layer the logits), the delta, and a
 * gate mask for gated layers. Reused across steps so the hot loop allocates nothing.
 */
public final class Workspace {
  final int maxCols;
  final Precision precision;
  final Object[] z;
  final Object[] delta;
  final Object[] gate;

  public Workspace(NetworkSpec spec, int maxCols) {
    this(spec, maxCols, Precision.FLOAT64);
  }

  public Workspace(NetworkSpec spec, int maxCols, Precision precision) {
    if (maxCols <= 0) throw new IllegalArgumentException("maxCols must be positive, got " + maxCols);
    this.maxCols = maxCols;
    this.precision = precision;
    Numeric<?> num = precision == Precision.FLOAT32 ? Numeric.F32 : Numeric.F64;
    int n = spec.numWeightLayers();
    z = new Object[n];
    delta = new Object[n];
    gate = new Object[n];
    for (int l = 0; l < n; l++) {
      int size = spec.size(l + 1) * maxCols;
      z[l] = num.alloc(size);
      delta[l] = num.alloc(size);
      if (l < spec.numHidden() && spec.gated(l)) gate[l] = num.alloc(size);
    }
  }

  public int maxCols() {
    return maxCols;
  }

  public Precision precision() {
    return precision;
  }

  /** The output block of weight layer l from the last float64 forward pass (size(l+1) × m). */
  public double[] output(int l) {
    return (double[]) z[l];
  }

  /** The delta of weight layer l from the last float64 gradient call (size(l+1) × m). */
  public double[] delta(int l) {
    return (double[]) delta[l];
  }

  /** The output block of weight layer l from the last float32 forward pass. */
  public float[] outputFloat(int l) {
    return (float[]) z[l];
  }
}
