package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.Evaluator;
import org.sparkdfa.train.InProcessLoop;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.TrainingConfig;
import org.sparkdfa.train.TrainingResult;
import org.sparkdfa.train.blocks.TrainingData;

/**
 * One epoch of the parity experiment as the job runs it — fresh MNIST-parity k = 3, 60,000 rows
 * drawn for the epoch, batch 128, float32, 2352-512-1 BP with Adam, 10,000 test rows and 10,000
 * train-accuracy rows evaluated after the epoch in float32 — split into its three parts, each
 * timed on its own: drawing and packing the epoch's rows (one Spark job generating them
 * straight into packed blocks, as the job does), the training steps (the trainer on
 * those packed rows), and the evaluation (the two evaluators' passes). The training steps are
 * also timed in {@link InProcessLoop} (the same math, rows, batch, seed and threads without
 * Spark). Every part is the median over {@code --epochs} epochs after {@code --warmup-epochs}.
 * Each epoch is its own fit from the previous epoch's weights (Adam's moments restart), so the
 * printed accuracies are a sanity check, not the experiment's learning curve.
 *
 * <p>Last line: {@code RESULT experiment_epoch_s=<s> experiment_train_fraction=<f>
 * experiment_vs_loop=<r>}: s the sum of the parts, f the training steps' share of it (target
 * >= 0.8), r the steps on Spark over the same steps in the loop (target <= 1.3).
 */
public final class ExperimentBench {
  private final SparkSession spark;
  private final Args args;
  private final boolean quick;

