package org.sparkdfa.jobs;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.ml.DfaMlpClassifier;
import org.sparkdfa.ml.MlpClassificationModel;

/**
 * A training long enough to be interrupted (jobs/fault-injection.sh kills an executor or the
 * driver in its middle), checkpointing every epoch, its final weights written as exact bit
 * patterns. Undisturbed, with an executor killed, and resumed after the driver was killed, it
 * must write the same file.
 *
 * <pre>
 * spark-submit --class org.sparkdfa.jobs.FaultCheck APP.jar OUT_FILE CHECKPOINT_DIR
 * </pre>
 */
public final class FaultCheck {
  private FaultCheck() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: FaultCheck OUT_FILE CHECKPOINT_DIR");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("sparkdfa-fault-check").getOrCreate();
    // jobs/fault-injection.sh kills only this application's executors: it finds them by this id
    // on their command lines.
    System.out.println("application id: " + spark.sparkContext().applicationId());
    System.out.flush();
    try {
      SparseParity data = SparseParity.builder().n(16).k(2).distribution("uniform").seed(13)
          .build();
      // 25 steps an epoch, 8 epochs: long enough to be interrupted after epochs 2 and 3, short
      // enough for CI.
      Dataset<Row> df = data.generate(spark, 2400, 0L, ClusterCheck.PARTITIONS);
      MlpClassificationModel model = new DfaMlpClassifier().setLayers(new int[] {16, 64, 32, 1})
          .setBatchSize(96).setMaxIter(8).setStepSize(0.005).setSeed(7)
          .setEarlyStoppingPatience(0).setCheckpointDir(args[1]).setCheckpointInterval(1)
          .fit(df);
      double[] w = model.weights().toArray();
      Outputs.write(Path.of(args[0]), ClusterCheck.format(w));
      System.out.printf(Locale.ROOT, "trained %d weights in %d epochs on %s, written to %s%n",
          w.length, model.summary().totalEpochs(), spark.sparkContext().master(), args[0]);
    } finally {
      spark.stop();
    }
  }
}
