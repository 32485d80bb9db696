package org.sparkdfa.bench;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Timings of one Spark-level measurement (epochs, jobs, probes timed by the benchmark itself:
 * whole Spark jobs and concurrent threads, which JMH's single-JVM benchmarks do not fit), in
 * seconds. Reported as median (robust against the occasional outlier a shared machine produces)
 * with the spread as min/max and the interquartile range relative to the median. The kernel
 * benchmarks run on JMH instead.
 */
public final class Samples {
  private final double[] sorted;

  public Samples(String name, double[] seconds) {
    if (seconds.length == 0) {
      throw new IllegalArgumentException("no samples for " + name);
    }
    this.sorted = seconds.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** Linear-interpolated quantile, q in [0, 1] (R-7, the spreadsheet definition). */
  public double quantile(double q) {
    if (q == 0) return sorted[0];
    return new Percentile().withEstimationType(Percentile.EstimationType.R_7)
        .evaluate(sorted, 100 * q);
  }

  public double median() {
    return quantile(0.5);
  }

  public double min() {
    return sorted[0];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  /** Interquartile range over the median, in percent. */
  public double iqrPercent() {
    return 100 * (quantile(0.75) - quantile(0.25)) / median();
  }

  /** "median 12.34 ms (min 12.1, max 13.0, IQR 1.2%, n=10)". */
  public String describeMillis() {
    return String.format(Locale.ROOT, "median %9.3f ms  (min %.3f, max %.3f, IQR %.1f%%, n=%d)",
        median() * 1e3, min() * 1e3, max() * 1e3, iqrPercent(), count());
  }
}
