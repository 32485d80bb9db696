package org.sparkdfa.bench;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.EpochRecord;
import org.sparkdfa.train.Evaluator;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.TrainingConfig;
import org.sparkdfa.train.TrainingResult;
import org.sparkdfa.train.blocks.TrainingData;

/**
 * The accuracy check of float32 master weights ({@code updatePrecision}): the same float32 fit
 * — MNIST-parity k = 3, 60,000 train rows, 10,000 test rows, 2352-512-1 relu/bce, BP, Adam
 * 1e-3, batch 128, {@code --epochs} epochs, seed 1, local[2] — once with float64 master weights
 * and once with float32 ones, printing each epoch's training loss and seconds and the final
 * test accuracy of both.
 *
 * <p>Last line: {@code RESULT f32master_test_acc=<a> f64master_test_acc=<b>
 * f32master_epoch_s=<s> f64master_epoch_s=<t>} (median epoch seconds after the first).
 */
public final class UpdatePrecisionBench {
  private UpdatePrecisionBench() {}

  public static void main(String[] argv) {
    Args args = new Args(argv, "quick");
    boolean quick = args.flag("quick");
    Provenance.print("updateprecision", quick
        ? "--quick (shrunken; figures are NOT the recorded setting)" : "the recorded setting");
    SparkSession spark = MlpSetup.session("sparkdfa-bench-updateprecision");
    try {
      run(spark, args, quick);
    } finally {
      spark.stop();
    }
  }

  private static void run(SparkSession spark, Args args, boolean quick) {
    long rows = args.longValue("rows", quick ? 6_000 : 60_000);
    long testRows = args.longValue("test-rows", quick ? 2_000 : 10_000);
    int epochs = args.integer("epochs", quick ? 2 : 5);
    int batch = args.integer("batch", 128);
    long seed = args.longValue("seed", 1);
    int partitions = spark.sparkContext().defaultParallelism();
    MnistParity train = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TRAIN);
    MnistParity test = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TEST);
    NetworkSpec spec = MlpSetup.spec(train.numFeatures(), MlpSetup.HIDDEN);
    System.out.printf(Locale.ROOT, "%n== float32 fit, master weights in float64 vs float32: "
        + "MNIST-parity k=%d, %d train rows, %d test rows, layers %s relu/bce, BP, adam %s, "
        + "batch %d, %d epochs, seed %d, %d partitions ==%n", MlpSetup.K, rows, testRows,
        Arrays.toString(spec.layers()), MlpSetup.STEP_SIZE, batch, epochs, seed, partitions);
    Dataset<Row> testDf = MlpSetup.mnistRows(spark, test, testRows, ExampleGenerator.TEST_EPOCH,
        partitions);
    double[][] results = new double[2][];
    try (TrainingData data = TrainingData.pack(MlpSetup.mnistRows(spark, train, rows, 0,
        partitions), MlpSetup.columns(spec, Precision.FLOAT32));
        Evaluator eval = Evaluator.of(testDf, "features", "label", spec, Precision.FLOAT32)) {
      Precision[] updates = {Precision.FLOAT64, Precision.FLOAT32};
      for (int u = 0; u < updates.length; u++) {
        TrainingConfig config = MlpSetup.config(spec, Precision.FLOAT32, batch, epochs, seed)
            .withUpdatePrecision(updates[u]);
        MlpSetup.settleHeap();
        TrainingResult r = new Trainer(config).train(data, null);
        double acc = eval.evaluate(config.network(), r.params(), Precision.FLOAT32).accuracy();
        System.out.printf(Locale.ROOT, "  master %s: train loss per epoch %s; epoch seconds %s;"
            + " test accuracy %.4f%n", updates[u].paramName(), losses(r), MlpSetup.seconds(
            r.epochs()), acc);
        results[u] = new double[] {acc, MlpSetup.steadyEpochSeconds(r.epochs())};
      }
    }
    System.out.printf(Locale.ROOT, "RESULT f32master_test_acc=%.4f f64master_test_acc=%.4f "
        + "f32master_epoch_s=%.3f f64master_epoch_s=%.3f%n", results[1][0], results[0][0],
        results[1][1], results[0][1]);
  }

  private static String losses(TrainingResult r) {
    StringBuilder sb = new StringBuilder("[");
    for (EpochRecord e : r.epochs()) {
      sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.5f",
          e.trainLoss()));
    }
    return sb.append(']').toString();
  }
}
