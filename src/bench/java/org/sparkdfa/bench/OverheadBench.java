package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.EpochRecord;
import org.sparkdfa.train.InProcessLoop;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.TrainingConfig;
import org.sparkdfa.train.TrainingResult;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;

/**
 * What Spark costs per epoch: the trainer on Spark against {@link InProcessLoop} — the same math
 * core, config, packed partitions, batch, seed and number of threads (the task slots), in one
 * process without jobs, broadcasts or task results. 2352-512-1 on MNIST-parity k = 3, batch 1024
 * and 128, float64 and float32. Both sides run two warm-up epochs first ({@code --warmup-epochs}):
 * the Spark side's epochs kept getting faster until the third (Spark's scheduler and listener
 * paths are compiled by the JIT while the tasks compete for the same cores), and a long training
 * run sees the steady state. Each side reports the median of its later epochs (four timed at
 * batch 1024, three at 128: one epoch alone moved by a quarter from run to run), starting from a
 * settled heap, and both must end with bit-identical weights (printed): they did the same work.
 *
 * <p>Last line: {@code RESULT spark_vs_loop_1024=<x> spark_vs_loop_128=<y>
 * f32_128_vs_limit=<z>}: x and y each the worse of float64 and float32 of (Spark epoch seconds /
 * plain-loop epoch seconds), targets 1.2 and 1.25; z the float32 batch-128 Spark epoch against
 * the same epoch's counted FLOPs at the sgemm rate of the slots measured in the same run,
 * target 0.5, for the float32 update precision a user gets by default with precision float32
 * ({@code updatePrecision} auto: float32 master weights); {@code --update-precision float64}
 * measures the float64 master instead. Each row prints the update precision it measured.
 */
public final class OverheadBench {

  private final SparkSession spark;
  private final Args args;
  private final boolean quick;
  private final long seed;
  private final int threads;
  /** The float32 rows' updatePrecision ({@code --update-precision}); null: auto, the default. */
  private final Precision updatePrecision;

