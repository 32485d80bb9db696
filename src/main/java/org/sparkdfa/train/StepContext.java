package org.sparkdfa.train;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.nn.Seeds;
import org.sparkdfa.nn.Workspace;

/**
 * What every task needs besides the current weights: the network, the feedback rule and the
 * sampling plan. Broadcast once per training, so a step ships only the weights. Scratch buffers
 * (the gathered batch and the workspace) live per task thread and are reused across steps.
 */
final class StepContext implements Serializable {
  private static final long serialVersionUID = 1L;

  final Network network;
  final Feedback feedback;
  final long seed;
  final int numPartitions;
  final Precision precision;
  private transient ThreadLocal<Scratch> scratch;

  StepContext(Network network, Feedback feedback, long seed, int numPartitions,
      Precision precision) {
    this.network = network;
    this.feedback = feedback;
    this.seed = seed;
    this.numPartitions = numPartitions;
    this.precision = precision;
  }

  /** Row range [lo, hi) of this partition's epoch permutation used by step s of S. */
  static int shareStart(int rows, int step, int stepsPerEpoch) {
    return (int) ((long) step * rows / stepsPerEpoch);
  }

  /**
   * The summed gradient and loss of partition p's share of global step {@code step}: the rows at
   * positions [lo, hi) of a permutation drawn from (seed, epoch, partition).
   */
  GradientSum shareGradient(PartitionData p, Object params, int epoch, int step,
      int stepsPerEpoch) {
    int lo = shareStart(p.rows, step, stepsPerEpoch);
    int hi = shareStart(p.rows, step + 1, stepsPerEpoch);
    int m = hi - lo;
    if (m == 0) return new GradientSum();
    Scratch s = scratch(p, stepsPerEpoch);
    int[] perm = s.permutation(seed, epoch, p);
    double[] w = p.weighted ? s.w : null;
    for (int i = 0; i < m; i++) p.gather(perm[lo + i], s.x, s.y, w, i);
    double weight = m;
    if (w != null) {
      weight = 0;
      for (int i = 0; i < m; i++) weight += w[i];
    }
    int n = network.spec().numParams();
    if (precision == Precision.FLOAT32) {
      float[] grad = new float[n];
      double loss = network.gradient((float[]) params, (float[]) s.x, s.y, w, m, feedback, grad,
          s.ws);
      return new GradientSum(grad, loss, weight, m);
    }
    double[] grad = new double[n];
    double loss = network.gradient((double[]) params, (double[]) s.x, s.y, w, m, feedback, grad,
        s.ws);
    return new GradientSum(grad, loss, weight, m);
  }

  /** Gradient over every row of the partition, chunk by chunk (full-batch solvers). */
  GradientSum fullGradient(PartitionData p, double[] params) {
    if (precision != Precision.FLOAT64) {
      throw new IllegalStateException("full-batch gradients run in float64");
    }
    double[] grad = new double[network.spec().numParams()];
    GradientSum total = new GradientSum(grad, 0, 0, 0);
    Workspace ws = network.newWorkspace(PartitionData.CHUNK_ROWS);
    double[] y = new double[PartitionData.CHUNK_ROWS];
    double[] w = p.weighted ? new double[PartitionData.CHUNK_ROWS] : null;
    for (Chunk c : p.chunks) {
      c.unstack(y, w);
      total.loss += network.gradient(params, c.data, y, w, c.n, feedback, grad, ws);
      total.weight += c.totalWeight();
      total.count += c.n;
    }
    return total;
  }

