package org.sparkdfa.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.sparkdfa.ml.MlpTrainingSummary;
import org.sparkdfa.train.EpochRecord;

/**
 * The experiment's metrics: one row per (method, data set, data seed, model seed, epoch), kept in
 * memory and rewritten whole (atomically) as {@code metrics.jsonl} and {@code metrics.csv} after
 * every run.
 */
final class MetricsLog {

  /** The columns every row has, in order; alignment columns follow, sorted. */
  static final List<String> BASE_COLUMNS = List.of("method", "dataset", "family", "n", "k",
      "train_distribution", "data_seed", "seed", "epoch", "epochs", "train_loss", "train_accuracy",
      "test_accuracy", "test_mixture_accuracy", "test_loss", "epoch_seconds");

  private final List<Map<String, Object>> rows = new ArrayList<>();

  /** Adds the epochs of one finished run ({@code seed} is the model seed). */
  void addRun(ParityData data, Method method, long dataSeed, long seed,
      MlpTrainingSummary summary) {
    for (EpochRecord e : summary.epochs()) {
      Map<String, Double> m = e.metrics();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("method", method.id());
      row.put("dataset", data.id());
      row.put("family", data.family());
      row.put("n", data.family().equals(ParityData.SPARSE) ? data.n() : null);
      row.put("k", data.k());
      row.put("train_distribution", data.trainDistribution().isEmpty() ? null
          : data.trainDistribution());
      row.put("data_seed", dataSeed);
      row.put("seed", seed);
      row.put("epoch", e.epoch());
      row.put("epochs", summary.totalEpochs());
      row.put("train_loss", e.trainLoss());
      row.put("train_accuracy", m.get(EpochEvaluator.TRAIN_ACCURACY));
      String primary = data.testNames().get(0);
      row.put("test_accuracy", m.get(EpochEvaluator.TEST_ACCURACY + primary));
      row.put("test_mixture_accuracy", m.get(EpochEvaluator.TEST_ACCURACY + "mixture"));
      row.put("test_loss", m.get(EpochEvaluator.TEST_LOSS + primary));
      row.put("epoch_seconds", e.seconds());
      for (Map.Entry<String, Double> a : new java.util.TreeMap<>(m).entrySet()) {
        if (a.getKey().startsWith("alignment.")) row.put(a.getKey(), a.getValue());
      }
      rows.add(row);
    }
  }

  List<Map<String, Object>> rows() {
    return rows;
  }

  List<String> columns() {
    List<String> cols = new ArrayList<>(BASE_COLUMNS);
    TreeSet<String> extra = new TreeSet<>();
    for (Map<String, Object> r : rows) {
      for (String key : r.keySet()) {
        if (!BASE_COLUMNS.contains(key)) extra.add(key);
      }
    }
    cols.addAll(extra);
    return cols;
  }

  void write(Path dir) {
    StringBuilder jsonl = new StringBuilder();
    for (Map<String, Object> r : rows) jsonl.append(json(r)).append('\n');
    Outputs.write(dir.resolve("metrics.jsonl"), jsonl.toString());
    List<String> cols = columns();
    StringBuilder csv = new StringBuilder(String.join(",", cols)).append('\n');
    for (Map<String, Object> r : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : cols) cells.add(csvCell(r.get(c)));
      csv.append(String.join(",", cells)).append('\n');
    }
    Outputs.write(dir.resolve("metrics.csv"), csv.toString());
  }

  static String json(Map<String, Object> row) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append(quote(e.getKey())).append(':').append(jsonValue(e.getValue()));
    }
    return sb.append('}').toString();
  }

  private static String jsonValue(Object v) {
    if (v == null) return "null";
    if (v instanceof Double d) return Double.isFinite(d) ? number(d) : "null";
    if (v instanceof Number n) return n.toString();
    return quote(v.toString());
  }

  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
    return String.format(Locale.ROOT, "%.6g", d).replaceFirst("\\.?0+(e|$)", "$1");
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  private static String csvCell(Object v) {
    if (v == null) return "";
    if (v instanceof Double d) return Double.isFinite(d) ? number(d) : "";
    String s = v.toString();
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
