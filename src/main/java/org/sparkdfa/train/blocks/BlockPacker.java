package org.sparkdfa.train.blocks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.InvalidInputException;

/**
 * Packs a DataFrame's (features, label, weight) rows once into one {@link PartitionData} per
 * partition. The data checks ride along in the same pass, so validating costs no extra job: a bad
 * row fails the packing task with an {@link InvalidInputException} that names it.
 */
public final class BlockPacker {
  private BlockPacker() {}

  /** Column names and the expectations rows must meet. */
  public record Columns(String features, String label, String weight, int inputs, Loss loss,
      int outputs, Precision precision) implements java.io.Serializable {

    /** float64 columns. */
    public Columns(String features, String label, String weight, int inputs, Loss loss,
        int outputs) {
      this(features, label, weight, inputs, loss, outputs, Precision.FLOAT64);
    }
  }

  public static JavaRDD<PartitionData> pack(Dataset<Row> df, Columns cols) {
    Column weight = cols.weight() == null || cols.weight().isEmpty()
        ? functions.lit(null).cast("double")
        : functions.col(cols.weight()).cast("double");
    Dataset<Row> selected = df.select(functions.col(cols.features()),
        functions.col(cols.label()).cast("double"), weight);
    boolean weighted = cols.weight() != null && !cols.weight().isEmpty();
    return selected.javaRDD().mapPartitionsWithIndex(
        (idx, rows) -> Collections.singletonList(packPartition(idx, rows, cols, weighted))
            .iterator(), true);
  }

