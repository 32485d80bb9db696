package org.sparkdfa.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.TrainingResult;
import org.sparkdfa.train.blocks.TrainingData;

/**
 * One JVM's share of the scaling benchmark; {@code jobs/bench.sh scaling} runs it several times
 * (local[2], local[1], a standalone cluster with 1 and 2 workers, a small-memory executor) and
 * {@link ScalingReport} puts the pieces together. Each run writes {@code <out>/<name>.properties}
 * (and weight files) with the figures it measured ({@code --measure}, comma-separated):
 *
 * <ul>
 *   <li>{@code width} — steady epoch seconds of [2352, h, 1] for each {@code --widths} h, on the
 *       base rows;
 *   <li>{@code rows} — steady epoch seconds of 2352-512-1 for each {@code --rows-list} count;
 *   <li>{@code base} — steady epoch seconds of 2352-512-1 on the base rows (what local[1] vs
 *       local[2] and 1 vs 2 workers compare);
 *   <li>{@code spill-reference}, {@code spill} — the same fit (seed, partitioning, batch, epochs)
 *       whose weights are written to a file: the reference in memory, the other on an executor
 *       too small for the data, so MEMORY_AND_DISK spills blocks (Spark's storage info is
 *       recorded).
 * </ul>
 *
 * Every fit trains MNIST-parity k = 3, BP, Adam, batch 1024, the precision of {@code --precision},
 * on a fixed number of data partitions (2 unless {@code --partitions}) whatever the task slots,
 * so every setup does the same work; a fit runs one warm-up epoch plus {@code --timed-epochs}.
 */
public final class ScalingBench {

  private final SparkSession spark;
  private final Args args;
  private final boolean quick;
  private final long seed;
  private final int partitions;
  private final int batch;
  private final Precision precision;
  private final MnistParity gen;
  private final ScalingResults results;
  private final Map<String, Double> measured = new HashMap<>();
  private TrainingData packed;
  private long packedRows = -1;

