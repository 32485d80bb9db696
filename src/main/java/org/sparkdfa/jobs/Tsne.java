package org.sparkdfa.jobs;

import java.util.Arrays;
import java.util.Locale;
import org.sparkdfa.nn.SplitMix64;

/**
 * Exact t-SNE in 2-D (van der Maaten &amp; Hinton 2008, "Visualizing Data using t-SNE", JMLR 9),
 * for the report's pictures of hidden layers. At the at most 1,000 rows the report embeds, the
 * exact O(n²) gradient costs a few seconds, so no Barnes-Hut approximation is needed.
 *
 * <p>The optimisation follows the paper and its reference implementation (tsne.m): input
 * affinities calibrated to the perplexity ({@link TsneAffinities}), a start from an isotropic
 * Gaussian of standard deviation 1e-4, gradient descent with momentum 0.5 for the first 250
 * iterations and 0.8 after, per-coordinate gains (Jacobs 1988: +0.2 while the gradient keeps
 * its direction, ×0.8 when it flips, at least 0.01), and early exaggeration (p_ij × 4 for the
 * first 100 iterations). The learning rate is 200, the usual default of later implementations.
 * Every loop runs in a fixed order in one thread, so a seed gives bit-identical coordinates.
 */
final class Tsne {
  private Tsne() {}

  /** The fewest points that can be embedded: a perplexity must be in [1, n − 1). */
  static final int MIN_POINTS = 4;
  static final double LEARNING_RATE = 200;
  static final double INITIAL_MOMENTUM = 0.5;
  static final double FINAL_MOMENTUM = 0.8;
  static final int MOMENTUM_SWITCH_ITERATION = 250;
  static final double EXAGGERATION = 4;
  static final int EXAGGERATION_ITERATIONS = 100;
  static final double MIN_GAIN = 0.01;
  static final double INITIAL_SD = 1e-4;
  /** The KL divergence is recorded every this many iterations (it costs a pass with logs). */
  static final int KL_EVERY = 50;

  private static final long SEED_TAG = 0x7453_4E45_2D32_4400L; // "tSNE-2D"

  /**
   * A finished embedding: the coordinates (n × 2) and the KL divergence KL(P‖Q) against the
   * true (not exaggerated) P, at the iterations listed in {@code klIterations}: 0 (the start),
   * every {@link #KL_EVERY}, and the last.
   */
  record Embedding(double[][] coordinates, int[] klIterations, double[] klDivergence) {}

  /** The rows of {@code x} embedded in 2-D (see {@link #fit}). */
  static double[][] embed(double[][] x, double perplexity, int iterations, long seed) {
    return fit(x, perplexity, iterations, seed).coordinates();
  }

  /**
   * Embeds the rows of {@code x} (n × d, all of one length, finite) in 2-D.
   *
   * @throws IllegalArgumentException if there are fewer than {@link #MIN_POINTS} rows, rows of
   *     different lengths or non-finite values, a perplexity outside [1, n − 1), or fewer than
   *     one iteration — before any work.
   */
  static Embedding fit(double[][] x, double perplexity, int iterations, long seed) {
    check(x, perplexity, iterations);
    int n = x.length;
    double[] p = TsneAffinities.joint(
        TsneAffinities.conditional(TsneAffinities.squaredDistances(x), n, perplexity), n);

    double[] y = new double[2 * n];
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(SEED_TAG, seed));
    for (int k = 0; k < y.length; k++) {
      y[k] = INITIAL_SD * gaussian(rng);
    }
    double[] update = new double[2 * n];
    double[] gains = new double[2 * n];
    Arrays.fill(gains, 1.0);
    double[] grad = new double[2 * n];
    double[] num = new double[n * n];

    int records = iterations / KL_EVERY + (iterations % KL_EVERY == 0 ? 1 : 2);
    int[] klIterations = new int[records];
    double[] kl = new double[records];
    int r = 0;
    for (int t = 0; t < iterations; t++) {
      double z = studentT(y, n, num);
      if (t % KL_EVERY == 0) {
        klIterations[r] = t;
        kl[r++] = klDivergence(p, num, z, n);
      }
      gradient(p, num, z, y, n, t < EXAGGERATION_ITERATIONS ? EXAGGERATION : 1.0, grad);
      double momentum = t < MOMENTUM_SWITCH_ITERATION ? INITIAL_MOMENTUM : FINAL_MOMENTUM;
      for (int k = 0; k < y.length; k++) {
        // tsne.m's gains: the last step went against the gradient (downhill) -> grow; it went
        // with it (overshot, the gradient flipped) -> shrink.
        boolean downhill = Math.signum(grad[k]) != Math.signum(update[k]);
        gains[k] = Math.max(downhill ? gains[k] + 0.2 : gains[k] * 0.8, MIN_GAIN);
        update[k] = momentum * update[k] - LEARNING_RATE * gains[k] * grad[k];
        y[k] += update[k];
      }
      center(y, n);
    }
    klIterations[r] = iterations;
    kl[r] = klDivergence(p, num, studentT(y, n, num), n);

