package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.data.SparseParity;

/**
 * The parity experiments in miniature (Daniely &amp; Malach 2020): lazy methods learn easy parities
 * (MNIST-parity, k = 1) but not a 3-sparse parity, which backpropagation learns from the mixture
 * distribution. Fixed seeds and partitioning make every number below deterministic; the measured
 * values are in the comments and the asserted bounds leave wide margins.
 */
class LazyBaselinesParityTest extends SparkTestBase {

  private static double report(String task, String name, NeuralClassifierBase<?> estimator,
      Dataset<Row> train, Dataset<Row> test) {
    long start = System.nanoTime();
    MlpClassificationModel model = estimator.fit(train);
    double seconds = (System.nanoTime() - start) / 1e9;
    double acc = Fixtures.accuracy(model, test);
    System.out.printf(Locale.ROOT, "[%s] %-22s test accuracy %.3f (%d steps, %.1f s)%n", task,
        name, acc, model.summary().totalSteps(), seconds);
    return acc;
  }

  /** Adam with a large step and few, large batches: each optimizer step is one Spark job. */
  private static <E extends NeuralClassifierBase<E>> E sparseSettings(E e) {
    return e.setStepSize(0.02).setBatchSize(512).setMaxIter(15).setSeed(1);
  }

  /**
   * n = 30, k = 3; train on the mixture (half the rows have all secret bits equal), test on uniform
   * inputs. Measured: BP 1.000, DFA 0.732, GaLU 0.468, gaussian 0.511, relu 0.332, linear 0.257
   * (BP reached 1.000 with each of seeds 1–5 at these settings).
   * The lazy models fit the mixture's proxy — each secret bit agrees with the label in the planted
   * half — so on uniform inputs they predict the majority of the secret bits, which matches the
   * parity on only 2 of the 8 patterns: far below chance.
   */
  @Test
  void sparseParityOfOrderThreeSeparatesBackpropFromLazyMethods() {
    SparseParity mixture = SparseParity.builder().n(30).k(3).distribution("mixture").seed(11)
        .build();
    Dataset<Row> train = mixture.generate(spark(), 6000, 2).cache();
    Dataset<Row> test = mixture.withDistribution("uniform")
        .generate(spark(), 2000, ExampleGenerator.TEST_EPOCH, 2).cache();
    String task = "3-sparse parity n=30, mixture -> uniform";
    try {
      double bp = report(task, "BP [30,128,1]", sparseSettings(new BpMlpClassifier()
          .setLayers(new int[] {30, 128, 1})), train, test);
      double dfa = report(task, "DFA [30,128,1]", sparseSettings(new DfaMlpClassifier()
          .setLayers(new int[] {30, 128, 1})), train, test);
      double galu = report(task, "GaLU width 512", sparseSettings(new GatedLinearClassifier()),
          train, test);
      assertTrue(bp > 0.95, "BP accuracy " + bp);
      assertTrue(galu <= 0.60, "GaLU accuracy " + galu);
      for (String type : RandomFeaturesClassifier.FEATURE_TYPES) {
        double rf = report(task, "RF " + type + " width 512", sparseSettings(
            new RandomFeaturesClassifier().setFeatureType(type)), train, test);
        assertTrue(rf <= 0.60, "random features (" + type + ") accuracy " + rf);
      }
      // DFA is reported, not asserted: with one hidden layer it is feedback alignment, and whether
      // it finds the parity within 15 epochs depends on the seed (seeds 1-5: 0.732, 0.456, 0.565,
      // 0.912, 0.428; after 20 epochs 0.997, 0.506, 0.909, 0.989, 0.618).
      assertTrue(dfa >= 0 && dfa <= 1);
    } finally {
      train.unpersist();
      test.unpersist();
    }
  }

  /**
   * MNIST-parity with one digit (even or odd): an easy parity, which every lazy baseline learns.
   * Measured: GaLU 0.950, gaussian 0.897, relu 0.872, linear 0.864 (real digits, test pool).
   */
  @Test
  void everyLazyBaselineLearnsMnistParityWithOneDigit() {
    MnistParity parity = MnistParity.builder().pool(DigitPool.shipped(DigitPool.Split.TRAIN))
        .k(1).seed(5).build();
    Dataset<Row> train = parity.generate(spark(), 4000, 2).cache();
    Dataset<Row> test = parity.withPool(DigitPool.shipped(DigitPool.Split.TEST))
        .generate(spark(), 2000, ExampleGenerator.TEST_EPOCH, 2).cache();
    String task = "MNIST-parity k=1";
    try {
      double galu = report(task, "GaLU width 256", mnistSettings(new GatedLinearClassifier()),
          train, test);
      assertTrue(galu > 0.80, "GaLU accuracy " + galu);
      for (String type : RandomFeaturesClassifier.FEATURE_TYPES) {
        double rf = report(task, "RF " + type + " width 256", mnistSettings(
            new RandomFeaturesClassifier().setFeatureType(type)), train, test);
        assertTrue(rf > 0.80, "random features (" + type + ") accuracy " + rf);
      }
    } finally {
      train.unpersist();
      test.unpersist();
    }
  }

  private static <E extends LazyClassifierBase<E>> E mnistSettings(E e) {
    return e.setWidth(256).setStepSize(0.02).setBatchSize(500).setMaxIter(8).setSeed(1);
  }
}
