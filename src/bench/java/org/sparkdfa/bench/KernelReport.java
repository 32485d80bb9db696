package org.sparkdfa.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.MultisetStatistics;
import org.openjdk.jmh.util.Statistics;
import org.sparkdfa.nn.NetworkSpec;

/**
 * The kernel benchmark's figures from JMH's results: medians of the sampled invocations (ms),
 * GFLOP/s from the counted FLOPs ({@link Flops}), the ratio of the BP and DFA steps' rate to the
 * bare dgemm pair's rate (per round and over all rounds), and the breakdown of a BP step.
 */
final class KernelReport {
  private final NetworkSpec spec;
  private final int m;
  private final double flopsBp;
  private final double flopsDfa;
  private final double flopsNn;
  private final double flopsNt;

  KernelReport(NetworkSpec spec, int m) {
    this.spec = spec;
    this.m = m;
    this.flopsBp = Flops.trainingStep(spec, m, false);
    this.flopsDfa = Flops.trainingStep(spec, m, true);
    this.flopsNn = Flops.gemm(spec.size(1), m, spec.inputs());
    this.flopsNt = Flops.gemm(spec.size(1), spec.inputs(), m);
  }

  void printFlops() {
    int h = spec.size(1);
    int d = spec.inputs();
    System.out.printf(Locale.ROOT, "counted FLOPs per step: BP %.4e, DFA %.4e; bare dgemm pair "
        + "%.4e (NN %dx%dx%d + NT %dx%dx%d)%n", flopsBp, flopsDfa, flopsNn + flopsNt, h, m, d, h, d,
        m);
  }

  /** Median ms of a result's samples. */
  static double median(Statistics s) {
    return s.getPercentile(50);
  }

  /** The samples of one benchmark pooled over every round's run (all forks). */
  static Statistics pooled(List<Map<String, RunResult>> rounds, String benchmark) {
    MultisetStatistics all = new MultisetStatistics();
    for (Map<String, RunResult> r : rounds) {
      Iterator<Map.Entry<Double, Long>> it = r.get(benchmark).getPrimaryResult().getStatistics()
          .getRawData();
      while (it.hasNext()) {
        Map.Entry<Double, Long> e = it.next();
        all.addValue(e.getKey(), e.getValue());
      }
    }
    return all;
  }

  /** Prints the main table and ratios; returns {BP ratio, DFA ratio} over all rounds. */
  double[] printMain(List<Map<String, RunResult>> rounds) {
    String[] names = {KernelBench.NN, KernelBench.NT, KernelBench.BP, KernelBench.DFA};
    for (int f = 0; f < rounds.size(); f++) {
      double[] t = new double[4];
      for (int i = 0; i < 4; i++) {
        t[i] = median(rounds.get(f).get(names[i]).getPrimaryResult().getStatistics());
      }
      double[] q = ratios(t[0], t[1], t[2], t[3]);
      System.out.printf(Locale.ROOT, "round %d: NN %.2f ms, NT %.2f ms, BP %.2f ms, DFA %.2f ms "
          + "-> ratio BP %.3f, DFA %.3f%n", f + 1, t[0], t[1], t[2], t[3], q[0], q[1]);
    }
    int h = spec.size(1);
    int d = spec.inputs();
    System.out.printf(Locale.ROOT, "%nover %d round(s), medians of every sampled invocation:%n",
        rounds.size());
    System.out.printf(Locale.ROOT, "  %-46s %s%n", "case", "median ms (p25..p75, n)  GFLOP/s");
    double tNn = row(String.format(Locale.ROOT, "dgemm NN %dx%dx%d (forward shape)", h, m, d),
        pooled(rounds, KernelBench.NN), flopsNn);
    double tNt = row(String.format(Locale.ROOT, "dgemm NT %dx%dx%d (gradient shape)", h, d, m),
        pooled(rounds, KernelBench.NT), flopsNt);
    System.out.printf(Locale.ROOT, "  %-46s %9.3f %31.2f%n", "reference: bare dgemm pair NN+NT",
        tNn + tNt, (flopsNn + flopsNt) / (tNn + tNt) / 1e6);
    double tBp = row("BP step (zero grad + Network.gradient)", pooled(rounds, KernelBench.BP),
        flopsBp);
    double tDfa = row("DFA step (zero grad + Network.gradient)", pooled(rounds, KernelBench.DFA),
        flopsDfa);
    double[] q = ratios(tNn, tNt, tBp, tDfa);
    System.out.printf(Locale.ROOT, "GFLOP/s ratio to the dgemm pair: BP %.3f, DFA %.3f; targets "
        + "BP >= 0.8, DFA >= BP%n", q[0], q[1]);
    return q;
  }

  /** {BP ratio, DFA ratio}: each step's rate over the pair's rate, from median ms. */
  private double[] ratios(double nn, double nt, double bp, double dfa) {
    double ref = (flopsNn + flopsNt) / (nn + nt);
    return new double[] {flopsBp / bp / ref, flopsDfa / dfa / ref};
  }

  /** Prints one row; returns its median ms. */
  private static double row(String label, Statistics s, double flops) {
    double med = median(s);
    System.out.printf(Locale.ROOT, "  %-46s %9.3f (%.3f..%.3f, n=%d) %8.2f%n", label, med,
        s.getPercentile(25), s.getPercentile(75), s.getN(), flops / med / 1e6);
    return med;
  }

  /** The pieces of a BP step, their sum, and the rest of the step (step − sum). */
  void printBreakdown(Map<String, RunResult> pieces, Statistics step) {
    System.out.println();
    System.out.println("breakdown of a BP step (each piece on its own, medians; the DFA signal "
        + "replaces BP's, so it is not part of the sum):");
    double sum = 0;
    for (Map.Entry<String, RunResult> e : pieces.entrySet()) {
      Statistics s = e.getValue().getPrimaryResult().getStatistics();
      boolean alternative = e.getKey().equals("dfaSignalGemm");
      if (!alternative) sum += median(s);
      System.out.printf(Locale.ROOT, "  %-46s %9.3f ms (p25 %.3f, p75 %.3f)%s%n", e.getKey(),
          median(s), s.getPercentile(25), s.getPercentile(75),
          alternative ? "  (instead of bpSignalGemm)" : "");
    }
    double whole = median(step);
    System.out.printf(Locale.ROOT, "  %-46s %9.3f ms%n", "sum of the pieces", sum);
    System.out.printf(Locale.ROOT, "  %-46s %9.3f ms%n", "BP step (from the main rounds)", whole);
    System.out.printf(Locale.ROOT, "  %-46s %9.3f ms%n",
        "rest: bias broadcast + row sums, output layer", whole - sum);
  }
}
