package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.blocks.TrainingData;
import scala.Tuple2;

/**
 * What the cached training blocks cost, measured by Spark's own storage accounting, and what the
 * driver keeps. For float64 and float32, MNIST-parity k = 3 (2352 inputs) with N, 2N and again N
 * rows:
 *
 * <ul>
 *   <li><b>cache ratio</b> — memSize + diskSize of the packed RDD (from
 *       {@code SparkContext.getRDDStorageInfo}) over the raw numeric size of the features at that
 *       precision (rows × d × bytes per value). Target ≤ 1.15.
 *   <li><b>driver heap</b> — heap used after {@code System.gc()} once the data are packed and one
 *       epoch has trained (2352-512-1, batch 1024), with the data still cached. In local mode the
 *       driver JVM is also the executor and holds the cache, so the driver's own share is the
 *       heap used minus the storage memory in use (from {@code getExecutorMemoryStatus}); it must
 *       not grow from N to 2N rows (O(parameters), never O(rows)). Also printed: the heap after
 *       GC once the cache is unpersisted (blocking), i.e. what the driver JVM keeps after a fit.
 * </ul>
 *
 * <p>Last line: {@code RESULT cache_ratio=<worst of float64, float32>}.
 */
public final class MemoryBench {

  private final SparkSession spark;
  private final Args args;
  private final boolean quick;

