package org.sparkdfa.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's first paragraph: the experiment's question — does DFA learn parities like BP, or
 * fail like the lazy methods? — answered from this run's final test accuracies, data set by data
 * set. Where DFA sits on the line from the best lazy method (0) to BP (1) decides the words: at
 * least 3/4 of the way is "like BP", at most 1/4 is "like the lazy methods". A data set where BP
 * is not at least {@link #MIN_CONTRAST} above every lazy method cannot tell, and says so.
 */
final class Answer {
  /** Points (of accuracy) BP must lead the best lazy method by for a data set to tell. */
  static final double MIN_CONTRAST = 0.05;

  private Answer() {}

  static String paragraph(List<ParityData> datasets, List<Method> methods,
      List<Map<String, Object>> rows) {
    List<String> findings = new ArrayList<>();
    for (ParityData d : datasets) {
      String f = finding(d, methods, rows);
      if (f != null) findings.add(f);
    }
    if (findings.isEmpty()) {
      return "**Does DFA learn parities like BP, or fail like the lazy methods?** This run cannot "
          + "say: it needs BP, DFA and at least one lazy method (GaLU or random features) on "
          + "the same data set.";
    }
    return "**Does DFA learn parities like BP, or fail like the lazy methods?** In this run "
        + "(test accuracy after the last epoch, mean over runs): " + String.join("; ", findings)
        + ".";
  }

  private static String finding(ParityData d, List<Method> methods,
      List<Map<String, Object>> rows) {
    if (!methods.contains(Method.BP) || !methods.contains(Method.DFA)) return null;
    double bp = accuracy(rows, d, Method.BP);
    double dfa = accuracy(rows, d, Method.DFA);
    Method bestLazy = null;
    double lazy = Double.NEGATIVE_INFINITY;
    for (Method m : methods) {
      if (m.trainsAllLayers()) continue;
      double a = accuracy(rows, d, m);
      if (a > lazy) {
        lazy = a;
        bestLazy = m;
      }
    }
    if (bestLazy == null || Double.isNaN(bp) || Double.isNaN(dfa)) return null;
    String figures = String.format(Locale.ROOT, "on %s BP reaches %.1f%%, DFA %.1f%%, the best "
        + "lazy method (%s) %.1f%%", d.title(), 100 * bp, 100 * dfa, bestLazy.display(),
        100 * lazy);
    if (bp - lazy < MIN_CONTRAST) {
      return figures + String.format(Locale.ROOT, " — BP is not %.0f points above the lazy "
          + "methods here, so this data set cannot tell", 100 * MIN_CONTRAST);
    }
    double position = (dfa - lazy) / (bp - lazy);
    String verdict = position >= 0.75 ? "DFA learns it like BP"
        : position <= 0.25 ? "DFA fails like the lazy methods"
        : "DFA learns it only partly";
    return figures + String.format(Locale.ROOT, " — %s (%+.1f points over the best lazy method, "
        + "%+.1f against BP)", verdict, 100 * (dfa - lazy), 100 * (dfa - bp));
  }

  /** Mean final accuracy on the data set's primary test set, NaN when the method has none. */
  private static double accuracy(List<Map<String, Object>> rows, ParityData d, Method m) {
    return ReportWriter.mean(ReportWriter.finalValues(rows, d.id(), m, "test_accuracy"));
  }
}
