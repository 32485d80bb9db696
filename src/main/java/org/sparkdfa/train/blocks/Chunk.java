package org.sparkdfa.train.blocks;

import java.io.Serializable;

/**
 * Up to {@link PartitionData#CHUNK_ROWS} training rows packed column-major (each row one
 * contiguous column of d features).
 *
 * <p>float64: one array holds the features d × n, then the n labels, then the n weights when rows
 * are weighted — one array per chunk bounds array sizes and lets the chunk be handed to MLlib's
 * L-BFGS as one stacked vector without copying (as MLPC stacks its blocks). float32: the features
 * live in a float array (half the cache, sgemm straight on it) and {@code data} holds only the
 * labels and weights.
 */
public final class Chunk implements Serializable {
  private static final long serialVersionUID = 1L;

  final int d;
  final int n;
  final boolean weighted;
  final double[] data;
  final float[] x32;

  /** A float64 chunk over {@code data}: features column-major, then labels, then weights. */
  public Chunk(int d, int n, boolean weighted, double[] data) {
    this(d, n, weighted, data, null);
  }

  Chunk(int d, int n, boolean weighted, double[] data, float[] x32) {
    long features = x32 == null ? (long) n * d : 0;
    long expected = features + (long) n * (weighted ? 2 : 1);
    if (data.length != expected || (x32 != null && x32.length != (long) n * d)) {
      throw new IllegalArgumentException("chunk of " + n + " rows × " + d + " features has "
          + data.length + " double and " + (x32 == null ? 0 : x32.length) + " float values");
    }
    this.d = d;
    this.n = n;
    this.weighted = weighted;
    this.data = data;
    this.x32 = x32;
  }

  public int rows() {
    return n;
  }

  public boolean isFloat() {
    return x32 != null;
  }

  /** Offset of the labels in {@link #data}. */
  int labelOffset() {
    return x32 == null ? d * n : 0;
  }

  /** Offset of the weights in {@link #data} (only when weighted). */
  int weightOffset() {
    return labelOffset() + n;
  }

  double label(int j) {
    return data[labelOffset() + j];
  }

  public double weight(int j) {
    return weighted ? data[weightOffset() + j] : 1.0;
  }

  /** Bytes held by this chunk's arrays. */
  long bytes() {
    return 8L * data.length + (x32 == null ? 0 : 4L * x32.length);
  }

  /** Copies labels (and weights, or ones) into the given arrays. */
  public void unstack(double[] labels, double[] weights) {
    System.arraycopy(data, labelOffset(), labels, 0, n);
    if (weights != null) {
      if (weighted) {
        System.arraycopy(data, weightOffset(), weights, 0, n);
      } else {
        java.util.Arrays.fill(weights, 0, n, 1.0);
      }
    }
  }

  /** Copies row j's features into column col of a float64 batch buffer (a float64 chunk). */
  void copyFeatures(int j, double[] out, int col) {
    System.arraycopy(data, j * d, out, col * d, d);
  }

  /** Copies row j's features into column col of a float32 batch buffer (a float32 chunk). */
  void copyFeatures(int j, float[] out, int col) {
    System.arraycopy(x32, j * d, out, col * d, d);
  }

  /** The d × n features, column-major, at the start of this array (a float64 chunk). */
  public double[] features64() {
    return data;
  }

  /** The d × n features, column-major (a float32 chunk). */
  public float[] features32() {
    return x32;
  }

  public double totalWeight() {
    if (!weighted) return n;
    double s = 0;
    for (int j = 0; j < n; j++) s += data[weightOffset() + j];
    return s;
  }
}
