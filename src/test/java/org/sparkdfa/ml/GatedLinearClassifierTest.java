package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/** GaLU: architecture, exact gradients, frozen gates, params and their errors. */
class GatedLinearClassifierTest extends SparkTestBase {

  private static Dataset<Row> train;

  @BeforeAll
  static void data() {
    train = Fixtures.parity(spark(), 2000, 2).cache();
  }

  private static final StructType NO_METADATA = new StructType()
      .add("features", new VectorUDT()).add("label", "double");

  // ------------------------------------------------------------------ the math (no Spark)

  @Test
  void forwardIsGatedLinearUnitWithFixedSignsOfGx() {
    GatedLinearClassifier est = new GatedLinearClassifier().setLayers(new int[] {3, 4, 1})
        .setSeed(5);
    NetworkSpec spec = est.resolveSpec(NO_METADATA);
    Network net = est.buildNetwork(spec);
    double[] p = est.initialize(spec);
    double[] g = GatedLinearClassifier.gateMatrix(4, 3, 5);
    assertArrayEquals(g, net.gate(0), 0.0);
    double[] x = {0.3, -1.2, 0.7};
    double expected = p[spec.biasOffset(1)];
    for (int j = 0; j < 4; j++) {
      double h = p[spec.biasOffset(0) + j];
      double gx = 0;
      for (int i = 0; i < 3; i++) {
        h += p[spec.weightOffset(0) + i * 4 + j] * x[i];
        gx += g[i * 4 + j] * x[i];
      }
      expected += p[spec.weightOffset(1) + j] * (gx > 0 ? h : 0);
    }
    double out = net.forward(p, x, 1, net.newWorkspace(1))[0];
    assertEquals(expected, out, 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Loss.class, names = {"BCE", "CROSS_ENTROPY", "MSE"})
  void gradientsMatchCentralDifferences(Loss loss) {
    int c = loss == Loss.BCE ? 1 : 3;
    GatedLinearClassifier est = new GatedLinearClassifier().setLayers(new int[] {5, 6, c})
        .setLoss(loss.paramName()).setSeed(13);
    NetworkSpec spec = est.resolveSpec(NO_METADATA);
    Network net = est.buildNetwork(spec);
    double[] params = est.initialize(spec);
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < params.length; i++) params[i] += rng.nextDouble(-0.3, 0.3);
    int m = 9;
    double[] x = new double[5 * m];
    for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble(-1, 1);
    double[] labels = new double[m];
    for (int i = 0; i < m; i++) labels[i] = rng.nextInt(loss == Loss.BCE ? 2 : c);
    double[] weights = new double[m];
    for (int i = 0; i < m; i++) weights[i] = rng.nextDouble(0.5, 2);

    Workspace ws = net.newWorkspace(m);
    double[] grad = new double[params.length];
    net.gradient(params, x, labels, weights, m, Feedback.BACKPROP, grad, ws);
    double h = 1e-5;
    for (int i = 0; i < params.length; i++) {
      double saved = params[i];
      params[i] = saved + h;
      double up = net.loss(params, x, labels, weights, m, ws);
      params[i] = saved - h;
      double down = net.loss(params, x, labels, weights, m, ws);
      params[i] = saved;
      double numeric = (up - down) / (2 * h);
      double rel = Math.abs(numeric - grad[i])
          / Math.max(1e-4, Math.abs(numeric) + Math.abs(grad[i]));
      assertTrue(rel <= 1e-6, "parameter " + i + ": analytic " + grad[i]
          + " vs central difference " + numeric);
    }
    // A unit whose gate is shut for every example gets exactly no gradient.
    double[] gate = net.gate(0);
    for (int j = 0; j < 6; j++) {
      boolean everOpen = false;
      for (int col = 0; col < m; col++) {
        double gx = 0;
        for (int i = 0; i < 5; i++) gx += gate[i * 6 + j] * x[col * 5 + i];
        everOpen |= gx > 0;
      }
      if (!everOpen) assertEquals(0.0, grad[spec.biasOffset(0) + j], 0.0);
    }
  }

  @Test
  void gatesArePureFunctionsOfTheSeed() {
    assertArrayEquals(GatedLinearClassifier.gateMatrix(7, 4, 3),
        GatedLinearClassifier.gateMatrix(7, 4, 3), 0.0);
    assertFalse(Arrays.equals(GatedLinearClassifier.gateMatrix(7, 4, 3),
        GatedLinearClassifier.gateMatrix(7, 4, 4)));
  }

