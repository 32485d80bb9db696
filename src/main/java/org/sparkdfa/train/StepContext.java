package org.sparkdfa.train;

import java.io.Serializable;
import java.util.function.Supplier;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.nn.Seeds;
import org.sparkdfa.nn.SplitMix64;
import org.sparkdfa.nn.Workspace;

/**
 * What every task needs besides the current weights: the network, the feedback rule and the
 * sampling plan. Broadcast once per training, so a step ships only the weights.
 *
 * <p>Scratch buffers (a gathered block of rows, a workspace, a gradient) are pooled in this
 * object rather than in thread-locals: a thread-local's value outlives the fit in every executor
 * thread that touched it (5–7 GB stayed live after three full-batch fits), while the pool dies
 * with the broadcast. A share of any size is computed in blocks of at most
 * {@link PartitionData#CHUNK_ROWS} rows (the gradient is a sum), so scratch never grows with the
 * partition; a share that is the whole partition is computed on the cached chunks in place.
 */
final class StepContext implements Serializable {
  private static final long serialVersionUID = 1L;

  final Network network;
  final Feedback feedback;
  final long seed;
  final int numPartitions;
  final Precision precision;
  private transient volatile Pool pool;

  StepContext(Network network, Feedback feedback, long seed, int numPartitions,
      Precision precision) {
    this.network = network;
    this.feedback = feedback;
    this.seed = seed;
    this.numPartitions = numPartitions;
    this.precision = precision;
  }

  /**
   * Where step {@code step} of S starts in a partition's epoch permutation of n = {@code rows}
   * rows: row i of the permutation belongs to step ⌊(i + φ)·S/n⌋, with the partition's phase
   * φ = {@code phase} / P ∈ [0, 1). So step s holds positions [⌈s·n/S − φ⌉, ⌈(s+1)·n/S − φ⌉):
   * every row once per epoch, ⌊n/S⌋ or ⌈n/S⌉ of them per step. The phases (a permutation of
   * 0..P−1 per epoch, {@link #phase}) spread the partitions' rows evenly over the epoch: with
   * equal partitions every step holds ⌊N/S⌋ or ⌈N/S⌉ of the N rows, and with any partitioning
   * it is off by less than one row per partition. Without them a partition smaller than S puts
   * its rows in the same few steps as every other partition (100 rows in 50 partitions at
   * batch 5 made 2 steps of 50 rows instead of 20 of 5).
   */
  static int shareStart(int rows, int step, int stepsPerEpoch, int phase, int numPartitions) {
    // ⌈s·n/S − σ/P⌉ = q + ⌈r/S − σ/P⌉ with s·n = q·S + r; the second term is 0 or 1, decided
    // exactly in integers (r·P and σ·S stay below 2^62).
    long t = (long) step * rows;
    long q = t / stepsPerEpoch;
    long r = t % stepsPerEpoch;
    return (int) (q + (r * numPartitions > (long) phase * stepsPerEpoch ? 1 : 0));
  }

  /** Partition p's phase in epoch e: its place in a permutation of the P partitions. */
  int phase(int epoch, int partition) {
    return pool().phases(seed, epoch, numPartitions)[Math.floorMod(partition, numPartitions)];
  }

  /**
   * The summed gradient and loss of partition p's share of global step {@code step}: the rows at
   * positions [lo, hi) ({@link #shareStart}) of a permutation drawn from (seed, epoch,
   * partition). {@code weights} gives a double[] in float64 and a float[] in float32, and is
   * asked only after the first block of rows is gathered (it may wait for the driver to publish
   * them, and gives null when the step was abandoned: the share is then empty); the gradient is
   * summed into {@code zeroedGrad} (all zeros, this precision), which the returned sum holds.
   */
  GradientSum shareGradientInto(PartitionData p, Supplier<Object> weights, int epoch, int step,
      int stepsPerEpoch, Object zeroedGrad) {
    return share(p, weights, epoch, step, stepsPerEpoch, zeroedGrad);
  }

  /**
   * {@link #shareGradientInto} in transport form ({@link GradientSum#packed()}): the gradient is
   * summed into pooled scratch and leaves as bytes, so a step allocates only what it ships.
   */
  GradientSum shareGradientPacked(PartitionData p, Supplier<Object> weights, int epoch, int step,
      int stepsPerEpoch) {
    return share(p, weights, epoch, step, stepsPerEpoch, null);
  }

