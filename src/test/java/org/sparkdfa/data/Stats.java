package org.sparkdfa.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binomial bounds for statistical assertions. */
final class Stats {
  private Stats() {}

  /** Asserts that {@code count} successes out of {@code n} are within z standard deviations of n·p. */
  static void assertBinomial(String what, long count, long n, double p, double z) {
    double mean = n * p;
    double sd = Math.sqrt(n * p * (1 - p));
    double lo = mean - z * sd;
    double hi = mean + z * sd;
    assertTrue(count >= lo && count <= hi, String.format(
        "%s: %d of %d (%.4f), expected p=%.4f, %.1f-sigma bounds [%.1f, %.1f]",
        what, count, n, (double) count / n, p, z, lo, hi));
  }
}
