package org.sparkdfa.train.blocks;

import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.train.InvalidInputException;
import org.sparkdfa.train.local.LocalExchange;

/**
 * Packed training rows, cached (MEMORY_AND_DISK: blocks that do not fit spill rather than being
 * recomputed; on a local master also local-checkpointed, which cuts the lineage every step's
 * tasks would otherwise carry). Either one fixed set for every epoch, or a fresh set per epoch produced from
 * (seed, epoch) by a generator — the parity paper draws its examples afresh each epoch.
 */
public final class TrainingData implements AutoCloseable {

  /**
   * What a packed set is to the fit, for the messages that refuse it: its name ("training
   * set"), why it would be empty (which filter or column selected its rows, and the fix), and
   * what a weight of 0 on every row would break.
   */
  public record Role(String name, String whyEmpty, String ifWeightless) {
    /** The training set of {@code columns}, selected by nothing but the data itself. */
    public static Role training(BlockPacker.Columns columns) {
      return training("column '" + columns.features() + "' has no rows; check the filters that"
          + " produced it");
    }

    /** The training set, with the reason it would be empty. */
    public static Role training(String whyEmpty) {
      return new Role("training set", whyEmpty, "no optimizer step would learn anything");
    }

    /** The validation set, with the reason it would be empty. */
    public static Role validation(String whyEmpty) {
      return new Role("validation set", whyEmpty, "its loss is 0/0, so epochs cannot be compared"
          + " for early stopping or the best weights");
    }
  }

  private final JavaSparkContext jsc;
  private final BlockPacker.Columns columns;
  private final Role role;
  /** The packed blocks of epoch e (fresh data), or null for one fixed set. */
  private final IntFunction<JavaRDD<PartitionData>> perEpoch;
  /** Destroyed with this (the generator of {@link #generated}); null otherwise. */
  private final Broadcast<?> generator;
  private JavaRDD<PartitionData> current;
  private int currentEpoch;
  private long rows;
  private long[] partitionRows;
  private long packedBytes;
  private String digest;

  private TrainingData(JavaSparkContext jsc, BlockPacker.Columns columns, Role role,
      IntFunction<JavaRDD<PartitionData>> perEpoch, Broadcast<?> generator) {
    this.jsc = jsc;
    this.columns = columns;
    this.role = role;
    this.generator = generator;
    this.perEpoch = perEpoch;
  }

  /** Packs {@code df} once; every epoch reuses it. Runs one Spark job (packing + checks). */
  public static TrainingData pack(Dataset<Row> df, BlockPacker.Columns columns) {
    return pack(df, columns, Role.training(columns));
  }

  /** {@link #pack(Dataset, BlockPacker.Columns)}, refused in the words of {@code role}. */
  public static TrainingData pack(Dataset<Row> df, BlockPacker.Columns columns, Role role) {
    TrainingData t = new TrainingData(JavaSparkContext.fromSparkContext(df.sparkSession()
        .sparkContext()), columns, role, null, null);
    t.load(BlockPacker.pack(df, columns), 0);
    return t;
  }

  /** Epoch e trains on {@code generator.apply(e)}, packed when the epoch starts. */
  public static TrainingData freshPerEpoch(IntFunction<Dataset<Row>> generator,
      BlockPacker.Columns columns) {
    Dataset<Row> first = generator.apply(0);
    TrainingData t = new TrainingData(JavaSparkContext.fromSparkContext(first.sparkSession()
        .sparkContext()), columns, Role.training(columns),
        e -> BlockPacker.pack(generator.apply(e), columns), null);
    t.load(BlockPacker.pack(first, columns), 0);
    return t;
  }

  /**
   * Epoch e trains on rows 0..rows-1 of {@code generator}'s epoch e, in {@code partitions}
   * partitions split as {@code spark.range} splits them, generated straight into packed blocks
   * when the epoch starts: the same blocks as packing {@code generator.generate(spark, rows, e,
   * partitions)}, without building a DataFrame. The generator is broadcast once.
   */
  public static TrainingData generated(JavaSparkContext jsc, ExampleGenerator generator,
      long rows, int partitions, BlockPacker.Columns columns) {
    if (generator.numFeatures() != columns.inputs()) {
      throw new IllegalArgumentException("the generator makes " + generator.numFeatures()
          + " features but the network takes " + columns.inputs());
    }
    Broadcast<ExampleGenerator> gen = jsc.broadcast(generator);
    TrainingData t = new TrainingData(jsc, columns, Role.training(columns),
        e -> BlockPacker.generate(jsc, gen, rows, e, partitions, columns), gen);
    try {
      t.load(BlockPacker.generate(jsc, gen, rows, 0, partitions, columns), 0);
    } catch (RuntimeException e) {
      gen.destroy();
      throw e;
    }
    return t;
  }

