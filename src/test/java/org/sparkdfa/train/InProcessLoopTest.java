package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;


/**
 * The overhead benchmark divides Spark's epoch time by this loop's, which is only fair if both do
 * the same math: same seed and partitioning must give bit-identical weights.
 */
class InProcessLoopTest extends SparkTestBase {

  private static final long SEED = 7;
  private static final NetworkSpec SPEC =
      NetworkSpec.mlp(new int[] {10, 16, 1}, Activation.RELU, Loss.BCE);

  private static TrainingConfig config(Feedback feedback, Precision precision) {
    return new TrainingConfig(new Network(SPEC), feedback,
        Init.GLOROT_UNIFORM.initialize(SPEC, SEED), OptimizerConfig.defaults("adam", 0.01), false,
        100, 3, 0.0, 0, SEED, 2, "in-process-loop-test").withPrecision(precision);
  }

  private static void assertSameWeights(TrainingConfig config) {
    // Three partitions: an odd count exercises the tree's lone promoted node.
    Dataset<Row> df = SparseParity.builder().n(10).k(2).distribution("uniform").seed(3).build()
        .generate(spark(), 1000, 3);
    BlockPacker.Columns columns = new BlockPacker.Columns("features", "label", "", 10, Loss.BCE,
        1, config.precision());
    try (TrainingData data = TrainingData.pack(df, columns)) {
      TrainingResult spark = new Trainer(config).train(data, null);
      List<PartitionData> blocks = data.blocks(0).collect();
      try (InProcessLoop loop = new InProcessLoop(config, blocks, 2)) {
        TrainingResult local = loop.train();
        assertEquals(spark.steps(), local.steps());
        assertArrayEquals(spark.params(), local.params(), 0.0);
        for (int e = 0; e < spark.epochs().size(); e++) {
          assertEquals(spark.epochs().get(e).trainLoss(), local.epochs().get(e).trainLoss(), 0.0);
        }
      }
    }
  }

  @Test
  void backpropFloat64MatchesTheSparkTrainerBitForBit() {
    assertSameWeights(config(Feedback.BACKPROP, Precision.FLOAT64));
  }

  @Test
  void dfaFloat32MatchesTheSparkTrainerBitForBit() {
    assertSameWeights(config(DirectFeedback.random(SPEC, "uniform", 1.0, SEED),
        Precision.FLOAT32));
  }

  @Test
  void partitionsMustBeComplete() {
    TrainingConfig c = config(Feedback.BACKPROP, Precision.FLOAT64);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new InProcessLoop(c, List.of(
            new PartitionData(1, 10, List.of(), false)), 1));
    assertTrue(e.getMessage().contains("partition 0 is missing"), e.getMessage());
  }
}
