package org.sparkdfa.jobs;

import smile.manifold.TSNE;
import smile.math.MathEx;

/** 2-D t-SNE embeddings (Smile's Barnes-Hut-free exact t-SNE, van der Maaten &amp; Hinton 2008). */
final class Tsne {
  private Tsne() {}

  /** Smile's default learning rate. */
  private static final double ETA = 200;

  /**
   * Embeds the rows of {@code x} in 2-D. Smile treats a square input as a matrix of squared
   * distances, so the distances are always passed explicitly (a rows == dimensions input would
   * otherwise be misread). Seeded for a reproducible picture.
   */
  static double[][] embed(double[][] x, double perplexity, int iterations, long seed) {
    int n = x.length;
    double[][] d2 = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = 0;
        double[] a = x[i];
        double[] b = x[j];
        for (int t = 0; t < a.length; t++) {
          double diff = a[t] - b[t];
          s += diff * diff;
        }
        d2[i][j] = s;
        d2[j][i] = s;
      }
    }
    synchronized (Tsne.class) {
      MathEx.setSeed(seed);
      return new TSNE(d2, 2, perplexity, ETA, iterations).coordinates;
    }
  }
}
