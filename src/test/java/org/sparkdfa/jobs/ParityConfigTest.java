package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config contract: defaults, precedence of overrides, and clear errors before Spark. */
class ParityConfigTest {

  private static final Path REFERENCE = Path.of("conf", "parity.conf");

  private static ParityConfig load(String... overrides) {
    return ParityConfig.load(REFERENCE, null, List.of(overrides));
  }

  private static String error(String... overrides) {
    return assertThrows(ParityConfig.BadConfigException.class, () -> load(overrides))
        .getMessage();
  }

  @Test
  void defaultConfigHasAllMethodsAndBothMnistKs() {
    ParityConfig c = load();
    assertEquals(List.of(Method.values()), c.experiment().methods());
    assertEquals(List.of(1, 3), c.mnistParity().k());
    assertEquals(List.of("mixture", "uniform"), c.sparseParity().trainDistributions());
    List<ParityData> data = ParityData.from(c);
    assertEquals(List.of("sparse-n30-k3-mixture", "sparse-n30-k3-uniform", "mnist-k1",
        "mnist-k3"), data.stream().map(ParityData::id).toList());
  }

  @Test
  void mostSpecificSettingWins() {
    ParityConfig c = load("training.step-size=0.005", "training.epochs=3",
        "mnist-parity.training.epochs=4", "method.dfa.step-size=0.05", "method.galu.width=64");
    ParityConfig.RunSettings bpMnist = c.settings(Method.BP, ParityData.MNIST);
    // The shipped family settings (MNIST-parity: batch 256, step 0.002) beat the global ones.
    assertEquals(0.002, bpMnist.stepSize());
    assertEquals(256, bpMnist.batchSize());
    assertEquals(4, bpMnist.epochs());
    ParityConfig.RunSettings dfaMnist = c.settings(Method.DFA, ParityData.MNIST);
    assertEquals(0.05, dfaMnist.stepSize());
    assertEquals(4, dfaMnist.epochs());
    ParityConfig.RunSettings bpSparse = c.settings(Method.BP, ParityData.SPARSE);
    assertEquals(0.01, bpSparse.stepSize());
    assertEquals(3, bpSparse.epochs());
    assertEquals(128, bpSparse.batchSize());
    assertEquals(64, c.settings(Method.GALU, ParityData.SPARSE).width());
    assertEquals(512, c.settings(Method.RF_RELU, ParityData.SPARSE).width());
  }

  @Test
  void unknownKeysNameTheKeyAndTheValidOnes() {
    String m = error("training.epoch=3");
    assertTrue(m.contains("'training.epoch'") && m.contains("did you mean 'training.epochs'")
        && m.contains("batch-size, epochs"), m);
    m = error("method.galu.feedback-scale=2");
    assertTrue(m.contains("'method.galu.feedback-scale'") && m.contains("width"), m);
    m = error("method.sgd.step-size=1");
    assertTrue(m.contains("valid keys in section 'method': bp, dfa"), m);
    m = error("expriment.seeds=[1]");
    assertTrue(m.contains("did you mean 'experiment'"), m);
    m = error("diagnostics.tsne.perplexty=5");
    assertTrue(m.contains("section 'diagnostics.tsne'"), m);
  }

  @Test
  void badValuesAreRejectedWithTheirKey() {
    assertTrue(error("experiment.seeds=x").contains("seeds"));
    assertTrue(error("experiment.methods=[bp,xgboost]").contains("unknown method 'xgboost'"));
    assertTrue(error("sparse-parity.k=[40]").contains("sparse-parity.k = 40"));
    assertTrue(error("sparse-parity.train-distributions=[gaussian]").contains("gaussian"));
    assertTrue(error("diagnostics.tsne.iterations=100").contains("iterations"));
    assertTrue(error("training=5").contains("is a section"));
    assertTrue(error("nonsense").contains("not key=value"));
  }

  @Test
  void layeredFileIncludesTheReference(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("small.conf");
    Files.copy(REFERENCE, dir.resolve("parity.conf"));
    Files.writeString(conf, "include \"parity.conf\"\nexperiment.seeds = [3, 4]\n"
        + "mnist-parity.enabled = false\n");
    ParityConfig c = ParityConfig.load(REFERENCE, conf, List.of("experiment.seeds=[5]"));
    assertEquals(List.of(5L), c.experiment().seeds());
    assertEquals(List.of("sparse-n30-k3-mixture", "sparse-n30-k3-uniform"),
        ParityData.from(c).stream().map(ParityData::id).toList());
    Files.writeString(conf, "training { epochz = 3 }\n");
    String m = assertThrows(ParityConfig.BadConfigException.class,
        () -> ParityConfig.load(REFERENCE, conf, List.of())).getMessage();
    assertTrue(m.contains("training.epochz") && m.contains("small.conf"), m);
  }

  @Test
  void paperConfigIsValid() {
    ParityConfig c = ParityConfig.load(REFERENCE, Path.of("conf", "parity-paper.conf"),
        List.of());
    assertEquals(List.of("mnist-k3"), ParityData.from(c).stream().map(ParityData::id).toList());
    ParityConfig.RunSettings bp = c.settings(Method.BP, ParityData.MNIST);
    assertEquals("adadelta", bp.optimizer());
    assertEquals(0.05, bp.stepSize());
    assertEquals(20, bp.epochs());
    assertEquals(128, bp.batchSize());
    assertEquals(0.1, c.settings(Method.RF_RELU, ParityData.MNIST).stepSize());
    assertTrue(c.mnistParity().freshPerEpoch());
    assertEquals(60000, c.mnistParity().trainRows());
    assertEquals(10000, c.mnistParity().testRows());
    assertEquals(255.0, c.mnistParity().pixelScale());
    assertEquals(1.0, load().mnistParity().pixelScale());
  }
}
