package org.sparkdfa.nn;

import dev.ludovic.netlib.blas.BLAS;
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

  /**
   * Forward pass over the first m columns of x. Returns the output logits (c × m) held in the
   * workspace; hidden outputs stay available through {@link Workspace#output}.
   */
  public double[] forward(double[] params, double[] x, int m, Workspace ws) {
    checkBlock(params, x, m, ws);
    BLAS blas = Blas.get();
    double[] input = x;
    int last = spec.numWeightLayers() - 1;
    for (int l = 0; l <= last; l++) {
      int in = spec.size(l);
      int out = spec.size(l + 1);
      double[] z = ws.z[l];
      // Bias first, then gemm accumulates onto it (beta = 1): one pass over z instead of two.
      int bOff = spec.biasOffset(l);
      for (int col = 0; col < m; col++) {
        System.arraycopy(params, bOff, z, col * out, out);
      }
      blas.dgemm("N", "N", out, m, in, 1.0, params, spec.weightOffset(l), out, input, 0, in, 1.0,
          z, 0, out);
      if (l < last) {
        int len = out * m;
        spec.hiddenActivation(l).apply(z, len);
        if (gates[l] != null) applyGate(l, input, m, ws, len);
      }
      input = z;
    }
    return ws.z[last];
  }

  /** gate = 1[G·z_prev > 0]; z ⊙= gate. The gate depends only on the input, never on W. */
  private void applyGate(int l, double[] input, int m, Workspace ws, int len) {
    int in = spec.size(l);
    int out = spec.size(l + 1);
    double[] g = ws.gate[l];
    Blas.get().dgemm("N", "N", out, m, in, 1.0, gates[l], 0, out, input, 0, in, 0.0, g, 0, out);
    double[] z = ws.z[l];
    for (int i = 0; i < len; i++) {
      g[i] = g[i] > 0 ? 1.0 : 0.0;
      z[i] *= g[i];
    }
  }

  /**
   * Forward + backward on the first m columns of x with the given feedback rule. Adds the summed
   * gradient into {@code grad} (frozen layers get nothing) and returns the summed weighted loss.
   *
   * @param weights per-example weights, or null for all ones
   */
  public double gradient(double[] params, double[] x, double[] labels, double[] weights, int m,
      Feedback feedback, double[] grad, Workspace ws) {
    if (grad.length != spec.numParams()) {
      throw new IllegalArgumentException("gradient vector has " + grad.length + " entries, the "
          + "network has " + spec.numParams() + " parameters");
    }
    double[] logits = forward(params, x, m, ws);
    int last = spec.numWeightLayers() - 1;
    int c = spec.outputs();
    double[] error = ws.delta[last];
    double loss = spec.loss().lossAndError(logits, c, m, labels, weights, error);

    BLAS blas = Blas.get();
    int lowestTrainable = lowestTrainableLayer();
    for (int l = last; l >= lowestTrainable; l--) {
      if (l < last) {
        // δ_l = signal ⊙ f'(a_l) (⊙ gate): BP's signal needs δ_{l+1}, DFA's only e.
        int len = spec.size(l + 1) * m;
        double[] delta = ws.delta[l];
        feedback.signal(spec, params, l, ws.delta[l + 1], error, m, delta);
        spec.hiddenActivation(l).multiplyDerivative(ws.z[l], delta, len);
        if (gates[l] != null) {
          double[] g = ws.gate[l];
          for (int i = 0; i < len; i++) delta[i] *= g[i];
        }
      }
      if (spec.trainable(l)) {
        accumulateLayerGradient(blas, l, l == 0 ? x : ws.z[l - 1], m, ws.delta[l], grad);
      }
    }
    return loss;
  }

  /** ∂W_l += δ_l · z_{l−1}ᵀ, ∂b_l += row sums of δ_l. */
  private void accumulateLayerGradient(BLAS blas, int l, double[] input, int m, double[] delta,
      double[] grad) {
    int in = spec.size(l);
    int out = spec.size(l + 1);
    blas.dgemm("N", "T", out, in, m, 1.0, delta, 0, out, input, 0, in, 1.0, grad,
        spec.weightOffset(l), out);
    int bOff = spec.biasOffset(l);
    for (int col = 0; col < m; col++) {
      int base = col * out;
      for (int i = 0; i < out; i++) grad[bOff + i] += delta[base + i];
    }
  }

  /** Deltas are needed only down to the lowest trainable layer; below it nothing learns. */
  private int lowestTrainableLayer() {
    for (int l = 0; l < spec.numWeightLayers(); l++) {
      if (spec.trainable(l)) return l;
    }
    return spec.numWeightLayers();
  }

  /** Summed weighted loss of the first m columns (forward only). */
  public double loss(double[] params, double[] x, double[] labels, double[] weights, int m,
      Workspace ws) {
    double[] logits = forward(params, x, m, ws);
    int c = spec.outputs();
    double[] scratch = ws.delta[spec.numWeightLayers() - 1];
    return spec.loss().lossAndError(logits, c, m, labels, weights, scratch);
  }

  private void checkBlock(double[] params, double[] x, int m, Workspace ws) {
    if (params.length != spec.numParams()) {
      throw new IllegalArgumentException("parameter vector has " + params.length
          + " entries, the network " + spec + " has " + spec.numParams());
    }
    if (m < 0 || m > ws.maxCols) {
      throw new IllegalArgumentException("block of " + m + " examples does not fit a workspace of "
          + ws.maxCols);
    }
    if (x.length < spec.inputs() * m) {
      throw new IllegalArgumentException("input block holds " + x.length + " values, need d × m = "
          + spec.inputs() + " × " + m);
    }
  }
}