  private void load(JavaRDD<PartitionData> blocks, int epoch) {
    JavaRDD<PartitionData> packed = blocks.persist(StorageLevel.MEMORY_AND_DISK());
    // Every step's tasks carry the RDD's lineage; through a DataFrame it is tens of KB of SQL
    // plan to serialize and deserialize per task. On a local master executors cannot be lost
    // and the level keeps disk, so the cached blocks can stand in for the lineage.
    if (LocalExchange.usable(jsc.sc())) packed.rdd().localCheckpoint();
    List<long[]> sizes;
    try {
      sizes = packed.map(p -> new long[] {p.rows(), p.packedBytes(), p.digest(),
          p.positiveRows()}).collect();
    } catch (Exception e) { // Spark's task failures arrive as (checked) SparkExceptions
      release(packed);
      InvalidInputException bad = InvalidInputException.find(e);
      if (bad != null) throw new InvalidInputException(bad.getMessage());
      RuntimeException oom = ExecutorMemory.explain(e, "packing the " + role.name() + " into "
          + packed.getNumPartitions() + " partitions of " + columns.inputs() + " "
          + columns.precision().paramName() + " inputs per row", columns.precision(),
          jsc.getConf());
      if (oom != null) throw oom;
      if (e instanceof RuntimeException re) throw re;
      throw new IllegalStateException("Packing the training data failed: " + e.getMessage(), e);
    }
    long total = 0;
    long bytes = 0;
    long positive = 0;
    long[] perPartition = new long[sizes.size()];
    long[] digests = new long[sizes.size()];
    for (int i = 0; i < perPartition.length; i++) {
      perPartition[i] = sizes.get(i)[0];
      digests[i] = sizes.get(i)[2];
      total += perPartition[i];
      bytes += sizes.get(i)[1];
      positive += sizes.get(i)[3];
    }
    String inEpoch = epoch > 0 ? " in epoch " + epoch : "";
    if (total == 0) {
      release(packed);
      throw new InvalidInputException("The " + role.name() + " is empty" + inEpoch + ": "
          + role.whyEmpty());
    }
    if (positive == 0) {
      release(packed);
      throw new InvalidInputException("Column '" + columns.weight() + "' (param weightCol) is 0"
          + " on every one of the " + total + " rows of the " + role.name() + inEpoch + ": "
          + role.ifWeightless() + "; give those rows a positive weight");
    }
    if (current != null) release(current);
    current = packed;
    currentEpoch = epoch;
    rows = total;
    partitionRows = perPartition;
    packedBytes = bytes;
    digest = DataDigest.combine(digests); // collect keeps partition order
  }

  /** The blocks epoch {@code epoch} trains on. */
  public JavaRDD<PartitionData> blocks(int epoch) {
    if (perEpoch != null && epoch != currentEpoch) {
      load(perEpoch.apply(epoch), epoch);
    }
    return current;
  }

  /** True when every epoch trains on the same blocks (packed once), false for fresh rows. */
  public boolean sameBlocksEveryEpoch() {
    return perEpoch == null;
  }

  public JavaSparkContext sparkContext() {
    return jsc;
  }

  public long rows() {
    return rows;
  }

  public int numPartitions() {
    return partitionRows.length;
  }

  public long[] partitionRows() {
    return partitionRows.clone();
  }

  /**
   * A digest of the packed rows (features, labels, weights) of the data loaded now, partition by
   * partition in order (epoch 0's, or the current epoch's, for fresh-per-epoch data): equal
   * digests mean the same rows in the same partitions.
   */
  public String digest() {
    return digest;
  }

  /** Bytes of the packed arrays across partitions (the numeric payload of the cache). */
  public long packedBytes() {
    return packedBytes;
  }

  @Override
  public void close() {
    if (current != null) release(current);
    if (generator != null) generator.destroy();
  }

  /**
   * Drops the cached blocks. For a local-checkpointed RDD, {@code RDD.unpersist} logs a warning
   * that its lineage cannot be recomputed — true, and meant for RDDs someone may still use; these
   * are dropped for good, so the blocks are removed without the warning.
   */
  private void release(JavaRDD<PartitionData> rdd) {
    if (rdd.rdd().isLocallyCheckpointed()) {
      jsc.sc().unpersistRDD(rdd.id(), false);
    } else {
      rdd.unpersist(false);
    }
  }
}
