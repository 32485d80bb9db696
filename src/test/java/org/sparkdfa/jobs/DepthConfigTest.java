package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sparkdfa.ml.RandomFeedbackClassifierBase;

/** conf/depth: the depth-gap pieces and the feedback-normalization key — no Spark. */
class DepthConfigTest {

  private static final Path REFERENCE = Path.of("conf", "parity.conf");

  static List<Path> pieces() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("conf", "depth"))) {
      return files.filter(p -> !p.getFileName().toString().equals("common.conf")).sorted()
          .toList();
    }
  }

  @Test
  void everyPieceIsMnistParityK3With512x512AndItsFeedbackReachesTheEstimators()
      throws Exception {
    List<Path> pieces = pieces();
    assertTrue(pieces.size() >= 6, pieces.toString());
    for (Path p : pieces) {
      ParityConfig c = ParityConfig.load(REFERENCE, p, List.of());
      List<ParityData> data = ParityData.from(c);
      assertEquals(List.of("mnist-k3"), data.stream().map(ParityData::id).toList(), p.toString());
      assertTrue(c.experiment().methods().contains(Method.DFA)
          && c.experiment().methods().contains(Method.FA), p.toString());
      for (Method m : c.experiment().methods()) {
        ParityConfig.RunSettings s = c.settings(m, ParityData.MNIST);
        assertEquals(List.of(512, 512), s.hiddenLayers(), p + " " + m);
        assertEquals(20, s.epochs(), p + " " + m);
        if (m == Method.BP) continue;
        RandomFeedbackClassifierBase<?> e = (RandomFeedbackClassifierBase<?>) Methods.estimator(
            m, s, 100, 1, true);
        String name = p.getFileName().toString();
        assertEquals(name.contains("fan-in") ? "fan-in" : name.contains("fan-out") ? "fan-out"
            : "glorot", e.getFeedbackNormalization(), name);
        assertEquals(name.contains("gaussian") ? "gaussian" : "uniform",
            e.getFeedbackDistribution(), name);
        assertEquals(name.startsWith("adam") ? "adam" : name.startsWith("rmsprop") ? "rmsprop"
            : "momentum", e.getOptimizer(), name);
      }
    }
  }

  @Test
  void badFeedbackNormalizationNamesTheKeyAndTheAllowedValues() {
    String m = assertThrows(ParityConfig.BadConfigException.class, () -> ParityConfig.load(
        REFERENCE, null, List.of("method.fa.feedback-normalization=xavier"))).getMessage();
    assertTrue(m.contains("'method.fa.feedback-normalization' = 'xavier'")
        && m.contains("allowed values: glorot, fan-in, fan-out"), m);
    m = assertThrows(ParityConfig.BadConfigException.class, () -> ParityConfig.load(REFERENCE,
        null, List.of("method.dfa.feedback-normalisation=fan-in"))).getMessage();
    assertTrue(m.contains("did you mean 'method.dfa.feedback-normalization'"), m);
  }
}
