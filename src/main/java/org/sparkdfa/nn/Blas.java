package org.sparkdfa.nn;

import dev.ludovic.netlib.blas.BLAS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one BLAS instance of the math core. On first use it logs which implementation is active
 * (netlib's {@code JNIBLAS} = native OpenBLAS; anything else is the Java fallback, with a warning)
 * next to the OpenBLAS core type the launcher found, and checks a small gemm against a plain
 * Java product: a kernel that computes wrong numbers on this CPU must fail loudly, not train on
 * garbage.
 */
public final class Blas {

  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static volatile BLAS instance;

  private Blas() {}

  /** The verified BLAS instance (native when available). */
  public static BLAS get() {
    BLAS b = instance;
    if (b == null) {
      synchronized (Blas.class) {
        b = instance;
        if (b == null) {
          b = BLAS.getInstance();
          logImplementation(b);
          verifyGemm(b);
          instance = b;
        }
      }
    }
    return b;
  }

  /** True when netlib loaded the native (JNI) implementation. */
  public static boolean isNative() {
    return get().getClass().getSimpleName().equals("JNIBLAS");
  }

  /** Human-readable description: implementation and OpenBLAS core type. */
  public static String describe() {
    return get().getClass().getSimpleName() + ", OpenBLAS core " + coreType();
  }

  /** The core type exported by jobs/lib/blas-env.sh, or what the environment forces. */
  public static String coreType() {
    String core = System.getenv("SPARKDFA_BLAS_CORE");
    if (core != null && !core.isEmpty()) {
      return core;
    }
    String forced = System.getenv("OPENBLAS_CORETYPE");
    return forced != null ? forced + " (OPENBLAS_CORETYPE)" : "unknown (not launched through jobs/*.sh)";
  }

  private static void logImplementation(BLAS b) {
    String name = b.getClass().getSimpleName();
    if (name.equals("JNIBLAS")) {
      String source = System.getenv("SPARKDFA_BLAS_CORE_SOURCE");
      LOG.info("BLAS: {} (native OpenBLAS), core type {}{}", name, coreType(),
          source == null ? "" : " [" + source + "]");
    } else {
      LOG.warn("BLAS: {} — the pure-Java fallback, several times slower than native. Install "
          + "Debian's libopenblas0-pthread (apt-get install libopenblas0-pthread) and launch "
          + "through jobs/*.sh so the right OpenBLAS kernels are chosen.", name);
    }
  }

  /**
   * Multiplies two fixed pseudo-random matrices with BLAS and with a plain triple loop. Shapes are
   * not multiples of the kernels' tile sizes, so edge code paths are exercised too.
   */
  static void verifyGemm(BLAS b) {
    int m = 37, n = 29, k = 53;
    double[] a = pseudoRandom(m * k, 1);
    double[] c = pseudoRandom(k * n, 2);
    double[] viaBlas = new double[m * n];
    b.dgemm("N", "N", m, n, k, 1.0, a, m, c, k, 0.0, viaBlas, m);
    double[] plain = new double[m * n];
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < k; p++) {
        double cpj = c[p + j * k];
        for (int i = 0; i < m; i++) {
          plain[i + j * m] += a[i + p * m] * cpj;
        }
      }
    }
    double worst = 0;
    for (int i = 0; i < plain.length; i++) {
      worst = Math.max(worst, Math.abs(viaBlas[i] - plain[i]) / (1.0 + Math.abs(plain[i])));
    }
    float[] fa = toFloat(a), fc = toFloat(c), fBlas = new float[m * n];
    b.sgemm("N", "N", m, n, k, 1f, fa, m, fc, k, 0f, fBlas, m);
    double worstFloat = 0;
    for (int i = 0; i < plain.length; i++) {
      worstFloat = Math.max(worstFloat, Math.abs(fBlas[i] - plain[i]) / (1.0 + Math.abs(plain[i])));
    }
    if (worst > 1e-10 || worstFloat > 1e-4 || Double.isNaN(worst) || Double.isNaN(worstFloat)) {
      throw new IllegalStateException(String.format(
          "BLAS self-check failed: %s (core %s) computes a wrong gemm (relative error %.3g in "
              + "dgemm, %.3g in sgemm). Set OPENBLAS_CORETYPE to a kernel your CPU supports "
              + "(e.g. Haswell) or unset it, and rerun.",
          b.getClass().getSimpleName(), coreType(), worst, worstFloat));
    }
  }

  private static double[] pseudoRandom(int size, long seed) {
    SplitMix64 r = new SplitMix64(seed);
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    return v;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
