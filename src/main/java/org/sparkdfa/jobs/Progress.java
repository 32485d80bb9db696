package org.sparkdfa.jobs;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Console progress: one line per epoch of every run, and after every run an overall line with the
 * share of the work done, the elapsed time and an estimate of the time left. Work is counted in
 * optimizer steps (every step is one Spark job) weighted by their size (see ParityJob.Run).
 */
final class Progress {
  private final PrintStream out;
  private final int totalRuns;
  private final double totalCost;
  private final long start = System.nanoTime();
  private double doneCost;
  private int run;
  private String label;
  private int epochs;
  private double costPerEpoch;
  private long epochStart;

  Progress(PrintStream out, int totalRuns, double totalCost) {
    this.out = out;
    this.totalRuns = totalRuns;
    this.totalCost = Math.max(1e-9, totalCost);
  }

  void startRun(String label, int epochs, double costPerEpoch) {
    run++;
    this.label = label;
    this.epochs = epochs;
    this.costPerEpoch = costPerEpoch;
    epochStart = System.nanoTime();
  }

  /** Called by the epoch listener with its figures ({@code epoch}, {@code eval.*}). */
  void epoch(Map<String, Double> m) {
    doneCost += costPerEpoch;
    long now = System.nanoTime();
    double seconds = (now - epochStart) / 1e9;
    epochStart = now;
    StringBuilder tests = new StringBuilder();
    for (Map.Entry<String, Double> e : m.entrySet()) {
      if (e.getKey().startsWith(EpochEvaluator.TEST_ACCURACY)) {
        String name = e.getKey().substring(EpochEvaluator.TEST_ACCURACY.length());
        tests.append(String.format(Locale.ROOT, " %s%.3f",
            name.equals("test") ? "" : name + " ", e.getValue()));
      }
    }
    out.printf(Locale.ROOT, "[%d/%d] %s  epoch %2d/%d  train loss %.4f acc %.3f  test acc%s"
            + "  (%.1f s)%n", run, totalRuns, label, m.get("epoch").intValue(), epochs,
        m.get(EpochEvaluator.TRAIN_LOSS), m.get(EpochEvaluator.TRAIN_ACCURACY), tests, seconds);
    out.flush();
  }

  void endRun() {
    double elapsed = (System.nanoTime() - start) / 1e9;
    double frac = Math.min(1.0, doneCost / totalCost);
    String eta = frac > 0 ? duration(elapsed / frac - elapsed) : "?";
    out.printf(Locale.ROOT, "progress: %d/%d runs, %.0f%% of the work, elapsed %s, ETA %s%n", run,
        totalRuns, 100 * frac, duration(elapsed), eta);
    out.flush();
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) return s + "s";
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
