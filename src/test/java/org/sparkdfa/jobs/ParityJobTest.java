package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/** The parity job end to end on a tiny configuration, in the shared local[2] session. */
class ParityJobTest extends SparkTestBase {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void tinyExperimentWritesMetricsPlotsAndReport(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("run");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int code = ParityJob.run(new String[] {"--out", out.toString(),
        "experiment.methods=[bp,dfa,fa,rf-relu]", "training.epochs=2",
        "model.hidden-layers=[16,8]",
        "sparse-parity.n=10", "sparse-parity.train-distributions=[mixture]",
        "sparse-parity.train-rows=300", "sparse-parity.test-rows=200",
        "mnist-parity.k=[1]", "mnist-parity.train-rows=200", "mnist-parity.test-rows=100",
        "mnist-parity.fresh-per-epoch=true", "mnist-parity.train-eval-rows=100",
        "model.width=16", "diagnostics.tsne.probe-rows=60",
        "diagnostics.tsne.perplexity=5", "diagnostics.tsne.iterations=300"},
        new PrintStream(console, true, StandardCharsets.UTF_8), spark());
    String log = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, log);
    // One line per epoch per run and a progress line per run.
    assertEquals(2 * 2 * 4, log.lines().filter(l -> l.matches("\\[\\d+/8\\] .* epoch .*"))
        .count(), log);
    assertEquals(8, log.lines().filter(l -> l.startsWith("progress: ")).count(), log);
    assertTrue(log.contains("report:  " + out.toAbsolutePath().resolve("report.md")), log);

    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals(1 + 2 * 2 * 4, csv.size());
    assertTrue(csv.get(0).startsWith(String.join(",", MetricsLog.BASE_COLUMNS)), csv.get(0));
    assertTrue(csv.get(0).contains("alignment.layer1.angle_deg"), csv.get(0));
    List<String> jsonl = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(2 * 2 * 4, jsonl.size());
    // Alignment for FA too, with the weight alignment and the norm ratio of both hidden layers.
    for (String method : List.of("bp", "dfa", "fa")) {
      for (String line : jsonl.stream().filter(l -> l.startsWith("{\"method\":\"" + method
          + "\"")).toList()) {
        for (String key : List.of("layer1.weight_angle_deg", "layer2.weight_angle_deg",
            "layer1.norm_ratio", "layer2.norm_ratio", "layer2.angle_deg")) {
          assertTrue(line.matches(".*\"alignment\\." + key.replace(".", "\\.")
              + "\":[0-9].*"), method + " " + key + ": " + line);
        }
      }
    }

    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("| **BP** |") && report.contains("| **RF relu** |")
        && report.contains("| **FA** |"), report);
    assertTrue(report.contains("sparse n=10 k=3 train mixture → uniform test"), report);
    assertTrue(report.contains("MNIST-parity k=1"), report);
    for (String png : List.of("curves-sparse-n10-k3-mixture.png", "curves-mnist-k1.png",
        "alignment.png", "alignment-weights.png", "tsne-sparse-n10-k3-mixture.png",
        "tsne-mnist-k1.png")) {
      assertTrue(report.contains("](" + png + ")"), png + " not linked");
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(img, png + " is not a readable PNG");
      assertTrue(img.getWidth() > 600 && img.getHeight() > 300, png);
    }
    try (Stream<Path> files = Files.list(out)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")),
          "temporary files left behind");
    }
  }

  @Test
  void badConfigFailsBeforeSparkWithExitCode2(@TempDir Path tmp) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int code = ParityJob.run(new String[] {"--out", tmp.resolve("x").toString(),
        "training.epoch=3"}, new PrintStream(console, true, StandardCharsets.UTF_8), null);
    assertEquals(2, code);
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  /**
   * Every table row of conf/paper runs end to end as a user runs it, only with tiny sizes: its
   * loss (hinge included), optimizer and float32 math are what the row says.
   */
  @Test
  void everyPaperRowRunsEndToEndWithTinySizes(@TempDir Path tmp) throws Exception {
    List<Path> rows;
    try (Stream<Path> files = Files.list(Path.of("conf", "paper"))) {
      rows = files.filter(p -> !p.getFileName().toString().equals("protocol.conf")).sorted()
          .toList();
    }
    for (Path row : rows) {
      String name = row.getFileName().toString().replace(".conf", "");
      Path out = tmp.resolve(name);
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      int code = ParityJob.run(new String[] {"--config", row.toString(), "--out",
          out.toString(), "training.epochs=1", "sparse-parity.train-rows=256",
          "sparse-parity.test-rows=128", "mnist-parity.train-rows=256",
          "mnist-parity.test-rows=128", "mnist-parity.train-eval-rows=0",
          "sparse-parity.train-eval-rows=0", "diagnostics.tsne.enabled=false"},
          new PrintStream(console, true, StandardCharsets.UTF_8), spark());
      String log = console.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, name + ": " + log);
      ParityConfig c = ParityConfig.load(Path.of("conf", "parity.conf"), row, List.of());
      int runs = c.experiment().methods().size() * c.experiment().dataSeeds().size()
          * c.experiment().seeds().size();
      assertEquals(1 + runs, Files.readAllLines(out.resolve("metrics.csv")).size(), name);
      String report = Files.readString(out.resolve("report.md"));
      assertTrue(report.startsWith("# Parity experiment: BP, DFA and lazy baselines\n\n"
          + "**Does DFA learn parities like BP, or fail like the lazy methods?**"), report);
      String conf = Files.readString(out.resolve("config.conf"));
      assertTrue(conf.contains("precision=float32") || conf.contains("precision = float32")
          || conf.contains("precision=\"float32\""), conf);
    }
  }

  /**
   * conf/frontier.conf as a user runs it, with tiny sizes: a grid of two cells, the early exit
   * (a target every model meets, so every run ends after stop-epochs = 2 of its 5 epochs), the
   * frontier table, one heat map per method and the alignment near the frontier.
   */
  @Test
  void frontierGridExitsEarlyAndReportsTheExamplesNeeded(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("frontier");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int code = ParityJob.run(new String[] {"--config", "conf/frontier.conf", "--out",
        out.toString(), "sparse-parity.n=[8,10]", "sparse-parity.k=[2]",
        "sparse-parity.train-rows=300", "sparse-parity.test-rows=200",
        "sparse-parity.train-eval-rows=100", "training.epochs=5", "model.hidden-layers=[16]",
        "experiment.stop-accuracy=0.01"},
        new PrintStream(console, true, StandardCharsets.UTF_8), spark());
    String log = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, log);
    // 2 cells x 2 methods x 2 seeds, each stopped after epoch 2.
    assertEquals(8, log.lines().filter(l -> l.startsWith("early exit: stopped after epoch 2 of 5"))
        .count(), log);
    assertEquals(1 + 8 * 2, Files.readAllLines(out.resolve("metrics.csv")).size());
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("## The frontier: examples needed to reach 1%"), report);
    assertTrue(report.contains("| n | k | train | BP | DFA | DFA / BP | budget |"), report);
    assertTrue(report.contains("| 8 | 2 | uniform | 300 | 300 | 1.00 | 1.5k |"), report);
    assertTrue(report.contains("| 10 | 2 | uniform | 300 | 300 | 1.00 | 1.5k |"), report);
    for (String png : List.of("frontier-bp-uniform.png", "frontier-dfa-uniform.png")) {
      assertTrue(report.contains("](" + png + ")"), png + " not linked");
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(img, png);
      assertTrue(img.getWidth() >= 560 && img.getHeight() > 100, png);
    }
  }

  /** Every conf/depth piece runs end to end as a user runs it, only with tiny sizes. */
  @Test
  void everyDepthPieceRunsEndToEndWithTinySizes(@TempDir Path tmp) throws Exception {
    for (Path piece : DepthConfigTest.pieces()) {
      String name = piece.getFileName().toString().replace(".conf", "");
      Path out = tmp.resolve(name);
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      int code = ParityJob.run(new String[] {"--config", piece.toString(), "--out",
          out.toString(), "training.epochs=1", "model.hidden-layers=[16,16]",
          "mnist-parity.train-rows=128", "mnist-parity.test-rows=64",
          "mnist-parity.train-eval-rows=0"},
          new PrintStream(console, true, StandardCharsets.UTF_8), spark());
      String log = console.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, name + ": " + log);
      ParityConfig c = ParityConfig.load(Path.of("conf", "parity.conf"), piece, List.of());
      assertEquals(1 + c.experiment().methods().size(),
          Files.readAllLines(out.resolve("metrics.csv")).size(), name);
      String report = Files.readString(out.resolve("report.md"));
      assertTrue(report.contains("](alignment-weights.png)"), name + ": " + report);
    }
  }

  /** Fresh sparse parity: epoch e's rows depend on (data seed, e, index) only. */
  @Test
  void freshSparseParityRowsArePureFunctionsOfDataSeedEpochAndIndex() {
    ParityConfig c = ParityConfig.load(Path.of("conf", "parity.conf"), null,
        List.of("mnist-parity.enabled=false", "sparse-parity.train-rows=300"));
    ParityData d = ParityData.from(c).get(0);
    assertTrue(d.freshPerEpoch());
    List<org.apache.spark.sql.Row> e1 = d.train(spark(), 5, 1, 1).collectAsList();
    assertEquals(e1, d.train(spark(), 5, 1, 4).collectAsList(), "depends on the partitioning");
    assertEquals(e1, d.train(spark(), 5, 1, 2).collectAsList(), "not reproducible");
    List<org.apache.spark.sql.Row> e2 = d.train(spark(), 5, 2, 2).collectAsList();
    assertEquals(300, e2.size());
    long same = java.util.stream.IntStream.range(0, 300)
        .filter(i -> e1.get(i).equals(e2.get(i))).count();
    assertTrue(same < 10, same + " of 300 rows equal in epochs 1 and 2");
    // Another data seed: another secret set, other rows.
    assertFalse(d.describe(5).equals(d.describe(6)), d.describe(5));
    assertFalse(e1.equals(d.train(spark(), 6, 1, 2).collectAsList()));
  }
}