  /**
   * Rows 0..rows-1 of {@code gen}'s epoch {@code epoch} packed straight into blocks, partition i
   * holding rows [i·rows/P, (i+1)·rows/P) as {@code spark.range(0, rows, 1, P)} splits them: the
   * blocks {@link #pack} makes of the generator's DataFrame, without building one. Labels are
   * checked as in {@link #pack}; a generator's features are finite by construction.
   */
  static JavaRDD<PartitionData> generate(JavaSparkContext jsc, Broadcast<ExampleGenerator> gen,
      long rows, long epoch, int partitions, Columns cols) {
    List<Integer> ids = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) ids.add(i);
    return jsc.parallelize(ids, partitions).mapPartitionsWithIndex((idx, unused) -> {
      ExampleGenerator g = gen.value();
      long lo = idx * rows / partitions;
      long hi = (idx + 1) * rows / partitions;
      Packing packing = new Packing(idx, cols, false);
      PartitionData packed = ExecutorMemory.guard(packing::describe, cols.precision(), () -> {
        double[] features = new double[g.numFeatures()];
        for (long i = lo; i < hi; i++) {
          double label = g.fill(epoch, i, features);
          String problem = cols.loss().labelProblem(label, cols.outputs());
          if (problem != null) {
            throw new InvalidInputException("Column '" + cols.label() + "': " + problem
                + where(idx, i - lo) + "; pick a loss/layers matching the generator's labels");
          }
          packing.add(features, label);
        }
        return packing.finish();
      });
      return Collections.singletonList(packed).iterator();
    }, true);
  }

  /**
   * Packs one partition's rows as they stream in: a row is copied once, into the chunk being
   * filled, so the partition exists once (in its chunks), however large it is. An executor that
   * runs out of heap doing it fails the task with an {@link ExecutorMemory.Exhausted} naming
   * the partition, what it held and the fixes.
   */
  public static PartitionData packPartition(int partition, Iterator<Row> rows, Columns cols,
      boolean weighted) {
    Packing packing = new Packing(partition, cols, weighted);
    return ExecutorMemory.guard(packing::describe, cols.precision(), () -> {
      long rowNo = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        Vector v = check(r, partition, rowNo++, cols, weighted);
        packing.add(v, r.getDouble(1), weighted ? r.getDouble(2) : 0);
      }
      return packing.finish();
    });
  }

  /** One partition's chunks as they fill, and what they hold so far (for out-of-memory errors). */
  private static final class Packing {
    private final int partition;
    private final Columns cols;
    private final boolean weighted;
    private final List<Chunk> chunks = new ArrayList<>();
    private ChunkBuilder chunk;
    private long rows;
    private long bytes;

    Packing(int partition, Columns cols, boolean weighted) {
      this.partition = partition;
      this.cols = cols;
      this.weighted = weighted;
    }

    void add(Vector v, double label, double weight) {
      open().add(v, label, weight);
      added();
    }

    void add(double[] features, double label) {
      open().add(features, label);
      added();
    }

    private ChunkBuilder open() {
      if (chunk == null) chunk = new ChunkBuilder(cols.inputs(), weighted, cols.precision());
      return chunk;
    }

    private void added() {
      rows++;
      if (chunk.full()) close();
    }

    private void close() {
      Chunk c = chunk.build();
      chunks.add(c);
      bytes += c.bytes();
      chunk = null;
    }

    PartitionData finish() {
      if (chunk != null) close();
      return new PartitionData(partition, cols.inputs(), chunks, weighted);
    }

    String describe() {
      long perRow = (long) cols.inputs() * (cols.precision() == Precision.FLOAT32 ? 4 : 8);
      return String.format(java.util.Locale.ROOT, "packing partition %d of the training data: "
          + "%d rows packed so far (%s in %d chunks of up to %d rows) when a chunk of %d rows x %d"
          + " %s inputs (%s) was next", partition, rows, ExecutorMemory.mb(bytes), chunks.size(),
          PartitionData.CHUNK_ROWS, PartitionData.CHUNK_ROWS, cols.inputs(),
          cols.precision().paramName(), ExecutorMemory.mb(perRow * PartitionData.CHUNK_ROWS));
    }
  }

  /**
   * One chunk's rows written straight into the arrays the chunk keeps: allocated for a full
   * chunk, and trimmed to its rows (one copy) only for a partition's last, partial chunk. So a
   * row is copied once, from its vector into the cache, in the chunk's precision.
   */
  private static final class ChunkBuilder {
    private static final int CAP = PartitionData.CHUNK_ROWS;
    private final int d;
    private final boolean weighted;
    /** float64: features, then labels, then weights (the layout of {@link Chunk}). */
    private final double[] data;
    /** float32: the features; labels and weights go to {@code yw}. */
    private final float[] x32;
    private final double[] yw;
    private int n;

    ChunkBuilder(int d, boolean weighted, Precision precision) {
      this.d = d;
      this.weighted = weighted;
      if (precision == Precision.FLOAT32) {
        x32 = new float[d * CAP];
        yw = new double[CAP * (weighted ? 2 : 1)];
        data = null;
      } else {
        data = new double[CAP * (d + (weighted ? 2 : 1))];
        x32 = null;
        yw = null;
      }
    }

    /** A dense row of d features, unweighted. */
    void add(double[] features, double label) {
      dense(features);
      labelAndWeight(label, 0);
    }

    private void dense(double[] vals) {
      int base = n * d;
      if (x32 != null) {
        for (int j = 0; j < d; j++) x32[base + j] = (float) vals[j];
      } else {
        System.arraycopy(vals, 0, data, base, d);
      }
    }

    void add(Vector v, double label, double weight) {
      int base = n * d;
      if (v instanceof org.apache.spark.ml.linalg.DenseVector dv) {
        dense(dv.values());
      } else { // the arrays are zero where a sparse vector has no entry
        org.apache.spark.ml.linalg.SparseVector sv = (org.apache.spark.ml.linalg.SparseVector) v;
        int[] idx = sv.indices();
        double[] vals = sv.values();
        for (int k = 0; k < idx.length; k++) {
          if (x32 != null) {
            x32[base + idx[k]] = (float) vals[k];
          } else {
            data[base + idx[k]] = vals[k];
          }
        }
      }
      labelAndWeight(label, weight);
    }

    private void labelAndWeight(double label, double weight) {
      if (x32 != null) {
        yw[n] = label;
        if (weighted) yw[CAP + n] = weight;
      } else {
        data[CAP * d + n] = label;
        if (weighted) data[CAP * d + CAP + n] = weight;
      }
      n++;
    }

    boolean full() {
      return n == CAP;
    }

    Chunk build() {
      if (x32 != null) {
        float[] x = n == CAP ? x32 : java.util.Arrays.copyOf(x32, n * d);
        double[] lw = new double[n * (weighted ? 2 : 1)];
        System.arraycopy(yw, 0, lw, 0, n);
        if (weighted) System.arraycopy(yw, CAP, lw, n, n);
        return new Chunk(d, n, weighted, lw, x);
      }
      if (n == CAP) return new Chunk(d, n, weighted, data);
      double[] trimmed = new double[n * (d + (weighted ? 2 : 1))];
      System.arraycopy(data, 0, trimmed, 0, n * d);
      System.arraycopy(data, CAP * d, trimmed, n * d, n);
      if (weighted) System.arraycopy(data, CAP * d + CAP, trimmed, n * d + n, n);
      return new Chunk(d, n, weighted, trimmed);
    }
  }

  /** The row's features after checking every column; errors say where the row is. */
  private static Vector check(Row r, int partition, long rowNo, Columns cols, boolean weighted) {
    if (r.isNullAt(0)) {
      String where = where(partition, rowNo);
      throw new InvalidInputException("Column '" + cols.features() + "' is null" + where
          + "; drop or impute such rows before fitting");
    }
    if (r.isNullAt(1)) {
      String where = where(partition, rowNo);
      throw new InvalidInputException("Column '" + cols.label() + "' is null" + where
          + "; drop such rows before fitting");
    }
    Vector v = (Vector) r.get(0);
    if (v.size() != cols.inputs()) {
      String where = where(partition, rowNo);
      throw new InvalidInputException("Column '" + cols.features() + "' holds a vector of size "
          + v.size() + where + " but layers[0] = " + cols.inputs()
          + "; set layers[0] to the feature size or fix the assembler");
    }
    double[] vals = v instanceof org.apache.spark.ml.linalg.DenseVector dv ? dv.values()
        : ((org.apache.spark.ml.linalg.SparseVector) v).values();
    for (int i = 0; i < vals.length; i++) {
      if (!Double.isFinite(vals[i])) {
        String where = where(partition, rowNo);
        throw new InvalidInputException("Column '" + cols.features() + "' holds " + vals[i]
            + where + "; features must be finite: impute or drop NaN/Infinity values first");
      }
    }
    double label = r.getDouble(1);
    String problem = cols.loss().labelProblem(label, cols.outputs());
    if (problem != null) {
      String where = where(partition, rowNo);
      throw new InvalidInputException("Column '" + cols.label() + "': " + problem + where
          + "; re-encode the labels (e.g. StringIndexer) or pick a matching loss/layers");
    }
    if (weighted) {
      if (r.isNullAt(2)) {
        String where = where(partition, rowNo);
        throw new InvalidInputException("Column '" + cols.weight() + "' is null" + where
            + "; give every row a weight >= 0");
      }
      double w = r.getDouble(2);
      if (!(w >= 0) || Double.isInfinite(w)) {
        String where = where(partition, rowNo);
        throw new InvalidInputException("Column '" + cols.weight() + "' holds " + w + where
            + "; weights must be finite and >= 0");
      }
    }
    return v;
  }

  private static String where(int partition, long rowNo) {
    return " (row " + rowNo + " of partition " + partition + ")";
  }
}
