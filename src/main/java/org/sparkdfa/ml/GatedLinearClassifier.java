package org.sparkdfa.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Seeds;
import org.sparkdfa.nn.SplitMix64;

/**
 * The NTK-regime baseline: a gated linear unit network ("GaLU", Fiat, Malach &amp; Shalev-Shwartz
 * 2019) trained by backpropagation, as in the parity experiments of Daniely &amp; Malach (2020).
 *
 * <pre>
 *   h    = W₁x + b₁                 (trainable)
 *   gate = 1[Gx &gt; 0]              (G fixed: same shape as W₁, no bias)
 *   out  = W₂(gate ⊙ h) + b₂        (trainable)
 * </pre>
 *
 * A ReLU unit is relu(wᵀx) = 1[wᵀx &gt; 0]·wᵀx; GaLU decouples the gate from the linear part and
 * freezes it, so the network is linear in its parameters for every input — the kernel (lazy)
 * regime. The gates never change; only W₁, b₁, W₂, b₂ are trained.
 *
 * <p>G has i.i.d. N(0, 1) entries drawn from (seed, "gate") — only the signs of Gx matter, so
 * its scale is immaterial — independent of W₁'s initialization (which follows {@code weightInit},
 * Glorot-uniform by default). Both are pure functions of {@code seed}, and the fitted
 * {@link MlpClassificationModel} stores G with the weights.
 *
 * <p>Layers default to {@code [numFeatures, width, 1]} (see {@link LazyClassifierBase}); the
 * hidden layer is linear, so {@code hiddenActivation} may only be unset or "identity".
 */
public class GatedLinearClassifier extends LazyClassifierBase<GatedLinearClassifier> {
  private static final long serialVersionUID = 1L;

  /** Seed tag of the gate matrix's stream. */
  private static final long GATE_TAG = 0x6A7EL;

  public GatedLinearClassifier() {
    this(Uids.random("gatedLinear"));
  }

  public GatedLinearClassifier(String uid) {
    super(Uids.pending(uid));
  }

  @Override
  protected Activation hiddenLayerActivation() {
    return Activation.IDENTITY;
  }

  @Override
  protected NetworkSpec buildSpec(int[] layers, Loss loss) {
    return new NetworkSpec(layers, new Activation[] {Activation.IDENTITY}, loss,
        new boolean[] {true, true}, new boolean[] {true});
  }

  @Override
  protected Network buildNetwork(NetworkSpec spec) {
    return new Network(spec, new double[][] {gateMatrix(spec.size(1), spec.size(0), getSeed())});
  }

  /** The fixed gate matrix G (rows × cols, column-major, N(0, 1) entries) for a seed. */
  static double[] gateMatrix(int rows, int cols, long seed) {
    SplitMix64 rng = new SplitMix64(Seeds.mix(seed, GATE_TAG));
    double[] g = new double[rows * cols];
    for (int i = 0; i < g.length; i++) g[i] = Seeds.gaussian(rng);
    return g;
  }

  @Override
  public GatedLinearClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<GatedLinearClassifier> read() {
    return new EstimatorIO.Reader<>(GatedLinearClassifier.class);
  }

  public static GatedLinearClassifier load(String path) {
    return read().load(path);
  }
}
