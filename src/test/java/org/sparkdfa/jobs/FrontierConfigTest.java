package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The frontier's keys (a grid over n, the early exit), conf/frontier*.conf, and how the report
 * counts the examples a run needed — no Spark.
 */
class FrontierConfigTest {

  private static final Path REFERENCE = Path.of("conf", "parity.conf");

  private static ParityConfig load(Path file, String... overrides) {
    return ParityConfig.load(REFERENCE, file, List.of(overrides));
  }

  private static String error(String... overrides) {
    return assertThrows(ParityConfig.BadConfigException.class, () -> load(null, overrides))
        .getMessage();
  }

  @Test
  void nTakesOneNumberOrAListAndTheDataSetsAreTheGrid() {
    assertEquals(List.of(30), load(null).sparseParity().n());
    ParityConfig c = load(null, "sparse-parity.n=[20,40]", "sparse-parity.k=[2,3]",
        "mnist-parity.enabled=false");
    assertEquals(List.of("sparse-n20-k2-mixture", "sparse-n20-k3-mixture",
        "sparse-n40-k2-mixture", "sparse-n40-k3-mixture"),
        ParityData.from(c).stream().map(ParityData::id).toList());
    assertEquals(40, ParityData.from(c).get(3).inputs());
    assertEquals(0.0, c.experiment().stopAccuracy());
    assertTrue(!c.experiment().earlyExit());
  }

  @Test
  void badGridAndEarlyExitValuesNameTheKeyAndTheAllowedValues() {
    String m = error("sparse-parity.n=[20,0]");
    assertTrue(m.contains("'sparse-parity.n'") && m.contains("allowed values"), m);
    m = error("sparse-parity.n=[20,20]");
    assertTrue(m.contains("'sparse-parity.n'") && m.contains("distinct"), m);
    m = error("sparse-parity.n=[8,40]", "sparse-parity.k=[9]");
    assertTrue(m.contains("sparse-parity.k = 9") && m.contains("[8, 40]"), m);
    m = error("experiment.stop-accuracy=1.5");
    assertTrue(m.contains("'experiment.stop-accuracy' = 1.5") && m.contains("allowed values"),
        m);
    m = error("experiment.stop-epochs=0");
    assertTrue(m.contains("'experiment.stop-epochs' = 0") && m.contains("allowed values"), m);
    m = error("experiment.stop-acuracy=0.9");
    assertTrue(m.contains("did you mean 'experiment.stop-accuracy'"), m);
  }

  @Test
  void frontierConfigsAreUniformGridsWithAnEarlyExit() {
    ParityConfig c = load(Path.of("conf", "frontier.conf"));
    assertEquals(0.99, c.experiment().stopAccuracy());
    assertEquals(2, c.experiment().stopEpochs());
    assertEquals(List.of(Method.BP, Method.DFA), c.experiment().methods());
    List<ParityData> data = ParityData.from(c);
    assertEquals(15, data.size());
    for (ParityData d : data) {
      assertEquals("uniform", d.trainDistribution(), d.id());
      assertEquals(30000, d.trainRows());
    }
    assertEquals(1_800_000, 30000L * c.settings(Method.DFA, ParityData.SPARSE).epochs());
    assertEquals(List.of(512), c.settings(Method.DFA, ParityData.SPARSE).hiddenLayers());
    ParityConfig deep = load(Path.of("conf", "frontier-deep.conf"));
    assertEquals(List.of(Method.BP, Method.DFA, Method.FA), deep.experiment().methods());
    assertEquals(6, ParityData.from(deep).size());
    assertEquals(List.of(256, 256), deep.settings(Method.FA, ParityData.SPARSE).hiddenLayers());
    assertTrue(FrontierReport.applies(deep, ParityData.from(deep)));
  }

  private static List<Map<String, Object>> run(double... accuracies) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int e = 0; e < accuracies.length; e++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("epoch", e + 1);
      r.put("test_accuracy", accuracies[e]);
      rows.add(r);
    }
    return rows;
  }

  @Test
  void examplesCountToTheFirstEpochOfTheFirstStreak() {
    // 0.99 at epoch 2 alone, then from epoch 4 on: the streak of two starts at epoch 4.
    assertEquals(4 * 1000L, FrontierReport.examplesToTarget(run(0.5, 0.995, 0.7, 0.99, 1.0),
        0.99, 2, 1000));
    assertEquals(2 * 1000L, FrontierReport.examplesToTarget(run(0.5, 0.995, 0.7), 0.99, 1,
        1000));
    // Reached only in the last epoch: not confirmed within the budget.
    assertNull(FrontierReport.examplesToTarget(run(0.5, 0.6, 0.999), 0.99, 2, 1000));
    assertNull(FrontierReport.examplesToTarget(run(), 0.99, 2, 1000));
  }

  @Test
  void cellTextsRatiosAndCounts() {
    ParityData d = ParityData.from(load(null, "mnist-parity.enabled=false")).get(0);
    FrontierReport.Cell bp = new FrontierReport.Cell(d, Method.BP, List.of(60_000L, 120_000L,
        90_000L), 1_800_000);
    FrontierReport.Cell dfa = new FrontierReport.Cell(d, Method.DFA,
        java.util.Arrays.asList(180_000L, null), 1_800_000);
    FrontierReport.Cell none = new FrontierReport.Cell(d, Method.FA,
        java.util.Arrays.asList(null, null), 1_800_000);
    assertEquals("90k", bp.text());
    assertEquals("180k (1/2 runs)", dfa.text());
    assertEquals("not within budget", none.text());
    assertEquals("2.00 †", FrontierReport.ratio(dfa, bp));
    assertEquals("0.67", FrontierReport.ratio(bp, new FrontierReport.Cell(d, Method.BP,
        List.of(150_000L, 120_000L, 135_000L), 1_800_000)));
    assertEquals("> 20.0", FrontierReport.ratio(none, bp));
    assertEquals("–", FrontierReport.ratio(bp, none));
    assertEquals("1.8M", FrontierReport.count(1_800_000));
    assertEquals("1.25M", FrontierReport.count(1_250_000));
    assertEquals("30k", FrontierReport.count(30_000));
  }
}