  /** Loss, accuracy counts and weights over every row of the partition (evaluation). */
  Evaluation evaluate(PartitionData p, double[] params) {
    Evaluation e = new Evaluation();
    Workspace ws = network.newWorkspace(PartitionData.CHUNK_ROWS, precision);
    float[] params32 = null;
    if (precision == Precision.FLOAT32) {
      params32 = new float[params.length];
      for (int i = 0; i < params.length; i++) params32[i] = (float) params[i];
    }
    int c = network.spec().outputs();
    double[] y = new double[PartitionData.CHUNK_ROWS];
    double[] w = p.weighted ? new double[PartitionData.CHUNK_ROWS] : null;
    double[] error = new double[c * PartitionData.CHUNK_ROWS];
    for (Chunk ch : p.chunks) {
      ch.unstack(y, w);
      double[] logits = logits(ch, params, params32, ws, c);
      for (int col = 0; col < ch.n; col++) {
        if (Predictions.predictClass(network.spec().loss(), logits, c, col) == (int) y[col]) {
          e.correctWeight += ch.weight(col);
        }
      }
      e.loss += network.spec().loss().lossAndError(logits, c, ch.n, y, w, error);
      e.weight += ch.totalWeight();
      e.count += ch.n;
    }
    return e;
  }

  /** The chunk's c × n output logits in double, whichever precision computed them. */
  private double[] logits(Chunk ch, double[] params, float[] params32, Workspace ws, int c) {
    if (params32 == null) return network.forward(params, ch.data, ch.n, ws);
    float[] out = network.forward(params32, ch.x32, ch.n, ws);
    double[] logits = new double[c * ch.n];
    for (int i = 0; i < logits.length; i++) logits[i] = out[i];
    return logits;
  }

  private Scratch scratch(PartitionData p, int stepsPerEpoch) {
    if (scratch == null) {
      synchronized (this) {
        if (scratch == null) scratch = new ThreadLocal<>();
      }
    }
    // floor((s+1)n/S) − floor(sn/S) never exceeds ceil(n/S).
    int maxShare = (int) ((p.rows + (long) stepsPerEpoch - 1) / stepsPerEpoch);
    Scratch s = scratch.get();
    if (s == null || s.capacity < maxShare) {
      s = new Scratch(network, Math.max(maxShare, s == null ? 0 : s.capacity), precision);
      scratch.set(s);
    }
    return s;
  }

  /** Per-thread buffers: a gathered batch, a workspace, and the last permutation per partition. */
  private static final class Scratch {
    final int capacity;
    final Object x;
    final double[] y;
    final double[] w;
    final Workspace ws;
    final java.util.Map<Integer, long[]> permKeys = new java.util.HashMap<>();
    final java.util.Map<Integer, int[]> perms = new java.util.HashMap<>();

    Scratch(Network net, int capacity, Precision precision) {
      this.capacity = capacity;
      int size = net.spec().inputs() * capacity;
      x = precision == Precision.FLOAT32 ? new float[size] : new double[size];
      y = new double[capacity];
      w = new double[capacity];
      ws = net.newWorkspace(capacity, precision);
    }

    int[] permutation(long seed, int epoch, PartitionData p) {
      long[] key = permKeys.get(p.partition);
      if (key != null && key[0] == epoch && key[1] == p.rows) return perms.get(p.partition);
      int[] perm = Permutations.of(p.rows, Seeds.mix(seed, epoch, p.partition));
      permKeys.put(p.partition, new long[] {epoch, p.rows});
      perms.put(p.partition, perm);
      return perm;
    }
  }

  /** Summed loss and correct-prediction weight over some rows. */
  static final class Evaluation implements Serializable {
    private static final long serialVersionUID = 1L;
    double loss;
    double correctWeight;
    double weight;
    long count;

    Evaluation merge(Evaluation o) {
      loss += o.loss;
      correctWeight += o.correctWeight;
      weight += o.weight;
      count += o.count;
      return this;
    }
  }

  static final class Permutations {
    private Permutations() {}

    /** Fisher–Yates shuffle of 0..n−1 from one seed. */
    static int[] of(int n, long seed) {
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) perm[i] = i;
      SplittableRandom rng = new SplittableRandom(seed);
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      return perm;
    }
  }
}