  /** A share summed into {@code zeroedGrad}, or packed from pooled scratch when it is null. */
  private GradientSum share(PartitionData p, Supplier<Object> weights, int epoch, int step,
      int stepsPerEpoch, Object zeroedGrad) {
    int phase = phase(epoch, p.partition);
    int lo = shareStart(p.rows, step, stepsPerEpoch, phase, numPartitions);
    int hi = shareStart(p.rows, step + 1, stepsPerEpoch, phase, numPartitions);
    if (hi == lo) return new GradientSum();
    long t0 = System.nanoTime();
    Pool pool = pool();
    Scratch s = pool.borrow(p, stepsPerEpoch);
    try {
      Object grad = zeroedGrad != null ? zeroedGrad : s.zeroedGradient();
      Weights w = new Weights(weights);
      GradientSum sum = lo == 0 && hi == p.rows
          ? wholePartition(p, w, grad, s)
          : gathered(p, pool.permutation(seed, epoch, p), lo, hi, w, grad, s);
      if (w.abandoned()) return new GradientSum(); // the pooled array simply is not handed back
      sum.taskNanos = System.nanoTime() - t0 - w.waitedNanos;
      return zeroedGrad != null ? sum : sum.packed();
    } finally {
      pool.giveBack(s);
    }
  }

  /**
   * The step's weights, fetched once, when the first block is ready to compute; the time spent
   * waiting for them is not the task's compute.
   */
  private static final class Weights {
    private final Supplier<Object> source;
    private Object values;
    private boolean fetched;
    long waitedNanos;

    Weights(Supplier<Object> source) {
      this.source = source;
    }

    /** The weights, or null if the step was abandoned. */
    Object get() {
      if (!fetched) {
        long t0 = System.nanoTime();
        values = source.get();
        waitedNanos = System.nanoTime() - t0;
        fetched = true;
      }
      return values;
    }

    boolean abandoned() {
      return fetched && values == null;
    }
  }

  /** Rows perm[lo..hi) gathered block by block into scratch. */
  private GradientSum gathered(PartitionData p, int[] perm, int lo, int hi, Weights weights,
      Object grad, Scratch s) {
    GradientSum sum = withGradient(grad);
    double[] w = p.weighted ? s.w : null;
    for (int start = lo; start < hi; start += s.capacity) {
      stopIfKilled();
      int m = Math.min(s.capacity, hi - start);
      for (int i = 0; i < m; i++) p.gather(perm[start + i], s.x, s.y, w, i);
      Object params = weights.get();
      if (params == null) return sum;
      sum.loss += blockGradient(params, s.x, s.y, w, m, grad, s.ws);
      sum.weight += w == null ? m : sum(w, m);
      sum.count += m;
    }
    return sum;
  }

  /** Every row of the partition, straight from the cached chunks (the order does not matter). */
  private GradientSum wholePartition(PartitionData p, Weights weights, Object grad, Scratch s) {
    GradientSum sum = withGradient(grad);
    double[] w = p.weighted ? s.w : null;
    for (Chunk c : p.chunks) {
      stopIfKilled();
      c.unstack(s.y, w);
      Object params = weights.get();
      if (params == null) return sum;
      sum.loss += blockGradient(params, c.isFloat() ? c.x32 : c.data, s.y, w, c.n, grad, s.ws);
      sum.weight += c.totalWeight();
      sum.count += c.n;
    }
    return sum;
  }

  /**
   * Ends the task here if its job was cancelled (Spark checks the kill flag only between
   * records, and a partition is one record): a cancelled fit stops within a block, not a share.
   */
  private static void stopIfKilled() {
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    if (task != null) task.killTaskIfInterrupted();
  }

  /** Adds the gradient of m columns into grad and returns their summed loss. */
  private double blockGradient(Object params, Object x, double[] y, double[] w, int m,
      Object grad, Workspace ws) {
    if (precision == Precision.FLOAT32) {
      return network.gradient((float[]) params, (float[]) x, y, w, m, feedback, (float[]) grad,
          ws);
    }
    return network.gradient((double[]) params, (double[]) x, y, w, m, feedback, (double[]) grad,
        ws);
  }

  private static GradientSum withGradient(Object grad) {
    return grad instanceof float[] g ? new GradientSum(g, 0, 0, 0)
        : new GradientSum((double[]) grad, 0, 0, 0);
  }

  private static double sum(double[] v, int m) {
    double s = 0;
    for (int i = 0; i < m; i++) s += v[i];
    return s;
  }

