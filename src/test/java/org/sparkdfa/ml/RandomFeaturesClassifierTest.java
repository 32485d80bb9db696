package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.NetworkSpec;

/** Random features: the frozen layer's distributions, its immobility, params and errors. */
class RandomFeaturesClassifierTest extends SparkTestBase {

  private static Dataset<Row> train;

  @BeforeAll
  static void data() {
    train = Fixtures.parity(spark(), 2000, 2).cache();
  }

  private static RandomFeaturesClassifier estimator(String type) {
    return new RandomFeaturesClassifier().setFeatureType(type).setWidth(512).setSeed(21);
  }

  // ------------------------------------------------------------------ the random layer

  @Test
  void gaussianFeaturesAreCosinesWithNormalWeightsAndUniformPhases() {
    RandomFeaturesClassifier est = estimator("gaussian");
    NetworkSpec spec = est.resolveSpec(train.schema());
    assertArrayEquals(new int[] {10, 512, 1}, spec.layers());
    assertEquals(Activation.COS, spec.hiddenActivation(0));
    assertFalse(spec.trainable(0));
    assertTrue(spec.trainable(1));
    double[] p = est.initialize(spec);
    double[] w = Arrays.copyOfRange(p, spec.weightOffset(0), spec.biasOffset(0));
    double[] b = Arrays.copyOfRange(p, spec.biasOffset(0), spec.weightOffset(1));
    double expected = 4 / Math.sqrt(10);
    assertEquals(expected, std(w), 0.05 * expected, "default sigma = 4/sqrt(d)");
    assertEquals(0, mean(w), 0.05 * expected);
    for (double v : b) assertTrue(v >= 0 && v < 2 * Math.PI, "phase " + v);
    assertEquals(Math.PI, mean(b), 0.25);
    assertEquals(2 * Math.PI / Math.sqrt(12), std(b), 0.15);

    double[] q = estimator("gaussian").setSigma(0.5).initialize(spec);
    assertEquals(0.5, std(Arrays.copyOfRange(q, spec.weightOffset(0), spec.biasOffset(0))),
        0.025);
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu", "linear"})
  void reluAndLinearFeaturesAreGlorotUniformWithZeroBias(String type) {
    RandomFeaturesClassifier est = estimator(type);
    NetworkSpec spec = est.resolveSpec(train.schema());
    assertEquals(type.equals("relu") ? Activation.RELU : Activation.IDENTITY,
        spec.hiddenActivation(0));
    double[] p = est.initialize(spec);
    double r = Math.sqrt(6.0 / (10 + 512));
    double max = 0;
    for (int i = spec.weightOffset(0); i < spec.biasOffset(0); i++) {
      assertTrue(Math.abs(p[i]) <= r, "weight " + p[i] + " outside ±" + r);
      max = Math.max(max, Math.abs(p[i]));
    }
    assertTrue(max > 0.95 * r, "uniform on ±r, max |w| = " + max);
    for (int i = spec.biasOffset(0); i < spec.weightOffset(1); i++) assertEquals(0.0, p[i]);
  }

  @Test
  void theRandomLayerIsAPureFunctionOfTheSeed() {
    NetworkSpec spec = estimator("gaussian").resolveSpec(train.schema());
    double[] a = estimator("gaussian").initialize(spec);
    double[] b = estimator("gaussian").initialize(spec);
    assertTrue(GatedLinearClassifierTest.bitIdentical(a, b));
    double[] c = estimator("gaussian").setSeed(22).initialize(spec);
    assertFalse(GatedLinearClassifierTest.layerBitIdentical(spec, 0, a, c));
  }

  // ------------------------------------------------------------------ training

  /** Every update rule (with L2 on) leaves the random layer bit-identical and moves the output. */
  @ParameterizedTest
  @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam",
      "lbfgs"})
  void everyOptimizerLeavesTheRandomLayerBitIdentical(String optimizer) {
    String type = RandomFeaturesClassifier.FEATURE_TYPES[
        Math.floorMod(optimizer.hashCode(), RandomFeaturesClassifier.FEATURE_TYPES.length)];
    RandomFeaturesClassifier est = estimator(type).setWidth(64).setOptimizer(optimizer)
        .setStepSize(optimizer.equals("adadelta") ? 1.0 : 0.05).setRegParam(0.01)
        .setBatchSize(500).setMaxIter(optimizer.equals("lbfgs") ? 5 : 2);
    NetworkSpec spec = est.resolveSpec(train.schema());
    double[] initial = est.initialize(spec);
    MlpClassificationModel model = est.fit(train);
    double[] trained = model.weights().toArray();
    assertTrue(GatedLinearClassifierTest.layerBitIdentical(spec, 0, initial, trained),
        optimizer + "/" + type + " moved the frozen random layer");
    assertFalse(GatedLinearClassifierTest.layerBitIdentical(spec, 1, initial, trained),
        optimizer + "/" + type + " did not train the output layer");
    assertFalse(model.spec().trainable(0));
  }

  // ------------------------------------------------------------------ params

  @Test
  void paramsHaveDefaultsAndChecks() {
    RandomFeaturesClassifier est = new RandomFeaturesClassifier();
    assertEquals("gaussian", est.getFeatureType());
    assertEquals(512, est.getWidth());
    assertFalse(est.isDefined(est.sigma()));
    assertThrows(java.util.NoSuchElementException.class, est::getSigma);
    assertEquals(1.0, est.sigmaFor(16), 0.0);
    assertEquals(0.3, est.setSigma(0.3).getSigma(), 0.0);
    assertEquals(0.3, est.sigmaFor(16), 0.0);
    assertEquals("relu", est.setFeatureType("ReLU").getFeatureType());
    for (String name : new String[] {"featureType", "sigma", "width"}) {
      assertTrue(est.hasParam(name), name);
      assertEquals(est.uid(), est.getParam(name).parent());
    }

    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> new RandomFeaturesClassifier().setFeatureType("fourier"));
    assertTrue(type.getMessage().contains("gaussian, relu, linear"), type.getMessage());
    IllegalArgumentException sigma = assertThrows(IllegalArgumentException.class,
        () -> new RandomFeaturesClassifier().setSigma(-1));
    assertTrue(sigma.getMessage().contains("sigma"), sigma.getMessage());
  }

  @Test
  void hiddenActivationMayOnlyRepeatWhatTheFeaturesUse() {
    NetworkSpec ok = estimator("relu").setHiddenActivation("relu").resolveSpec(train.schema());
    assertEquals(Activation.RELU, ok.hiddenActivation(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> estimator("gaussian").setHiddenActivation("relu").resolveSpec(train.schema()));
    assertTrue(e.getMessage().contains("featureType"), e.getMessage());
    IllegalArgumentException twoHidden = assertThrows(IllegalArgumentException.class,
        () -> estimator("linear").setLayers(new int[] {10, 4, 4, 1}).resolveSpec(train.schema()));
    assertTrue(twoHidden.getMessage().contains("exactly one hidden layer"));
  }

  @Test
  void estimatorSavesAndLoadsItsOwnParams() throws Exception {
    Path dir = Files.createTempDirectory("rf-estimator");
    RandomFeaturesClassifier est = estimator("relu").setWidth(33).setSigma(0.7);
    est.save(dir.resolve("est").toString());
    RandomFeaturesClassifier loaded = RandomFeaturesClassifier.load(dir.resolve("est").toString());
    assertEquals(est.uid(), loaded.uid());
    assertEquals("relu", loaded.getFeatureType());
    assertEquals(33, loaded.getWidth());
    assertEquals(0.7, loaded.getSigma(), 0.0);
    assertEquals(21L, loaded.getSeed());
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double std(double[] v) {
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
  }
}
