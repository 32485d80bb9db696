package org.sparkdfa.train.blocks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Precision;

/**
 * An executor out of heap while packing is a clear error. Provoked for real: rows of 300,000
 * float64 inputs, whose first 4096-row chunk (9.8 GB) no test heap holds.
 */
class ExecutorMemoryTest extends SparkTestBase {

  @Test
  void packingOutOfHeapNamesThePartitionTheHeapAndTheFixes() {
    SparkSession spark = spark();
    int d = 300_000;
    StructType schema = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
    List<Row> rows = List.of(
        RowFactory.create(Vectors.sparse(d, new int[] {7}, new double[] {1}), 1.0),
        RowFactory.create(Vectors.sparse(d, new int[] {9}, new double[] {1}), 0.0));
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(1);
    BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", d, Loss.BCE, 1,
        Precision.FLOAT64);
    ExecutorMemory.Exhausted e = assertThrows(ExecutorMemory.Exhausted.class,
        () -> TrainingData.pack(df, cols));
    String m = e.getMessage();
    for (String part : new String[] {"ran out of memory", "packing partition 0",
        "0 rows packed so far", "4096 rows x 300000 float64 inputs (9830.4 MB)",
        "spark.driver.memory", "its heap holds", "df.repartition(n)", "precision=float32",
        "StorageLevel.DISK_ONLY()", "spark.executor.memory"}) {
      assertTrue(m.contains(part), "missing '" + part + "' in: " + m);
    }
  }

  @Test
  void float32DataIsNotToldToUseFloat32() {
    assertTrue(ExecutorMemory.fixes(Precision.FLOAT64).contains("precision=float32"));
    assertTrue(!ExecutorMemory.fixes(Precision.FLOAT32).contains("precision=float32"));
  }
}
