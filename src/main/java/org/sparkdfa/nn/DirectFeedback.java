package org.sparkdfa.nn;

import java.io.Serializable;
import java.util.Locale;

/**
 * Direct feedback alignment (Nøkland 2016): hidden layer k receives B_k e, with B_k a fixed random
 * matrix of shape h_k × c drawn once from a seed. The output layer keeps its true gradient.
 *
 * <p>Scale: entries are U(−s, s) with s = scale·√(6/(h_k + c)) ("uniform") or N(0, σ²) with
 * σ = scale·√(2/(h_k + c)) ("gaussian") — the Glorot magnitude of a layer of that shape, so
 * scale = 1 gives hidden updates of the size BP would give at initialization. The other
 * {@linkplain #NORMALIZATIONS normalizations} set the variance to scale²/c ("fan-in": ∝ 1/√c,
 * c the size of the signal fed back) or scale²/h_k ("fan-out": ∝ 1/√h), the uniform bound
 * being √3 times the standard deviation.
 */
public final class DirectFeedback implements Feedback, Serializable {
  private static final long serialVersionUID = 1L;

  /** Feedback distributions accepted by {@link #random}. */
  public static final String[] DISTRIBUTIONS = {"uniform", "gaussian"};

  /**
   * How the entries' variance follows the matrix's shape (rows = units receiving the feedback,
   * cols = size of the signal fed back): Glorot 2/(rows + cols), fan-in 1/cols, fan-out 1/rows.
   */
  public static final String[] NORMALIZATIONS = {"glorot", "fan-in", "fan-out"};

  private final FeedbackMatrices matrices;

  /** Uses the given matrices; {@code matrices[k]} is h_k × c column-major. */
  public DirectFeedback(NetworkSpec spec, double[][] matrices) {
    if (matrices.length != spec.numHidden()) {
      throw new IllegalArgumentException("DFA needs one feedback matrix per hidden layer ("
          + spec.numHidden() + "), got " + matrices.length);
    }
    for (int k = 0; k < matrices.length; k++) {
      int expected = spec.size(k + 1) * spec.outputs();
      if (matrices[k].length != expected) {
        throw new IllegalArgumentException("feedback matrix " + k + " must have h_k × c = "
            + expected + " entries, got " + matrices[k].length);
      }
    }
    this.matrices = new FeedbackMatrices(matrices);
  }

  /** Draws every B_k from (seed, k). */
  public static DirectFeedback random(NetworkSpec spec, String distribution, double scale,
      long seed) {
    return random(spec, distribution, "glorot", scale, seed);
  }

  /** Draws every B_k from (seed, k) with the given {@linkplain #NORMALIZATIONS normalization}. */
  public static DirectFeedback random(NetworkSpec spec, String distribution,
      String normalization, double scale, long seed) {
    int c = spec.outputs();
    double[][] b = new double[spec.numHidden()][];
    for (int k = 0; k < b.length; k++) {
      b[k] = draw(distribution, normalization, scale, seed, k, spec.size(k + 1), c);
    }
    return new DirectFeedback(spec, b);
  }

  /**
   * A rows × cols column-major matrix drawn from (seed, k) at the Glorot magnitude of that shape
   * (see the class comment). Feedback alignment draws its matrices the same way, so that where
   * FA's and DFA's shapes agree (the last hidden layer) their matrices are equal.
   */
  static double[] draw(String distribution, double scale, long seed, int k, int rows, int cols) {
    return draw(distribution, "glorot", scale, seed, k, rows, cols);
  }

  /** As {@link #draw(String, double, long, int, int, int)} with the given normalization. */
  static double[] draw(String distribution, String normalization, double scale, long seed, int k,
      int rows, int cols) {
    String norm = normalization == null ? "" : normalization.toLowerCase(Locale.ROOT);
    double variance = switch (norm) {
      case "glorot" -> 2.0 / (rows + cols);
      case "fan-in" -> 1.0 / cols;
      case "fan-out" -> 1.0 / rows;
      default -> throw new IllegalArgumentException("Unknown feedbackNormalization '"
          + normalization + "'; use one of " + String.join(", ", NORMALIZATIONS));
    };
    String dist = distribution == null ? "" : distribution.toLowerCase(Locale.ROOT);
    if (!dist.equals("uniform") && !dist.equals("gaussian")) {
      throw new IllegalArgumentException("Unknown feedbackDistribution '" + distribution
          + "'; use one of " + String.join(", ", DISTRIBUTIONS));
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("feedbackScale must be positive and finite, got " + scale);
    }
    SplitMix64 rng = new SplitMix64(Seeds.mix(seed, 0xDFA, k));
    double[] b = new double[rows * cols];
    if (dist.equals("uniform")) {
      double s = scale * Math.sqrt(3 * variance);
      for (int i = 0; i < b.length; i++) b[i] = rng.nextDouble(-s, s);
    } else {
      double sigma = scale * Math.sqrt(variance);
      for (int i = 0; i < b.length; i++) b[i] = sigma * Seeds.gaussian(rng);
    }
    return b;
  }

  /** A copy of B_k (h_k × c, column-major). */
  public double[] matrix(int k) {
    return matrices.copy(k);
  }

  public int numMatrices() {
    return matrices.size();
  }

  @Override
  public <A> void signal(Numeric<A> num, NetworkSpec spec, A params, int k, A deltaAbove,
      A error, int m, A out) {
    int h = spec.size(k + 1);
    int c = spec.outputs();
    A b = matrices.get(num, k);
    num.gemm("N", "N", h, m, c, b, 0, h, error, 0, c, 0.0, out, 0, h);
  }


  @Override
  public boolean needsDeltaAbove() {
    return false;
  }

  /** Names the rule and fingerprints the matrices (checkpoints must resume with the same B). */
  @Override
  public String toString() {
    return "dfa(B#" + matrices.fingerprint() + ")";
  }
}
