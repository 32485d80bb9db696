package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.MnistParity;

/**
 * updatePrecision: the driver's master weights and optimizer state in float64 or float32. Auto
 * (the default) follows precision; float32 with precision float64 and with lbfgs is refused by
 * name before any work; and a float32-master fit learns MNIST-parity as well as a
 * float64-master one.
 */
class UpdatePrecisionTest extends SparkTestBase {

  @Test
  void everyEstimatorHasItDefaultAutoAndTheModelCarriesIt() {
    assertEquals("auto", new BpMlpClassifier().getUpdatePrecision());
    assertEquals("auto", new DfaMlpRegressor().getUpdatePrecision());
    assertEquals("auto", new GatedLinearClassifier().getUpdatePrecision());
    assertEquals("float64", new FaMlpClassifier().setUpdatePrecision("FLOAT64")
        .getUpdatePrecision());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setUpdatePrecision("float16"));
    assertTrue(bad.getMessage().contains("updatePrecision"), bad.getMessage());
    Dataset<Row> data = Fixtures.parity(spark(), 300, 2);
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 8, 1})
        .setPrecision("float32").setUpdatePrecision("float64").setMaxIter(1).fit(data);
    assertEquals("float64", model.getUpdatePrecision());
  }

  @Test
  void float32UpdatesNeedFloat32StepsAndAMiniBatchOptimizer() {
    Dataset<Row> data = Fixtures.parity(spark(), 200, 2);
    IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setLayers(new int[] {10, 8, 1}).setUpdatePrecision("float32")
            .fit(data));
    assertTrue(mixed.getMessage().contains("updatePrecision is 'float32'")
        && mixed.getMessage().contains("precision is 'float64'")
        && mixed.getMessage().contains("set precision to float32"), mixed.getMessage());
    IllegalArgumentException lbfgs = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setLayers(new int[] {10, 8, 1}).setOptimizer("lbfgs")
            .setUpdatePrecision("float32").fit(data));
    assertTrue(lbfgs.getMessage().contains("lbfgs")
        && lbfgs.getMessage().contains("updatePrecision"), lbfgs.getMessage());
  }

  /**
   * MNIST-parity k = 1 (is the digit even?), 784-64-1 BP, Adam 2e-3, batch 128, 3 epochs,
   * float32 steps: the float32 master must reach the float64 master's accuracy band. A float32
   * rule that went wrong (a sign, a moment, a bias correction) leaves it near chance.
   */
  @Test
  void aFloat32MasterLearnsMnistParityAsWellAsAFloat64One() {
    MnistParity parity = MnistParity.builder().pool(DigitPool.shipped(DigitPool.Split.TRAIN))
        .k(1).seed(3).build();
    Dataset<Row> train = parity.generate(spark(), 4000, 2).cache();
    Dataset<Row> test = parity.withPool(DigitPool.shipped(DigitPool.Split.TEST))
        .generate(spark(), 2000, ExampleGenerator.TEST_EPOCH, 2).cache();
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {784, 64, 1})
        .setStepSize(2e-3).setBatchSize(128).setMaxIter(3).setSeed(7)
        .setEarlyStoppingPatience(0).setPrecision("float32");
    MlpClassificationModel f32 = bp.fit(train); // auto: float32 master weights
    MlpClassificationModel f64 = bp.copy(new org.apache.spark.ml.param.ParamMap())
        .setUpdatePrecision("float64").fit(train);
    double acc32 = Fixtures.accuracy(f32, test);
    double acc64 = Fixtures.accuracy(f64, test);
    assertFalse(Arrays.equals(f32.weights().toArray(), f64.weights().toArray()),
        "the update precision is in effect");
    for (double w : f32.weights().toArray()) assertEquals(w, (double) (float) w, 0.0);
    assertTrue(acc64 > 0.85, "float64 master learns even/odd digits: " + acc64);
    assertTrue(acc32 > 0.85 && Math.abs(acc32 - acc64) < 0.02,
        "float32 master " + acc32 + " against float64 master " + acc64);
    train.unpersist();
    test.unpersist();
  }
}
