package org.sparkdfa.jobs;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG pictures, drawn with XChart (headless): learning curves per data set, DFA
 * alignment per layer over epochs, t-SNE pictures of the last hidden layer.
 */
final class Plots {
  private Plots() {}

  private static final int WIDTH = 640;
  private static final int HEIGHT = 440;

  /** One colour per method, stable across pictures. */
  static Color color(Method m) {
    return switch (m) {
      case BP -> new Color(31, 119, 180);
      case DFA -> new Color(214, 39, 40);
      case FA -> new Color(140, 86, 75);
      case GALU -> new Color(44, 160, 44);
      case RF_GAUSSIAN -> new Color(148, 103, 189);
      case RF_RELU -> new Color(255, 127, 14);
      case RF_LINEAR -> new Color(127, 127, 127);
    };
  }

  /** Per-epoch mean over seeds of one column, for one (data set, method). */
  static double[][] curve(List<Map<String, Object>> rows, String dataset, Method method,
      String column) {
    TreeMap<Integer, double[]> byEpoch = new TreeMap<>();
    for (Map<String, Object> r : rows) {
      if (!dataset.equals(r.get("dataset")) || !method.id().equals(r.get("method"))) continue;
      Object v = r.get(column);
      if (!(v instanceof Double d) || !Double.isFinite(d)) continue;
      double[] acc = byEpoch.computeIfAbsent((Integer) r.get("epoch"), e -> new double[2]);
      acc[0] += d;
      acc[1]++;
    }
    double[] x = new double[byEpoch.size()];
    double[] y = new double[byEpoch.size()];
    int i = 0;
    for (Map.Entry<Integer, double[]> e : byEpoch.entrySet()) {
      x[i] = e.getKey();
      y[i++] = e.getValue()[0] / e.getValue()[1];
    }
    return new double[][] {x, y};
  }

  /**
   * Learning curves of one data set: test accuracy per epoch (solid: primary test; dashed:
   * mixture test, for sparse parity) and training loss, each method one colour.
   */
  static void learningCurves(Path file, ParityData data, List<Method> methods,
      List<Map<String, Object>> rows) {
    XYChart acc = chart("Test accuracy - " + data.title(), "epoch", "accuracy");
    acc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    XYChart loss = chart("Training loss - " + data.title(), "epoch", "mean loss (the run's loss)");
    boolean sparse = data.family().equals(ParityData.SPARSE);
    for (Method m : methods) {
      double[][] a = curve(rows, data.id(), m, "test_accuracy");
      if (a[0].length > 0) {
        XYSeries s = acc.addSeries(m.display() + (sparse ? " (uniform test)" : ""), a[0], a[1]);
        style(s, color(m), SeriesLines.SOLID);
      }
      if (sparse) {
        double[][] b = curve(rows, data.id(), m, "test_mixture_accuracy");
        if (b[0].length > 0) {
          style(acc.addSeries(m.display() + " (mixture test)", b[0], b[1]), color(m),
              SeriesLines.DASH_DASH);
        }
      }
      double[][] l = curve(rows, data.id(), m, "train_loss");
      if (l[0].length > 0) style(loss.addSeries(m.display(), l[0], l[1]), color(m),
          SeriesLines.SOLID);
    }
    if (acc.getSeriesMap().size() > 6) {
      acc.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    }
    double[] chanceX = {1, Math.max(2, maxEpoch(rows, data.id()))};
    XYSeries chance = acc.addSeries("chance", chanceX, new double[] {0.5, 0.5});
    style(chance, Color.BLACK, SeriesLines.DOT_DOT);
    save(file, List.of(acc, loss), 1, 2);
  }

