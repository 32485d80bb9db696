package org.sparkdfa.jobs;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.train.cluster.StreamSteps;

/**
 * A small, fixed training for comparing Spark masters: BP on sparse parity with a fixed number of
 * partitions, the trained weights written to a file as exact bit patterns. The same seed and
 * partitioning must give the same file on {@code local[*]} and on a cluster (the trainer's
 * determinism contract); the cluster test runs it both ways.
 *
 * <pre>
 * spark-submit --master spark://127.0.0.1:7077 --class org.sparkdfa.jobs.ClusterCheck APP.jar OUT_FILE
 * </pre>
 */
public final class ClusterCheck {
  private ClusterCheck() {}

  /** Partitions of the training data: more than one executor's worth, so work is spread. */
  public static final int PARTITIONS = 4;
  /**
   * Partitions of the second fit: as many as the test cluster's task slots (2 workers × 1
   * core), so a cluster runs it as epoch jobs, where the first fit's 4 run one job per step.
   */
  public static final int EPOCH_JOB_PARTITIONS = 2;

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ClusterCheck OUT_FILE");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("sparkdfa-cluster-check").getOrCreate();
    try {
      double[] w = train(spark);
      Outputs.write(Path.of(args[0]), format(w));
      System.out.printf(Locale.ROOT, "trained %d weights on %s, written to %s%n", w.length,
          spark.sparkContext().master(), args[0]);
    } finally {
      spark.stop();
    }
  }

  /**
   * Trains the fixed model three times — on {@link #PARTITIONS} partitions, on
   * {@link #EPOCH_JOB_PARTITIONS}, and on {@link #EPOCH_JOB_PARTITIONS} with a validation set
   * (a Spark job between epochs, which the epoch job's waiting tasks must make room for) — and
   * returns the fits' weights, one after the other. Prints how many epoch jobs each fit ran.
   */
  public static double[] train(SparkSession spark) {
    double[] all = new double[0];
    for (double[] w : new double[][] {train(spark, PARTITIONS, false),
        train(spark, EPOCH_JOB_PARTITIONS, false), train(spark, EPOCH_JOB_PARTITIONS, true)}) {
      double[] both = java.util.Arrays.copyOf(all, all.length + w.length);
      System.arraycopy(w, 0, both, all.length, w.length);
      all = both;
    }
    return all;
  }

  private static double[] train(SparkSession spark, int partitions, boolean validated) {
    AtomicInteger epochJobs = new AtomicInteger();
    SparkListener count = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        if (StreamSteps.isEpochJob(start)) epochJobs.incrementAndGet();
      }
    };
    spark.sparkContext().addSparkListener(count);
    try {
      double[] w = fit(spark, partitions, validated);
      spark.sparkContext().listenerBus().waitUntilEmpty();
      System.out.printf(Locale.ROOT, "epoch jobs of the fit on %d partitions%s: %d%n",
          partitions, validated ? " with a validation set" : "", epochJobs.get());
      return w;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    } finally {
      spark.sparkContext().removeSparkListener(count);
    }
  }

  private static double[] fit(SparkSession spark, int partitions, boolean validated) {
    SparseParity data = SparseParity.builder().n(12).k(2).distribution("uniform").seed(11)
        .build();
    Dataset<Row> df = data.generate(spark, 1200, 0L, partitions);
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {12, 16, 1})
        .setBatchSize(64).setMaxIter(3).setStepSize(0.01).setSeed(5)
        .setEarlyStoppingPatience(0);
    if (validated) {
      df = df.withColumn("isVal", org.apache.spark.sql.functions.rand(3).lt(0.2));
      bp.setValidationIndicatorCol("isVal");
    }
    return bp.fit(df).weights().toArray();
  }

  /** One weight per line: the IEEE bits in hex, then the value for people. */
  public static String format(double[] w) {
    StringBuilder sb = new StringBuilder();
    for (double x : w) {
      sb.append(String.format(Locale.ROOT, "%016x %s%n", Double.doubleToRawLongBits(x), x));
    }
    return sb.toString();
  }
}
