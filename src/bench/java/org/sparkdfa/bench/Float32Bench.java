package org.sparkdfa.bench;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.train.EpochRecord;

/**
 * float32 against float64 through the estimator's {@code precision} param, on MNIST-parity k = 3
 * (2352-512-1, ReLU/BCE, BP, Adam, batch 1024), the same seed, data and epochs: throughput (the
 * steady-state epoch seconds, i.e. the median of the epochs after the warm-up epoch) and test
 * accuracy after the last epoch (the per-epoch evaluation on the test rows is not timed).
 *
 * <p>Last line: {@code RESULT float32_speedup=<s64/s32> float32_acc_delta=<|acc32 − acc64| in
 * points>}. Targets: ≥ 1.8 and ≤ 1.
 */
public final class Float32Bench {

  private final SparkSession spark;
  private final Args args;
  private final boolean quick;

  private Float32Bench(SparkSession spark, Args args) {
    this.spark = spark;
    this.args = args;
    this.quick = args.flag("quick");
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, "quick");
    Provenance.print("float32", (args.flag("quick")
        ? "--quick (shrunken; figures are NOT the issue's setup)" : "the issue's setup"));
    SparkSession spark = MlpSetup.session("sparkdfa-bench-float32");
    try {
      new Float32Bench(spark, args).run();
    } finally {
      spark.stop();
    }
  }

  /** One fit's outcome: its epoch records (seconds, test accuracy). */
  private record Fit(String precision, List<EpochRecord> epochs) {
    double steadySeconds() {
      return MlpSetup.steadyEpochSeconds(epochs);
    }

    double finalAccuracy() {
      return epochs.get(epochs.size() - 1).validationAccuracy();
    }
  }

  private void run() {
    long rows = args.longValue("rows", quick ? 8192 : 60_000);
    long testRows = args.longValue("test-rows", quick ? 2000 : 10_000);
    int epochs = args.integer("epochs", quick ? 2 : 5);
    int batch = args.integer("batch", 1024);
    double step = args.real("step", MlpSetup.STEP_SIZE);
    int k = args.integer("k", MlpSetup.K);
    long seed = args.longValue("seed", 1);
    int partitions = args.integer("partitions", spark.sparkContext().defaultParallelism());
    MnistParity gen = MlpSetup.mnist(k, seed, DigitPool.Split.TRAIN);
    int d = gen.numFeatures();
    int[] layers = {d, MlpSetup.HIDDEN, 1};
    System.out.printf(Locale.ROOT, "%n== float32 vs float64: MNIST-parity k=%d, %d training rows "
        + "(train digits), %d test rows (test digits), layers %d-%d-1 relu/bce, BP, adam %g, "
        + "batch %d, %d epochs (the first is the warm-up), seed %d, %d partitions ==%n", k, rows,
        testRows, d, MlpSetup.HIDDEN, step, batch, epochs, seed, partitions);

    long t0 = System.nanoTime();
    Dataset<Row> all = MlpSetup.mnistRows(spark, gen, rows, 0, partitions)
        .withColumn("isTest", functions.lit(false))
        .union(MlpSetup.mnistRows(spark, gen.withPool(DigitPool.shipped(DigitPool.Split.TEST)),
            testRows, ExampleGenerator.TEST_EPOCH, partitions)
            .withColumn("isTest", functions.lit(true)))
        .cache();
    all.count();
    double positives = all.filter(functions.col("isTest").and(functions.col("label").equalTo(1)))
        .count() / (double) testRows;
    System.out.printf(Locale.ROOT, "  data generated and cached in %.1f s; test labels 1: %.3f "
        + "(chance accuracy %.3f)%n", (System.nanoTime() - t0) / 1e9, positives,
        Math.max(positives, 1 - positives));
    try {
      Fit f64 = fit(all, "float64", layers, step, batch, epochs, seed);
      Fit f32 = fit(all, "float32", layers, step, batch, epochs, seed);
      report(f64, f32, rows);
    } finally {
      all.unpersist(true);
    }
  }

  private Fit fit(Dataset<Row> all, String precision, int[] layers, double step, int batch,
      int epochs, long seed) {
    BpMlpClassifier est = TrainerBench.configure(new BpMlpClassifier(), layers, "relu", "bce",
        "adam", step, batch, epochs, seed).setPrecision(precision)
        .setValidationIndicatorCol("isTest");
    MlpSetup.settleHeap();
    Fit f = new Fit(precision, est.fit(all).summary().epochs());
    System.out.printf(Locale.ROOT, "  %s: epoch seconds %s%n", precision,
        MlpSetup.seconds(f.epochs()));
    return f;
  }

  private void report(Fit f64, Fit f32, long rows) {
    System.out.printf(Locale.ROOT, "%n  %5s | %9s %8s | %9s %8s%n", "epoch", "f64 s", "f64 acc",
        "f32 s", "f32 acc");
    for (int e = 0; e < f64.epochs().size(); e++) {
      EpochRecord a = f64.epochs().get(e);
      EpochRecord b = f32.epochs().get(e);
      System.out.printf(Locale.ROOT, "  %5d | %9.2f %8.4f | %9.2f %8.4f%s%n", a.epoch(),
          a.seconds(), a.validationAccuracy(), b.seconds(), b.validationAccuracy(),
          e == 0 ? "  (warm-up, not in s/epoch)" : "");
    }
    double speedup = f64.steadySeconds() / f32.steadySeconds();
    double delta = 100 * Math.abs(f32.finalAccuracy() - f64.finalAccuracy());
    System.out.printf(Locale.ROOT, "  s/epoch: float64 %.2f (%.0f rows/s), float32 %.2f (%.0f "
        + "rows/s) -> float32 throughput %.2fx (target >= 1.8)%n", f64.steadySeconds(),
        rows / f64.steadySeconds(), f32.steadySeconds(), rows / f32.steadySeconds(), speedup);
    System.out.printf(Locale.ROOT, "  test accuracy after %d epochs: float64 %.4f, float32 %.4f "
        + "-> |delta| %.2f points (target <= 1)%n", f64.epochs().size(), f64.finalAccuracy(),
        f32.finalAccuracy(), delta);
    System.out.println();
    System.out.println("load average at the end " + Provenance.loadAverage());
    System.out.printf(Locale.ROOT, "RESULT float32_speedup=%s float32_acc_delta=%s%n",
        TrainerBench.fmt(speedup), TrainerBench.fmt(delta));
  }
}
