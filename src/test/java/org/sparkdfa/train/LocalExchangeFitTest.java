package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.ml.DfaMlpClassifier;
import org.sparkdfa.ml.MlpClassificationModel;
import org.sparkdfa.ml.NeuralClassifierBase;
import org.sparkdfa.train.local.LocalExchange;


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
    return fit(estimator, data, exchange, true);
  }

  private static double[] fit(NeuralClassifierBase<?> estimator, Dataset<Row> data,
      boolean exchange, boolean runAhead) {
    SparkContext sc = spark().sparkContext();
    sc.setLocalProperty(LocalExchange.CONF_KEY, Boolean.toString(exchange));
    sc.setLocalProperty(StepRunners.RUN_AHEAD_KEY, Boolean.toString(runAhead));
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
      sc.setLocalProperty(StepRunners.RUN_AHEAD_KEY, null);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"float64", "float32"})
  void byReferenceAndAsBytesGiveBitIdenticalWeights(String precision) {
    Dataset<Row> data = PARITY.generate(spark(), 1200, 3).cache();
    data.count();
    DfaMlpClassifier dfa = new DfaMlpClassifier().setLayers(new int[] {10, 16, 8, 1})
        .setStepSize(0.02).setBatchSize(100).setMaxIter(2).setSeed(7).setPrecision(precision);
    double[] asBytes = fit(dfa, data, false);
    assertArrayEquals(asBytes, fit(dfa, data, true), 0.0, "by reference, steps run ahead");
    assertArrayEquals(asBytes, fit(dfa, data, true, false), 0.0, "by reference, one at a time");
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

  @Test
  void aDivergingFitRunningAheadLeavesNoStepBehind() {
    Dataset<Row> data = PARITY.generate(spark(), 600, 3).cache();
    data.count();
    int jobsBefore = spark().sparkContext().statusTracker().getActiveJobIds().length;
    MlpClassificationModel model = new BpMlpClassifier().setLayers(new int[] {10, 16, 1})
        .setOptimizer("sgd").setStepSize(1e200).setBatchSize(50).setMaxIter(3).setSeed(7)
        .fit(data);
    assertEquals(StopReason.DIVERGED, model.summary().stopReason(),
        model.summary().stopDetail());
    assertEquals(0, LocalExchange.size(), "the step submitted ahead outlived the fit");
    // The status tracker learns of a job's end through the listener bus, which lags under load;
    // a step left running ahead would wait on its gate forever, so a bounded wait still fails.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (spark().sparkContext().statusTracker().getActiveJobIds().length > jobsBefore
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(jobsBefore, spark().sparkContext().statusTracker().getActiveJobIds().length,
        "the step submitted ahead is still running");
    data.unpersist();
  }

  @Test
  void onlyLocalMastersThatNeverRetryATaskRunAhead() {
    assertFalse(StepRunners.retriesTasks("local[2]"));
    assertFalse(StepRunners.retriesTasks("local[*]"));
    assertFalse(StepRunners.retriesTasks("local"));
    assertFalse(StepRunners.retriesTasks("local[4, 1]"));
    assertTrue(StepRunners.retriesTasks("local[4,2]"));
    assertTrue(StepRunners.retriesTasks("local[*, 3]"));
    assertTrue(StepRunners.canRunAhead(spark().sparkContext()), "the tests' local[2] runs ahead");
  }
}
