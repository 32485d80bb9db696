package org.sparkdfa.train.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.TransportFormsTest;

/** A step's weights as one block, and when a step is a plain job. */
class WeightsBlockTest extends SparkTestBase {

  @Test
  void aBlockHoldsTheStepsWeightsUntilRemoved() throws Exception {
    spark(); // the driver's block manager
    double[] params = TransportFormsTest.random(5000, 7);
    WeightsBlock w64 = WeightsBlock.publish(1, "weights0", Flat.F64.encode(params.clone()));
    WeightsBlock w32 = WeightsBlock.publish(1, "weights1",
        Flat.F32.encode(Flat.F32.fromParams(params, null)));
    assertArrayEquals(params, w64.values(Flat.F64));
    float[] f = w32.values(Flat.F32);
    for (int i = 0; i < f.length; i++) assertEquals((float) params[i], f[i]);
    double[] seen = TransportFormsTest.javaRoundTrip(w64).values(Flat.F64);
    assertArrayEquals(params, seen); // as a task gets it
    w32.values(Flat.F32); // the JVM's decoded copy is now w32's
    w64.remove();
    w32.remove();
    WeightsBlock gone = TransportFormsTest.javaRoundTrip(w64);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> gone.values(Flat.F64));
    assertTrue(e.getMessage().contains("broadcast_1_weights0"), e.getMessage());
  }

  @Test
  void treeAggregateAddsAStageOnlyForManyPartitions() {
    // Spark's rule: depth 2 sums partial results first from 6 partitions on.
    for (int p = 1; p <= 5; p++) assertFalse(BroadcastSteps.treeAddsStage(p, 2), "p=" + p);
    assertTrue(BroadcastSteps.treeAddsStage(6, 2));
    assertTrue(BroadcastSteps.treeAddsStage(100, 3));
    assertFalse(BroadcastSteps.treeAddsStage(100, 1));
  }
}
