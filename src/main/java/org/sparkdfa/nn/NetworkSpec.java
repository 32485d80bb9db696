package org.sparkdfa.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The architecture of a fully connected network: layer sizes {@code [d, h1, …, hL, c]}, one
 * activation per hidden layer, the output+loss, which weight layers are trainable (random-features
 * baselines freeze the first), and which hidden layers are gated by a fixed random matrix (the
 * GaLU baseline). The constructor checks the whole architecture and names what is wrong.
 */
public final class NetworkSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The most values one Java array holds (HotSpot refuses the last few below 2^31 − 1). */
  public static final int MAX_PARAMS = Integer.MAX_VALUE - 8;

  private final int[] layers;
  private final Activation[] hidden;
  private final Loss loss;
  private final boolean[] trainable;
  private final boolean[] gated;
  private double huberDelta = Loss.DEFAULT_HUBER_DELTA;

  public NetworkSpec(int[] layers, Activation[] hidden, Loss loss, boolean[] trainable,
      boolean[] gated) {
    if (layers == null || layers.length < 2) {
      throw new IllegalArgumentException("layers needs at least 2 sizes (inputs and outputs), got "
          + Arrays.toString(layers) + "; e.g. [784, 128, 1]");
    }
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] <= 0) {
        throw new IllegalArgumentException("layers[" + i + "] must be positive, got "
            + layers[i] + " in " + Arrays.toString(layers));
      }
    }
    long count = parameterCount(layers);
    if (count > MAX_PARAMS) {
      throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " need " + count
          + " parameters (weights and biases), more than the " + MAX_PARAMS + " one flat array"
          + " holds; use fewer or narrower hidden layers");
    }
    int numHidden = layers.length - 2;
    if (hidden.length != numHidden) {
      throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " has " + numHidden
          + " hidden layer(s) but " + hidden.length + " hidden activation(s) were given");
    }
    String outputProblem = loss.outputSizeProblem(layers[layers.length - 1]);
    if (outputProblem != null) {
      throw new IllegalArgumentException(outputProblem);
    }
    if (trainable.length != layers.length - 1 || gated.length != numHidden) {
      throw new IllegalArgumentException("trainable needs one flag per weight layer ("
          + (layers.length - 1) + ") and gated one per hidden layer (" + numHidden + ")");
    }
    for (int l = 0; l < numHidden; l++) {
      boolean deltaFlowsThrough = false;
      for (int below = 0; below <= l; below++) deltaFlowsThrough |= trainable[below];
      if (deltaFlowsThrough && !hidden[l].hasDerivativeFromOutput()) {
        throw new IllegalArgumentException("hidden layer " + (l + 1) + " uses '"
            + hidden[l].paramName() + "', which is only allowed when no layer at or below it is "
            + "trained");
      }
    }
    this.layers = layers.clone();
    this.hidden = hidden.clone();
    this.loss = loss;
    this.trainable = trainable.clone();
    this.gated = gated.clone();
  }

  /** A plain MLP: every layer trainable, nothing gated, the same activation in every hidden layer. */
  public static NetworkSpec mlp(int[] layers, Activation activation, Loss loss) {
    int numHidden = Math.max(0, layers == null ? 0 : layers.length - 2);
    Activation[] hidden = new Activation[numHidden];
    Arrays.fill(hidden, activation);
    boolean[] trainable = new boolean[Math.max(0, layers == null ? 0 : layers.length - 1)];
    Arrays.fill(trainable, true);
    return new NetworkSpec(layers, hidden, loss, trainable, new boolean[numHidden]);
  }

  public int[] layers() {
    return layers.clone();
  }

  public int size(int i) {
    return layers[i];
  }

  public int inputs() {
    return layers[0];
  }

  public int outputs() {
    return layers[layers.length - 1];
  }

  /** Number of weight layers (hidden layers + 1). */
  public int numWeightLayers() {
    return layers.length - 1;
  }

  public int numHidden() {
    return layers.length - 2;
  }

  public Activation hiddenActivation(int hiddenIndex) {
    return hidden[hiddenIndex];
  }

  public Loss loss() {
    return loss;
  }

  /** Huber's δ (used only by loss huber). */
  public double huberDelta() {
    return huberDelta;
  }

  /** This architecture with Huber's δ (> 0). */
  public NetworkSpec withHuberDelta(double delta) {
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("huberDelta must be finite and > 0, got " + delta);
    }
    NetworkSpec out = new NetworkSpec(layers, hidden, loss, trainable, gated);
    out.huberDelta = delta;
    return out;
  }

  /** The loss of the first m columns of the output block, with this spec's δ; see {@link Loss}. */
  public double lossAndError(double[] out, int m, double[] labels, double[] weights, double[] e) {
    return loss.lossAndError(out, outputs(), m, labels, weights, e, huberDelta);
  }

  public boolean trainable(int weightLayer) {
    return trainable[weightLayer];
  }

  public boolean gated(int hiddenIndex) {
    return gated[hiddenIndex];
  }

  /** Offset of weight layer l's matrix (out × in, column-major) in the flat parameter vector. */
  public int weightOffset(int l) {
    int off = 0;
    for (int i = 0; i < l; i++) off += layers[i + 1] * (layers[i] + 1);
    return off;
  }

  /** Offset of weight layer l's bias vector, right after its matrix. */
  public int biasOffset(int l) {
    return weightOffset(l) + layers[l + 1] * layers[l];
  }

  /** Total number of parameters (weights and biases of every layer) in the flat vector. */
  public int numParams() {
    return weightOffset(layers.length - 1);
  }

  /**
   * The parameters that layer sizes {@code layers} (all positive) make, counted in long: a spec
   * exists only when this is at most {@link #MAX_PARAMS}, and then every offset fits an int.
   * Saturates at 2^62 − 1 (each layer adds less than 2^62, so the sum never wraps).
   */
  public static long parameterCount(int[] layers) {
    long total = 0;
    for (int i = 0; i + 1 < layers.length; i++) {
      total = Math.min(Long.MAX_VALUE / 2, total + (long) layers[i + 1] * (layers[i] + 1L));
    }
    return total;
  }

  /** Indices of trainable weight matrices (not biases): the ones L2 regularization applies to. */
  public java.util.BitSet regularizedIndices() {
    java.util.BitSet bits = new java.util.BitSet(numParams());
    for (int l = 0; l < numWeightLayers(); l++) {
      if (trainable[l]) bits.set(weightOffset(l), biasOffset(l));
    }
    return bits;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(Arrays.toString(layers)).append(' ');
    for (Activation a : hidden) sb.append(a.paramName()).append(' ');
    sb.append(loss.paramName());
    if (loss == Loss.HUBER) sb.append("(delta=").append(huberDelta).append(')');
    return sb.toString();
  }
}
