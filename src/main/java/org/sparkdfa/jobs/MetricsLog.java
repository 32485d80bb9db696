package org.sparkdfa.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.sparkdfa.ml.MlpTrainingSummary;
import org.sparkdfa.train.EpochRecord;

/**
 * The experiment's metrics: one row per (method, data set, data seed, model seed, epoch), kept in
 * memory and rewritten whole (atomically) as {@code metrics.jsonl} and {@code metrics.csv} after
 * every run (JSON by Jackson, CSV by its CSV module: RFC 4180 quoting); NaN and infinite figures
 * are written as null / an empty cell.
 */
final class MetricsLog {

  /** The columns every row has, in order; alignment columns follow, sorted. */
  static final List<String> BASE_COLUMNS = List.of("method", "dataset", "family", "n", "k",
      "train_distribution", "data_seed", "seed", "epoch", "epochs", "train_loss", "train_accuracy",
      "test_accuracy", "test_mixture_accuracy", "test_loss", "epoch_seconds");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

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
    List<Map<String, Object>> finite = rows.stream().map(MetricsLog::finite).toList();
    try {
      StringBuilder jsonl = new StringBuilder();
      for (Map<String, Object> r : finite) jsonl.append(JSON.writeValueAsString(r)).append('\n');
      Outputs.write(new Path(dir, "metrics.jsonl"), jsonl.toString());
      CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
      for (String c : columns()) schema.addColumn(c);
      Outputs.write(new Path(dir, "metrics.csv"),
          CSV.writer(schema.build()).writeValueAsString(finite));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot format the metrics: " + e.getMessage(), e);
    }
  }

  /** The row with NaN and infinite figures as null (empty in the CSV): JSON has no NaN. */
  private static Map<String, Object> finite(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>(row);
    out.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
    return out;
  }
}
