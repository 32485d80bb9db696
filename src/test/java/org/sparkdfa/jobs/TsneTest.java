package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sparkdfa.nn.SplitMix64;

/** Properties of our exact t-SNE, on small gaussian clusters (no Spark). */
class TsneTest {

  /** {@code clusters} gaussian blobs of {@code per} points in {@code dims} dimensions. */
  private static double[][] blobs(int clusters, int per, int dims, double separation, long seed,
      int[] labels) {
    SplitMix64 rng = new SplitMix64(seed);
    double[][] centres = new double[clusters][dims];
    for (int c = 0; c < clusters; c++) {
      for (int t = 0; t < dims; t++) centres[c][t] = separation * gaussian(rng);
    }
    double[][] x = new double[clusters * per][dims];
    for (int i = 0; i < x.length; i++) {
      labels[i] = i % clusters;
      for (int t = 0; t < dims; t++) x[i][t] = centres[labels[i]][t] + gaussian(rng);
    }
    return x;
  }

  private static double gaussian(SplitMix64 rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /** The share of points whose nearest other point in {@code y} has the same label. */
  private static double nearestNeighbourPurity(double[][] y, int[] labels) {
    int same = 0;
    for (int i = 0; i < y.length; i++) {
      int best = -1;
      double bestD = Double.POSITIVE_INFINITY;
      for (int j = 0; j < y.length; j++) {
        if (j == i) continue;
        double d = 0;
        for (int t = 0; t < y[i].length; t++) d += (y[i][t] - y[j][t]) * (y[i][t] - y[j][t]);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      if (labels[best] == labels[i]) same++;
    }
    return same / (double) y.length;
  }

  @Test
  void klDivergenceFallsOverTheIterations() {
    int[] labels = new int[90];
    double[][] x = blobs(3, 30, 10, 4, 11, labels);
    Tsne.Embedding e = Tsne.fit(x, 10, 400, 1);
    double[] kl = e.klDivergence();
    assertEquals(0, e.klIterations()[0]);
    assertEquals(400, e.klIterations()[kl.length - 1]);
    assertTrue(kl[kl.length - 1] < 0.5 * kl[0],
        "KL at the end should be well below the start: " + Arrays.toString(kl));
    // Once early exaggeration ends (iteration 100) every record is lower than the one before,
    // up to the small wobble momentum allows.
    for (int r = 1; r < kl.length; r++) {
      if (e.klIterations()[r - 1] < Tsne.EXAGGERATION_ITERATIONS) continue;
      assertTrue(kl[r] <= kl[r - 1] * 1.01, "KL rose after iteration " + e.klIterations()[r - 1]
          + ": " + Arrays.toString(kl));
    }
    for (double v : kl) assertTrue(Double.isFinite(v) && v >= 0, Arrays.toString(kl));
  }

  @Test
  void wellSeparatedClustersStaySeparated() {
    int[] labels = new int[200];
    double[][] x = blobs(4, 50, 20, 6, 5, labels);
    assertTrue(nearestNeighbourPurity(x, labels) >= 0.99, "the input clusters overlap");
    double[][] y = Tsne.embed(x, 20, 500, 3);
    assertEquals(200, y.length);
    assertEquals(2, y[0].length);
    double purity = nearestNeighbourPurity(y, labels);
    assertTrue(purity >= 0.95, "nearest-neighbour label purity in the embedding: " + purity);
  }

  @Test
  void theSameSeedGivesTheSameCoordinates() {
    int[] labels = new int[60];
    double[][] x = blobs(2, 30, 5, 3, 7, labels);
    double[][] a = Tsne.embed(x, 8, 300, 42);
    double[][] b = Tsne.embed(x, 8, 300, 42);
    for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], 0.0);
    double[][] c = Tsne.embed(x, 8, 300, 43);
    assertFalse(Arrays.deepEquals(a, c), "another seed should start elsewhere");
  }

  @Test
  void eachRowIsCalibratedToThePerplexity() {
    int[] labels = new int[80];
    double[][] x = blobs(2, 40, 6, 2, 9, labels);
    for (double perplexity : new double[] {1.5, 5, 30, 70}) {
      double[] p = TsneAffinities.conditional(TsneAffinities.squaredDistances(x), 80, perplexity);
      for (int i = 0; i < 80; i++) {
        assertEquals(perplexity, TsneAffinities.rowPerplexity(p, 80, i), 1e-3 * perplexity,
            "row " + i + " at perplexity " + perplexity);
      }
    }
  }

  @Test
  void badArgumentsAreRefusedWithTheFix() {
    double[][] x = blobs(2, 5, 3, 3, 1, new int[10]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tsne.embed(x, 10, 300, 1));
    assertTrue(e.getMessage().contains("perplexity = 10.0") && e.getMessage().contains("n = 10")
        && e.getMessage().contains("lower the perplexity"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tsne.embed(x, 9, 300, 1));
    assertTrue(e.getMessage().contains("[1, 9)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tsne.embed(x, 0.5, 300, 1));
    assertTrue(e.getMessage().contains("perplexity = 0.5"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Tsne.embed(Arrays.copyOf(x, 3), 1, 300, 1));
    assertTrue(e.getMessage().contains("at least 4 points, got 3"), e.getMessage());

    double[][] ragged = {{0, 0}, {1, 1}, {2}, {3, 3}, {4, 4}};
    e = assertThrows(IllegalArgumentException.class, () -> Tsne.embed(ragged, 1.5, 300, 1));
    assertTrue(e.getMessage().contains("row 2 has 1 values"), e.getMessage());

    double[][] nan = {{0, 0}, {1, Double.NaN}, {2, 2}, {3, 3}, {4, 4}};
    e = assertThrows(IllegalArgumentException.class, () -> Tsne.embed(nan, 1.5, 300, 1));
    assertTrue(e.getMessage().contains("row 1 has value NaN"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> Tsne.embed(x, 3, 0, 1));
    assertTrue(e.getMessage().contains("iterations = 0"), e.getMessage());
  }
}
