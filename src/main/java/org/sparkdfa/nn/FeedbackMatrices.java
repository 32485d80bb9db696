package org.sparkdfa.nn;

import java.io.Serializable;

/**
 * The fixed random matrices of a feedback rule (DFA's B_k, FA's stand-ins for W_{k+1}ᵀ), kept in
 * double and copied to float once for float32 training.
 */
final class FeedbackMatrices implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[][] matrices;
  private transient volatile float[][] floatMatrices;

  /** Copies the given matrices. */
  FeedbackMatrices(double[][] matrices) {
    this.matrices = new double[matrices.length][];
    for (int k = 0; k < matrices.length; k++) this.matrices[k] = matrices[k].clone();
  }

  int size() {
    return matrices.length;
  }

  /** A copy of matrix k. */
  double[] copy(int k) {
    return matrices[k].clone();
  }

  /** Matrix k in the given precision (not a copy: read only). */
  @SuppressWarnings("unchecked")
  <A> A get(Numeric<A> num, int k) {
    return num == Numeric.F64 ? (A) matrices[k] : (A) floats()[k];
  }

  private float[][] floats() {
    float[][] f = floatMatrices;
    if (f == null) {
      f = new float[matrices.length][];
      for (int k = 0; k < f.length; k++) f[k] = Numeric.F32.fromDouble(matrices[k]);
      floatMatrices = f;
    }
    return f;
  }

  /** A hash of every entry, for the rule's name in checkpoint fingerprints. */
  String fingerprint() {
    return Integer.toHexString(java.util.Arrays.deepHashCode(matrices));
  }
}
