package org.sparkdfa.nn;

import java.io.Serializable;

/**
 * Forward and backward passes of a {@link NetworkSpec} over a column-major block of m examples
 * (x is d × m: each example is one contiguous column), with gemm for all matrix work. Parameters
 * live in one flat vector laid out by the spec (W_0, b_0, W_1, b_1, …; each W is out × in,
 * column-major). Fixed gate matrices (GaLU) are part of the network, not of the parameters.
 *
 * <p>Gradients are <em>added</em> into a caller-owned vector as sums over the block, and the
 * summed weighted loss is returned, so blocks and partitions add up exactly. Nothing here knows
 * about Spark.
 */
public final class Network implements Serializable {
  private static final long serialVersionUID = 1L;

  private final NetworkSpec spec;
  private final double[][] gates;
  private transient volatile float[][] floatGates;

  public Network(NetworkSpec spec) {
    this(spec, new double[spec.numHidden()][]);
  }

  /** {@code gates[k]} is the fixed h_k × in_k gate matrix of hidden layer k, or null if ungated. */
  public Network(NetworkSpec spec, double[][] gates) {
    this.spec = spec;
    if (gates.length != spec.numHidden()) {
      throw new IllegalArgumentException("need one (possibly null) gate matrix per hidden layer");
    }
    this.gates = new double[gates.length][];
    for (int k = 0; k < gates.length; k++) {
      if (spec.gated(k) != (gates[k] != null)) {
        throw new IllegalArgumentException("hidden layer " + (k + 1) + " is "
            + (spec.gated(k) ? "gated but has no gate matrix" : "not gated but has a gate matrix"));
      }
      if (gates[k] != null) {
        int expected = spec.size(k + 1) * spec.size(k);
        if (gates[k].length != expected) {
          throw new IllegalArgumentException("gate matrix " + k + " needs " + expected
              + " entries, got " + gates[k].length);
        }
        this.gates[k] = gates[k].clone();
      }
    }
  }

  public NetworkSpec spec() {
    return spec;
  }

  /** A copy of the gate matrix of hidden layer k, or null. */
  public double[] gate(int k) {
    return gates[k] == null ? null : gates[k].clone();
  }

  public Workspace newWorkspace(int maxCols) {
    return new Workspace(spec, maxCols);
  }

  public Workspace newWorkspace(int maxCols, Precision precision) {
    return new Workspace(spec, maxCols, precision);
  }

  /**
   * Forward pass over the first m columns of x. Returns the output logits (c × m) held in the
   * workspace; hidden outputs stay available through {@link Workspace#output}.
   */
  public double[] forward(double[] params, double[] x, int m, Workspace ws) {
    return forward(Numeric.F64, params, x, m, ws);
  }

  /** Single-precision forward pass (sgemm); the workspace must be float32. */
  public float[] forward(float[] params, float[] x, int m, Workspace ws) {
    return forward(Numeric.F32, params, x, m, ws);
  }

  /**
   * Forward + backward on the first m columns of x with the given feedback rule. Adds the summed
   * gradient into {@code grad} (frozen layers get nothing) and returns the summed weighted loss.
   *
   * @param weights per-example weights, or null for all ones
   */
  public double gradient(double[] params, double[] x, double[] labels, double[] weights, int m,
      Feedback feedback, double[] grad, Workspace ws) {
    return gradient(Numeric.F64, params, x, labels, weights, m, feedback, grad, ws);
  }

  /** Single-precision gradient (sgemm); labels, weights and the returned loss stay double. */
  public double gradient(float[] params, float[] x, double[] labels, double[] weights, int m,
      Feedback feedback, float[] grad, Workspace ws) {
    return gradient(Numeric.F32, params, x, labels, weights, m, feedback, grad, ws);
  }

  /** Summed weighted loss of the first m columns (forward only). */
  public double loss(double[] params, double[] x, double[] labels, double[] weights, int m,
      Workspace ws) {
    double[] logits = forward(params, x, m, ws);
    double[] scratch = ws.delta(spec.numWeightLayers() - 1);
    return spec.lossAndError(logits, m, labels, weights, scratch);
  }

