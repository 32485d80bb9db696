package org.sparkdfa.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.Metadata;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.data.SparseParity;

/**
 * One data set of the experiment — sparse parity (n, k, training distribution) or MNIST-parity
 * (k) — and its test sets. Rows are pure functions of (data seed, epoch, row): training epoch e
 * uses the generator's stream e, tests use {@link ExampleGenerator#TEST_EPOCH} (and, for
 * MNIST-parity, the test digits). The data seed is the experiment's {@code data-seeds} entry,
 * independent of the model seed.
 *
 * @param n             sparse parity's number of bits (0 for MNIST-parity)
 * @param trainEvalRows rows of epoch 0's training set on which train accuracy is measured
 * @param pixelScale    MNIST-parity: factor applied to the [0, 1] pixels (1 for sparse parity)
 */
public record ParityData(String id, String family, String title, int n, int k,
    String trainDistribution, int trainRows, int testRows, boolean freshPerEpoch,
    int trainEvalRows, String mnistDir, double pixelScale) {

  public static final String SPARSE = "sparse-parity";
  public static final String MNIST = "mnist-parity";

  /** The data sets a config asks for, sparse parity first. */
  public static List<ParityData> from(ParityConfig c) {
    List<ParityData> out = new ArrayList<>();
    ParityConfig.SparseParitySpec s = c.sparseParity();
    if (s.enabled()) {
      for (int n : s.n()) {
        for (int k : s.k()) {
          for (String d : s.trainDistributions()) {
            out.add(new ParityData("sparse-n" + n + "-k" + k + "-" + d, SPARSE,
                "sparse parity n=" + n + " k=" + k + ", trained on " + d, n, k, d,
                s.trainRows(), s.testRows(), s.freshPerEpoch(),
                evalRows(s.trainEvalRows(), s.trainRows()), "", 1.0));
          }
        }
      }
    }
    ParityConfig.MnistParitySpec m = c.mnistParity();
    if (m.enabled()) {
      for (int k : m.k()) {
        out.add(new ParityData("mnist-k" + k, MNIST, "MNIST-parity k=" + k, 0, k, "",
            m.trainRows(), m.testRows(), m.freshPerEpoch(),
            evalRows(m.trainEvalRows(), m.trainRows()), m.mnistDir(), m.pixelScale()));
      }
    }
    return out;
  }

  private static int evalRows(int configured, int trainRows) {
    return configured == 0 ? trainRows : Math.min(configured, trainRows);
  }

  /** Number of features. */
  public int inputs() {
    return family.equals(SPARSE) ? n : k * Pools.get(mnistDir, DigitPool.Split.TRAIN).numPixels();
  }

  /** Loads what the data set needs from disk (the digit pools), failing early if it cannot. */
  public void check() {
    if (family.equals(MNIST)) {
      Pools.get(mnistDir, DigitPool.Split.TRAIN);
      Pools.get(mnistDir, DigitPool.Split.TEST);
    }
  }

  /** Names of the test sets; the first is the primary one (the report's headline column). */
  public List<String> testNames() {
    return family.equals(SPARSE) ? List.of("uniform", "mixture") : List.of("test");
  }

  /**
   * The training set of epoch {@code epoch} for data seed {@code seed} (with a fixed training set
   * only epoch 0 is used).
   */
  public Dataset<Row> train(SparkSession spark, long seed, int epoch, int partitions) {
    return train(spark, seed, epoch, partitions, trainRows);
  }

  /** The first {@code rows} rows of epoch {@code epoch}'s training set. */
  public Dataset<Row> train(SparkSession spark, long seed, int epoch, int partitions, int rows) {
    if (family.equals(SPARSE)) {
      return sparse(seed, trainDistribution).generate(spark, rows, epoch, partitions);
    }
    return scaled(mnist(seed, DigitPool.Split.TRAIN).generate(spark, rows, epoch, partitions));
  }

  /**
   * The generator of the training rows for data seed {@code seed}, whose rows are exactly those of
   * {@link #train}; null when the pixels are scaled (that happens in the DataFrame).
   */
  public ExampleGenerator trainGenerator(long seed) {
    if (family.equals(SPARSE)) return sparse(seed, trainDistribution);
    return pixelScale == 1.0 ? mnist(seed, DigitPool.Split.TRAIN) : null;
  }

  /** Test set {@code name} (one of {@link #testNames()}). */
  public Dataset<Row> test(SparkSession spark, long seed, String name, int partitions) {
    if (family.equals(SPARSE)) {
      return sparse(seed, name).generate(spark, testRows, ExampleGenerator.TEST_EPOCH,
          partitions);
    }
    return scaled(mnist(seed, DigitPool.Split.TEST).generate(spark, testRows,
        ExampleGenerator.TEST_EPOCH, partitions));
  }

  /** Pixels times {@code pixelScale} (a projection; the features metadata is kept). */
  private Dataset<Row> scaled(Dataset<Row> df) {
    if (pixelScale == 1.0) return df;
    double scale = pixelScale;
    UserDefinedFunction times = functions.udf((UDF1<Vector, Vector>) v -> {
      double[] a = v.toArray().clone();
      for (int i = 0; i < a.length; i++) a[i] *= scale;
      return Vectors.dense(a);
    }, new VectorUDT());
    Metadata meta = df.schema().apply("features").metadata();
    return df.withColumn("features", times.apply(functions.col("features")).as("features", meta));
  }

  /** The generator of the training rows (for the report: the secret set, the pool). */
  public String describe(long seed) {
    return family.equals(SPARSE) ? sparse(seed, trainDistribution).toString()
        : mnist(seed, DigitPool.Split.TRAIN).toString();
  }

  private SparseParity sparse(long seed, String distribution) {
    return SparseParity.builder().n(n).k(k).distribution(distribution).seed(seed).build();
  }

  private MnistParity mnist(long seed, DigitPool.Split split) {
    return MnistParity.builder().pool(Pools.get(mnistDir, split)).k(k).seed(seed).build();
  }

  /** Digit pools, read once per JVM. */
  static final class Pools {
    private static final java.util.Map<String, DigitPool> CACHE =
        new java.util.concurrent.ConcurrentHashMap<>();

    private Pools() {}

    static DigitPool get(String dir, DigitPool.Split split) {
      return CACHE.computeIfAbsent(dir + "|" + split, key -> dir.isEmpty()
          ? DigitPool.shipped(split) : DigitPool.fromDirectory(Path.of(dir), split));
    }
  }
}