  // ------------------------------------------------------------------ training

  @Test
  void gatesStayFixedWhileBothLayersTrain() {
    GatedLinearClassifier est = new GatedLinearClassifier().setWidth(32).setStepSize(0.02)
        .setBatchSize(500).setMaxIter(3).setRegParam(1e-3).setSeed(9);
    NetworkSpec spec = est.resolveSpec(train.schema());
    assertArrayEquals(new int[] {10, 32, 1}, spec.layers(), "layers derived from metadata");
    assertEquals(Activation.IDENTITY, spec.hiddenActivation(0));
    assertTrue(spec.gated(0) && spec.trainable(0) && spec.trainable(1));
    double[] initial = est.initialize(spec);

    MlpClassificationModel model = est.fit(train);
    assertTrue(bitIdentical(GatedLinearClassifier.gateMatrix(32, 10, 9),
        model.network().gate(0)), "gate matrix changed");
    double[] trained = model.weights().toArray();
    for (int l = 0; l < 2; l++) {
      assertFalse(layerBitIdentical(spec, l, initial, trained),
          "trainable layer " + l + " did not move");
    }
    assertArrayEquals(new int[] {10, 32, 1}, model.getLayers(), "model records its layers");
    assertTrue(model.spec().gated(0));
  }

  // ------------------------------------------------------------------ params

  @Test
  void paramsHaveDefaultsAndTravelThroughCopy() {
    GatedLinearClassifier est = new GatedLinearClassifier();
    assertEquals(LazyClassifierBase.DEFAULT_WIDTH, est.getWidth());
    assertTrue(est.hasParam("width"));
    assertTrue(est.explainParams().contains("width"));
    GatedLinearClassifier copy = est.setWidth(17).copy(new org.apache.spark.ml.param.ParamMap());
    assertEquals(17, copy.getWidth());
    assertEquals(est.uid(), copy.uid());
    assertEquals(est.uid(), est.width().parent());
  }

  @Test
  void badArchitecturesAreRejectedWithClearMessages() {
    IllegalArgumentException twoHidden = assertThrows(IllegalArgumentException.class,
        () -> new GatedLinearClassifier().setLayers(new int[] {10, 8, 8, 1}).fit(train));
    assertTrue(twoHidden.getMessage().contains("exactly one hidden layer"),
        twoHidden.getMessage());

    IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
        () -> new GatedLinearClassifier().setLayers(new int[] {10, 8, 1}).setWidth(16)
            .fit(train));
    assertTrue(conflict.getMessage().contains("width = 16"), conflict.getMessage());

    IllegalArgumentException activation = assertThrows(IllegalArgumentException.class,
        () -> new GatedLinearClassifier().setHiddenActivation("tanh").fit(train));
    assertTrue(activation.getMessage().contains("hiddenActivation"), activation.getMessage());

    IllegalArgumentException multiclass = assertThrows(IllegalArgumentException.class,
        () -> new GatedLinearClassifier().setLoss("cross_entropy").fit(train));
    assertTrue(multiclass.getMessage().contains("set layers"), multiclass.getMessage());

    Dataset<Row> bare = spark().createDataFrame(train.select("features", "label").rdd(),
        NO_METADATA);
    // Without a declared size, fit reads it off the data; only a schema alone cannot tell.
    assertArrayEquals(new int[] {10, 8, 1}, new GatedLinearClassifier().setWidth(8).setMaxIter(1)
        .fit(bare).getLayers());
    IllegalArgumentException noSize = assertThrows(IllegalArgumentException.class,
        () -> new GatedLinearClassifier().resolveSpec(bare.schema()));
    assertTrue(noSize.getMessage().contains("metadata"), noSize.getMessage());

    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> new GatedLinearClassifier().setWidth(0));
    assertTrue(width.getMessage().contains("width"), width.getMessage());
  }

  static boolean bitIdentical(double[] a, double[] b) {
    if (a.length != b.length) return false;
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) return false;
    }
    return true;
  }

  /** Whether weight layer l (matrix and bias) is bit-identical in the two flat vectors. */
  static boolean layerBitIdentical(NetworkSpec spec, int l, double[] a, double[] b) {
    int from = spec.weightOffset(l);
    int to = spec.biasOffset(l) + spec.size(l + 1);
    return bitIdentical(Arrays.copyOfRange(a, from, to), Arrays.copyOfRange(b, from, to));
  }
}
