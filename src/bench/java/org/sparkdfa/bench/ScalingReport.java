package org.sparkdfa.bench;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.sparkdfa.io.AtomicWrite;

/**
 * Puts together the runs of {@code jobs/bench.sh scaling} ({@link ScalingBench} writes one
 * properties file per JVM): the table, a PNG with three panels (epoch time vs rows with the linear
 * extrapolation of the smallest point, epoch time vs hidden width, and the task-slot / worker
 * setups), the spill check, and the RESULT line:
 * {@code RESULT rows_linearity=<t(r_last) / ((r_last/r_prev)·t(r_prev))> workers_speedup=<t(1
 * worker) / t(2 workers)>} — for rows 60k/120k/240k the first is t(240k)/(2·t(120k)).
 * A run that did not happen (e.g. the cluster failed to start) shows as "not measured" and NaN.
 */
public final class ScalingReport {
  private ScalingReport() {}

  /** The runs bench.sh makes, by the --name it gives them. */
  static final String LOCAL2 = "local2";
  static final String LOCAL1 = "local1";
  static final String WORKERS1 = "workers1";
  static final String WORKERS2 = "workers2";
  static final String SPILL = "spill";

  public static void main(String[] argv) throws IOException {
    Args args = new Args(argv, "quick");
    Path dir = Path.of(args.string("out", "target/bench/scaling"));
    System.out.println("== sparkdfa benchmark: scaling (report over the runs in " + dir + ") ==");
    ScalingResults local2 = ScalingResults.read(dir, LOCAL2);
    ScalingResults local1 = ScalingResults.read(dir, LOCAL1);
    ScalingResults workers1 = ScalingResults.read(dir, WORKERS1);
    ScalingResults workers2 = ScalingResults.read(dir, WORKERS2);
    ScalingResults spill = ScalingResults.read(dir, SPILL);

    TreeMap<Double, Double> rows = series(local2, "rows.");
    TreeMap<Double, Double> widths = series(local2, "width.");
    double linearity = rowsTable(rows);
    widthTable(widths);
    Map<String, Double> setups = new java.util.LinkedHashMap<>();
    setups.put("local[1]", base(local1));
    setups.put("local[2]", base(local2));
    setups.put("1 worker", base(workers1));
    setups.put("2 workers", base(workers2));
    double workersSpeedup = setupsTable(setups);
    spillCheck(dir, spill);

    Path png = dir.resolve("scaling.png");
    plot(png, rows, widths, setups);
    System.out.println("  plot: " + png);
    System.out.println();
    System.out.printf(Locale.ROOT, "RESULT rows_linearity=%s workers_speedup=%s%n",
        TrainerBench.fmt(linearity), TrainerBench.fmt(workersSpeedup));
  }

  /** key prefix + number → seconds, sorted by the number. */
  private static TreeMap<Double, Double> series(ScalingResults r, String prefix) {
    TreeMap<Double, Double> out = new TreeMap<>();
    if (r == null) return out;
    for (String k : r.keys()) {
      if (k.startsWith(prefix)) out.put(Double.parseDouble(k.substring(prefix.length())),
          r.number(k));
    }
    return out;
  }

  /** The base epoch of a run (rows sweep of local2 includes it), NaN when not measured. */
  private static double base(ScalingResults r) {
    return r == null ? Double.NaN : r.number("base");
  }

  private static double rowsTable(TreeMap<Double, Double> rows) {
    System.out.printf(Locale.ROOT, "%n  epoch time vs rows (local[2], width %d)%n",
        MlpSetup.HIDDEN);
    if (rows.isEmpty()) {
      System.out.println("    not measured");
      return Double.NaN;
    }
    double r0 = rows.firstKey();
    double t0 = rows.firstEntry().getValue();
    System.out.printf(Locale.ROOT, "    %8s %10s %14s %12s%n", "rows", "s/epoch", "us per row",
        "vs linear");
    for (Map.Entry<Double, Double> e : rows.entrySet()) {
      System.out.printf(Locale.ROOT, "    %8.0f %10.3f %14.1f %12.3f%n", e.getKey(),
          e.getValue(), 1e6 * e.getValue() / e.getKey(), e.getValue() / (t0 * e.getKey() / r0));
    }
    if (rows.size() < 2) return Double.NaN;
    Map.Entry<Double, Double> last = rows.lastEntry();
    Map.Entry<Double, Double> prev = rows.lowerEntry(last.getKey());
    double linearity = last.getValue() / (last.getKey() / prev.getKey() * prev.getValue());
    System.out.printf(Locale.ROOT, "    linearity t(%.0f) / (%.2f x t(%.0f)) = %.3f (1 = "
        + "linear)%n", last.getKey(), last.getKey() / prev.getKey(), prev.getKey(), linearity);
    return linearity;
  }

  private static void widthTable(TreeMap<Double, Double> widths) {
    System.out.printf(Locale.ROOT, "%n  epoch time vs hidden width (local[2], base rows)%n");
    if (widths.isEmpty()) {
      System.out.println("    not measured");
      return;
    }
    double w0 = widths.firstKey();
    double t0 = widths.firstEntry().getValue();
    System.out.printf(Locale.ROOT, "    %8s %10s %18s%n", "width", "s/epoch", "vs proportional");
    for (Map.Entry<Double, Double> e : widths.entrySet()) {
      System.out.printf(Locale.ROOT, "    %8.0f %10.3f %18.3f%n", e.getKey(), e.getValue(),
          e.getValue() / (t0 * e.getKey() / w0));
    }
  }

