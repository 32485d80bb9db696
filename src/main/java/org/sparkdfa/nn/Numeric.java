package org.sparkdfa.nn;

/**
 * The element-wise and gemm kernels of one precision, so {@link Network} is written once for
 * double[] blocks (dgemm) and float[] blocks (sgemm). Each call works on a whole block; the
 * virtual dispatch costs nothing next to the loops inside.
 *
 * @param <A> double[] or float[]
 */
abstract class Numeric<A> {

  static final Numeric<double[]> F64 = new F64();
  static final Numeric<float[]> F32 = new F32();

  abstract A alloc(int n);

  abstract int length(A a);

  /** C = alpha·op(A)·op(B) + beta·C with offsets (column-major, BLAS conventions). */
  abstract void gemm(String ta, String tb, int m, int n, int k, A a, int offA, int lda, A b,
      int offB, int ldb, double beta, A c, int offC, int ldc);

  /** Every column of the out × m block z starts as the bias params[off .. off+out). */
  abstract void broadcastBias(A params, int off, int out, A z, int m);

  /** grad[off + i] += Σ_col delta[i, col] over an out × m block. */
  abstract void addRowSums(A delta, int out, int m, A grad, int off);

  abstract void apply(Activation f, A z, int len);

  abstract void multiplyDerivative(Activation f, A z, A delta, int len);

  /** g = 1[g > 0]; z ⊙= g. */
  abstract void gate(A g, A z, int len);

  /** delta ⊙= g. */
  abstract void multiply(A delta, A g, int len);

  /** Summed weighted loss of m columns; writes the weighted error e into {@code error}. */
  abstract double lossAndError(NetworkSpec spec, A logits, int m, double[] labels,
      double[] weights, A error);

  /** This precision's copy of a double matrix (for fixed matrices: gates, feedback). */
  abstract A fromDouble(double[] v);

  private static final class F64 extends Numeric<double[]> {
    @Override double[] alloc(int n) {
      return new double[n];
    }

    @Override int length(double[] a) {
      return a.length;
    }

    @Override void gemm(String ta, String tb, int m, int n, int k, double[] a, int offA, int lda,
        double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
      Blas.get().dgemm(ta, tb, m, n, k, 1.0, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    @Override void broadcastBias(double[] params, int off, int out, double[] z, int m) {
      for (int col = 0; col < m; col++) System.arraycopy(params, off, z, col * out, out);
    }

    @Override void addRowSums(double[] delta, int out, int m, double[] grad, int off) {
      for (int col = 0; col < m; col++) {
        int base = col * out;
        for (int i = 0; i < out; i++) grad[off + i] += delta[base + i];
      }
    }

    @Override void apply(Activation f, double[] z, int len) {
      f.apply(z, len);
    }

    @Override void multiplyDerivative(Activation f, double[] z, double[] delta, int len) {
      f.multiplyDerivative(z, delta, len);
    }

    @Override void gate(double[] g, double[] z, int len) {
      for (int i = 0; i < len; i++) {
        g[i] = g[i] > 0 ? 1.0 : 0.0;
        z[i] *= g[i];
      }
    }

    @Override void multiply(double[] delta, double[] g, int len) {
      for (int i = 0; i < len; i++) delta[i] *= g[i];
    }

    @Override double lossAndError(NetworkSpec spec, double[] logits, int m, double[] labels,
        double[] weights, double[] error) {
      return spec.lossAndError(logits, m, labels, weights, error);
    }

    @Override double[] fromDouble(double[] v) {
      return v;
    }
  }

  private static final class F32 extends Numeric<float[]> {
    @Override float[] alloc(int n) {
      return new float[n];
    }

    @Override int length(float[] a) {
      return a.length;
    }

    @Override void gemm(String ta, String tb, int m, int n, int k, float[] a, int offA, int lda,
        float[] b, int offB, int ldb, double beta, float[] c, int offC, int ldc) {
      Blas.get().sgemm(ta, tb, m, n, k, 1f, a, offA, lda, b, offB, ldb, (float) beta, c, offC,
          ldc);
    }

    @Override void broadcastBias(float[] params, int off, int out, float[] z, int m) {
      for (int col = 0; col < m; col++) System.arraycopy(params, off, z, col * out, out);
    }

    @Override void addRowSums(float[] delta, int out, int m, float[] grad, int off) {
      for (int col = 0; col < m; col++) {
        int base = col * out;
        for (int i = 0; i < out; i++) grad[off + i] += delta[base + i];
      }
    }

    @Override void apply(Activation f, float[] z, int len) {
      f.apply(z, len);
    }

    @Override void multiplyDerivative(Activation f, float[] z, float[] delta, int len) {
      f.multiplyDerivative(z, delta, len);
    }

    @Override void gate(float[] g, float[] z, int len) {
      for (int i = 0; i < len; i++) {
        g[i] = g[i] > 0 ? 1f : 0f;
        z[i] *= g[i];
      }
    }

    @Override void multiply(float[] delta, float[] g, int len) {
      for (int i = 0; i < len; i++) delta[i] *= g[i];
    }

    /** The c × m output block is small: the loss runs in double on a converted copy. */
    @Override double lossAndError(NetworkSpec spec, float[] logits, int m, double[] labels,
        double[] weights, float[] error) {
      int n = spec.outputs() * m;
      double[] l = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) l[i] = logits[i];
      double total = spec.lossAndError(l, m, labels, weights, e);
      for (int i = 0; i < n; i++) error[i] = (float) e[i];
      return total;
    }

    @Override float[] fromDouble(double[] v) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
      return f;
    }
  }
}
