package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.ml.DfaMlpClassifier;
import org.sparkdfa.ml.NeuralClassifierBase;

/**
 * On a local master a step's weights and gradients travel by reference; with the exchange
 * switched off they travel as bytes. The training contract does not care which: the weights are
 * bit-identical, and no parked object outlives its step.
 */
class LocalExchangeFitTest extends SparkTestBase {

  private static final SparseParity PARITY =
      SparseParity.builder().n(10).k(2).distribution("uniform").seed(5).build();

  private static double[] fit(NeuralClassifierBase<?> estimator, Dataset<Row> data,
      boolean exchange) {
    SparkContext sc = spark().sparkContext();
    sc.setLocalProperty(LocalExchange.CONF_KEY, Boolean.toString(exchange));
    long parkedBefore = LocalExchange.parkedTotal();
    int cachedBefore = sc.getPersistentRDDs().size();
    try {
      double[] w = estimator.fit(data).weights().toArray();
      assertEquals(cachedBefore, sc.getPersistentRDDs().size(),
          "the fit's packed (and local-checkpointed) blocks must be dropped when it ends");
      long parked = LocalExchange.parkedTotal() - parkedBefore;
      if (exchange) {
        assertTrue(parked > 0, "the fit should have parked its step objects");
      } else {
        assertEquals(0, parked, "with the exchange off nothing may be parked");
      }
      assertEquals(0, LocalExchange.size(), "parked objects outlived their step");
      return w;
    } finally {
      sc.setLocalProperty(LocalExchange.CONF_KEY, null);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"float64", "float32"})
  void byReferenceAndAsBytesGiveBitIdenticalWeights(String precision) {
    Dataset<Row> data = PARITY.generate(spark(), 1200, 3).cache();
    data.count();
    DfaMlpClassifier dfa = new DfaMlpClassifier().setLayers(new int[] {10, 16, 8, 1})
        .setStepSize(0.02).setBatchSize(100).setMaxIter(2).setSeed(7).setPrecision(precision);
    assertArrayEquals(fit(dfa, data, false), fit(dfa, data, true), 0.0);
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {10, 12, 1})
        .setStepSize(0.05).setBatchSize(1200).setMaxIter(2).setSeed(7).setPrecision(precision)
        .setValidationIndicatorCol("isVal");
    Dataset<Row> withVal = data.withColumn("isVal",
        org.apache.spark.sql.functions.rand(3).lt(0.2)).cache();
    withVal.count();
    assertArrayEquals(fit(bp, withVal, false), fit(bp, withVal, true), 0.0);
    withVal.unpersist();
    data.unpersist();
  }
}
