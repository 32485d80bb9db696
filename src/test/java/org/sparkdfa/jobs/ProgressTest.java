package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Progress lines within a run: step, rows/s and both ETAs; none outside a run. */
class ProgressTest {

  @Test
  void withinARunEveryIntervalSaysStepRateAndEtas() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, 200.0, 0);
    p.step(1);
    p.startRun("BP mnist-k3", 2, 50, 128, 50.0);
    for (int i = 1; i <= 10; i++) p.step(i);
    p.epoch(Map.of("epoch", 1.0, EpochEvaluator.TRAIN_LOSS, 0.5,
        EpochEvaluator.TRAIN_ACCURACY, 0.6));
    p.step(1);
    p.endRun();
    p.step(2);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("  ... run")).toList();
    assertEquals(11, lines.size(), lines.toString());
    assertTrue(lines.get(9).matches("  \\.\\.\\. run 1/2 BP mnist-k3  epoch 1/2  step 10/50  "
        + "\\d+ rows/s  ETA run \\S+, experiment \\S+"), lines.get(9));
    assertTrue(lines.get(10).contains("epoch 2/2  step 1/50"), lines.get(10));
  }

  @Test
  void atMostOneLinePerInterval() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1, 10.0,
        3600);
    p.startRun("DFA", 1, 100, 128, 10.0);
    for (int i = 1; i <= 100; i++) p.step(i);
    assertEquals(0, bytes.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("  ... run")).count());
  }
}
