package org.sparkdfa.jobs;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.Path;

/**
 * The report's frontier section, for an experiment with an early exit over a grid of sparse
 * parity data sets (conf/frontier.conf): per (n, k) cell and method, the fresh examples a run
 * needed to reach the target test accuracy (the first epoch of the first streak of
 * {@code stop-epochs} epochs at or above {@code stop-accuracy}, times the rows per epoch) or
 * "not within budget"; the ratios of DFA's and FA's counts to BP's; a heat map per method; and
 * alignment per layer over training for a few cells near the frontier.
 */
final class FrontierReport {
  private FrontierReport() {}

  /** Whether the experiment has a frontier to report: an early exit and sparse data sets. */
  static boolean applies(ParityConfig cfg, List<ParityData> datasets) {
    return cfg.experiment().earlyExit()
        && datasets.stream().anyMatch(d -> d.family().equals(ParityData.SPARSE));
  }

  /**
   * One (data set, method): the examples each run needed, null for a run that did not reach the
   * target within its budget.
   */
  record Cell(ParityData data, Method method, List<Long> examples, long budget) {
    int reached() {
      return (int) examples.stream().filter(e -> e != null).count();
    }

    boolean all() {
      return !examples.isEmpty() && reached() == examples.size();
    }

    /** Median of the runs that reached the target (NaN for none). */
    double median() {
      List<Long> r = examples.stream().filter(e -> e != null).sorted().toList();
      if (r.isEmpty()) return Double.NaN;
      int mid = r.size() / 2;
      return r.size() % 2 == 1 ? r.get(mid) : (r.get(mid - 1) + r.get(mid)) / 2.0;
    }

    String text() {
      if (examples.isEmpty()) return "–";
      if (reached() == 0) return "not within budget";
      return count(median()) + (all() ? "" : " (" + reached() + "/" + examples.size() + " runs)");
    }
  }

  /**
   * Examples a run needed: rows per epoch × the first epoch of the first {@code streak}
   * consecutive epochs with {@code test_accuracy} ≥ {@code target}; null if there is none.
   * {@code run} holds one run's rows.
   */
  static Long examplesToTarget(List<Map<String, Object>> run, double target, int streak,
      long rowsPerEpoch) {
    TreeMap<Integer, Double> acc = new TreeMap<>();
    for (Map<String, Object> r : run) {
      Object v = r.get("test_accuracy");
      acc.put((Integer) r.get("epoch"), v instanceof Double d ? d : Double.NaN);
    }
    int first = -1;
    int count = 0;
    for (Map.Entry<Integer, Double> e : acc.entrySet()) {
      if (e.getValue() >= target) {
        if (count == 0) first = e.getKey();
        if (++count >= streak) return rowsPerEpoch * first;
      } else {
        count = 0;
      }
    }
    return null;
  }

