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
  /** The methods of the papers: BP, DFA and the four lazy ones (FA is extra). */
  private static final List<Method> SIX = List.of(Method.BP, Method.DFA, Method.GALU,
      Method.RF_GAUSSIAN, Method.RF_RELU, Method.RF_LINEAR);

  private static ParityConfig load(String... overrides) {
    return ParityConfig.load(REFERENCE, null, List.of(overrides));
  }

  private static String error(String... overrides) {
    return assertThrows(ParityConfig.BadConfigException.class, () -> load(overrides))
        .getMessage();
  }

  @Test
  void defaultConfigIsTheProtocolsDataWithFewerEpochs() {
    ParityConfig c = load();
    assertEquals(SIX, c.experiment().methods());
    assertEquals(List.of(3), c.mnistParity().k());
    assertEquals(List.of("mixture"), c.sparseParity().trainDistributions());
    List<ParityData> data = ParityData.from(c);
    assertEquals(List.of("sparse-n30-k3-mixture", "mnist-k3"),
        data.stream().map(ParityData::id).toList());
    for (ParityData d : data) {
      assertTrue(d.freshPerEpoch(), d.id());
      assertEquals(60000, d.trainRows(), d.id());
      assertEquals(10000, d.testRows(), d.id());
    }
    ParityConfig.RunSettings s = c.settings(Method.BP, ParityData.MNIST);
    assertEquals(128, s.batchSize());
    assertEquals("float32", s.precision());
    assertEquals(List.of(1L), c.experiment().dataSeeds());
  }

  @Test
  void mostSpecificSettingWins() {
    ParityConfig c = load("training.step-size=0.005", "training.epochs=3",
        "mnist-parity.training.epochs=4", "mnist-parity.training.batch-size=256",
        "method.dfa.step-size=0.05", "method.galu.width=64");
    ParityConfig.RunSettings bpMnist = c.settings(Method.BP, ParityData.MNIST);
    assertEquals(0.005, bpMnist.stepSize());
    assertEquals(256, bpMnist.batchSize());
    assertEquals(4, bpMnist.epochs());
    ParityConfig.RunSettings dfaMnist = c.settings(Method.DFA, ParityData.MNIST);
    assertEquals(0.05, dfaMnist.stepSize());
    assertEquals(4, dfaMnist.epochs());
    ParityConfig.RunSettings bpSparse = c.settings(Method.BP, ParityData.SPARSE);
    assertEquals(0.005, bpSparse.stepSize());
    assertEquals(3, bpSparse.epochs());
    assertEquals(128, bpSparse.batchSize());
    assertEquals(64, c.settings(Method.GALU, ParityData.SPARSE).width());
    assertEquals(512, c.settings(Method.RF_RELU, ParityData.SPARSE).width());
  }

  @Test
  void lossPrecisionAndRhoParseAtEveryLevelAndTheMostSpecificWins() {
    ParityConfig c = load("training.loss=hinge", "training.precision=float64",
        "sparse-parity.training.loss=mse", "sparse-parity.training.precision=FLOAT32",
        "method.dfa.loss=cross_entropy", "method.galu.precision=float64", "training.rho=0.9");
    assertEquals("hinge", c.settings(Method.BP, ParityData.MNIST).loss());
    assertEquals("float64", c.settings(Method.BP, ParityData.MNIST).precision());
    assertEquals("mse", c.settings(Method.BP, ParityData.SPARSE).loss());
    assertEquals("float32", c.settings(Method.BP, ParityData.SPARSE).precision());
    assertEquals("cross_entropy", c.settings(Method.DFA, ParityData.SPARSE).loss());
    assertEquals(2, c.settings(Method.DFA, ParityData.SPARSE).outputs());
    assertEquals(1, c.settings(Method.BP, ParityData.SPARSE).outputs());
    assertEquals("float64", c.settings(Method.GALU, ParityData.SPARSE).precision());
    assertEquals(0.9, c.settings(Method.GALU, ParityData.SPARSE).rho());
    assertEquals("auto", load().settings(Method.BP, ParityData.MNIST).loss());
    assertEquals(null, load().settings(Method.BP, ParityData.MNIST).rho());
    // The estimators get them too.
    org.sparkdfa.ml.NeuralClassifierBase<?> dfa = Methods.estimator(Method.DFA,
        c.settings(Method.DFA, ParityData.SPARSE), 30, 1, false);
    assertEquals("cross_entropy", dfa.getLoss());
    assertEquals("float32", dfa.getPrecision());
    org.sparkdfa.ml.NeuralClassifierBase<?> galu = Methods.estimator(Method.GALU,
        c.settings(Method.GALU, ParityData.MNIST), 784, 1, false);
    assertEquals("hinge", galu.getLoss());
  }

  @Test
  void badLossPrecisionOrRhoNamesTheKeyAndTheAllowedValues() {
    String m = error("training.loss=logistic");
    assertTrue(m.contains("'training.loss'") && m.contains("logistic")
        && m.contains("auto, bce, hinge, mse, cross_entropy"), m);
    // Refused even for a method the experiment does not run.
    m = error("experiment.methods=[bp]", "method.galu.precision=half");
    assertTrue(m.contains("'method.galu.precision'") && m.contains("float64, float32"), m);
    m = error("mnist-parity.training.precision=double");
    assertTrue(m.contains("'mnist-parity.training.precision'"), m);
    m = error("method.dfa.rho=1.5");
    assertTrue(m.contains("'method.dfa.rho'") && m.contains("auto or a number in (0, 1)"), m);
    m = error("sparse-parity.fresh-per-epoch=maybe");
    assertTrue(m.contains("fresh-per-epoch"), m);
    m = error("experiment.data-seeds=[]");
    assertTrue(m.contains("experiment.data-seeds is empty"), m);
    m = error("experiment.data-seeds=[2,2]");
    assertTrue(m.contains("experiment.data-seeds has duplicates"), m);
    m = error("sparse-parity.train-eval-rows=-1");
    assertTrue(m.contains("sparse-parity.train-eval-rows"), m);
  }

  @Test
  void dataSeedsAndModelSeedsMakeTheRunGrid() {
    ParityConfig c = load("experiment.seeds=[1,2]", "experiment.data-seeds=[7,8,9]",
        "experiment.methods=[bp,dfa]", "mnist-parity.enabled=false");
    List<ParityJob.Run> runs = ParityJob.plan(c, ParityData.from(c));
    assertEquals(12, runs.size());
    assertEquals(java.util.Set.of(7L, 8L, 9L), runs.stream().map(ParityJob.Run::dataSeed)
        .collect(java.util.stream.Collectors.toSet()));
    assertEquals(java.util.Set.of(1L, 2L), runs.stream().map(ParityJob.Run::seed)
        .collect(java.util.stream.Collectors.toSet()));
    assertTrue(ReportWriter.seedsVaried(c.experiment()).contains("varying both"));
    assertTrue(ReportWriter.seedsVaried(load("experiment.seeds=[1,2]").experiment())
        .contains("varying the model seed only"));
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
    assertEquals(List.of("sparse-n30-k3-mixture"),
        ParityData.from(c).stream().map(ParityData::id).toList());
    Files.writeString(conf, "training { epochz = 3 }\n");
    String m = assertThrows(ParityConfig.BadConfigException.class,
        () -> ParityConfig.load(REFERENCE, conf, List.of())).getMessage();
    assertTrue(m.contains("training.epochz") && m.contains("small.conf"), m);
  }

  /** Every conf/paper row is the protocol, with what the row itself changes. */
  @Test
  void paperRowsAreTheProtocol() throws Exception {
    List<Path> rows;
    try (java.util.stream.Stream<Path> files = Files.list(Path.of("conf", "paper"))) {
      rows = files.filter(p -> !p.getFileName().toString().equals("protocol.conf")).sorted()
          .toList();
    }
    assertEquals(12 - 1, rows.size(), rows.toString());
    for (Path row : rows) {
      ParityConfig c = ParityConfig.load(REFERENCE, row, List.of());
      List<ParityData> data = ParityData.from(c);
      assertEquals(1, data.size(), row.toString());
      ParityData d = data.get(0);
      assertTrue(d.freshPerEpoch() && d.trainRows() == 60000 && d.testRows() == 10000,
          row.toString());
      assertEquals(1.0, d.pixelScale(), row.toString());
      for (Method m : c.experiment().methods()) {
        ParityConfig.RunSettings s = c.settings(m, d.family());
        assertEquals(128, s.batchSize(), row + " " + m);
        assertEquals(20, s.epochs(), row + " " + m);
        assertEquals(512, s.width(), row + " " + m);
        assertEquals(0.0, s.regParam(), row + " " + m);
        assertEquals("float32", s.precision(), row + " " + m);
        boolean paperLoss = row.getFileName().toString().contains("hinge-adadelta");
        assertEquals(paperLoss ? "hinge" : "bce", s.loss(), row + " " + m);
        assertEquals(paperLoss ? "adadelta" : "adam", s.optimizer(), row + " " + m);
        assertEquals(paperLoss ? 1.0 : 0.001, s.stepSize(), row + " " + m);
      }
      if (d.family().equals(ParityData.SPARSE) && d.trainDistribution().equals("mixture")) {
        assertEquals(List.of(1L, 2L, 3L), c.experiment().dataSeeds(), row.toString());
        assertEquals(SIX, c.experiment().methods(), row.toString());
      }
    }
    ParityConfig deep = ParityConfig.load(REFERENCE, Path.of("conf", "paper",
        "mnist-k3-deep.conf"), List.of());
    assertEquals(List.of(512, 512), deep.settings(Method.DFA, ParityData.MNIST).hiddenLayers());
  }
}
