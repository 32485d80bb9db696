package org.sparkdfa.ml;

import java.util.Locale;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Seeds;
import org.sparkdfa.nn.SplitMix64;

/**
 * The random-features baseline: a first layer drawn at random and frozen, and a trained output
 * layer on top — a linear model (for bce: logistic regression) on random features of the input.
 *
 * <ul>
 *   <li>{@code gaussian} — random Fourier features cos(Wx + b) (Rahimi &amp; Recht 2007), W with
 *       i.i.d. N(0, σ²) entries, b ~ U[0, 2π]; σ is the {@code sigma} param, unset = 4/√d (d =
 *       number of features), the scale of the parity paper's code (Daniely &amp; Malach 2020);</li>
 *   <li>{@code relu} — relu(Wx + b), W Glorot-uniform U(−r, r) with r = √(6/(d + width)), b = 0;</li>
 *   <li>{@code linear} — Wx + b with the same W and b = 0, no nonlinearity (so the model is
 *       linear in x).</li>
 * </ul>
 *
 * The random layer is a pure function of {@code seed} and {@code featureType} (and σ); the output
 * layer starts from {@code weightInit}. Only the output layer is trained: the random layer gets no
 * gradient and no L2, so every optimizer leaves it bit-identical. Layers default to
 * {@code [numFeatures, width, 1]} (see {@link LazyClassifierBase}).
 */
public class RandomFeaturesClassifier extends LazyClassifierBase<RandomFeaturesClassifier> {
  private static final long serialVersionUID = 1L;

  /** Values of {@code featureType}. */
  public static final String[] FEATURE_TYPES = {"gaussian", "relu", "linear"};

  /** Seed tag of the random layer's stream. */
  private static final long FEATURES_TAG = 0x5F7EL;

  private final Param<String> featureType;
  private final DoubleParam sigma;

  public RandomFeaturesClassifier() {
    this(Uids.random("randomFeatures"));
  }

  public RandomFeaturesClassifier(String uid) {
    super(Uids.pending(uid));
    // Created after super(..) returned, so the uid is in place (see Uids).
    featureType = new Param<>(this, "featureType", "the frozen random first layer: gaussian "
        + "(cos(Wx + b), W ~ N(0, sigma^2), b ~ U[0, 2pi]), relu (relu(Wx), W Glorot-uniform) or "
        + "linear (Wx, W Glorot-uniform)", Validators.oneOf("featureType", FEATURE_TYPES));
    sigma = new DoubleParam(this, "sigma", "standard deviation of the gaussian features' weights "
        + "(> 0; unset = 4/sqrt(numFeatures); used only by featureType gaussian)",
        Validators.positive("sigma"));
    setDefault(featureType, "gaussian");
  }

  public Param<String> featureType() {
    return featureType;
  }

  public DoubleParam sigma() {
    return sigma;
  }

  /** The feature type, lower case. */
  public String getFeatureType() {
    return getOrDefault(featureType).trim().toLowerCase(Locale.ROOT);
  }

  /** The set σ; throws if unset (then {@link #sigmaFor} gives 4/√d). */
  public double getSigma() {
    if (!isDefined(sigma)) {
      throw new java.util.NoSuchElementException("Param sigma is unset: the gaussian features "
          + "use sigma = 4/sqrt(numFeatures); see sigmaFor(numFeatures)");
    }
    return (Double) getOrDefault(sigma);
  }

  /** The σ of the gaussian features for d inputs: the set value, else 4/√d. */
  public double sigmaFor(int inputs) {
    return isDefined(sigma) ? (Double) getOrDefault(sigma) : 4.0 / Math.sqrt(inputs);
  }

  public RandomFeaturesClassifier setFeatureType(String value) {
    set(featureType, value);
    return this;
  }

  public RandomFeaturesClassifier setSigma(double value) {
    set(sigma, value);
    return this;
  }

  @Override
  protected Activation hiddenLayerActivation() {
    switch (getFeatureType()) {
      case "gaussian":
        return Activation.COS;
      case "relu":
        return Activation.RELU;
      case "linear":
        return Activation.IDENTITY;
      default:
        throw new IllegalArgumentException("Param featureType must be one of "
            + String.join(", ", FEATURE_TYPES) + ", got '" + getFeatureType() + "'");
    }
  }

  @Override
  protected NetworkSpec buildSpec(int[] layers, Loss loss) {
    return new NetworkSpec(layers, new Activation[] {hiddenLayerActivation()}, loss,
        new boolean[] {false, true}, new boolean[] {false});
  }

  /** The output layer from {@code weightInit}, then the frozen random layer over layer 0. */
  @Override
  protected double[] initialize(NetworkSpec spec) {
    double[] params = super.initialize(spec);
    fillRandomLayer(spec, params);
    return params;
  }

  private void fillRandomLayer(NetworkSpec spec, double[] params) {
    SplitMix64 rng = new SplitMix64(Seeds.mix(getSeed(), FEATURES_TAG));
    int n = spec.size(0) * spec.size(1);
    int w = spec.weightOffset(0);
    int b = spec.biasOffset(0);
    if (hiddenLayerActivation() == Activation.COS) {
      double s = sigmaFor(spec.inputs());
      for (int i = 0; i < n; i++) params[w + i] = s * Seeds.gaussian(rng);
      for (int i = 0; i < spec.size(1); i++) params[b + i] = rng.nextDouble(0, 2 * Math.PI);
    } else {
      Init.GLOROT_UNIFORM.fillLayer(spec, params, 0, rng);
      for (int i = 0; i < spec.size(1); i++) params[b + i] = 0;
    }
  }

  @Override
  public RandomFeaturesClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<RandomFeaturesClassifier> read() {
    return new EstimatorIO.Reader<>(RandomFeaturesClassifier.class);
  }

  public static RandomFeaturesClassifier load(String path) {
    return read().load(path);
  }
}
