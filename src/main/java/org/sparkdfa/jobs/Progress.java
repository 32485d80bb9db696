package org.sparkdfa.jobs;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Console progress: one line per epoch of every run, after every run an overall line with the
 * share of the work done, the elapsed time and an estimate of the time left, and within a run a
 * line at most every {@code interval} seconds (run, epoch, step, rows/s, ETA of the run and of
 * the whole experiment). Work is counted in optimizer steps (every step is one Spark job)
 * weighted by their size (see ParityJob.Run); within an epoch the trainer reports every step.
 */
final class Progress {
  private final PrintStream out;
  private final int totalRuns;
  private final double totalCost;
  private final long start = System.nanoTime();
  private final double intervalSeconds;
  private double doneCost;
  private double skippedCost;
  private int run;
  private String label;
  private int epochs;
  private int epoch;
  private long stepsPerEpoch;
  private int batchSize;
  private double costPerEpoch;
  private long epochStart;
  private long stepInEpoch;
  private long lastLine;
  private boolean running;

  Progress(PrintStream out, int totalRuns, double totalCost) {
    this(out, totalRuns, totalCost, 10);
  }

  Progress(PrintStream out, int totalRuns, double totalCost, double intervalSeconds) {
    this.out = out;
    this.totalRuns = totalRuns;
    this.totalCost = Math.max(1e-9, totalCost);
    this.intervalSeconds = intervalSeconds;
  }

  synchronized void startRun(String label, int epochs, long stepsPerEpoch, int batchSize,
      double costPerEpoch) {
    run++;
    this.label = label;
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.batchSize = batchSize;
    this.costPerEpoch = costPerEpoch;
    epoch = 1;
    stepInEpoch = 0;
    epochStart = System.nanoTime();
    lastLine = epochStart;
    running = true;
  }

  /** Step {@code step} (1-based) of the current epoch is done (from the trainer's listener). */
  synchronized void step(int step) {
    if (!running) return;
    stepInEpoch = step;
    long now = System.nanoTime();
    if ((now - lastLine) / 1e9 < intervalSeconds) return;
    lastLine = now;
    long done = Math.min(stepInEpoch, stepsPerEpoch);
    double epochSeconds = (now - epochStart) / 1e9;
    double stepsPerSecond = done / Math.max(1e-9, epochSeconds);
    long stepsLeft = (long) (epochs - epoch) * stepsPerEpoch + stepsPerEpoch - done;
    double runLeft = stepsLeft / Math.max(1e-9, stepsPerSecond);
    double costDone = doneCost + costPerEpoch * done / (double) stepsPerEpoch;
    double costRate = costPerEpoch / stepsPerEpoch * stepsPerSecond;
    double allLeft = (totalCost - costDone - skippedCost) / Math.max(1e-12, costRate);
    out.printf(Locale.ROOT, "  ... run %d/%d %s  epoch %d/%d  step %d/%d  %.0f rows/s  ETA "
            + "run %s, experiment %s%n", run, totalRuns, label.trim(), epoch, epochs, done,
        stepsPerEpoch, stepsPerSecond * batchSize, duration(runLeft), duration(allLeft));
    out.flush();
  }

  /** Called by the epoch listener with its figures ({@code epoch}, {@code eval.*}). */
  synchronized void epoch(Map<String, Double> m) {
    doneCost += costPerEpoch;
    epoch = m.get("epoch").intValue() + 1;
    stepInEpoch = 0;
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

  synchronized void endRun() {
    running = false;
    // A run that exited early skipped its remaining epochs: that work is done, but took no time.
    skippedCost += costPerEpoch * Math.max(0, epochs - (epoch - 1));
    double elapsed = (System.nanoTime() - start) / 1e9;
    double frac = Math.min(1.0, (doneCost + skippedCost) / totalCost);
    String eta = doneCost > 0 ? duration(Math.max(0, elapsed / doneCost
        * (totalCost - doneCost - skippedCost))) : "?";
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
