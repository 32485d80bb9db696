package org.sparkdfa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.TrainingConfig;
import org.sparkdfa.train.TrainingResult;
import org.sparkdfa.train.blocks.TrainingData;

/**
 * A real standalone cluster against a local master, in one driver JVM: the same fit (MNIST-parity
 * k = 3 rows, 2352-512-1 ReLU/BCE, BP, Adam, float32, batch 1024, same seed and partitioning)
 * first on {@code --local} (local[2]), then on the cluster this JVM was submitted to (executor
 * memory as given, by default Spark's), the cluster's empty-job latency, and local SGD's time to
 * accuracy on the cluster ({@link LocalSgdBench#measure}, unless {@code --skip-localsgd}).
 *
 * <p>Figures: r = cluster epoch / local epoch (each the median of five epochs after two warm-up
 * epochs: single epochs moved by up to a quarter within a fit); o = the cluster step's cost
 * beyond its slowest task's compute (weights out + job − task) over the empty job's median;
 * the weights of both fits must be bit-identical; ERROR lines are counted in the driver's log
 * (every session) and in the executors' stderr under {@code --worker-dirs} (default:
 * $SPARKDFA_WORKER_DIRS). Last line:
 * {@code RESULT cluster_vs_local_1024=<r> cluster_overhead_vs_empty=<o>
 * localsgd_tta_speedup=<s> same_weights=<bool> spark_error_lines=<n>}.
 */
public final class ClusterBench {
  private final Args args;
  private final boolean quick;
  private final long seed;

  private ClusterBench(Args args) {
    this.args = args;
    this.quick = args.flag("quick");
    this.seed = args.longValue("seed", 1);
  }

