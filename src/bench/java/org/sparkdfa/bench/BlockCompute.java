package org.sparkdfa.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/**
 * The compute of one optimizer step's blocks, without Spark: {@code threads} threads (one per
 * Spark task slot) each run a training step ({@code Network.gradient} into a zeroed gradient
 * vector) on its own block of m rows at the same time, started together by a barrier, as the
 * partitions of a step do. Per round, the wall time from the first start to the last finish.
 * Separately, the gather of m random rows of a 4096-row chunk into the block buffer, which the
 * trainer does before computing. Results are checked finite, which keeps the timed work live.
 */
public final class BlockCompute {
  private BlockCompute() {}

  /** Samples of the per-round wall time of concurrent steps. */
  public static Samples concurrentSteps(NetworkSpec spec, Feedback fb, int threads, int m,
      int warmup, int iterations) throws InterruptedException {
    int rounds = warmup + iterations;
    long[][] start = new long[threads][rounds];
    long[][] end = new long[threads][rounds];
    double[] sunk = new double[threads];
    CyclicBarrier barrier = new CyclicBarrier(threads);
    Network net = new Network(spec);
    double[] params = Init.GLOROT_UNIFORM.initialize(spec, 1);
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      final int id = t;
      ts[t] = new Thread(() -> {
        SplittableRandom r = new SplittableRandom(10 + id);
        double[] x = new double[spec.inputs() * m];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(2);
        double[] y = new double[m];
        for (int i = 0; i < m; i++) y[i] = r.nextInt(Math.max(2, spec.outputs()));
        double[] grad = new double[spec.numParams()];
        Workspace ws = net.newWorkspace(m);
        try {
          for (int k = 0; k < rounds; k++) {
            barrier.await();
            start[id][k] = System.nanoTime();
            Arrays.fill(grad, 0.0);
            double loss = net.gradient(params, x, y, null, m, fb, grad, ws);
            end[id][k] = System.nanoTime();
            sunk[id] += loss + grad[0];
            barrier.await();
          }
        } catch (InterruptedException | BrokenBarrierException e) {
          throw new IllegalStateException(e);
        }
      }, "block-compute-" + t);
      ts[t].start();
    }
    for (Thread t : ts) t.join();
    for (double v : sunk) GemmReference.checkFinite(v, "concurrent steps");
    double[] wall = new double[iterations];
    for (int k = warmup; k < rounds; k++) {
      long s = Long.MAX_VALUE;
      long e = Long.MIN_VALUE;
      for (int t = 0; t < threads; t++) {
        s = Math.min(s, start[t][k]);
        e = Math.max(e, end[t][k]);
      }
      wall[k - warmup] = (e - s) / 1e9;
    }
    return new Samples(threads + " concurrent steps of " + m + " rows", wall);
  }

  /** One thread copying m random rows (columns of d doubles) out of a 4096-row chunk. */
  public static Samples gather(int d, int m, int warmup, int iterations) {
    int chunkRows = 4096;
    SplittableRandom r = new SplittableRandom(3);
    double[] chunk = new double[d * chunkRows];
    for (int i = 0; i < chunk.length; i++) chunk[i] = r.nextInt(2);
    double[] out = new double[d * m];
    int[] rows = new int[m];
    double[] t = new double[iterations];
    double check = 0;
    for (int k = 0; k < warmup + iterations; k++) {
      for (int i = 0; i < m; i++) rows[i] = r.nextInt(chunkRows);
      long t0 = System.nanoTime();
      for (int i = 0; i < m; i++) System.arraycopy(chunk, rows[i] * d, out, i * d, d);
      long t1 = System.nanoTime();
      check += out[0] + out[out.length - 1];
      if (k >= warmup) t[k - warmup] = (t1 - t0) / 1e9;
    }
    GemmReference.checkFinite(check, "gather");
    return new Samples("gather of " + m + " rows", t);
  }
}