  private MemoryBench(SparkSession spark, Args args) {
    this.spark = spark;
    this.args = args;
    this.quick = args.flag("quick");
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, "quick");
    Provenance.print("memory", args.flag("quick")
        ? "--quick (shrunken; figures are NOT the issue's setup)" : "the issue's setup");
    SparkSession spark = MlpSetup.session("sparkdfa-bench-memory");
    try {
      new MemoryBench(spark, args).run();
    } finally {
      spark.stop();
    }
  }

  /** One packed data set: Spark's storage figures and the heap after one epoch. */
  private record Footprint(Precision precision, long rows, int d, long memSize, long diskSize,
      long heapUsed, long storageUsed, long heapReleased) {
    long rawBytes() {
      return rows * d * (long) precision.bytes();
    }

    long cached() {
      return memSize + diskSize;
    }

    double ratio() {
      return cached() / (double) rawBytes();
    }

    long driverOwn() {
      return heapUsed - storageUsed;
    }
  }

  private void run() {
    long n = args.longValue("rows", quick ? 4096 : 60_000);
    int partitions = args.integer("partitions", spark.sparkContext().defaultParallelism());
    int batch = args.integer("batch", 1024);
    long seed = args.longValue("seed", 1);
    MnistParity gen = MlpSetup.mnist(MlpSetup.K, seed, DigitPool.Split.TRAIN);
    NetworkSpec spec = MlpSetup.spec(gen.numFeatures(), MlpSetup.HIDDEN);
    System.out.printf(Locale.ROOT, "%n== cached blocks and driver heap: MNIST-parity k=%d, %d and "
        + "%d rows, %d partitions; one epoch of %s, batch %d (%d parameters = %.1f MB as "
        + "doubles) ==%n", MlpSetup.K, n, 2 * n, partitions, Arrays.toString(spec.layers()), batch,
        spec.numParams(), spec.numParams() * 8 / 1e6);
    List<Footprint> table = new ArrayList<>();
    for (Precision precision : Precision.values()) {
      // N, 2N, then N again: a heap that grew with the rows must shrink back when they halve;
      // one that keeps growing fit by fit would be something left behind by a fit, not O(rows).
      for (long rows : new long[] {n, 2 * n, n}) {
        try (TrainingData data = TrainingData.pack(
            MlpSetup.mnistRows(spark, gen, rows, 0, partitions),
            MlpSetup.columns(spec, precision))) {
          new Trainer(MlpSetup.config(spec, precision, batch, 1, seed)).train(data, null);
          RDDInfo info = MlpSetup.storageInfo(spark.sparkContext(), data.blocks(0).id());
          long heap = MlpSetup.heapAfterGc();
          long storage = storageUsed(spark.sparkContext());
          // Without the cache (blocking unpersist), what the driver JVM still holds after the
          // fit: anything proportional to the rows left behind would show here.
          data.blocks(0).unpersist(true);
          Footprint r = new Footprint(precision, rows, spec.inputs(), info.memSize(),
              info.diskSize(), heap, storage, MlpSetup.heapAfterGc());
          System.out.printf(Locale.ROOT, "  %s, %d rows: %d/%d partitions cached, storage level "
              + "%s, packed arrays %.1f MB%n", precision.paramName(), rows,
              info.numCachedPartitions(), info.numPartitions(), info.storageLevel().description(),
              data.packedBytes() / 1e6);
          table.add(r);
        }
      }
    }
    report(table);
  }

  /** Storage memory in use over all block managers (max − remaining). */
  private static long storageUsed(SparkContext sc) {
    long used = 0;
    for (Map.Entry<String, Tuple2<Object, Object>> e : scala.jdk.javaapi.CollectionConverters
        .asJava(sc.getExecutorMemoryStatus()).entrySet()) {
      used += (Long) e.getValue()._1() - (Long) e.getValue()._2();
    }
    return used;
  }

  private static void report(List<Footprint> table) {
    System.out.printf(Locale.ROOT, "%n  %-8s %8s %10s %11s %9s %9s %7s | %9s %9s %10s %10s%n",
        "prec", "rows", "raw MB", "cached MB", "disk MB", "B/row", "ratio", "heap MB",
        "store MB", "driver MB", "freed MB");
    double worst = Double.NaN;
    for (Footprint r : table) {
      System.out.printf(Locale.ROOT, "  %-8s %8d %10.1f %11.1f %9.1f %9.0f %7.4f | %9.1f %9.1f "
          + "%10.1f %10.1f%n", r.precision().paramName(), r.rows(), r.rawBytes() / 1e6,
          (r.memSize() + r.diskSize()) / 1e6, r.diskSize() / 1e6,
          (r.memSize() + r.diskSize()) / (double) r.rows(), r.ratio(), r.heapUsed() / 1e6,
          r.storageUsed() / 1e6, r.driverOwn() / 1e6, r.heapReleased() / 1e6);
      worst = Double.isNaN(worst) ? r.ratio() : Math.max(worst, r.ratio());
    }
    System.out.println("  (raw = rows x d x bytes per value; cached = memSize + diskSize of the "
        + "packed RDD; heap = used after System.gc() with the data cached; store = storage "
        + "memory in use; driver = heap - store; freed = heap used after GC once the cache is "
        + "unpersisted)");
    for (int i = 0; i + 2 < table.size(); i += 3) {
      Footprint a = table.get(i);
      Footprint b = table.get(i + 1);
      Footprint c = table.get(i + 2);
      System.out.printf(Locale.ROOT, "  %s: %d -> %d -> %d rows: cache %+.1f then %+.1f MB; "
          + "driver's own heap (heap - store) %+.1f then %+.1f MB; after unpersist (freed) %+.1f "
          + "then %+.1f MB%n", a.precision().paramName(), a.rows(), b.rows(), c.rows(),
          (b.cached() - a.cached()) / 1e6, (c.cached() - b.cached()) / 1e6,
          (b.driverOwn() - a.driverOwn()) / 1e6, (c.driverOwn() - b.driverOwn()) / 1e6,
          (b.heapReleased() - a.heapReleased()) / 1e6, (c.heapReleased() - b.heapReleased()) / 1e6);
      System.out.printf(Locale.ROOT, "    driver growth N -> 2N over cache growth: %.3f (a driver "
          + "holding a copy of the rows would show about 1; a heap that still grows from 2N back "
          + "to N is left over fit by fit, not O(rows))%n",
          (b.driverOwn() - a.driverOwn()) / (double) (b.cached() - a.cached()));
    }
    System.out.printf(Locale.ROOT, "  worst cache ratio %.4f (target <= 1.15)%n", worst);
    System.out.println();
    System.out.println("load average at the end " + Provenance.loadAverage());
    System.out.printf(Locale.ROOT, "RESULT cache_ratio=%s%n", TrainerBench.fmt(worst));
  }
}
