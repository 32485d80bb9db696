package org.sparkdfa.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.hadoop.fs.Path;

/**
 * report.md: the answer to the experiment's question ({@link Answer}), the tables (method × data
 * set and test set → test accuracy after the last epoch and at the best epoch, mean ± std over
 * runs), the pictures, provenance and the resolved configuration. Written
 * last, atomically, so a report.md means a finished experiment.
 */
final class ReportWriter {
  private ReportWriter() {}

  /** A picture in the report. */
  record Picture(String file, String caption) {}

  static void write(Path file, ParityConfig cfg, List<ParityData> datasets,
      List<Map<String, Object>> rows, List<Picture> pictures, Map<String, String> provenance,
      List<String> notes) {
    write(file, cfg, datasets, rows, pictures, provenance, notes, List.of());
  }

  /**
   * @param sections further sections in Markdown (each starting with its "## " heading, e.g.
   *                 {@link FrontierReport}'s), placed after the pictures
   */
  static void write(Path file, ParityConfig cfg, List<ParityData> datasets,
      List<Map<String, Object>> rows, List<Picture> pictures, Map<String, String> provenance,
      List<String> notes, List<String> sections) {
    List<Method> methods = cfg.experiment().methods();
    StringBuilder md = new StringBuilder();
    md.append("# Parity experiment: BP, DFA and lazy baselines\n\n");
    md.append(Answer.paragraph(datasets, methods, rows)).append("\n\n");
    md.append("Test accuracy (%) after the last epoch and at the best epoch, mean ± std over ")
        .append(seedsVaried(cfg.experiment())).append(". Chance is 50% on every test set "
            + "(balanced labels). Sparse parity models are tested on both input distributions, "
            + "whatever they were trained on.\n\n");
    table(md, datasets, methods, rows, false);
    md.append("Best epoch (the highest test accuracy of any epoch, per run):\n\n");
    table(md, datasets, methods, rows, true);
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

    for (String section : sections) md.append(section.strip()).append("\n\n");

    md.append("## Data sets\n\n");
    List<Long> seeds = cfg.experiment().dataSeeds();
    for (ParityData d : datasets) {
      md.append("- **").append(d.title()).append("** (`").append(d.id()).append("`): ")
          .append(d.trainRows()).append(" training rows")
          .append(d.freshPerEpoch() ? " drawn afresh every epoch" : "").append(", ")
          .append(d.testRows()).append(" rows per test set (").append(String.join(", ",
              d.testNames())).append("); data seed ").append(seeds.get(0)).append(": `")
          .append(d.describe(seeds.get(0))).append("`")
          .append(d.family().equals(ParityData.MNIST) && d.mnistDir().isEmpty()
              ? " (digits drawn from the shipped pool of 7,996 training / 2,004 test MNIST "
              + "digits, not MNIST's 60,000 / 10,000)" : "").append("\n");
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

  /** What the mean ± std is over: which seeds varied. */
  static String seedsVaried(ParityConfig.Experiment e) {
    int runs = e.seeds().size() * e.dataSeeds().size();
    String data = "data seed" + (e.dataSeeds().size() == 1 ? " " : "s ") + e.dataSeeds();
    String model = "model seed" + (e.seeds().size() == 1 ? " " : "s ") + e.seeds();
    if (runs == 1) return "1 run (" + data + ", " + model + "; nothing varied)";
    if (e.dataSeeds().size() == 1) {
      return runs + " runs varying the model seed only (" + model + "; " + data + " fixed)";
    }
    if (e.seeds().size() == 1) {
      return runs + " runs varying the data seed only (" + data + "; " + model + " fixed)";
    }
    return runs + " runs varying both (" + data + " × " + model + ")";
  }

  /** The method × (data set, test set) table of final or best-epoch accuracy. */
  private static void table(StringBuilder md, List<ParityData> datasets, List<Method> methods,
      List<Map<String, Object>> rows, boolean best) {
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
        cells.add(cell(best ? bestValues(rows, col[0], m, col[1])
            : finalValues(rows, col[0], m, col[1])));
      }
      md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    md.append('\n');
  }

  static String columnTitle(ParityData d, String test) {
    if (d.family().equals(ParityData.SPARSE)) {
      return "sparse n=" + d.n() + " k=" + d.k() + " train " + d.trainDistribution() + " → "
          + test + " test";
    }
    return "MNIST-parity k=" + d.k();
  }

  /** The last epoch's value of {@code column} for each run (data seed, model seed). */
  static List<Double> finalValues(List<Map<String, Object>> rows, String dataset, Method m,
      String column) {
    Map<Object, Map<String, Object>> lastPerRun = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      if (!dataset.equals(r.get("dataset")) || !m.id().equals(r.get("method"))) continue;
      Map<String, Object> prev = lastPerRun.get(runKey(r));
      if (prev == null || (Integer) r.get("epoch") > (Integer) prev.get("epoch")) {
        lastPerRun.put(runKey(r), r);
      }
    }
    List<Double> out = new ArrayList<>();
    for (Map<String, Object> r : lastPerRun.values()) {
      if (r.get(column) instanceof Double d && Double.isFinite(d)) out.add(d);
    }
    return out;
  }

  /** The highest value of {@code column} over the epochs of each run. */
  static List<Double> bestValues(List<Map<String, Object>> rows, String dataset, Method m,
      String column) {
    Map<Object, Double> bestPerRun = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      if (!dataset.equals(r.get("dataset")) || !m.id().equals(r.get("method"))) continue;
      if (r.get(column) instanceof Double d && Double.isFinite(d)) {
        bestPerRun.merge(runKey(r), d, Math::max);
      }
    }
    return new ArrayList<>(bestPerRun.values());
  }

  private static List<Object> runKey(Map<String, Object> row) {
    return List.of(String.valueOf(row.get("data_seed")), String.valueOf(row.get("seed")));
  }

  /** Mean of the values (NaN for none). */
  static double mean(List<Double> v) {
    return StatUtils.mean(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** "87.3 ± 1.2" (percent; sample std), "87.3" for one value, "–" for none. */
  static String cell(List<Double> v) {
    if (v.isEmpty()) return "–";
    double mean = mean(v);
    if (v.size() == 1) return String.format(Locale.ROOT, "%.1f", 100 * mean);
    double std = new StandardDeviation(true).evaluate(
        v.stream().mapToDouble(Double::doubleValue).toArray());
    return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std);
  }
}