  /** One master's fit: its steady epoch and per-step split, and the weights. */
  record Fit(String master, double epochSeconds, int steps, double weightsOutMs, double jobMs,
      double taskMs, double updateMs, double[] params) {
    double beyondTaskMs() {
      return weightsOutMs + jobMs - taskMs;
    }
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, "quick", "skip-localsgd");
    Provenance.print("cluster", args.flag("quick")
        ? "--quick (shrunken; figures are NOT the issue's setup)" : "the issue's setup");
    ErrorCount errors = ErrorCount.attach();
    new ClusterBench(args).run(errors);
  }

  private void run(ErrorCount errors) {
    String cluster = System.getProperty("spark.master", "");
    if (!cluster.startsWith("spark://")) {
      throw new IllegalArgumentException("jobs/bench.sh cluster submits to a standalone master "
          + "(--master spark://host:port); got " + cluster);
    }
    Fit local = fitOn(args.string("local", "local[2]"), null);
    List<String> appIds = new ArrayList<>();
    double[] empty = new double[1];
    double[] speedup = {Double.NaN};
    Fit onCluster = fitOn(cluster, spark -> {
      appIds.add(spark.sparkContext().applicationId());
      empty[0] = new SparkProbe(JavaSparkContext.fromSparkContext(spark.sparkContext()),
          partitions()).emptyJob(5, quick ? 10 : 30).median();
      if (!args.flag("skip-localsgd")) speedup[0] = LocalSgdBench.measure(spark, args,
          partitions()).speedup();
    });
    long executorErrors = executorErrorLines(appIds);
    report(local, onCluster, empty[0], speedup[0], errors.count() + executorErrors,
        executorErrors);
  }

  private int partitions() {
    return args.integer("partitions", 2);
  }

  /** The fit on {@code master} in a session of its own; {@code after} runs in it afterwards. */
  private Fit fitOn(String master, java.util.function.Consumer<SparkSession> after) {
    SparkSession spark = SparkSession.builder().master(master)
        .appName("sparkdfa-bench-cluster").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      System.out.printf(Locale.ROOT, "%n-- master %s: default parallelism %d, executor memory "
          + "%s --%n", master, spark.sparkContext().defaultParallelism(),
          spark.sparkContext().getConf().get("spark.executor.memory", "(Spark's default, 1g)"));
      Fit fit = fit(spark, master);
      if (after != null) after.accept(spark);
      return fit;
    } finally {
      spark.stop();
    }
  }

  private Fit fit(SparkSession spark, String master) {
    long rows = args.longValue("rows", quick ? 8192 : 60_000);
    int batch = args.integer("batch", 1024);
    int warmup = args.integer("warmup-epochs", quick ? 1 : 2);
    int timed = args.integer("timed-epochs", quick ? 1 : 5);
    MnistParity gen = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TRAIN);
    NetworkSpec spec = MlpSetup.spec(gen.numFeatures(), MlpSetup.HIDDEN);
    TrainingConfig config = MlpSetup.config(spec, Precision.FLOAT32, batch, warmup + timed, seed);
    TrainingResult r;
    TaskPhases phases = new TaskPhases();
    ResultTransport transport = new ResultTransport();
    spark.sparkContext().addSparkListener(phases);
    spark.sparkContext().addSparkListener(transport);
    try (TrainingData data = TrainingData.pack(
        MlpSetup.mnistRows(spark, gen, rows, 0, partitions()),
        MlpSetup.columns(spec, Precision.FLOAT32))) {
      MlpSetup.settleHeap();
      r = new Trainer(config).train(data, null);
    }
    Fit f = new Fit(master, MlpSetup.steadyEpochSeconds(r.epochs(), warmup),
        (int) (r.steps() / r.epochs().size()),
        MlpSetup.steadyMetric(r.epochs(), warmup, StepTimes.WEIGHTS_OUT),
        MlpSetup.steadyMetric(r.epochs(), warmup, StepTimes.JOB),
        MlpSetup.steadyMetric(r.epochs(), warmup, StepTimes.TASK),
        MlpSetup.steadyMetric(r.epochs(), warmup, StepTimes.UPDATE), r.params());
    System.out.printf(Locale.ROOT, "  %d rows, %s float32 batch %d, %d partitions: epoch "
        + "seconds %s; per step (ms, median after %d warm-up epochs): weights out %.1f, job %.1f "
        + "(slowest task's compute %.1f), update %.1f; beyond the compute %.1f%n", rows,
        Arrays.toString(spec.layers()), batch, partitions(), MlpSetup.seconds(r.epochs()),
        warmup, f.weightsOutMs(), f.jobMs(), f.taskMs(), f.updateMs(), f.beyondTaskMs());
    System.out.println("  Spark's phases of a step: " + phases.describe(spark.sparkContext(),
        warmup * f.steps()));
    System.out.println("  the runner's own parts of a step (ms, median epoch): "
        + runnerParts(r.epochs(), warmup));
    System.out.println("  a task's launch and result transport (its wall time on the driver "
        + "less deserialization, run and result serialization on the executor): "
        + transport.describe(spark.sparkContext(), warmup * f.steps()));
    spark.sparkContext().removeSparkListener(phases);
    spark.sparkContext().removeSparkListener(transport);
    return f;
  }

  /**
   * The runner's own split of a step ({@link StepTimes#addPart}; an epoch job's transfers and
   * sums), or "none" for runners that keep none.
   */
  private static String runnerParts(List<org.sparkdfa.train.EpochRecord> epochs, int warmup) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    for (org.sparkdfa.train.EpochRecord e : epochs) {
      for (String k : e.metrics().keySet()) if (k.startsWith(StepTimes.PART_PREFIX)) keys.add(k);
    }
    if (keys.isEmpty()) return "none";
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (sb.length() > 0) sb.append(", ");
      sb.append(String.format(Locale.ROOT, "%s %.1f",
          k.substring(StepTimes.PART_PREFIX.length(), k.length() - 3),
          MlpSetup.steadyMetric(epochs, warmup, k)));
    }
    return sb.toString();
  }

  private void report(Fit local, Fit cluster, double emptySeconds, double speedup, long errors,
      long executorErrors) {
    double r = cluster.epochSeconds() / local.epochSeconds();
    double o = cluster.beyondTaskMs() / (emptySeconds * 1e3);
    boolean same = Arrays.equals(local.params(), cluster.params());
    System.out.printf(Locale.ROOT, "%n  epoch: cluster %.3f s, local %.3f s -> %.3f (target <= "
        + "1.3)%n  cluster step beyond the compute %.1f ms, empty job %.1f ms -> %.3f (target <="
        + " 3)%n  weights local vs cluster: %s%n  ERROR lines: %d (executors %d; target 0)%n",
        cluster.epochSeconds(), local.epochSeconds(), r, cluster.beyondTaskMs(),
        emptySeconds * 1e3, o, same ? "bit-identical" : "DIFFERENT", errors, executorErrors);
    System.out.println("load average at the end " + Provenance.loadAverage());
    System.out.printf(Locale.ROOT, "RESULT cluster_vs_local_1024=%s cluster_overhead_vs_empty=%s "
        + "localsgd_tta_speedup=%s same_weights=%s spark_error_lines=%d%n", TrainerBench.fmt(r),
        TrainerBench.fmt(o), TrainerBench.fmt(speedup), same, errors);
  }

  /** Lines with an ERROR level in the stderr of the executors of {@code appIds}. */
  private long executorErrorLines(List<String> appIds) {
    long n = 0;
    String dirs = System.getenv("SPARKDFA_WORKER_DIRS");
    for (String dir : args.string("worker-dirs", dirs == null ? "" : dirs).split(",")) {
      if (dir.isBlank()) continue;
      for (String app : appIds) {
        Path appDir = Path.of(dir.trim(), app);
        if (!Files.isDirectory(appDir)) continue;
        try (Stream<Path> files = Files.walk(appDir)) {
          for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
            try (Stream<String> lines = Files.lines(f)) {
              n += lines.filter(ClusterBench::countedError).count();
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return n;
  }

  /**
   * Per task: the driver's launch-to-finish time less the executor's deserialization, run and
   * result serialization — what sending the task and getting its result back cost (RPC, the
   * driver's deserialization of the result), which no Spark metric reports on its own.
   */
  static final class ResultTransport extends org.apache.spark.scheduler.SparkListener {
    private final List<Double> ms = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
      if (e.taskMetrics() == null) return;
      long wall = e.taskInfo().finishTime() - e.taskInfo().launchTime();
      ms.add((double) (wall - e.taskMetrics().executorDeserializeTime()
          - e.taskMetrics().executorRunTime() - e.taskMetrics().resultSerializationTime()));
    }

    String describe(org.apache.spark.SparkContext sc, int skip) {
      try {
        sc.listenerBus().waitUntilEmpty(60_000);
      } catch (java.util.concurrent.TimeoutException e) {
        return "not available";
      }
      synchronized (ms) {
        if (ms.size() <= 2 * skip) return "no tasks";
        double[] v = ms.subList(2 * skip, ms.size()).stream().mapToDouble(d -> d).toArray();
        return String.format(Locale.ROOT, "median %.1f ms over %d tasks",
            new Samples("transport", v).median(), v.length);
      }
    }
  }

  /**
   * An executor's ERROR line, except the one every executor logs when its worker stops it at the
   * application's end ({@code CoarseGrainedExecutorBackend: RECEIVED SIGNAL TERM}): that is Spark's
   * normal shutdown, after the run, not a fault of it.
   */
  static boolean countedError(String line) {
    return line.matches("^\\S+ ERROR .*") && !line.contains("RECEIVED SIGNAL TERM");
  }

  /** Counts events at ERROR or worse logged in this JVM (the driver), from when it is attached. */
  static final class ErrorCount extends AbstractAppender {
    private final AtomicLong count = new AtomicLong();

    private ErrorCount() {
      super("sparkdfa-bench-error-count", null, null, true, Property.EMPTY_ARRAY);
    }

    static ErrorCount attach() {
      ErrorCount c = new ErrorCount();
      c.start();
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      ctx.getConfiguration().getRootLogger().addAppender(c, Level.ERROR, null);
      ctx.updateLoggers();
      return c;
    }

    @Override
    public void append(LogEvent event) {
      count.incrementAndGet();
    }

    long count() {
      return count.get();
    }
  }
}
