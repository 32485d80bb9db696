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
        "experiment.methods=[bp,dfa,rf-relu]", "training.epochs=2",
        "sparse-parity.n=10", "sparse-parity.train-distributions=[mixture]",
        "sparse-parity.train-rows=300", "sparse-parity.test-rows=200",
        "mnist-parity.k=[1]", "mnist-parity.train-rows=200", "mnist-parity.test-rows=100",
        "mnist-parity.fresh-per-epoch=true", "mnist-parity.train-eval-rows=100",
        "model.hidden-layers=[16]", "model.width=16", "diagnostics.tsne.probe-rows=60",
        "diagnostics.tsne.perplexity=5", "diagnostics.tsne.iterations=300"},
        new PrintStream(console, true, StandardCharsets.UTF_8), spark());
    String log = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, log);
    // One line per epoch per run and a progress line per run.
    assertEquals(2 * 2 * 3, log.lines().filter(l -> l.matches("\\[\\d+/6\\] .* epoch .*"))
        .count(), log);
    assertEquals(6, log.lines().filter(l -> l.startsWith("progress: ")).count(), log);
    assertTrue(log.contains("report:  " + out.toAbsolutePath().resolve("report.md")), log);

    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals(1 + 2 * 2 * 3, csv.size());
    assertTrue(csv.get(0).startsWith(String.join(",", MetricsLog.BASE_COLUMNS)), csv.get(0));
    assertTrue(csv.get(0).contains("alignment.layer1.angle_deg"), csv.get(0));
    assertEquals(2 * 2 * 3, Files.readAllLines(out.resolve("metrics.jsonl")).size());

    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("| **BP** |") && report.contains("| **RF relu** |"), report);
    assertTrue(report.contains("sparse n=10 k=3 train mixture → uniform test"), report);
    assertTrue(report.contains("MNIST-parity k=1"), report);
    for (String png : List.of("curves-sparse-n10-k3-mixture.png", "curves-mnist-k1.png",
        "alignment.png", "tsne-sparse-n10-k3-mixture.png", "tsne-mnist-k1.png")) {
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
}
