package org.sparkdfa.bench;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.train.EpochRecord;
import org.sparkdfa.train.TrainingConfig;
import org.sparkdfa.train.blocks.BlockPacker;

/**
 * The setup the "speed and scale" benchmarks share: MNIST-parity rows (k digits side by side,
 * k·784 inputs), a [d, h, 1] ReLU/BCE network trained by BP with Adam, and the steady-state
 * epoch time. The benchmarks that time Spark against something else (the plain loop, another
 * worker count) drive {@link org.sparkdfa.train.Trainer} with this config directly, so both sides
 * train exactly the same config on the same packed data; it is what {@code BpMlpClassifier}
 * builds with the same params (glorot_uniform, no early stopping).
 */
final class MlpSetup {
  private MlpSetup() {}

  /**
   * The benchmark's SparkSession (master and settings from spark-submit), logging at WARN, and
   * a line saying where it runs.
   */
  static SparkSession session(String app) {
    SparkSession spark = SparkSession.builder().appName(app).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    System.out.println("spark         " + spark.version() + ", master "
        + spark.sparkContext().master() + ", default parallelism "
        + spark.sparkContext().defaultParallelism() + ", serializer "
        + spark.sparkContext().getConf().get("spark.serializer", "(default JavaSerializer)"));
    return spark;
  }

  /** The network: 3 digits (2352 inputs), 512 hidden units. */
  static final int K = 3;
  static final int HIDDEN = 512;
  static final double STEP_SIZE = 1e-3;

  static NetworkSpec spec(int inputs, int hidden) {
    return NetworkSpec.mlp(new int[] {inputs, hidden, 1}, Activation.RELU, Loss.BCE);
  }

  /** BP, Adam, no early stopping (tol 0, patience 0), aggregation depth 2 as the estimators. */
  static TrainingConfig config(NetworkSpec spec, Precision precision, int batch, int epochs,
      long seed) {
    return new TrainingConfig(new Network(spec), Feedback.BACKPROP,
        Init.GLOROT_UNIFORM.initialize(spec, seed), OptimizerConfig.defaults("adam", STEP_SIZE),
        false, batch, epochs, 0.0, 0, seed, 2, "bench").withPrecision(precision);
  }

  /** The packing columns of {@link MnistParity}'s rows for this network. */
  static BlockPacker.Columns columns(NetworkSpec spec, Precision precision) {
    return new BlockPacker.Columns("features", "label", "", spec.inputs(), spec.loss(),
        spec.outputs(), precision);
  }

  /** MNIST-parity over the shipped digits of one split. */
  static MnistParity mnist(int k, long seed, DigitPool.Split split) {
    return MnistParity.builder().pool(DigitPool.shipped(split)).k(k).seed(seed).build();
  }

  /** Rows 0..rows-1 of {@code epoch}, features and label only. */
  static Dataset<Row> mnistRows(SparkSession spark, MnistParity gen, long rows, long epoch,
      int partitions) {
    return gen.generate(spark, rows, epoch, partitions).select("features", "label");
  }

  /**
   * Median seconds of the epochs after the first: the first pays for JIT, scratch buffers and
   * BLAS warm-up, so it is the warm-up epoch. A single epoch is returned as it is.
   */
  static double steadyEpochSeconds(List<EpochRecord> epochs) {
    return steadyEpochSeconds(epochs, 1);
  }

  /** Median seconds of the epochs after the first {@code warmup} (all of them if none is left). */
  static double steadyEpochSeconds(List<EpochRecord> epochs, int warmup) {
    return steady("epochs", epochs.stream().mapToDouble(EpochRecord::seconds).toArray(), warmup);
  }

  /**
   * Median of the epoch metric {@code key} over the epochs after the first {@code warmup} (all
   * of them if none is left); NaN where an epoch lacks it.
   */
  static double steadyMetric(List<EpochRecord> epochs, int warmup, String key) {
    return steady(key, epochs.stream()
        .mapToDouble(e -> e.metrics().getOrDefault(key, Double.NaN)).toArray(), warmup);
  }

  private static double steady(String what, double[] perEpoch, int warmup) {
    if (perEpoch.length == 0) return Double.NaN;
    int from = perEpoch.length > warmup ? warmup : 0;
    return new Samples(what, Arrays.copyOfRange(perEpoch, from, perEpoch.length)).median();
  }

  /** Epoch seconds as "[a, b, c]". */
  static String seconds(List<EpochRecord> epochs) {
    return TrainerBench.secs(epochs.stream().mapToDouble(EpochRecord::seconds).toArray());
  }

  /** Spark's storage figures (memSize, diskSize, cached partitions) of a persisted RDD. */
  static org.apache.spark.storage.RDDInfo storageInfo(org.apache.spark.SparkContext sc,
      int rddId) {
    for (org.apache.spark.storage.RDDInfo info : sc.getRDDStorageInfo()) {
      if (info.id() == rddId) return info;
    }
    throw new IllegalStateException("RDD " + rddId + " is not in Spark's storage info: it was "
        + "not cached");
  }

  /** Heap in use after a full GC (twice: the first may leave finalizable garbage), in bytes. */
  static long heapAfterGc() {
    System.gc();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * A full GC before a timed part (untimed), so that each side of a comparison starts from a
   * settled heap: right after data are packed or collected, G1 keeps marking and evacuating the
   * garbage for seconds, and whichever side ran first would pay for it.
   */
  static void settleHeap() {
    System.gc();
  }
}
