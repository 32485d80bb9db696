package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Precision;

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

  static PartitionData packPartition(int partition, Iterator<Row> rows, Columns cols,
      boolean weighted) {
    int d = cols.inputs();
    List<Chunk> chunks = new ArrayList<>();
    int cap = PartitionData.CHUNK_ROWS;
    double[] x = null;
    double[] y = null;
    double[] w = null;
    int n = 0;
    long rowNo = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      if (x == null) {
        x = new double[d * cap];
        y = new double[cap];
        w = weighted ? new double[cap] : null;
        n = 0;
      }
      check(r, partition, rowNo, cols, weighted);
      Vector v = (Vector) r.get(0);
      int base = n * d;
      if (v instanceof org.apache.spark.ml.linalg.DenseVector dv) {
        System.arraycopy(dv.values(), 0, x, base, d);
      } else {
        org.apache.spark.ml.linalg.SparseVector sv = (org.apache.spark.ml.linalg.SparseVector) v;
        int[] idx = sv.indices();
        double[] vals = sv.values();
        for (int k = 0; k < idx.length; k++) x[base + idx[k]] = vals[k];
      }
      y[n] = r.getDouble(1);
      if (weighted) w[n] = r.getDouble(2);
      n++;
      rowNo++;
      if (n == cap) {
        chunks.add(stack(d, n, x, y, w, cols.precision()));
        x = null;
      }
    }
    if (x != null && n > 0) {
      chunks.add(stack(d, n, x, y, w, cols.precision()));
    }
    return new PartitionData(partition, d, chunks, weighted);
  }

  /** One array per chunk, sized to its rows, so the cache holds the raw size and no more. */
  private static Chunk stack(int d, int n, double[] x, double[] y, double[] w,
      Precision precision) {
    if (precision == Precision.FLOAT32) {
      float[] x32 = new float[n * d];
      for (int i = 0; i < x32.length; i++) x32[i] = (float) x[i];
      double[] yw = new double[n * (w == null ? 1 : 2)];
      System.arraycopy(y, 0, yw, 0, n);
      if (w != null) System.arraycopy(w, 0, yw, n, n);
      return new Chunk(d, n, w != null, yw, x32);
    }
    double[] data = new double[n * (d + (w == null ? 1 : 2))];
    System.arraycopy(x, 0, data, 0, n * d);
    System.arraycopy(y, 0, data, n * d, n);
    if (w != null) System.arraycopy(w, 0, data, n * d + n, n);
    return new Chunk(d, n, w != null, data);
  }

  private static void check(Row r, int partition, long rowNo, Columns cols, boolean weighted) {
    String where = " (row " + rowNo + " of partition " + partition + ")";
    if (r.isNullAt(0)) {
      throw new InvalidInputException("Column '" + cols.features() + "' is null" + where
          + "; drop or impute such rows before fitting");
    }
    if (r.isNullAt(1)) {
      throw new InvalidInputException("Column '" + cols.label() + "' is null" + where
          + "; drop such rows before fitting");
    }
    Vector v = (Vector) r.get(0);
    if (v.size() != cols.inputs()) {
      throw new InvalidInputException("Column '" + cols.features() + "' holds a vector of size "
          + v.size() + where + " but layers[0] = " + cols.inputs()
          + "; set layers[0] to the feature size or fix the assembler");
    }
    double[] vals = v instanceof org.apache.spark.ml.linalg.DenseVector dv ? dv.values()
        : ((org.apache.spark.ml.linalg.SparseVector) v).values();
    for (int i = 0; i < vals.length; i++) {
      if (!Double.isFinite(vals[i])) {
        throw new InvalidInputException("Column '" + cols.features() + "' holds " + vals[i]
            + where + "; features must be finite: impute or drop NaN/Infinity values first");
      }
    }
    double label = r.getDouble(1);
    String problem = cols.loss().labelProblem(label, cols.outputs());
    if (problem != null) {
      throw new InvalidInputException("Column '" + cols.label() + "': " + problem + where
          + "; re-encode the labels (e.g. StringIndexer) or pick a matching loss/layers");
    }
    if (weighted) {
      if (r.isNullAt(2)) {
        throw new InvalidInputException("Column '" + cols.weight() + "' is null" + where
            + "; give every row a weight >= 0");
      }
      double w = r.getDouble(2);
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new InvalidInputException("Column '" + cols.weight() + "' holds " + w + where
            + "; weights must be finite and >= 0");
      }
    }
  }
}
