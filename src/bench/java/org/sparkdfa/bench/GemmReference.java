package org.sparkdfa.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import org.sparkdfa.nn.Blas;

/**
 * The plain dgemm (or sgemm) work a training step of a d-h-c network over m examples cannot avoid, run bare:
 * the forward product Z(h×m) += W(h×d)·X(d×m) ("N","N", beta 1 as the kernel does) and the weight
 * gradient G(h×d) += Δ(h×m)·Xᵀ ("N","T"). Same shapes, same transposes, same BLAS instance as the
 * kernel, so its rate is the ceiling the kernel is compared with. Buffers are its own (each thread
 * has a private set), filled with random values once. The kernel benchmark runs one instance
 * under JMH; {@link #concurrentPairs} times threads running it at once (the Spark benchmarks'
 * 2-core rate), which a single JMH benchmark thread cannot.
 */
public final class GemmReference {
  final int h;
  final int d;
  final int m;
  final double[] w;
  final double[] x;
  final double[] z;
  final double[] delta;
  final double[] g;
  /** The same buffers in float for the sgemm reference; null for dgemm. */
  private final float[][] single;

  public GemmReference(int h, int d, int m, long seed) {
    this(h, d, m, seed, false);
  }

  /** With {@code float32}, the products run as sgemm on float copies of the same values. */
  public GemmReference(int h, int d, int m, long seed, boolean float32) {
    this.h = h;
    this.d = d;
    this.m = m;
    SplittableRandom r = new SplittableRandom(seed);
    w = random(r, h * d, -0.05, 0.05);
    x = random(r, d * m, 0, 1);
    z = new double[h * m];
    delta = random(r, h * m, -1, 1);
    g = new double[h * d];
    single = float32 ? new float[][] {floats(w), floats(x), floats(z), floats(delta), floats(g)}
        : null;
  }

  private static float[] floats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
    return f;
  }

  private static double[] random(SplittableRandom r, int n, double lo, double hi) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = r.nextDouble(lo, hi);
    return a;
  }

  /** Z += W·X; returns an entry of Z (a result to consume). */
  public double forward() {
    if (single != null) {
      float[] zf = single[2];
      Blas.get().sgemm("N", "N", h, m, d, 1f, single[0], 0, h, single[1], 0, d, 1f, zf, 0, h);
      return zf[zf.length - 1];
    }
    Blas.get().dgemm("N", "N", h, m, d, 1.0, w, 0, h, x, 0, d, 1.0, z, 0, h);
    return z[z.length - 1];
  }

  /** G += Δ·Xᵀ; returns an entry of G (a result to consume). */
  public double gradient() {
    if (single != null) {
      float[] gf = single[4];
      Blas.get().sgemm("N", "T", h, d, m, 1f, single[3], 0, h, single[1], 0, d, 1f, gf, 0, h);
      return gf[gf.length - 1];
    }
    Blas.get().dgemm("N", "T", h, d, m, 1.0, delta, 0, h, x, 0, d, 1.0, g, 0, h);
    return g[g.length - 1];
  }

  /** Refuses a non-finite result of a timed computation (random finite inputs cannot give one). */
  static void checkFinite(double v, String what) {
    if (!Double.isFinite(v)) {
      throw new IllegalStateException(what + " produced " + v + " from finite inputs: the BLAS "
          + "or the kernel is broken");
    }
  }

  /** Resets the accumulators (untimed; keeps magnitudes bounded across rounds). */
  public void reset() {
    java.util.Arrays.fill(z, 0);
    java.util.Arrays.fill(g, 0);
    if (single != null) {
      java.util.Arrays.fill(single[2], 0f);
      java.util.Arrays.fill(single[4], 0f);
    }
  }

  /**
   * Of the last {@link #concurrentPairs} run: the threads' summed busy wall time over their summed
   * CPU time. About 1 when every thread had a core to itself the whole time; above 1 when the
   * threads (or other processes) had to share cores.
   */
  public static volatile double lastWallOverCpu = Double.NaN;

  /**
   * The rate of {@code threads} threads each running the forward+gradient pair on its own
   * buffers at the same time (started together by a barrier; one OpenBLAS thread each, as Spark
   * tasks run): total FLOPs over the wall time of the slowest, per round. Returns the samples of
   * the round wall times.
   */
  public static Samples concurrentPairs(int threads, int h, int d, int m, int warmup,
      int iterations) throws InterruptedException {
    return concurrentPairs(threads, h, d, m, warmup, iterations, false);
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU time of the current thread in ns. */
  private static long threadCpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /**
   * {@link #concurrentPairs} in sgemm when {@code float32}. The products' results are checked
   * finite, which also keeps them live.
   */
  public static Samples concurrentPairs(int threads, int h, int d, int m, int warmup,
      int iterations, boolean float32) throws InterruptedException {
    GemmReference[] refs = new GemmReference[threads];
    for (int t = 0; t < threads; t++) refs[t] = new GemmReference(h, d, m, 100 + t, float32);
    int rounds = warmup + iterations;
    long[][] start = new long[threads][rounds];
    long[][] end = new long[threads][rounds];
    long[][] cpu = new long[threads][rounds];
    double[] sunk = new double[threads];
    CyclicBarrier barrier = new CyclicBarrier(threads);
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      final int id = t;
      ts[t] = new Thread(() -> {
        BLAS unused = Blas.get();
        try {
          for (int r = 0; r < rounds; r++) {
            refs[id].reset();
            barrier.await();
            long c0 = threadCpuNanos();
            start[id][r] = System.nanoTime();
            double v = refs[id].forward() + refs[id].gradient();
            end[id][r] = System.nanoTime();
            cpu[id][r] = threadCpuNanos() - c0;
            sunk[id] += v;
            barrier.await();
          }
        } catch (InterruptedException | BrokenBarrierException e) {
          throw new IllegalStateException(e);
        }
      }, "gemm-ref-" + t);
      ts[t].start();
    }
    for (Thread t : ts) t.join();
    double[] wall = new double[iterations];
    double busy = 0;
    double cpuSum = 0;
    for (int r = warmup; r < rounds; r++) {
      for (int t = 0; t < threads; t++) {
        busy += (end[t][r] - start[t][r]) / 1e9;
        cpuSum += cpu[t][r] / 1e9;
      }
      long s = Long.MAX_VALUE;
      long e = Long.MIN_VALUE;
      for (int t = 0; t < threads; t++) {
        s = Math.min(s, start[t][r]);
        e = Math.max(e, end[t][r]);
      }
      wall[r - warmup] = (e - s) / 1e9;
    }
    for (double v : sunk) checkFinite(v, "gemm reference");
    lastWallOverCpu = busy / cpuSum;
    return new Samples(threads + "-thread " + (float32 ? "sgemm" : "dgemm") + " pair", wall);
  }
}
