package org.sparkdfa.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.SparseParity;

/** Small, seeded data sets shared by the estimator tests. */
final class Fixtures {
  private Fixtures() {}

  /** 2-sparse parity over 10 bits: not linearly separable, learnable in a few epochs. */
  static final SparseParity PARITY_10_2 =
      SparseParity.builder().n(10).k(2).distribution("uniform").seed(3).build();

  static Dataset<Row> parity(SparkSession spark, int rows, int partitions) {
    return PARITY_10_2.generate(spark, rows, partitions);
  }

  static Dataset<Row> parityTest(SparkSession spark, int rows) {
    return PARITY_10_2.generate(spark, rows, ExampleGenerator.TEST_EPOCH, 2);
  }

  /** Three classes: the number of +1s among the first two of six ±1 bits (0, 1 or 2). */
  static Dataset<Row> threeClass(SparkSession spark, int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] x = new double[6];
      for (int j = 0; j < 6; j++) x[j] = r.nextBoolean() ? 1 : -1;
      double label = (x[0] > 0 ? 1 : 0) + (x[1] > 0 ? 1 : 0);
      out.add(RowFactory.create(Vectors.dense(x), label));
    }
    StructType schema = new StructType().add("features", new VectorUDT())
        .add("label", DataTypes.DoubleType);
    return spark.createDataFrame(out, schema).repartition(2);
  }

  static double accuracy(MlpClassificationModel model, Dataset<Row> test) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(test));
  }
}
