package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction2;
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
 * Local SGD's time to accuracy: the same fit (MNIST-parity k = 2, the trainer bench's task:
 * 2352-512-1 ReLU/BCE, BP, Adam) with {@code localSteps} H = 1, 4, 16 on whatever master the
 * session has, each timed until the first epoch whose test accuracy reaches A = the best test
 * accuracy H = 1 reaches within the epochs, less 0.5 points (training seconds of the epochs plus
 * the fit's fixed cost; the per-epoch evaluation on the test rows is not counted). The outer rule
 * is Nesterov with η = 0.7, μ = 0.9 (DiLoCo's), or {@code --outer average}. Before the timed
 * fits, every H runs one untimed one-epoch fit ({@code --warmup-fits 0}: none), so that each
 * H's code is compiled in the executors before it is timed, as in a session that fits many
 * times (a CrossValidator): on a cluster the first timed epoch of the first H > 1 otherwise
 * carried the JIT's compilation of the rounds in both executors.
 *
 * <p>Last line: {@code RESULT localsgd_tta_speedup=<TTA(H=1) / the best TTA(H>1)>
 * localsgd_best_h=<H>}; target ≥ 2 at equal accuracy (within 0.5 points).
 */
public final class LocalSgdBench {
  private LocalSgdBench() {}

  /** One H's fit: its epochs and the seconds to reach the target, NaN if it never did. */
  record Fit(int localSteps, List<EpochRecord> epochs, double fixedSeconds) {
    double bestAccuracy() {
      double best = 0;
      for (EpochRecord e : epochs) best = Math.max(best, e.validationAccuracy());
      return best;
    }

    /** Fixed cost plus the training seconds of the epochs up to the first that reaches a. */
    double secondsTo(double a) {
      double t = fixedSeconds;
      for (EpochRecord e : epochs) {
        t += e.seconds();
        if (e.validationAccuracy() >= a) return t;
      }
      return Double.NaN;
    }
  }

  /** The outcome of {@link #measure}: the speed-up of the best H over H = 1 and that H. */
  record Outcome(double speedup, int bestH) {}

  public static void main(String[] argv) {
    Args args = new Args(argv, "quick");
    Provenance.print("localsgd", args.flag("quick")
        ? "--quick (shrunken; figures are NOT the issue's setup)" : "the issue's setup");
    SparkSession spark = MlpSetup.session("sparkdfa-bench-localsgd");
    try {
      Outcome o = measure(spark, args);
      System.out.println("load average at the end " + Provenance.loadAverage());
      System.out.printf(Locale.ROOT, "RESULT localsgd_tta_speedup=%s localsgd_best_h=%d%n",
          TrainerBench.fmt(o.speedup()), o.bestH());
    } finally {
      spark.stop();
    }
  }

  /** Fits H = 1 and each H of {@code --local-steps} and prints the time-to-accuracy table. */
  static Outcome measure(SparkSession spark, Args args) {
    return measure(spark, args, spark.sparkContext().defaultParallelism());
  }

  /**
   * {@link #measure(SparkSession, Args)} with {@code --partitions} defaulting to
   * {@code defaultPartitions}: on a cluster the default parallelism counts the executor cores
   * registered at that moment, which is not the slots a barrier epoch job gets.
   */
  static Outcome measure(SparkSession spark, Args args, int defaultPartitions) {
    boolean quick = args.flag("quick");
    long rows = args.longValue("rows", quick ? 8192 : 60_000);
    long testRows = args.longValue("test-rows", quick ? 2000 : 10_000);
    int epochs = args.integer("epochs", quick ? 3 : 6);
    int batch = args.integer("batch", 512);
    double step = args.real("step", 2e-3);
    String precision = args.string("precision", "float32");
    String outer = args.string("outer", "nesterov");
    double outerStep = args.real("outer-step", "nesterov".equals(outer) ? 0.7 : 1.0);
    int[] hs = args.ints("local-steps", new int[] {1, 4, 16});
    long seed = args.longValue("seed", 1);
    int partitions = args.integer("partitions", defaultPartitions);
    MnistParity gen = MlpSetup.mnist(2, seed, DigitPool.Split.TRAIN);
    int[] layers = {gen.numFeatures(), MlpSetup.HIDDEN, 1};
    System.out.printf(Locale.ROOT, "%n== local SGD, time to accuracy: MNIST-parity k=2, %d "
        + "training rows, %d test rows, layers %d-%d-1 relu/bce, BP, adam %g, batch %d, %s, %d "
        + "epochs, outer %s eta %g (nesterov mu 0.9), master %s, %d partitions, seed %d ==%n",
        rows, testRows, layers[0], layers[1], step, batch, precision, epochs, outer, outerStep,
        spark.sparkContext().master(), partitions, seed);
    Dataset<Row> all = pairedPartitions(spark,
        MlpSetup.mnistRows(spark, gen, rows, 0, partitions)
            .withColumn("isTest", functions.lit(false)),
        MlpSetup.mnistRows(spark, gen.withPool(DigitPool.shipped(DigitPool.Split.TEST)),
            testRows, ExampleGenerator.TEST_EPOCH, partitions)
            .withColumn("isTest", functions.lit(true)))
        // On disk only: each fit keeps its packed copy in memory, and a default 1g executor
        // cannot also hold the rows (it ran out of heap packing beside them: bench.sh cluster).
        .persist(org.apache.spark.storage.StorageLevel.DISK_ONLY());
    all.count();
    try {
      List<Fit> fits = new ArrayList<>();
      int warmups = args.integer("warmup-fits", 1);
      for (int w = 0; w < warmups; w++) {
        for (int h : hs) {
          estimator(layers, step, batch, epochs, seed, precision, h, outer, outerStep)
              .setMaxIter(1).fit(all);
        }
      }
      System.out.printf(Locale.ROOT, "  %d untimed one-epoch warm-up fit(s) per H first%n",
          warmups);
      for (int h : hs) {
        BpMlpClassifier est = estimator(layers, step, batch, epochs, seed, precision, h, outer,
            outerStep);
        MlpSetup.settleHeap();
        long t0 = System.nanoTime();
        est.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(0).fit(all);
        double fixed = (System.nanoTime() - t0) / 1e9;
        fits.add(new Fit(h, est.fit(all).summary().epochs(), fixed));
      }
      return report(fits);
    } finally {
      all.unpersist(true);
    }
  }

  private static BpMlpClassifier estimator(int[] layers, double step, int batch, int epochs,
      long seed, String precision, int h, String outer, double outerStep) {
    return TrainerBench.configure(new BpMlpClassifier(), layers, "relu", "bce", "adam", step,
        batch, epochs, seed).setPrecision(precision).setValidationIndicatorCol("isTest")
        .setEarlyStoppingPatience(0).setLocalSteps(h).setOuterOptimizer(outer)
        .setOuterStepSize(outerStep).setOuterMomentum(0.9);
  }

  /**
   * Partition i of {@code train} followed by partition i of {@code test}: as many partitions as
   * each has. A union would have both counts (4 for 2 + 2), so the fit's training rows would sit
   * in 4 partitions, 2 of them empty, and a 2-slot cluster would run it one job per step
   * instead of as epoch jobs.
   */
  static Dataset<Row> pairedPartitions(SparkSession spark, Dataset<Row> train,
      Dataset<Row> test) {
    JavaRDD<Row> rows = train.javaRDD().zipPartitions(test.javaRDD(),
        (FlatMapFunction2<Iterator<Row>, Iterator<Row>, Row>) (a, b) -> Stream.concat(
            StreamSupport.stream(Spliterators.spliteratorUnknownSize(a, 0), false),
            StreamSupport.stream(Spliterators.spliteratorUnknownSize(b, 0), false)).iterator());
    return spark.createDataFrame(rows, train.schema());
  }

  private static Outcome report(List<Fit> fits) {
    Fit sync = fits.get(0);
    double target = sync.bestAccuracy() - 0.005;
    System.out.printf(Locale.ROOT, "  target A = best test accuracy of H=%d (%.4f) - 0.5 points "
        + "= %.4f%n", sync.localSteps(), sync.bestAccuracy(), target);
    System.out.printf(Locale.ROOT, "  %4s | %s | %8s | %9s%n", "H", "per epoch: seconds/test "
        + "accuracy", "best acc", "s to A");
    for (Fit f : fits) {
      StringBuilder row = new StringBuilder();
      for (EpochRecord e : f.epochs()) {
        row.append(String.format(Locale.ROOT, " %.2fs/%.4f", e.seconds(),
            e.validationAccuracy()));
      }
      System.out.printf(Locale.ROOT, "  %4d |%s | %8.4f | %9.2f%n", f.localSteps(), row,
          f.bestAccuracy(), f.secondsTo(target));
    }
    double base = sync.secondsTo(target);
    double best = Double.NaN;
    int bestH = sync.localSteps();
    for (Fit f : fits.subList(1, fits.size())) {
      double s = base / f.secondsTo(target);
      if (!Double.isNaN(s) && (Double.isNaN(best) || s > best)) {
        best = s;
        bestH = f.localSteps();
      }
    }
    System.out.printf(Locale.ROOT, "  best: H=%d reaches A %.2fx sooner than H=%d (target >= 2; "
        + "NaN: no H > 1 reached A)%n", bestH, best, sync.localSteps());
    return new Outcome(best, bestH);
  }
}
