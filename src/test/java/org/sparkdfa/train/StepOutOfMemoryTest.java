package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.ExecutorMemory;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.cluster.BroadcastSteps;
import org.sparkdfa.train.steps.PartitionGradient;

/**
 * An executor out of heap in the middle of a step (not while packing) is a clear error naming
 * the step, the partition and the fixes, on the transport every non-local master uses. Provoked
 * for real: one step of 4096 rows through a hidden layer of 400,000 units needs 13 GB of
 * activations, which no test heap holds. (The estimators refuse such a network before any work
 * on a local master — MemoryPlan — so the runner is driven directly, as an executor would run it
 * on a cluster whose driver has the memory.)
 */
class StepOutOfMemoryTest extends SparkTestBase {

  @Test
  void aStepOutOfHeapNamesTheStepThePartitionAndTheFixes() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      rows.add(RowFactory.create(Vectors.dense(i % 2, (i / 2) % 2), (double) ((i + i / 2) % 2)));
    }
    StructType schema = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
    Dataset<Row> df = spark().createDataFrame(rows, schema).repartition(1);
    NetworkSpec spec = NetworkSpec.mlp(new int[] {2, 400_000, 1}, Activation.RELU, Loss.BCE);
    Network net = new Network(spec);
    BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", 2, Loss.BCE, 1,
        Precision.FLOAT64);
    try (TrainingData data = TrainingData.pack(df, cols)) {
      @SuppressWarnings("unchecked")
      PartitionGradient<double[]> ctx = (PartitionGradient<double[]>) PartitionGradient.create(
          net, Feedback.BACKPROP, 1, 1, Precision.FLOAT64);
      Broadcast<PartitionGradient<double[]>> bctx = jsc.broadcast(ctx);
      double[] params = Init.GLOROT_UNIFORM.initialize(spec, 1);
      try (StepRunner runner = new BroadcastSteps<>(jsc, data, bctx, 1, 2, new StepTimes())) {
        ExecutorMemory.Exhausted e = assertThrows(ExecutorMemory.Exhausted.class,
            () -> runner.gradient(params, 0, 0));
        String m = e.getMessage();
        for (String part : new String[] {"ran out of memory", "computing step 0 of epoch 0",
            "partition 0 (4096 rows", "its heap holds", "df.repartition(n)",
            "precision=float32", "spark.executor.memory"}) {
          assertTrue(m.contains(part), "missing '" + part + "' in: " + m);
        }
      } finally {
        bctx.destroy();
      }
    }
  }
}
