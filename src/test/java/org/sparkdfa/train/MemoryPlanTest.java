package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.train.blocks.PartitionData;


/** What a fit needs in memory is counted from the spec, and a fit that cannot fit is refused. */
class MemoryPlanTest extends SparkTestBase {

  private static NetworkSpec spec(int... layers) {
    return NetworkSpec.mlp(layers, Activation.fromName("relu"), Loss.fromName("bce"));
  }

  @Test
  void theDriverHoldsItsVectorsAndOneStepsGradients() {
    NetworkSpec s = spec(100, 1000, 1); // 102,001 parameters
    OptimizerConfig adam = OptimizerConfig.defaults("adam", 1e-3);
    long p = s.numParams();
    MemoryPlan local = MemoryPlan.of(s, adam, false, Precision.FLOAT64, Precision.FLOAT64, 1,
        4, true, 1);
    // 4 vectors + Adam's 2 moments, 4 parked gradients, one task's packing chunk.
    long chunk = 16L * 100 * PartitionData.CHUNK_ROWS;
    assertEquals(6 * 8 * p + 4 * 8 * p + chunk, local.driverBytes());
    assertEquals(0, local.executorBytes());
    MemoryPlan cluster = MemoryPlan.of(s, adam, false, Precision.FLOAT32, Precision.FLOAT32, 1,
        4, false, 2);
    // float32 master: initial, best and widened weights in double; weights, next and the two
    // moments in float; the weights out and the sum back as bytes.
    assertEquals(3 * 8 * p + 4 * 4 * p + 4 * 4 * p, cluster.driverBytes());
    assertEquals(2 * 4 * p + 2 * (2 * 4 * p + 12L * 100 * PartitionData.CHUNK_ROWS),
        cluster.executorBytes());
  }

  @Test
  void aFloat32FitWithFloat64MasterWeightsAlsoHoldsTheTasksFloatCopy() {
    NetworkSpec s = spec(100, 1000, 1);
    OptimizerConfig adam = OptimizerConfig.defaults("adam", 1e-3);
    long p = s.numParams();
    long chunk = 12L * 100 * PartitionData.CHUNK_ROWS;
    MemoryPlan f64Master = MemoryPlan.of(s, adam, false, Precision.FLOAT32, Precision.FLOAT64,
        1, 2, true, 1);
    assertEquals(6 * 8 * p + 2 * 4 * p + chunk + 4 * p, f64Master.driverBytes());
    MemoryPlan f32Master = MemoryPlan.of(s, adam, false, Precision.FLOAT32, Precision.FLOAT32,
        1, 2, true, 1);
    assertEquals(3 * 8 * p + 4 * 4 * p + 2 * 4 * p + chunk, f32Master.driverBytes());
  }

  @Test
  void anExecutorThatCannotHoldTheWeightsIsRefusedWithBothSizes() {
    // 40M parameters: 3.5 GB on the driver fits the tests' 6 GB, but an executor's weights and
    // one task's gradient (1.3 GB) do not fit the default 1 GB of spark.executor.memory.
    NetworkSpec s = spec(1000, 40000, 1);
    MemoryPlan plan = MemoryPlan.of(s, OptimizerConfig.defaults("adam", 1e-3), false,
        Precision.FLOAT64, Precision.FLOAT64, 128, 4, false, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plan.requireFits(spark().sparkContext(), s));
    for (String part : new String[] {"40080001 parameters", "each executor needs at least",
        "spark.executor.memory is 1024 MiB"}) {
      assertTrue(e.getMessage().contains(part), part + " missing from: " + e.getMessage());
    }
  }
}
