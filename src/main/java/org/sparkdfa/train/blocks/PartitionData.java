package org.sparkdfa.train.blocks;

import java.io.Serializable;
import java.util.List;

/**
 * All training rows of one Spark partition, packed once into chunks and cached: the single element
 * of its partition in the trainer's RDD. Row r lives in chunk r / CHUNK_ROWS, column
 * r % CHUNK_ROWS.
 */
public final class PartitionData implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows per chunk: 4096 rows of 2352 doubles is 77 MB, well inside one array. */
  public static final int CHUNK_ROWS = 4096;

  final int partition;
  final int d;
  final int rows;
  final boolean weighted;
  final Chunk[] chunks;
  /** {@link DataDigest} of the chunks, taken when they were packed. */
  final long digest;

  public PartitionData(int partition, int d, List<Chunk> chunks, boolean weighted) {
    this.partition = partition;
    this.d = d;
    this.chunks = chunks.toArray(new Chunk[0]);
    int total = 0;
    for (Chunk c : this.chunks) total += c.n;
    this.rows = total;
    this.weighted = weighted;
    this.digest = DataDigest.of(partition, this.chunks);
  }

  /** A digest of this partition's packed rows (see {@link DataDigest}). */
  public long digest() {
    return digest;
  }

  public int rows() {
    return rows;
  }

  public int partition() {
    return partition;
  }

  /** Rows whose weight is positive (every row when unweighted): the rows a step learns from. */
  public long positiveRows() {
    long count = 0;
    for (Chunk c : chunks) {
      for (int j = 0; j < c.n; j++) {
        if (c.weight(j) > 0) count++;
      }
    }
    return count;
  }

  /** Bytes held by the packed arrays: what caching this partition costs. */
  public long packedBytes() {
    long b = 0;
    for (Chunk c : chunks) {
      b += c.bytes();
    }
    return b;
  }

  /**
   * Copies row r's features, label and weight (when {@code wOut} is not null) into column col
   * of float64 batch buffers (float64 chunks).
   */
  public void gather(int r, double[] xOut, double[] yOut, double[] wOut, int col) {
    chunks[r / CHUNK_ROWS].copyFeatures(r % CHUNK_ROWS, xOut, col);
    gatherLabel(r, yOut, wOut, col);
  }

  /** {@link #gather(int, double[], double[], double[], int)} for float32 chunks. */
  public void gather(int r, float[] xOut, double[] yOut, double[] wOut, int col) {
    chunks[r / CHUNK_ROWS].copyFeatures(r % CHUNK_ROWS, xOut, col);
    gatherLabel(r, yOut, wOut, col);
  }

  private void gatherLabel(int r, double[] yOut, double[] wOut, int col) {
    Chunk c = chunks[r / CHUNK_ROWS];
    int j = r % CHUNK_ROWS;
    yOut[col] = c.label(j);
    if (wOut != null) wOut[col] = c.weight(j);
  }

  /** Whether rows carry weights (else every weight is 1). */
  public boolean weighted() {
    return weighted;
  }

  /** The packed chunks, in row order (not to be modified). */
  public Chunk[] chunks() {
    return chunks;
  }
}
