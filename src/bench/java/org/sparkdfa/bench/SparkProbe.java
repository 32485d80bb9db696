package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.optim.Optimizers;

/**
 * The fixed costs around one optimizer step, measured on their own in the running Spark
 * application, so a step's overhead can be read against them:
 *
 * <ul>
 *   <li><b>empty job</b>: a job of the trainer's shape ({@code map} + {@code treeAggregate} of
 *       depth 2 over the same number of partitions of a cached RDD) that carries nothing — the
 *       floor of any step, since every step is one Spark job;
 *   <li><b>broadcast</b>: {@code jsc.broadcast(weights)} + {@code destroy()} of a vector as long
 *       as the model's parameters, on the driver;
 *   <li><b>transport job</b>: the empty job plus what a step moves: every task reads the
 *       broadcast weights and returns a fresh gradient-sized vector, summed by treeAggregate;
 *   <li><b>driver update</b>: what the trainer's driver does per step besides Spark (the gradient
 *       scaled into the step buffer with a finiteness check, a defensive copy of the weights, the
 *       optimizer step, a finiteness check of the new weights).
 * </ul>
 */
public final class SparkProbe {
  private final JavaSparkContext jsc;
  private final int partitions;

  public SparkProbe(JavaSparkContext jsc, int partitions) {
    this.jsc = jsc;
    this.partitions = partitions;
  }

  private JavaRDD<Integer> tinyCached() {
    List<Integer> one = new ArrayList<>();
    for (int i = 0; i < partitions; i++) one.add(i);
    JavaRDD<Integer> rdd = jsc.parallelize(one, partitions).cache();
    rdd.count();
    return rdd;
  }

  /** Latency of a job that computes nothing: samples in seconds. */
  public Samples emptyJob(int warmup, int iterations) {
    JavaRDD<Integer> rdd = tinyCached();
    double[] t = new double[iterations];
    long sink = 0;
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      Integer r = rdd.map(x -> x).treeAggregate(0, Integer::sum, Integer::sum, 2);
      long t1 = System.nanoTime();
      sink += r;
      if (i >= warmup) t[i - warmup] = (t1 - t0) / 1e9;
    }
    rdd.unpersist(false);
    if (sink < 0) System.out.println(sink);
    return new Samples("empty Spark job", t);
  }

  /** Driver cost of broadcasting and destroying n doubles. */
  public Samples broadcast(int n, int warmup, int iterations) {
    double[] w = random(n, 1);
    double[] t = new double[iterations];
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      Broadcast<double[]> b = jsc.broadcast(w);
      b.destroy();
      long t1 = System.nanoTime();
      if (i >= warmup) t[i - warmup] = (t1 - t0) / 1e9;
    }
    return new Samples("broadcast + destroy of the weights", t);
  }

  /** A step without compute: weights out by broadcast, gradient-sized vectors back. */
  public Samples transportJob(int n, int warmup, int iterations) {
    JavaRDD<Integer> rdd = tinyCached();
    double[] w = random(n, 2);
    double[] t = new double[iterations];
    double sink = 0;
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      Broadcast<double[]> bw = jsc.broadcast(w);
      double[] sum = rdd.map(x -> {
        double[] weights = bw.value();
        double[] g = new double[weights.length];
        g[x] = weights[x];
        return g;
      }).treeAggregate(new double[0], SparkProbe::add, SparkProbe::add, 2);
      bw.destroy();
      long t1 = System.nanoTime();
      sink += sum.length > 0 ? sum[0] : 0;
      if (i >= warmup) t[i - warmup] = (t1 - t0) / 1e9;
    }
    rdd.unpersist(false);
    if (Double.isNaN(sink)) System.out.println(sink);
    return new Samples("transport job (weights out, gradients back)", t);
  }

  /** The two halves of the transport job on their own: weights out only, or gradients back only. */
  public Samples transportHalf(int n, boolean weightsOut, int warmup, int iterations) {
    JavaRDD<Integer> rdd = tinyCached();
    double[] w = random(n, 2);
    double[] t = new double[iterations];
    double sink = 0;
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      double v;
      if (weightsOut) {
        Broadcast<double[]> bw = jsc.broadcast(w);
        v = rdd.map(x -> bw.value()[x]).treeAggregate(0.0, Double::sum, Double::sum, 2);
        bw.destroy();
      } else {
        double[] sum = rdd.map(x -> {
          double[] g = new double[n];
          g[x] = x;
          return g;
        }).treeAggregate(new double[0], SparkProbe::add, SparkProbe::add, 2);
        v = sum.length > 0 ? sum[0] : 0;
      }
      long t1 = System.nanoTime();
      sink += v;
      if (i >= warmup) t[i - warmup] = (t1 - t0) / 1e9;
    }
    rdd.unpersist(false);
    if (Double.isNaN(sink)) System.out.println(sink);
    return new Samples(weightsOut ? "weights out only (broadcast, tasks read it)"
        : "gradients back only (tasks return n doubles)", t);
  }

  private static double[] add(double[] a, double[] b) {
    if (a.length == 0) return b;
    if (b.length == 0) return a;
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }

  /** The trainer's per-step driver work besides Spark (see class doc), for the named optimizer. */
  public static Samples driverUpdate(int n, String optimizer, int warmup, int iterations) {
    double[] params = random(n, 3);
    double[] sumGrad = random(n, 4);
    double[] grad = new double[n];
    Optimizer opt = Optimizers.create(OptimizerConfig.defaults(optimizer, 1e-9), n, null);
    double[] t = new double[iterations];
    double sink = 0;
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      double inv = 1.0 / 1024;
      boolean finite = true;
      for (int k = 0; k < n && finite; k++) {
        grad[k] = sumGrad[k] * inv;
        finite = Double.isFinite(grad[k]);
      }
      double[] before = params.clone();
      opt.step(params, grad);
      boolean ok = true;
      for (double v : params) {
        if (!Double.isFinite(v)) {
          ok = false;
          break;
        }
      }
      long t1 = System.nanoTime();
      sink += before[0] + (ok && finite ? 1 : 0);
      if (i >= warmup) t[i - warmup] = (t1 - t0) / 1e9;
    }
    if (Double.isNaN(sink)) System.out.println(sink);
    return new Samples("driver update (" + optimizer + ")", t);
  }

  static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = r.nextDouble(-0.05, 0.05);
    return a;
  }
}