  private OverheadBench(SparkSession spark, Args args) {
    this.spark = spark;
    this.args = args;
    this.quick = args.flag("quick");
    this.seed = args.longValue("seed", 1);
    this.threads = args.integer("threads", spark.sparkContext().defaultParallelism());
    String update = args.string("update-precision", "auto");
    this.updatePrecision = update.equals("auto") ? null : Precision.fromName(update);
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, "quick", "loop-first");
    Provenance.print("overhead", args.flag("quick")
        ? "--quick (shrunken; figures are NOT the issue's setup)" : "the issue's setup");
    SparkSession spark = MlpSetup.session("sparkdfa-bench-overhead");
    try {
      new OverheadBench(spark, args).run();
    } finally {
      spark.stop();
    }
  }

  /** One row of the table. */
  private record Comparison(Precision precision, int batch, int steps, double sparkSeconds,
      double loopSeconds, boolean sameWeights) {
    double ratio() {
      return sparkSeconds / loopSeconds;
    }
  }

  private void run() {
    long rows = args.longValue("rows", quick ? 8192 : 60_000);
    int partitions = args.integer("partitions", spark.sparkContext().defaultParallelism());
    int[] batches = args.ints("batches", new int[] {1024, 128});
    MnistParity gen = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TRAIN);
    NetworkSpec spec = MlpSetup.spec(gen.numFeatures(), MlpSetup.HIDDEN);
    System.out.printf(Locale.ROOT, "%n== Spark epoch vs the same epoch in a plain loop: "
        + "MNIST-parity k=%d, %d rows, layers %s relu/bce, BP, adam, %d partitions, loop threads "
        + "%d, seed %d ==%n", MlpSetup.K, rows, Arrays.toString(spec.layers()), partitions,
        threads, seed);
    List<Comparison> table = new ArrayList<>();
    for (Precision precision : Precision.values()) {
      try (TrainingData data = TrainingData.pack(
          MlpSetup.mnistRows(spark, gen, rows, 0, partitions), MlpSetup.columns(spec, precision))) {
        List<PartitionData> blocks = collect(data);
        for (int batch : batches) {
          table.add(measure(spec, precision, batch, data, blocks));
        }
      }
    }
    report(table, updatePrecision == null ? "float32 (updatePrecision auto, the default)"
        : updatePrecision.paramName(), sgemmLimitSeconds(spec, rows));
  }

  /**
   * An epoch's counted FLOPs at the rate of {@code threads} concurrent one-thread sgemm pairs of
   * the network's first-layer shapes over 1024 examples each (measured now, in this run): the
   * float32 epoch the cores could run if every step were nothing but its gemm work.
   */
  private double sgemmLimitSeconds(NetworkSpec spec, long rows) {
    int m = 1024;
    int h = spec.size(1);
    int d = spec.size(0);
    try {
      Samples pairs = GemmReference.concurrentPairs(threads, h, d, m, 3, 10, true);
      double rate = threads * (Flops.gemm(h, m, d) + Flops.gemm(h, d, m)) / pairs.median();
      double seconds = rows * Flops.trainingStep(spec, 1, false) / rate;
      System.out.printf(Locale.ROOT, "%n  %d-core sgemm: %.1f GFLOP/s (%d x %d x %d pairs, one "
          + "BLAS thread each); a float32 epoch of %d rows at that rate: %.3f s%n", threads,
          rate / 1e9, h, d, m, rows, seconds);
      return seconds;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The cached packed partitions, one at a time to the driver (one job each, so the result size
   * stays under spark.driver.maxResultSize as long as one partition does).
   */
  static List<PartitionData> collect(TrainingData data) {
    List<PartitionData> out = new ArrayList<>();
    Iterator<PartitionData> it = data.blocks(0).toLocalIterator();
    while (it.hasNext()) out.add(it.next());
    return out;
  }

  private Comparison measure(NetworkSpec spec, Precision precision, int batch, TrainingData data,
      List<PartitionData> blocks) {
    int timed = batch >= 1024 ? args.integer("epochs-1024", quick ? 1 : 4)
        : args.integer("epochs-128", quick ? 1 : 3);
    int warmup = args.integer("warmup-epochs", quick ? 1 : 2);
    TrainingConfig config = MlpSetup.config(spec, precision, batch, warmup + timed, seed);
    if (precision == Precision.FLOAT32 && updatePrecision != null) {
      config = config.withUpdatePrecision(updatePrecision);
    }
    TrainingResult onSpark = null;
    TrainingResult inLoop;
    int steps;
    boolean loopFirst = args.flag("loop-first");
    if (!loopFirst) {
      MlpSetup.settleHeap();
      onSpark = new Trainer(config).train(data, null);
    }
    try (InProcessLoop loop = new InProcessLoop(config, blocks, threads)) {
      MlpSetup.settleHeap();
      inLoop = loop.train();
      steps = loop.stepsPerEpoch();
    }
    if (loopFirst) {
      MlpSetup.settleHeap();
      onSpark = new Trainer(config).train(data, null);
    }
    Comparison r = new Comparison(precision, batch, steps,
        MlpSetup.steadyEpochSeconds(onSpark.epochs(), warmup),
        MlpSetup.steadyEpochSeconds(inLoop.epochs(), warmup),
        Arrays.equals(onSpark.params(), inLoop.params()));
    System.out.printf(Locale.ROOT, "  %s batch %d (update precision %s): Spark epoch seconds "
        + "%s, plain loop %s, same weights: %s%n", precision.paramName(), batch,
        config.masterPrecision().paramName(), MlpSetup.seconds(onSpark.epochs()),
        MlpSetup.seconds(inLoop.epochs()), r.sameWeights() ? "yes" : "NO");
    System.out.printf(Locale.ROOT, "    per step (ms, median over the epochs after the %d "
        + "warm-up): Spark %s; loop %s%n", warmup, split(onSpark.epochs(), warmup),
        split(inLoop.epochs(), warmup));
    return r;
  }

  /**
   * Where a step's time went: the shares (Spark's job / the loop's pool), of it the slowest
   * task's own compute, and the driver's update.
   */
  static String split(List<EpochRecord> epochs, int warmup) {
    return String.format(Locale.ROOT, "shares %.1f (slowest task's compute %.1f), update %.1f",
        MlpSetup.steadyMetric(epochs, warmup, StepTimes.JOB),
        MlpSetup.steadyMetric(epochs, warmup, StepTimes.TASK),
        MlpSetup.steadyMetric(epochs, warmup, StepTimes.UPDATE));
  }

  private static void report(List<Comparison> table, String f32Update, double limitSeconds) {
    System.out.printf(Locale.ROOT, "%n  %-8s %5s %6s %12s %12s %9s %11s %11s %6s%n", "prec",
        "batch", "steps", "Spark s/ep", "loop s/ep", "Spark/loop", "Spark ms/st", "loop ms/st",
        "same w");
    double worst1024 = Double.NaN;
    double worst128 = Double.NaN;
    for (Comparison r : table) {
      System.out.printf(Locale.ROOT, "  %-8s %5d %6d %12.3f %12.3f %9.2f %11.1f %11.1f %6s%n",
          r.precision().paramName(), r.batch(), r.steps(), r.sparkSeconds(), r.loopSeconds(),
          r.ratio(), 1e3 * r.sparkSeconds() / r.steps(), 1e3 * r.loopSeconds() / r.steps(),
          r.sameWeights() ? "yes" : "NO");
      if (r.batch() == 1024) worst1024 = worse(worst1024, r.ratio());
      if (r.batch() == 128) worst128 = worse(worst128, r.ratio());
    }
    System.out.println("  (Spark ms/st - loop ms/st = what Spark adds to every step: job "
        + "scheduling, weight broadcast, task results and their transport)");
    double f32at128 = Double.NaN;
    for (Comparison r : table) {
      if (r.precision() == Precision.FLOAT32 && r.batch() == 128) {
        f32at128 = limitSeconds / r.sparkSeconds();
      }
    }
    System.out.printf(Locale.ROOT, "  worst Spark/loop: batch 1024 %.2f (target <= 1.2), batch "
        + "128 %.2f (target <= 1.25)%n", worst1024, worst128);
    System.out.printf(Locale.ROOT, "  float32 batch 128 on Spark against the sgemm limit: %.2f "
        + "(target >= 0.5), update precision %s%n", f32at128, f32Update);
    System.out.println();
    System.out.println("load average at the end " + Provenance.loadAverage());
    System.out.printf(Locale.ROOT, "RESULT spark_vs_loop_1024=%s spark_vs_loop_128=%s "
            + "f32_128_vs_limit=%s%n", TrainerBench.fmt(worst1024), TrainerBench.fmt(worst128),
        TrainerBench.fmt(f32at128));
  }

  private static double worse(double a, double b) {
    return Double.isNaN(a) ? b : Math.max(a, b);
  }
}