  /**
   * Alignment of the DFA update with the BP gradient per hidden layer over epochs (left: DFA
   * runs; right: the same measure on BP runs with a random B, the control). Returns false when no
   * run recorded alignment metrics (nothing is written).
   */
  static boolean alignment(Path file, List<ParityData> datasets, List<Map<String, Object>> rows) {
    List<XYChart> charts = new ArrayList<>();
    boolean any = false;
    for (Method m : List.of(Method.DFA, Method.FA, Method.BP)) {
      XYChart c = chart(m == Method.BP ? "BP control: same angle with a random B"
          : m.display() + ": angle between " + m.display() + " update and BP gradient", "epoch",
          "angle (degrees)");
      c.getStyler().setYAxisMin(0.0).setYAxisMax(90.0);
      int colour = 0;
      for (ParityData d : datasets) {
        for (int layer = 1; layer <= 8; layer++) {
          double[][] a = curve(rows, d.id(), m, "alignment.layer" + layer + ".angle_deg");
          if (a[0].length == 0) continue;
          any = true;
          XYSeries s = c.addSeries(d.id() + " layer " + layer, a[0], a[1]);
          style(s, PALETTE[colour++ % PALETTE.length],
              layer == 1 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
        }
      }
      if (!c.getSeriesMap().isEmpty()) charts.add(c);
    }
    if (!any) return false;
    save(file, charts, 1, charts.size());
    return true;
  }

  /**
   * The mechanism behind the alignment: per method (DFA, FA, and BP with a random DFA B, the
   * control), the angle between the feedback matrices and the forward weights they stand in for
   * per hidden layer over epochs (top row), and the norm ratio of the rule's delta to BP's
   * (bottom row, log scale). Returns false when no run recorded them (nothing is written).
   */
  static boolean weightAlignment(Path file, List<ParityData> datasets,
      List<Map<String, Object>> rows) {
    List<XYChart> angles = new ArrayList<>();
    List<XYChart> ratios = new ArrayList<>();
    for (Method m : List.of(Method.DFA, Method.FA, Method.BP)) {
      String who = m == Method.BP ? "BP control (random B)" : m.display();
      XYChart a = chart(who + ": angle(B, forward weights)", "epoch", "angle (degrees)");
      a.getStyler().setYAxisMin(0.0).setYAxisMax(180.0);
      XYChart r = chart(who + ": |signal| / |BP delta|", "epoch", "norm ratio");
      r.getStyler().setYAxisLogarithmic(true);
      int colour = 0;
      for (ParityData d : datasets) {
        for (int layer = 1; layer <= 8; layer++) {
          double[][] wa = curve(rows, d.id(), m, "alignment.layer" + layer + ".weight_angle_deg");
          double[][] nr = positive(curve(rows, d.id(), m,
              "alignment.layer" + layer + ".norm_ratio"));
          if (wa[0].length == 0 && nr[0].length == 0) continue;
          Color col = PALETTE[colour++ % PALETTE.length];
          BasicStroke line = layer == 1 ? SeriesLines.SOLID : SeriesLines.DASH_DASH;
          String name = d.id() + " layer " + layer;
          if (wa[0].length > 0) style(a.addSeries(name, wa[0], wa[1]), col, line);
          if (nr[0].length > 0) style(r.addSeries(name, nr[0], nr[1]), col, line);
        }
      }
      if (a.getSeriesMap().isEmpty() && r.getSeriesMap().isEmpty()) continue;
      angles.add(a);
      ratios.add(r);
    }
    if (angles.isEmpty()) return false;
    List<XYChart> all = new ArrayList<>(angles);
    all.addAll(ratios);
    save(file, all, 2, angles.size());
    return true;
  }

  /** The points of a curve with a positive y (a log axis cannot show the others). */
  private static double[][] positive(double[][] c) {
    int n = 0;
    for (double y : c[1]) if (y > 0) n++;
    double[][] out = {new double[n], new double[n]};
    int j = 0;
    for (int i = 0; i < c[0].length; i++) {
      if (c[1][i] > 0) {
        out[0][j] = c[0][i];
        out[1][j++] = c[1][i];
      }
    }
    return out;
  }

  /** t-SNE pictures side by side (one per method), points coloured by label. */
  static void tsne(Path file, String title, List<String> names, List<double[][]> coords,
      List<double[]> labels) {
    List<XYChart> charts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      XYChart c = chart(names.get(i) + " - " + title, "t-SNE 1", "t-SNE 2");
      c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      c.getStyler().setMarkerSize(5);
      for (int label = 0; label <= 1; label++) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double[][] pts = coords.get(i);
        for (int r = 0; r < pts.length; r++) {
          if ((int) labels.get(i)[r] == label) {
            xs.add(pts[r][0]);
            ys.add(pts[r][1]);
          }
        }
        if (xs.isEmpty()) continue;
        XYSeries s = c.addSeries("label " + label, xs, ys);
        s.setMarkerColor(label == 0 ? new Color(31, 119, 180) : new Color(255, 127, 14));
        s.setMarker(SeriesMarkers.CIRCLE);
      }
      charts.add(c);
    }
    save(file, charts, 1, charts.size());
  }

  private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(214, 39, 40),
      new Color(44, 160, 44), new Color(148, 103, 189), new Color(255, 127, 14),
      new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
      new Color(188, 189, 34), new Color(23, 190, 207)};

  private static XYChart chart(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
        .yAxisTitle(y).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE).setChartBackgroundColor(
        Color.WHITE).setLegendFont(c.getStyler().getLegendFont().deriveFont(10f))
        .setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
    return c;
  }

  private static void style(XYSeries s, Color color, BasicStroke line) {
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineStyle(line);
  }

  private static int maxEpoch(List<Map<String, Object>> rows, String dataset) {
    int max = 1;
    for (Map<String, Object> r : rows) {
      if (dataset.equals(r.get("dataset"))) max = Math.max(max, (Integer) r.get("epoch"));
    }
    return max;
  }

  private static void save(Path file, List<XYChart> charts, int rows, int cols) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
    }
    Outputs.write(file, out.toByteArray());
  }
}