  private static double setupsTable(Map<String, Double> setups) {
    System.out.printf(Locale.ROOT, "%n  task slots and workers (base rows, width %d, same "
        + "partitions)%n", MlpSetup.HIDDEN);
    setups.forEach((k, v) -> System.out.printf(Locale.ROOT, "    %-10s %s%n", k,
        Double.isNaN(v) ? "not measured" : String.format(Locale.ROOT, "%.3f s/epoch", v)));
    double slots = setups.get("local[1]") / setups.get("local[2]");
    double workers = setups.get("1 worker") / setups.get("2 workers");
    System.out.printf(Locale.ROOT, "    speed-up local[2] over local[1]: %.2fx; 2 workers over 1 "
        + "worker: %.2fx (ideal 2 on 2 free cores)%n", slots, workers);
    return workers;
  }

  private static void spillCheck(Path dir, ScalingResults spill) throws IOException {
    System.out.printf(Locale.ROOT, "%n  spilled fit vs in-memory fit%n");
    double[] ref = ScalingResults.readWeights(dir, "spill-reference");
    double[] spilled = ScalingResults.readWeights(dir, "spill");
    if (spill == null || ref == null || spilled == null) {
      System.out.println("    not measured (a run is missing: reference " + (ref != null)
          + ", spilled " + (spilled != null) + ")");
      return;
    }
    long data = (long) spill.number("spill.packed_bytes");
    long disk = (long) spill.number("spill.disk_bytes");
    System.out.printf(Locale.ROOT, "    %s: %.0f rows, %.0f partitions, %.1f MB packed, executor "
        + "memory %s, %.1f MB of the cache on disk%s%n", spill.text("master"),
        spill.number("spill.rows"), spill.number("spill.partitions"), data / 1e6,
        spill.text("spill.executor_memory"), disk / 1e6,
        disk > 0 ? "" : "  <-- NOTHING SPILLED: raise --spill-rows");
    int differ = 0;
    double maxDiff = 0;
    for (int i = 0; i < Math.min(ref.length, spilled.length); i++) {
      if (Double.doubleToRawLongBits(ref[i]) != Double.doubleToRawLongBits(spilled[i])) {
        differ++;
        maxDiff = Math.max(maxDiff, Math.abs(ref[i] - spilled[i]));
      }
    }
    boolean same = ref.length == spilled.length && differ == 0;
    System.out.printf(Locale.ROOT, "    weights of the spilled fit vs the local in-memory fit "
        + "(same seed and partitioning): %s (%d of %d differ, max |diff| %.3g)%n",
        same ? "bit-identical" : "DIFFERENT", differ, ref.length, maxDiff);
  }

  private static void plot(Path file, TreeMap<Double, Double> rows,
      TreeMap<Double, Double> widths, Map<String, Double> setups) throws IOException {
    List<Chart<?, ?>> charts = new ArrayList<>();
    XYChart byRows = xy("Epoch time vs rows (local[2])", "training rows");
    if (!rows.isEmpty()) {
      byRows.addSeries("measured", new ArrayList<>(rows.keySet()),
          new ArrayList<>(rows.values()));
      double r0 = rows.firstKey();
      double t0 = rows.firstEntry().getValue();
      List<Double> linear = new ArrayList<>();
      for (double r : rows.keySet()) linear.add(t0 * r / r0);
      byRows.addSeries("linear from the first", new ArrayList<>(rows.keySet()), linear)
          .setLineColor(Color.GRAY);
    }
    charts.add(byRows);
    XYChart byWidth = xy("Epoch time vs hidden width (local[2])", "hidden units");
    if (!widths.isEmpty()) {
      byWidth.addSeries("measured", new ArrayList<>(widths.keySet()),
          new ArrayList<>(widths.values()));
    }
    charts.add(byWidth);
    CategoryChart bySetup = new CategoryChartBuilder().width(480).height(400)
        .title("Epoch time by setup (missing = not measured)").xAxisTitle("")
        .yAxisTitle("seconds per epoch").build();
    List<String> names = new ArrayList<>();
    List<Double> secs = new ArrayList<>();
    setups.forEach((k, v) -> {
      names.add(k);
      secs.add(Double.isNaN(v) ? 0.0 : v);
    });
    bySetup.addSeries("s/epoch", names, secs);
    bySetup.getStyler().setChartBackgroundColor(Color.WHITE);
    bySetup.getStyler().setLegendVisible(false);
    bySetup.getStyler().setXAxisLabelRotation(30);
    charts.add(bySetup);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG);
    AtomicWrite.file(file, out.toByteArray());
  }

  private static XYChart xy(String title, String x) {
    XYChart c = new XYChartBuilder().width(480).height(400).title(title).xAxisTitle(x)
        .yAxisTitle("seconds per epoch").build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    return c;
  }
}