    double[][] coords = new double[n][2];
    for (int i = 0; i < n; i++) {
      coords[i][0] = y[2 * i];
      coords[i][1] = y[2 * i + 1];
    }
    return new Embedding(coords, klIterations, kl);
  }

  private static void check(double[][] x, double perplexity, int iterations) {
    if (x == null || x.length < MIN_POINTS) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "t-SNE needs at least %d points, got %d: embed more rows (diagnostics.tsne.probe-rows)",
          MIN_POINTS, x == null ? 0 : x.length));
    }
    int n = x.length;
    int d = x[0].length;
    for (int i = 0; i < n; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException("t-SNE input row " + i + " has " + x[i].length
            + " values while row 0 has " + d + ": every row must have the same length");
      }
      for (int t = 0; t < d; t++) {
        if (!Double.isFinite(x[i][t])) {
          throw new IllegalArgumentException("t-SNE input row " + i + " has value " + x[i][t]
              + " at position " + t + ": every value must be finite");
        }
      }
    }
    if (!(perplexity >= 1 && perplexity < n - 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "t-SNE perplexity = %s must be in [1, n - 1) = [1, %d) for n = %d points: a point has "
              + "only n - 1 neighbours; lower the perplexity (about n / 3 at most is usual) or "
              + "embed more points", perplexity, n - 1, n));
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("t-SNE iterations = " + iterations + " must be >= 1 "
          + "(1000 is usual)");
    }
  }

  /**
   * The Student-t kernel (1 + ‖y_i − y_j‖²)⁻¹ into the upper triangle of {@code num}; returns
   * Z = Σ_{i≠j} of it, the normalizer of q_ij.
   */
  private static double studentT(double[] y, int n, double[] num) {
    double z = 0;
    for (int i = 0; i < n; i++) {
      double yi0 = y[2 * i];
      double yi1 = y[2 * i + 1];
      for (int j = i + 1; j < n; j++) {
        double d0 = yi0 - y[2 * j];
        double d1 = yi1 - y[2 * j + 1];
        double v = 1.0 / (1.0 + d0 * d0 + d1 * d1);
        num[i * n + j] = v;
        z += v;
      }
    }
    return 2 * z;
  }

  /** ∂C/∂y_i = 4 Σ_j (α p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j), equation (5). */
  private static void gradient(double[] p, double[] num, double z, double[] y, int n,
      double exaggeration, double[] grad) {
    Arrays.fill(grad, 0);
    for (int i = 0; i < n; i++) {
      double yi0 = y[2 * i];
      double yi1 = y[2 * i + 1];
      double g0 = 0;
      double g1 = 0;
      for (int j = i + 1; j < n; j++) {
        double v = num[i * n + j];
        double m = (exaggeration * p[i * n + j] - v / z) * v;
        double f0 = m * (yi0 - y[2 * j]);
        double f1 = m * (yi1 - y[2 * j + 1]);
        g0 += f0;
        g1 += f1;
        grad[2 * j] -= f0;
        grad[2 * j + 1] -= f1;
      }
      grad[2 * i] += g0;
      grad[2 * i + 1] += g1;
    }
    for (int k = 0; k < grad.length; k++) {
      grad[k] *= 4;
    }
  }

  /** KL(P‖Q) = Σ p_ij log(p_ij / q_ij) over i ≠ j, with q_ij = num_ij / Z. */
  private static double klDivergence(double[] p, double[] num, double z, int n) {
    double kl = 0;
    double logZ = Math.log(z);
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double pij = p[i * n + j];
        kl += pij * (Math.log(pij) - Math.log(num[i * n + j]) + logZ);
      }
    }
    return 2 * kl;
  }

  /** Subtracts the mean: t-SNE's cost is translation-invariant, so the picture stays centred. */
  private static void center(double[] y, int n) {
    double m0 = 0;
    double m1 = 0;
    for (int i = 0; i < n; i++) {
      m0 += y[2 * i];
      m1 += y[2 * i + 1];
    }
    m0 /= n;
    m1 /= n;
    for (int i = 0; i < n; i++) {
      y[2 * i] -= m0;
      y[2 * i + 1] -= m1;
    }
  }

  /** A standard normal draw (Box–Muller, one value per call, so the stream is easy to replay). */
  private static double gaussian(SplitMix64 rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