  private ExperimentBench(SparkSession spark, Args args) {
    this.spark = spark;
    this.args = args;
    this.quick = args.flag("quick");
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, "quick");
    Provenance.print("experiment", args.flag("quick")
        ? "--quick (shrunken; figures are NOT the issue's setup)" : "the issue's setup");
    SparkSession spark = MlpSetup.session("sparkdfa-bench-experiment");
    try {
      new ExperimentBench(spark, args).run();
    } finally {
      spark.stop();
    }
  }

  private void run() {
    long rows = args.longValue("rows", quick ? 6_000 : 60_000);
    long evalRows = args.longValue("eval-rows", quick ? 1_000 : 10_000);
    int batch = args.integer("batch", 128);
    int partitions = args.integer("partitions", spark.sparkContext().defaultParallelism());
    int warmup = args.integer("warmup-epochs", 1);
    int timed = args.integer("epochs", quick ? 1 : 2);
    long seed = args.longValue("seed", 1);
    int threads = spark.sparkContext().defaultParallelism();
    Precision precision = Precision.fromName(args.string("precision", "float32"));
    MnistParity train = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TRAIN);
    MnistParity test = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TEST);
    NetworkSpec spec = MlpSetup.spec(train.numFeatures(), MlpSetup.HIDDEN);
    System.out.printf(Locale.ROOT, "%n== One epoch of the parity experiment: fresh MNIST-parity "
        + "k=%d, %d rows, layers %s relu/bce, BP, adam, batch %d, %s, %d partitions, eval "
        + "%d test + %d train rows; %d warm-up + %d timed epochs ==%n", MlpSetup.K, rows,
        Arrays.toString(spec.layers()), batch, precision.paramName(), partitions, evalRows,
        evalRows, warmup, timed);

    int epochs = warmup + timed;
    TrainingConfig config = MlpSetup.config(spec, precision, batch, 1, seed);
    double[] params = config.initialParams().clone();
    List<Double> pack = new ArrayList<>();
    List<Double> steps = new ArrayList<>();
    List<Double> loop = new ArrayList<>();
    List<Double> eval = new ArrayList<>();
    try (Evaluator testEval = Evaluator.of(MlpSetup.mnistRows(spark, test, evalRows,
            ExampleGenerator.TEST_EPOCH, partitions), "features", "label", spec, precision);
        Evaluator trainEval = Evaluator.of(MlpSetup.mnistRows(spark, train, evalRows, 0,
            partitions), "features", "label", spec, precision)) {
      for (int e = 0; e < epochs; e++) {
        MlpSetup.settleHeap();
        long t0 = System.nanoTime();
        // As the parity job draws fresh rows: generated straight into packed blocks.
        try (TrainingData data = TrainingData.generated(JavaSparkContext.fromSparkContext(
            spark.sparkContext()), new EpochOf(train, e), rows, partitions,
            MlpSetup.columns(spec, precision))) {
          double packSeconds = (System.nanoTime() - t0) / 1e9;
          TrainingConfig epochConfig = startingAt(MlpSetup.config(spec, precision, batch, 1,
              seed + e), params);
          TrainingResult r = new Trainer(epochConfig).train(data, null);
          double stepSeconds = r.epochs().get(0).seconds();
          TrainingResult inLoop;
          try (InProcessLoop l = new InProcessLoop(epochConfig, OverheadBench.collect(data),
              threads)) {
            inLoop = l.train();
          }
          double loopSeconds = inLoop.epochs().get(0).seconds();
          System.out.printf(Locale.ROOT, "    per step (ms): Spark %s; loop %s%n",
              OverheadBench.split(r.epochs(), 0), OverheadBench.split(inLoop.epochs(), 0));
          params = r.params();
          long t1 = System.nanoTime();
          double testAcc = testEval.evaluate(config.network(), params, precision).accuracy();
          double trainAcc = trainEval.evaluate(config.network(), params, precision).accuracy();
          double evalSeconds = (System.nanoTime() - t1) / 1e9;
          System.out.printf(Locale.ROOT, "  epoch %d%s: draw+pack %.2f s, training steps %.2f s "
                  + "(plain loop %.2f s), evaluation %.2f s; train acc %.3f, test acc %.3f%n", e,
              e < warmup ? " (warm-up)" : "", packSeconds, stepSeconds, loopSeconds,
              evalSeconds, trainAcc, testAcc);
          if (e >= warmup) {
            pack.add(packSeconds);
            steps.add(stepSeconds);
            loop.add(loopSeconds);
            eval.add(evalSeconds);
          }
        }
      }
    }
    double p = median("draw+pack", pack);
    double s = median("steps", steps);
    double l = median("loop", loop);
    double v = median("evaluation", eval);
    double epoch = p + s + v;
    System.out.printf(Locale.ROOT, "%n  per epoch (median): draw+pack %.2f s (%.0f%%), training "
            + "steps %.2f s (%.0f%%), evaluation %.2f s (%.0f%%); total %.2f s%n", p,
        100 * p / epoch, s, 100 * s / epoch, v, 100 * v / epoch, epoch);
    System.out.printf(Locale.ROOT, "  training steps on Spark / in the plain loop: %.2f / %.2f s "
        + "= %.2f (target <= 1.3); train fraction %.3f (target >= 0.8)%n", s, l, s / l,
        s / epoch);
    System.out.println("load average at the end " + Provenance.loadAverage());
    System.out.printf(Locale.ROOT, "RESULT experiment_epoch_s=%s experiment_train_fraction=%s "
            + "experiment_vs_loop=%s%n", TrainerBench.fmt(epoch), TrainerBench.fmt(s / epoch),
        TrainerBench.fmt(s / l));
  }

  /** {@code c} starting from {@code params} (the previous epoch's weights). */
  private static TrainingConfig startingAt(TrainingConfig c, double[] params) {
    return new TrainingConfig(c.network(), c.feedback(), params, c.optimizer(), c.lbfgs(),
        c.batchSize(), c.maxEpochs(), c.tol(), c.patience(), c.seed(), c.aggregationDepth(),
        c.jobLabel(), c.listeners(), c.checkpoint(), c.precision());
  }

  /** Epoch {@code shift + e} of {@code gen} as its epoch e (each timed epoch is its own fit). */
  private record EpochOf(ExampleGenerator gen, long shift) implements ExampleGenerator {
    @Override
    public int numFeatures() {
      return gen.numFeatures();
    }

    @Override
    public double fill(long epoch, long rowIndex, double[] features) {
      return gen.fill(shift + epoch, rowIndex, features);
    }

    @Override
    public Dataset<Row> generate(SparkSession spark, long rows, long epoch, int partitions) {
      return gen.generate(spark, rows, shift + epoch, partitions);
    }
  }

  private static double median(String what, List<Double> v) {
    return new Samples(what, v.stream().mapToDouble(Double::doubleValue).toArray()).median();
  }

}