  /** The cells of every sparse data set and method, in data set then method order. */
  static List<Cell> cells(ParityConfig cfg, List<ParityData> datasets,
      List<Map<String, Object>> rows) {
    List<Cell> out = new ArrayList<>();
    double target = cfg.experiment().stopAccuracy();
    int streak = cfg.experiment().stopEpochs();
    for (ParityData d : datasets) {
      if (!d.family().equals(ParityData.SPARSE)) continue;
      for (Method m : cfg.experiment().methods()) {
        Map<List<Object>, List<Map<String, Object>>> runs = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
          if (!d.id().equals(r.get("dataset")) || !m.id().equals(r.get("method"))) continue;
          runs.computeIfAbsent(List.of(String.valueOf(r.get("data_seed")),
              String.valueOf(r.get("seed"))), x -> new ArrayList<>()).add(r);
        }
        List<Long> ex = new ArrayList<>();
        for (List<Map<String, Object>> run : runs.values()) {
          ex.add(examplesToTarget(run, target, streak, d.trainRows()));
        }
        long budget = (long) d.trainRows() * cfg.settings(m, d.family()).epochs();
        out.add(new Cell(d, m, ex, budget));
      }
    }
    return out;
  }

  /**
   * Writes the heat maps and the frontier cells' alignment pictures into {@code dir} and returns
   * the section's Markdown.
   */
  static String write(Path dir, ParityConfig cfg, List<ParityData> datasets,
      List<Map<String, Object>> rows) {
    List<Cell> cells = cells(cfg, datasets, rows);
    List<Method> methods = cfg.experiment().methods();
    String target = trim(String.format(Locale.ROOT, "%.2f", 100 * cfg.experiment()
        .stopAccuracy())) + "%";
    StringBuilder md = new StringBuilder("## The frontier: examples needed to reach ")
        .append(target).append("\n\n");
    md.append("Fresh examples a run needed until its primary test accuracy (sparse parity: the ")
        .append("uniform test) first reached ").append(target).append(" and stayed there for ")
        .append(cfg.experiment().stopEpochs()).append(" consecutive epoch")
        .append(cfg.experiment().stopEpochs() == 1 ? "" : "s")
        .append(" (counted to the first of them, at the resolution of one epoch); the median ")
        .append("over the runs that did, with how many did when not all; \"not within budget\" ")
        .append("when no run did within its budget (rows per epoch × epochs). Ratios: the ")
        .append("method's median over BP's (†: not every run of the two cells reached the target; ")
        .append("the medians of those that did); \"> x\" when BP reached the target and the ")
        .append("method did not (x = its budget over BP's count).\n\n");
    List<Method> others = methods.stream().filter(m -> m != Method.BP).toList();
    List<String> header = new ArrayList<>(List.of("n", "k", "train"));
    for (Method m : methods) header.add(m.display());
    if (methods.contains(Method.BP)) {
      for (Method m : others) header.add(m.display() + " / BP");
    }
    header.add("budget");
    md.append("| ").append(String.join(" | ", header)).append(" |\n|")
        .append(" --- |".repeat(header.size())).append('\n');
    Map<ParityData, Map<Method, Cell>> byData = byData(cells);
    for (Map.Entry<ParityData, Map<Method, Cell>> e : byData.entrySet()) {
      ParityData d = e.getKey();
      List<String> row = new ArrayList<>(List.of(String.valueOf(d.n()), String.valueOf(d.k()),
          d.trainDistribution()));
      for (Method m : methods) row.add(e.getValue().get(m).text());
      Cell bp = e.getValue().get(Method.BP);
      if (bp != null) {
        for (Method m : others) row.add(ratio(e.getValue().get(m), bp));
      }
      row.add(count(e.getValue().values().iterator().next().budget()));
      md.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    md.append('\n');

    for (String dist : distributions(cells)) {
      for (Method m : methods) {
        String file = "frontier-" + m.id() + "-" + dist + ".png";
        heatMap(new Path(dir, file), m.display() + ": examples to " + target + " (trained on "
            + dist + ")", cells.stream().filter(c -> c.method() == m
                && c.data().trainDistribution().equals(dist)).toList());
        md.append("![").append(m.display()).append(" heat map, ").append(dist).append("](")
            .append(file).append(")\n");
      }
    }
    md.append('\n');

    List<ParityData> frontier = frontierCells(byData);
    if (!frontier.isEmpty() && cfg.diagnostics().alignment()) {
      List<String> names = frontier.stream().map(d -> "n=" + d.n() + " k=" + d.k()).toList();
      md.append("Alignment per hidden layer over training near the frontier (")
          .append(String.join(", ", names)).append("; cells where the methods or the runs ")
          .append("disagree, else the hardest reached and the easiest missed):\n\n");
      if (Plots.alignment(new Path(dir, "frontier-alignment.png"), frontier, rows)) {
        md.append("![frontier alignment](frontier-alignment.png)\n");
      }
      if (Plots.weightAlignment(new Path(dir, "frontier-alignment-weights.png"), frontier, rows)) {
        md.append("![frontier weight alignment](frontier-alignment-weights.png)\n");
      }
    }
    return md.toString();
  }

  private static Map<ParityData, Map<Method, Cell>> byData(List<Cell> cells) {
    Map<ParityData, Map<Method, Cell>> out = new LinkedHashMap<>();
    List<Cell> sorted = new ArrayList<>(cells);
    sorted.sort(Comparator.comparing((Cell c) -> c.data().trainDistribution())
        .thenComparingInt(c -> c.data().n()).thenComparingInt(c -> c.data().k()));
    for (Cell c : sorted) {
      out.computeIfAbsent(c.data(), x -> new LinkedHashMap<>()).put(c.method(), c);
    }
    return out;
  }

  private static List<String> distributions(List<Cell> cells) {
    return new ArrayList<>(new TreeSet<>(cells.stream().map(c -> c.data().trainDistribution())
        .toList()));
  }

  /**
   * Up to four cells near the frontier: where methods or runs disagree about reaching the
   * target; without any, the hardest cell every run reached and the easiest no run reached.
   */
  static List<ParityData> frontierCells(Map<ParityData, Map<Method, Cell>> byData) {
    List<ParityData> out = new ArrayList<>();
    for (Map.Entry<ParityData, Map<Method, Cell>> e : byData.entrySet()) {
      boolean anyAll = e.getValue().values().stream().anyMatch(Cell::all);
      boolean anyMissed = e.getValue().values().stream().anyMatch(c -> !c.all());
      if (anyAll && anyMissed || e.getValue().values().stream()
          .anyMatch(c -> c.reached() > 0 && !c.all())) {
        out.add(e.getKey());
      }
    }
    if (out.isEmpty()) {
      ParityData hardest = null;
      double most = -1;
      ParityData easiestMissed = null;
      for (Map.Entry<ParityData, Map<Method, Cell>> e : byData.entrySet()) {
        boolean all = e.getValue().values().stream().allMatch(Cell::all);
        double slowest = e.getValue().values().stream().mapToDouble(Cell::median).max()
            .orElse(Double.NaN);
        if (all && slowest > most) {
          most = slowest;
          hardest = e.getKey();
        }
        if (easiestMissed == null && e.getValue().values().stream()
            .allMatch(c -> c.reached() == 0)) {
          easiestMissed = e.getKey();
        }
      }
      if (hardest != null) out.add(hardest);
      if (easiestMissed != null) out.add(easiestMissed);
    }
    return out.size() > 4 ? out.subList(0, 4) : out;
  }

  /**
   * The method's median over BP's ("1.80"; "1.80 †" when not every run of either cell reached the
   * target), "> 3.0" when BP reached it and the method did not, else "–".
   */
  static String ratio(Cell m, Cell bp) {
    if (m == null || bp == null || bp.reached() == 0) return "–";
    if (m.reached() == 0) {
      return String.format(Locale.ROOT, "> %.1f", m.budget() / bp.median());
    }
    return String.format(Locale.ROOT, "%.2f", m.median() / bp.median())
        + (m.all() && bp.all() ? "" : " †");
  }

  /** 1,200,000 → "1.2M", 90,000 → "90k", 500 → "500". */
  static String count(double n) {
    if (Double.isNaN(n)) return "–";
    if (n >= 1e6) return trim(String.format(Locale.ROOT, "%.2f", n / 1e6)) + "M";
    if (n >= 1e3) return trim(String.format(Locale.ROOT, "%.1f", n / 1e3)) + "k";
    return String.valueOf(Math.round(n));
  }

  private static String trim(String s) {
    return s.contains(".") ? s.replaceFirst("0+$", "").replaceFirst("\\.$", "") : s;
  }

  // ---------------------------------------------------------------- heat map

  private static final int CELL_W = 120;
  private static final int CELL_H = 56;
  private static final int LEFT = 70;
  private static final int TOP = 70;

  /**
   * A heat map of one method's cells: k across, n down; the colour runs on a log scale from
   * green (few examples) to red (the whole budget), grey for "not within budget".
   */
  static void heatMap(Path file, String title, List<Cell> cells) {
    List<Integer> ns = new ArrayList<>(new TreeSet<>(cells.stream().map(c -> c.data().n())
        .toList()));
    List<Integer> ks = new ArrayList<>(new TreeSet<>(cells.stream().map(c -> c.data().k())
        .toList()));
    int width = Math.max(LEFT + CELL_W * ks.size() + 20, 560);
    int height = TOP + CELL_H * ns.size() + 70;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, 10, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("k →", LEFT, TOP - 28);
    g.drawString("n ↓", 10, TOP - 8);
    for (int j = 0; j < ks.size(); j++) {
      centered(g, "k = " + ks.get(j), LEFT + CELL_W * j + CELL_W / 2, TOP - 8);
    }
    for (int i = 0; i < ns.size(); i++) {
      g.setColor(Color.BLACK);
      g.drawString("n = " + ns.get(i), 10, TOP + CELL_H * i + CELL_H / 2 + 5);
      for (int j = 0; j < ks.size(); j++) {
        int n = ns.get(i);
        int k = ks.get(j);
        Cell c = cells.stream().filter(x -> x.data().n() == n && x.data().k() == k).findFirst()
            .orElse(null);
        int x = LEFT + CELL_W * j;
        int y = TOP + CELL_H * i;
        g.setColor(c == null ? Color.WHITE : colour(c));
        g.fillRect(x, y, CELL_W, CELL_H);
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x, y, CELL_W, CELL_H);
        if (c == null) continue;
        g.setColor(Color.BLACK);
        if (c.reached() == 0) {
          centered(g, "not within", x + CELL_W / 2, y + CELL_H / 2 - 2);
          centered(g, "budget", x + CELL_W / 2, y + CELL_H / 2 + 13);
        } else {
          centered(g, count(c.median()), x + CELL_W / 2, y + CELL_H / 2 + (c.all() ? 5 : -2));
          if (!c.all()) {
            centered(g, c.reached() + "/" + c.examples().size() + " runs", x + CELL_W / 2,
                y + CELL_H / 2 + 13);
          }
        }
      }
    }
    g.setColor(Color.BLACK);
    long budget = cells.stream().mapToLong(Cell::budget).max().orElse(0);
    g.drawString("median examples over the runs that reached it; budget " + count(budget)
        + " per run", 10, height - 30);
    g.drawString("colour: log scale, green = few, red = the whole budget, grey = not within it",
        10, height - 12);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
    }
    Outputs.write(file, out.toByteArray());
  }

  private static Color colour(Cell c) {
    if (c.reached() == 0) return new Color(200, 200, 200);
    double t = Math.log(Math.max(1, c.median())) / Math.log(Math.max(2, c.budget()));
    t = Math.max(0, Math.min(1, t));
    // Examples grow like n^(k-1): the log scale spreads the cells; most lie in its upper part.
    t = Math.max(0, (t - 0.6) / 0.4);
    float hue = (float) (0.33 * (1 - t)); // green → yellow → red
    return Color.getHSBColor(hue, 0.45f, 1.0f);
  }

  private static void centered(Graphics2D g, String s, int cx, int y) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(s, cx - fm.stringWidth(s) / 2, y);
  }
}