  private ScalingBench(SparkSession spark, Args args, ScalingResults results) {
    this.spark = spark;
    this.args = args;
    this.quick = args.flag("quick");
    this.seed = args.longValue("seed", 1);
    this.partitions = args.integer("partitions", 2);
    this.batch = args.integer("batch", 1024);
    this.precision = Precision.fromName(args.string("precision", "float64"));
    this.gen = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TRAIN);
    this.results = results;
  }

  public static void main(String[] argv) throws IOException {
    Args args = new Args(argv, "quick");
    String name = args.string("name", "run");
    Set<String> measures = new LinkedHashSet<>(Arrays.asList(
        args.string("measure", "width,rows,base").split(",")));
    for (String m : measures) {
      if (!List.of("width", "rows", "base", "spill-reference", "spill").contains(m)) {
        throw new IllegalArgumentException("--measure takes width, rows, base, spill-reference, "
            + "spill; got " + m);
      }
    }
    Provenance.print("scaling (" + name + ")", (args.flag("quick")
        ? "--quick (shrunken; figures are NOT the issue's setup)" : "the issue's setup")
        + ", measures " + measures);
    SparkSession spark = MlpSetup.session("sparkdfa-bench-scaling-" + name);
    ScalingResults results = new ScalingResults(Path.of(args.string("out",
        "target/bench/scaling")), name);
    results.put("master", spark.sparkContext().master());
    // On a standalone cluster the default parallelism is at least 2 whatever the cores granted.
    results.put("task_slots", spark.sparkContext().getConf().get("spark.cores.max",
        String.valueOf(spark.sparkContext().defaultParallelism())));
    try {
      new ScalingBench(spark, args, results).run(measures);
    } finally {
      spark.stop();
    }
    results.save();
    System.out.println("wrote " + results.file());
  }

  private void run(Set<String> measures) throws IOException {
    long baseRows = args.longValue("base-rows", quick ? 8192 : 60_000);
    try {
      if (measures.contains("width")) {
        for (int h : args.ints("widths", quick ? new int[] {128, 256, 512}
            : new int[] {256, 512, 1024, 2048})) {
          results.put("width." + h, epochSeconds(baseRows, h));
        }
      }
      if (measures.contains("rows")) {
        for (int n : args.ints("rows-list", quick ? new int[] {4096, 8192, 16384}
            : new int[] {60_000, 120_000, 240_000})) {
          results.put("rows." + n, epochSeconds(n, MlpSetup.HIDDEN));
        }
      }
      if (measures.contains("base")) {
        results.put("base", epochSeconds(baseRows, MlpSetup.HIDDEN));
        results.put("base.rows", baseRows);
      }
    } finally {
      repack(-1);
    }
    if (measures.contains("spill-reference")) spillFit("spill-reference");
    if (measures.contains("spill")) spillFit("spill");
  }

  /** Steady epoch seconds of [d, width, 1] on the first {@code rows} rows (measured once). */
  private double epochSeconds(long rows, int width) {
    String key = rows + "x" + width;
    Double known = measured.get(key);
    if (known != null) return known;
    repack(rows);
    int timed = args.integer("timed-epochs", 1);
    NetworkSpec spec = MlpSetup.spec(gen.numFeatures(), width);
    TrainingResult r = new Trainer(MlpSetup.config(spec, precision, batch, 1 + timed, seed))
        .train(packed, null);
    double s = MlpSetup.steadyEpochSeconds(r.epochs());
    System.out.printf(Locale.ROOT, "  %d rows, width %d (%s, batch %d, %d partitions): epoch "
        + "seconds %s -> %.3f s/epoch%n", rows, width, precision.paramName(), batch, partitions,
        MlpSetup.seconds(r.epochs()), s);
    measured.put(key, s);
    return s;
  }

  /** Keeps one packed data set at a time (-1 = none): the sweeps reuse it across widths. */
  private void repack(long rows) {
    if (rows == packedRows) return;
    if (packed != null) {
      // Blocking: the next, larger data set must not compete with this one for storage memory.
      packed.blocks(0).unpersist(true);
      packed.close();
    }
    packed = null;
    packedRows = -1;
    if (rows < 0) return;
    packed = TrainingData.pack(MlpSetup.mnistRows(spark, gen, rows, 0, partitions),
        MlpSetup.columns(MlpSetup.spec(gen.numFeatures(), MlpSetup.HIDDEN), precision));
    packedRows = rows;
  }

  /**
   * The spill check's fit: its own rows, partitions and batch (more, smaller partitions than the
   * sweeps, so that one task's partition fits a small executor while all of them do not), the
   * weights written to {@code <name>.weights}.
   */
  private void spillFit(String name) throws IOException {
    // 64,000 rows = 1.2 GB of float64 blocks, more than the spill executor's whole 1 GB heap.
    long rows = args.longValue("spill-rows", quick ? 9600 : 64_000);
    // Partitions of ~25 MB: a task reads back one spilled partition whole (it is one cached
    // object). Smaller executors ran out of heap (512 MB with 85 MB partitions, 768 MB with 28 MB
    // ones): Spark reserves 300 MB, the blocks kept in memory take their share, and a step of this
    // 1.2M-parameter network holds several 9.6 MB vectors (weights, gradient, bytes in transit).
    int parts = args.integer("spill-partitions", quick ? 8 : 48);
    int spillBatch = args.integer("spill-batch", 4096);
    int epochs = args.integer("spill-epochs", 1);
    NetworkSpec spec = MlpSetup.spec(gen.numFeatures(), MlpSetup.HIDDEN);
    try (TrainingData data = TrainingData.pack(MlpSetup.mnistRows(spark, gen, rows, 0, parts),
        MlpSetup.columns(spec, precision))) {
      RDDInfo afterPacking = storageInfo(data);
      TrainingResult r = new Trainer(MlpSetup.config(spec, precision, spillBatch, epochs, seed))
          .train(data, null);
      RDDInfo afterTraining = storageInfo(data);
      results.putWeights(name, r.params());
      results.put(name + ".rows", rows);
      results.put(name + ".partitions", parts);
      results.put(name + ".packed_bytes", data.packedBytes());
      results.put(name + ".seconds", r.epochs().stream().mapToDouble(e -> e.seconds()).sum());
      results.put(name + ".executor_memory", spark.sparkContext().getConf()
          .get("spark.executor.memory", "(default)"));
      results.put(name + ".mem_bytes", afterPacking.memSize());
      results.put(name + ".disk_bytes", Math.max(afterPacking.diskSize(),
          afterTraining.diskSize()));
      System.out.printf(Locale.ROOT, "  %s fit: %d rows in %d partitions (%.1f MB packed), "
          + "batch %d, %d epoch(s), %.1f s; executor memory %s; cached after packing: %.1f MB "
          + "in memory, %.1f MB on disk; after training: %.1f MB in memory, %.1f MB on disk%n",
          name, rows, parts, data.packedBytes() / 1e6, spillBatch, epochs,
          r.epochs().stream().mapToDouble(e -> e.seconds()).sum(),
          spark.sparkContext().getConf().get("spark.executor.memory", "(default)"),
          afterPacking.memSize() / 1e6, afterPacking.diskSize() / 1e6,
          afterTraining.memSize() / 1e6, afterTraining.diskSize() / 1e6);
    }
  }

  private RDDInfo storageInfo(TrainingData data) {
    return MlpSetup.storageInfo(spark.sparkContext(), data.blocks(0).id());
  }
}