  /**
   * Loss, accuracy counts and weights over every row of the partition (evaluation); params in
   * this context's precision, as for {@link #shareGradientInto}.
   */
  Evaluation evaluate(PartitionData p, Object params) {
    Evaluation e = new Evaluation();
    Pool pool = pool();
    Scratch s = pool.borrow(p, 1);
    try {
      int c = network.spec().outputs();
      double[] w = p.weighted ? s.w : null;
      for (Chunk ch : p.chunks) {
        ch.unstack(s.y, w);
        double[] logits = logits(ch, params, s.ws, c);
        for (int col = 0; col < ch.n; col++) {
          if (Predictions.predictClass(network.spec().loss(), logits, c, col) == (int) s.y[col]) {
            e.correctWeight += ch.weight(col);
          }
        }
        e.loss += network.spec().lossAndError(logits, ch.n, s.y, w, s.error(c * ch.n));
        e.weight += ch.totalWeight();
        e.count += ch.n;
      }
    } finally {
      pool.giveBack(s);
    }
    return e;
  }

  /** The chunk's c × n output logits in double, whichever precision computed them. */
  private double[] logits(Chunk ch, Object params, Workspace ws, int c) {
    if (params instanceof double[] p64) return network.forward(p64, ch.data, ch.n, ws);
    float[] out = network.forward((float[]) params, ch.x32, ch.n, ws);
    double[] logits = new double[c * ch.n];
    for (int i = 0; i < logits.length; i++) logits[i] = out[i];
    return logits;
  }

  private Pool pool() {
    Pool p = pool;
    if (p == null) {
      synchronized (this) {
        if (pool == null) pool = new Pool(network, precision);
        p = pool;
      }
    }
    return p;
  }

  /**
   * Scratch sets for the task threads of one executor, and each partition's permutation of the
   * current epoch (computed once, shared by the epoch's steps).
   */
  private static final class Pool {
    private final Network network;
    private final Precision precision;
    private final java.util.concurrent.ConcurrentLinkedDeque<Scratch> idle =
        new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final java.util.concurrent.ConcurrentHashMap<Integer, Permutation> perms =
        new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Permutation phases;

    Pool(Network network, Precision precision) {
      this.network = network;
      this.precision = precision;
    }

    /** A scratch set wide enough for p's blocks at S steps per epoch. */
    Scratch borrow(PartitionData p, int stepsPerEpoch) {
      // A share, ⌈(s+1)n/S − φ⌉ − ⌈sn/S − φ⌉ rows, never exceeds ⌈n/S⌉; blocks are capped at a
      // chunk.
      int maxShare = (int) ((p.rows + (long) stepsPerEpoch - 1) / stepsPerEpoch);
      int width = Math.max(1, Math.min(maxShare, PartitionData.CHUNK_ROWS));
      Scratch s = idle.pollFirst();
      if (s != null && s.capacity >= width) return s;
      return new Scratch(network, Math.max(width, s == null ? 0 : s.capacity), precision);
    }

    void giveBack(Scratch s) {
      idle.offerFirst(s);
    }

    int[] permutation(long seed, int epoch, PartitionData p) {
      Permutation cached = perms.get(p.partition);
      if (cached != null && cached.epoch == epoch && cached.order.length == p.rows) {
        return cached.order;
      }
      int[] order = Permutations.of(p.rows, Seeds.mix(seed, epoch, p.partition));
      perms.put(p.partition, new Permutation(epoch, order));
      return order;
    }

    /** The epoch's partition phases: a permutation of 0..P−1 (partition −1's stream). */
    int[] phases(long seed, int epoch, int numPartitions) {
      Permutation cached = phases;
      if (cached != null && cached.epoch == epoch) return cached.order;
      int[] order = Permutations.of(numPartitions, Seeds.mix(seed, epoch, -1));
      phases = new Permutation(epoch, order);
      return order;
    }
  }

  private record Permutation(int epoch, int[] order) {}

  /** Buffers for one task at a time: a gathered block, a workspace, a gradient, loss errors. */
  private static final class Scratch {
    final int capacity;
    final Object x;
    final double[] y;
    final double[] w;
    final Workspace ws;
    private final int numParams;
    private final Precision precision;
    private Object gradient;
    private double[] error;

    Scratch(Network net, int capacity, Precision precision) {
      this.capacity = capacity;
      this.precision = precision;
      this.numParams = net.spec().numParams();
      int size = net.spec().inputs() * capacity;
      x = precision == Precision.FLOAT32 ? new float[size] : new double[size];
      y = new double[capacity];
      w = new double[capacity];
      ws = net.newWorkspace(capacity, precision);
    }

    Object zeroedGradient() {
      if (gradient == null) {
        gradient = precision == Precision.FLOAT32 ? new float[numParams] : new double[numParams];
      } else if (gradient instanceof float[] g) {
        java.util.Arrays.fill(g, 0f);
      } else {
        java.util.Arrays.fill((double[]) gradient, 0.0);
      }
      return gradient;
    }

    double[] error(int size) {
      if (error == null || error.length < size) error = new double[size];
      return error;
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
      SplitMix64 rng = new SplitMix64(seed);
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