  @SuppressWarnings("unchecked")
  private <A> A forward(Numeric<A> num, A params, A x, int m, Workspace ws) {
    checkBlock(num, params, x, m, ws);
    A input = x;
    int last = spec.numWeightLayers() - 1;
    for (int l = 0; l <= last; l++) {
      int in = spec.size(l);
      int out = spec.size(l + 1);
      A z = (A) ws.z[l];
      // Bias first, then gemm accumulates onto it (beta = 1): one pass over z instead of two.
      num.broadcastBias(params, spec.biasOffset(l), out, z, m);
      num.gemm("N", "N", out, m, in, params, spec.weightOffset(l), out, input, 0, in, 1.0, z, 0,
          out);
      if (l < last) {
        int len = out * m;
        num.apply(spec.hiddenActivation(l), z, len);
        if (gates[l] != null) {
          // gate = 1[G·z_prev > 0]; z ⊙= gate. The gate depends only on the input, never on W.
          A g = (A) ws.gate[l];
          num.gemm("N", "N", out, m, in, gateMatrix(num, l), 0, out, input, 0, in, 0.0, g, 0, out);
          num.gate(g, z, len);
        }
      }
      input = z;
    }
    return (A) ws.z[last];
  }

  @SuppressWarnings("unchecked")
  private <A> double gradient(Numeric<A> num, A params, A x, double[] labels, double[] weights,
      int m, Feedback feedback, A grad, Workspace ws) {
    if (num.length(grad) != spec.numParams()) {
      throw new IllegalArgumentException("gradient vector has " + num.length(grad) + " entries, "
          + "the network has " + spec.numParams() + " parameters");
    }
    A logits = forward(num, params, x, m, ws);
    int last = spec.numWeightLayers() - 1;
    A error = (A) ws.delta[last];
    double loss = num.lossAndError(spec, logits, m, labels, weights, error);
    int lowestTrainable = lowestTrainableLayer();
    for (int l = last; l >= lowestTrainable; l--) {
      if (l < last) {
        // δ_l = signal ⊙ f'(a_l) (⊙ gate): BP's signal needs δ_{l+1}, DFA's only e.
        int len = spec.size(l + 1) * m;
        A delta = (A) ws.delta[l];
        feedback.signal(num, spec, params, l, (A) ws.delta[l + 1], error, m, delta);
        num.multiplyDerivative(spec.hiddenActivation(l), (A) ws.z[l], delta, len);
        if (gates[l] != null) num.multiply(delta, (A) ws.gate[l], len);
      }
      if (spec.trainable(l)) {
        // ∂W_l += δ_l · z_{l−1}ᵀ, ∂b_l += row sums of δ_l.
        int in = spec.size(l);
        int out = spec.size(l + 1);
        A input = l == 0 ? x : (A) ws.z[l - 1];
        A delta = (A) ws.delta[l];
        num.gemm("N", "T", out, in, m, delta, 0, out, input, 0, in, 1.0, grad,
            spec.weightOffset(l), out);
        num.addRowSums(delta, out, m, grad, spec.biasOffset(l));
      }
    }
    return loss;
  }

  /** Gate matrix k in the given precision (the float copy is made once). */
  @SuppressWarnings("unchecked")
  private <A> A gateMatrix(Numeric<A> num, int k) {
    if (num == Numeric.F64) return (A) gates[k];
    float[][] f = floatGates;
    if (f == null) {
      f = new float[gates.length][];
      for (int i = 0; i < gates.length; i++) {
        if (gates[i] != null) f[i] = Numeric.F32.fromDouble(gates[i]);
      }
      floatGates = f;
    }
    return (A) f[k];
  }

  /** Deltas are needed only down to the lowest trainable layer; below it nothing learns. */
  private int lowestTrainableLayer() {
    for (int l = 0; l < spec.numWeightLayers(); l++) {
      if (spec.trainable(l)) return l;
    }
    return spec.numWeightLayers();
  }

  private <A> void checkBlock(Numeric<A> num, A params, A x, int m, Workspace ws) {
    if ((num == Numeric.F32) != (ws.precision == Precision.FLOAT32)) {
      throw new IllegalArgumentException("a " + ws.precision.paramName() + " workspace cannot "
          + "hold a " + (num == Numeric.F32 ? "float32" : "float64") + " pass");
    }
    if (num.length(params) != spec.numParams()) {
      throw new IllegalArgumentException("parameter vector has " + num.length(params)
          + " entries, the network " + spec + " has " + spec.numParams());
    }
    if (m < 0 || m > ws.maxCols) {
      throw new IllegalArgumentException("block of " + m + " examples does not fit a workspace of "
          + ws.maxCols);
    }
    if (num.length(x) < spec.inputs() * m) {
      throw new IllegalArgumentException("input block holds " + num.length(x) + " values, need d × m = "
          + spec.inputs() + " × " + m);
    }
  }
}
