package org.sparkdfa.jobs;

/**
 * The input similarities of t-SNE (van der Maaten &amp; Hinton 2008, section 2): for each point i
 * a Gaussian over the others, p(j|i) ∝ exp(−β_i ‖x_i − x_j‖²), whose precision β_i is found by
 * binary search so that the row's perplexity exp(H(P_i)) equals the one asked for; then the
 * symmetric joint p_ij = (p(j|i) + p(i|j)) / 2n. Plain arrays, no Spark.
 */
final class TsneAffinities {
  private TsneAffinities() {}

  /** |H(P_i) − log perplexity| below which a row's β_i is accepted (nats). */
  static final double ENTROPY_TOLERANCE = 1e-5;
  /** Doublings, halvings and bisections per row; 2^±200 spans any distance scale. */
  static final int MAX_SEARCH_STEPS = 200;
  /** Floor of p_ij, so log p_ij in the KL divergence stays finite (as in tsne.m). */
  static final double MIN_P = 1e-12;

  /** Squared Euclidean distances, n × n row-major. */
  static double[] squaredDistances(double[][] x) {
    int n = x.length;
    double[] d2 = new double[n * n];
    for (int i = 0; i < n; i++) {
      double[] a = x[i];
      for (int j = i + 1; j < n; j++) {
        double[] b = x[j];
        double s = 0;
        for (int t = 0; t < a.length; t++) {
          double diff = a[t] - b[t];
          s += diff * diff;
        }
        d2[i * n + j] = s;
        d2[j * n + i] = s;
      }
    }
    return d2;
  }

  /**
   * The conditional p(j|i), n × n row-major (zero diagonal), each row calibrated to
   * {@code perplexity}. Arguments are checked by {@link Tsne}.
   */
  static double[] conditional(double[] d2, int n, double perplexity) {
    double target = Math.log(perplexity);
    double[] p = new double[n * n];
    for (int i = 0; i < n; i++) {
      calibrateRow(d2, n, i, target, p);
    }
    return p;
  }

  /** The symmetric joint p_ij = (p(j|i) + p(i|j)) / 2n, floored at {@link #MIN_P}; sums to ~1. */
  static double[] joint(double[] conditional, int n) {
    double[] p = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double v = Math.max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), MIN_P);
        p[i * n + j] = v;
        p[j * n + i] = v;
      }
    }
    return p;
  }

  /** The perplexity exp(H) of row i of a conditional matrix (for tests and diagnostics). */
  static double rowPerplexity(double[] conditional, int n, int i) {
    double h = 0;
    for (int j = 0; j < n; j++) {
      double v = conditional[i * n + j];
      if (v > 0) h -= v * Math.log(v);
    }
    return Math.exp(h);
  }

  /**
   * Binary search on β_i (tsne.m's x2p): double or halve it until the target entropy is
   * bracketed, then bisect. Distances are shifted by the row's smallest one, which leaves p(j|i)
   * unchanged but keeps the nearest neighbour's weight at exp(0) = 1, so no row underflows to
   * all zeros however large β gets.
   */
  private static void calibrateRow(double[] d2, int n, int i, double target, double[] out) {
    double min = Double.POSITIVE_INFINITY;
    double mean = 0;
    for (int j = 0; j < n; j++) {
      if (j == i) continue;
      min = Math.min(min, d2[i * n + j]);
      mean += d2[i * n + j];
    }
    mean /= n - 1;
    // Start on the data's own scale: β = 1 / (mean spread) gives a moderately wide Gaussian.
    double spread = mean - min;
    double beta = spread > 0 ? 1.0 / spread : 1.0;
    double lo = 0;
    double hi = Double.POSITIVE_INFINITY;
    for (int step = 0; step < MAX_SEARCH_STEPS; step++) {
      double h = rowEntropy(d2, n, i, min, beta, out);
      if (Math.abs(h - target) < ENTROPY_TOLERANCE) break;
      if (h > target) {
        // Too flat: sharpen.
        lo = beta;
        beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    // out holds the last evaluated row; equal distances give a uniform row whatever β is.
  }

  /** Writes the normalized row p(·|i) for precision β into {@code out}; returns its entropy. */
  private static double rowEntropy(double[] d2, int n, int i, double min, double beta,
      double[] out) {
    double sum = 0;
    double weighted = 0;
    for (int j = 0; j < n; j++) {
      if (j == i) {
        out[i * n + j] = 0;
        continue;
      }
      double shifted = d2[i * n + j] - min;
      double w = Math.exp(-beta * shifted);
      out[i * n + j] = w;
      sum += w;
      weighted += shifted * w;
    }
    for (int j = 0; j < n; j++) {
      out[i * n + j] /= sum;
    }
    // H = log Σ w + β Σ w·d / Σ w  (nats), from p = w / Σ w with w = exp(−β d).
    return Math.log(sum) + beta * weighted / sum;
  }
}
