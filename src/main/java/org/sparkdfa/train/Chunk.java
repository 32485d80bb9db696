package org.sparkdfa.train;

import java.io.Serializable;

/**
 * Up to {@link PartitionData#CHUNK_ROWS} training rows packed into one array: features d × n
 * column-major (each row one contiguous column), then the n labels, then the n weights when rows
 * are weighted. One array per chunk bounds the size of a single Java array and lets the chunk be
 * handed to MLlib's L-BFGS as one stacked vector without copying (as MLPC stacks its blocks).
 */
public final class Chunk implements Serializable {
  private static final long serialVersionUID = 1L;

  final int d;
  final int n;
  final boolean weighted;
  final double[] data;

  Chunk(int d, int n, boolean weighted, double[] data) {
    if (data.length != (long) n * (d + (weighted ? 2 : 1))) {
      throw new IllegalArgumentException("chunk of " + n + " rows × " + d + " features needs "
          + (long) n * (d + (weighted ? 2 : 1)) + " values, got " + data.length);
    }
    this.d = d;
    this.n = n;
    this.weighted = weighted;
    this.data = data;
  }

  public int rows() {
    return n;
  }

  /** Offset of the labels in {@link #data}. */
  int labelOffset() {
    return d * n;
  }

  /** Offset of the weights in {@link #data} (only when weighted). */
  int weightOffset() {
    return d * n + n;
  }

  double label(int j) {
    return data[d * n + j];
  }

  double weight(int j) {
    return weighted ? data[d * n + n + j] : 1.0;
  }

  /** Copies labels (and weights, or ones) into the given arrays. */
  void unstack(double[] labels, double[] weights) {
    System.arraycopy(data, labelOffset(), labels, 0, n);
    if (weights != null) {
      if (weighted) {
        System.arraycopy(data, weightOffset(), weights, 0, n);
      } else {
        java.util.Arrays.fill(weights, 0, n, 1.0);
      }
    }
  }

  double totalWeight() {
    if (!weighted) return n;
    double s = 0;
    for (int j = 0; j < n; j++) s += data[d * n + n + j];
    return s;
  }
}
