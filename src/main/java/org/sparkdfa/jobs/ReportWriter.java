package org.sparkdfa.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.md: provenance, the final table (method × data set and test set → test accuracy after
 * the last epoch, mean ± std over seeds), the pictures, and the resolved configuration. Written
 * last, atomically, so a report.md means a finished experiment.
 */
final class ReportWriter {
  private ReportWriter() {}

  /** A picture in the report. */
  record Picture(String file, String caption) {}

  static void write(Path file, ParityConfig cfg, List<ParityData> datasets,
      List<Map<String, Object>> rows, List<Picture> pictures, Map<String, String> provenance,
      List<String> notes) {
    List<Method> methods = cfg.experiment().methods();
    List<Long> seeds = cfg.experiment().seeds();
    StringBuilder md = new StringBuilder();
    md.append("# Parity experiment: BP, DFA and lazy baselines\n\n");
    md.append("Test accuracy after the last epoch, mean ± std over ").append(seeds.size())
        .append(seeds.size() == 1 ? " seed" : " seeds").append(" (").append(seeds)
        .append("). Chance is 50% on every test set (balanced labels). Sparse parity models are "
            + "tested on both input distributions, whatever they were trained on.\n\n");

    // The final table: one column per (data set, test set).
    List<String> header = new ArrayList<>(List.of("method"));
    List<String[]> columns = new ArrayList<>();
    for (ParityData d : datasets) {
      for (String t : d.testNames()) {
        header.add(columnTitle(d, t));
        columns.add(new String[] {d.id(), t.equals("mixture") ? "test_mixture_accuracy"
            : "test_accuracy"});
      }
    }
    md.append("| ").append(String.join(" | ", header)).append(" |\n");
    md.append("|").append(" --- |".repeat(header.size())).append('\n');
    for (Method m : methods) {
      List<String> cells = new ArrayList<>(List.of("**" + m.display() + "**"));
      for (String[] col : columns) {
        cells.add(cell(finalValues(rows, col[0], m, col[1])));
      }
      md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    md.append('\n');
    if (datasets.stream().anyMatch(d -> d.family().equals(ParityData.SPARSE) && d.k() == 3)) {
      md.append("Sparse parity k = 3, uniform test: a model that learnt only the mixture's "
          + "shortcut (the sign the secret coordinates share there, i.e. their majority) scores "
          + "25%, below chance; learning the parity itself scores 100%.\n\n");
    }
    md.append("Methods: ");
    List<String> descr = new ArrayList<>();
    for (Method m : methods) descr.add("**" + m.display() + "** " + m.description());
    md.append(String.join("; ", descr)).append(".\n\n");
    if (!notes.isEmpty()) {
      md.append("Notes:\n\n");
      for (String n : notes) md.append("- ").append(n).append('\n');
      md.append('\n');
    }

    md.append("## Pictures\n\n");
    for (Picture p : pictures) {
      md.append("### ").append(p.caption()).append("\n\n");
      md.append("![").append(p.caption()).append("](").append(p.file()).append(")\n\n");
    }

    md.append("## Data sets\n\n");
    for (ParityData d : datasets) {
      md.append("- **").append(d.title()).append("** (`").append(d.id()).append("`): ")
          .append(d.trainRows()).append(" training rows")
          .append(d.freshPerEpoch() ? " drawn afresh every epoch" : "").append(", ")
          .append(d.testRows()).append(" rows per test set (").append(String.join(", ",
              d.testNames())).append("); first seed: `").append(d.describe(seeds.get(0)))
          .append("`\n");
    }
    md.append('\n');

    md.append("## Provenance\n\n");
    for (Map.Entry<String, String> e : provenance.entrySet()) {
      md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    md.append("\nPer-epoch figures of every run: `metrics.csv` and `metrics.jsonl` (train loss "
        + "is the mean over the epoch's mini-batches; train and test accuracy are measured with "
        + "the weights at the end of the epoch; alignment columns come from the alignment "
        + "diagnostics). The resolved configuration is in `config.conf`:\n\n");
    md.append("```hocon\n").append(cfg.render().strip()).append("\n```\n");
    Outputs.write(file, md.toString());
  }

  static String columnTitle(ParityData d, String test) {
    if (d.family().equals(ParityData.SPARSE)) {
      return "sparse n=" + d.n() + " k=" + d.k() + " train " + d.trainDistribution() + " → "
          + test + " test";
    }
    return "MNIST-parity k=" + d.k();
  }

  /** The last epoch's value of {@code column} for each seed. */
  static List<Double> finalValues(List<Map<String, Object>> rows, String dataset, Method m,
      String column) {
    Map<Object, Map<String, Object>> lastPerSeed = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      if (!dataset.equals(r.get("dataset")) || !m.id().equals(r.get("method"))) continue;
      Map<String, Object> prev = lastPerSeed.get(r.get("seed"));
      if (prev == null || (Integer) r.get("epoch") > (Integer) prev.get("epoch")) {
        lastPerSeed.put(r.get("seed"), r);
      }
    }
    List<Double> out = new ArrayList<>();
    for (Map<String, Object> r : lastPerSeed.values()) {
      if (r.get(column) instanceof Double d && Double.isFinite(d)) out.add(d);
    }
    return out;
  }

  /** "87.3 ± 1.2" (percent; sample std), "87.3" for one value, "–" for none. */
  static String cell(List<Double> v) {
    if (v.isEmpty()) return "–";
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (v.size() == 1) return String.format(Locale.ROOT, "%.1f", 100 * mean);
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    double std = Math.sqrt(ss / (v.size() - 1));
    return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std);
  }
}
