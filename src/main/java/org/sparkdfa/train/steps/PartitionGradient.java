package org.sparkdfa.train.steps;

import java.io.Serializable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.blocks.Chunk;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * One partition's share of a step: the summed gradient and loss of the rows {@link SharePlan}
 * gives it, at the step's weights. Holds what every task needs besides the weights — the
 * network, the feedback rule and the sampling plan — and is broadcast once per fit, so a step
 * ships only the weights. A share of any size is computed in blocks of at most
 * {@link PartitionData#CHUNK_ROWS} rows (the gradient is a sum), so scratch never grows with the
 * partition; a share that is the whole partition is computed on the cached chunks in place.
 *
 * @param <A> double[] or float[]: the fit's precision, chosen once ({@link #create})
 */
public final class PartitionGradient<A> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Network network;
  private final Feedback feedback;
  private final long seed;
  private final int numPartitions;
  private final Flat<A> flat;
  /** Rounds of local steps as the unit of work; null: one mini-batch step per unit. */
  private final RoundPlan rounds;
  private transient volatile ScratchPool<A> pool;

  private PartitionGradient(Network network, Feedback feedback, long seed, int numPartitions,
      Flat<A> flat, RoundPlan rounds) {
    this.network = network;
    this.feedback = feedback;
    this.seed = seed;
    this.numPartitions = numPartitions;
    this.flat = flat;
    this.rounds = rounds;
  }

  /** The shares of a fit over {@code numPartitions} partitions, in {@code precision}. */
  public static PartitionGradient<?> create(Network network, Feedback feedback, long seed,
      int numPartitions, Precision precision) {
    return create(network, feedback, seed, numPartitions, Flat.of(precision));
  }

  public static <A> PartitionGradient<A> create(Network network, Feedback feedback, long seed,
      int numPartitions, Flat<A> flat) {
    return new PartitionGradient<>(network, feedback, seed, numPartitions, flat, null);
  }

  /**
   * These shares with rounds of local steps as the unit of work: unit u of an epoch is round u
   * of {@code plan} ({@link LocalRound}), and its result is a weighted weight delta.
   */
  public PartitionGradient<A> withRounds(RoundPlan plan) {
    if (plan.innerPrecision() == Precision.FLOAT32 && flat.precision() != Precision.FLOAT32) {
      throw new IllegalArgumentException("float32 inner weights need float32 shares; the fit's "
          + "precision is " + flat.precision().paramName());
    }
    return new PartitionGradient<>(network, feedback, seed, numPartitions, flat, plan);
  }

  public Network network() {
    return network;
  }

  public Feedback feedback() {
    return feedback;
  }

  public Flat<A> flat() {
    return flat;
  }

  public Precision precision() {
    return flat.precision();
  }

  /** Partition p's phase in epoch e: its place in a permutation of the P partitions. */
  public int phase(int epoch, int partition) {
    return pool().phases(seed, epoch, numPartitions)[Math.floorMod(partition, numPartitions)];
  }

  /**
   * Partition p's share of unit {@code step} of S (a mini-batch step, or with
   * {@link #withRounds} a round of local steps), summed into {@code zeroedGrad} (all
   * zeros), which the returned sum holds and sends to {@code home} once spent. {@code weights}
   * is asked only after the first block of rows is gathered (it may wait for the driver to
   * publish them, and gives null when the step was abandoned); the share is empty when the step
   * holds no rows of p or was abandoned, and {@code zeroedGrad} is then the caller's again.
   */
  public GradientSum<A> share(PartitionData p, Supplier<A> weights, int epoch, int step,
      int stepsPerEpoch, A zeroedGrad, ArrayHome<A> home) {
    if (rounds != null) return round(p, weights, epoch, step, zeroedGrad, home);
    return stepShare(p, weights, epoch, step, stepsPerEpoch, zeroedGrad, home);
  }

  /** Partition p's share of mini-batch step {@code step} of S (see {@link #share}). */
  GradientSum<A> stepShare(PartitionData p, Supplier<A> weights, int epoch, int step,
      int stepsPerEpoch, A zeroedGrad, ArrayHome<A> home) {
    return compute(p, weights, epoch, step, stepsPerEpoch, zeroedGrad, home, sum -> sum);
  }

  /**
   * {@link #share} as bytes ({@link PackedSum}): summed into pooled scratch and encoded, so a
   * task allocates only what it ships.
   */
  public PackedSum sharePacked(PartitionData p, Supplier<A> weights, int epoch, int step,
      int stepsPerEpoch) {
    if (rounds != null) {
      return PackedSum.of(round(p, weights, epoch, step,
          flat.alloc(network.spec().numParams()), null));
    }
    return compute(p, weights, epoch, step, stepsPerEpoch, null, null, PackedSum::of);
  }

  /** A round of local steps; empty if the weights never came (the round was abandoned). */
  private GradientSum<A> round(PartitionData p, Supplier<A> weights, int epoch, int round,
      A out, ArrayHome<A> home) {
    A w = weights.get();
    if (w == null) return new GradientSum<>(flat);
    return LocalRound.run(this, rounds, p, w, epoch, round, out, home);
  }

  /**
   * The share, handed to {@code finish} while the scratch is still this task's: a share summed
   * into the scratch's own gradient must be encoded before another task may borrow it.
   */
  private <R> R compute(PartitionData p, Supplier<A> weights, int epoch, int step,
      int stepsPerEpoch, A zeroedGrad, ArrayHome<A> home, Function<GradientSum<A>, R> finish) {
    int phase = phase(epoch, p.partition());
    int lo = SharePlan.shareStart(p.rows(), step, stepsPerEpoch, phase, numPartitions);
    int hi = SharePlan.shareStart(p.rows(), step + 1, stepsPerEpoch, phase, numPartitions);
    if (hi == lo) return finish.apply(new GradientSum<>(flat));
    long t0 = System.nanoTime();
    ScratchPool<A> pool = pool();
    Scratch<A> s = pool.borrow(p, stepsPerEpoch);
    try {
      A grad = zeroedGrad != null ? zeroedGrad : s.zeroedGradient();
      StepWeights<A> w = new StepWeights<>(weights);
      GradientSum<A> sum = new GradientSum<>(flat, grad, home);
      if (lo == 0 && hi == p.rows()) {
        wholePartition(p, w, sum, s);
      } else {
        gathered(p, pool.permutation(seed, epoch, p), lo, hi, w, sum, s);
      }
      if (w.abandoned()) return finish.apply(new GradientSum<>(flat));
      sum.taskNanos = System.nanoTime() - t0 - w.waitedNanos;
      return finish.apply(sum);
    } finally {
      pool.giveBack(s);
    }
  }

  /**
   * The step's weights, fetched once, when the first block is ready to compute; the time spent
   * waiting for them is not the task's compute.
   */
  private static final class StepWeights<A> {
    private final Supplier<A> source;
    private A values;
    private boolean fetched;
    long waitedNanos;

    StepWeights(Supplier<A> source) {
      this.source = source;
    }

    /** The weights, or null if the step was abandoned. */
    A get() {
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
  private void gathered(PartitionData p, int[] perm, int lo, int hi, StepWeights<A> weights,
      GradientSum<A> sum, Scratch<A> s) {
    double[] w = p.weighted() ? s.w : null;
    for (int start = lo; start < hi; start += s.capacity) {
      stopIfKilled();
      int m = Math.min(s.capacity, hi - start);
      for (int i = 0; i < m; i++) flat.gather(p, perm[start + i], s.x, s.y, w, i);
      A params = weights.get();
      if (params == null) return;
      sum.loss += flat.gradient(network, params, s.x, s.y, w, m, feedback, sum.array(), s.ws);
      sum.weight += w == null ? m : total(w, m);
      sum.count += m;
    }
  }

  /** Every row of the partition, straight from the cached chunks (the order does not matter). */
  private void wholePartition(PartitionData p, StepWeights<A> weights, GradientSum<A> sum,
      Scratch<A> s) {
    double[] w = p.weighted() ? s.w : null;
    for (Chunk c : p.chunks()) {
      stopIfKilled();
      c.unstack(s.y, w);
      A params = weights.get();
      if (params == null) return;
      sum.loss += flat.gradient(network, params, flat.features(c), s.y, w, c.rows(), feedback,
          sum.array(), s.ws);
      sum.weight += c.totalWeight();
      sum.count += c.rows();
    }
  }

  /**
   * Ends the task here if its job was cancelled (Spark checks the kill flag only between
   * records, and a partition is one record): a cancelled fit stops within a block, not a share.
   */
  private static void stopIfKilled() {
    TaskContext task = TaskContext.get();
    if (task != null) task.killTaskIfInterrupted();
  }

  private static double total(double[] v, int m) {
    double s = 0;
    for (int i = 0; i < m; i++) s += v[i];
    return s;
  }

  /** Loss, accuracy counts and weights of {@code params} over every row of the partition. */
  public Evaluation evaluate(PartitionData p, A params) {
    Evaluation e = new Evaluation();
    ScratchPool<A> pool = pool();
    Scratch<A> s = pool.borrow(p, 1);
    try {
      int c = network.spec().outputs();
      double[] w = p.weighted() ? s.w : null;
      for (Chunk ch : p.chunks()) {
        ch.unstack(s.y, w);
        double[] logits = flat.logits(network, params, flat.features(ch), ch.rows(), s.ws);
        for (int col = 0; col < ch.rows(); col++) {
          if (Predictions.predictClass(network.spec().loss(), logits, c, col) == (int) s.y[col]) {
            e.correctWeight += ch.weight(col);
          }
        }
        e.loss += network.spec().lossAndError(logits, ch.rows(), s.y, w, s.error(c * ch.rows()));
        e.weight += ch.totalWeight();
        e.count += ch.rows();
      }
    } finally {
      pool.giveBack(s);
    }
    return e;
  }

  /** The executor's scratch of this fit (rounds of local steps borrow theirs here too). */
  ScratchPool<A> pool() {
    ScratchPool<A> p = pool;
    if (p == null) {
      synchronized (this) {
        if (pool == null) pool = new ScratchPool<>(network, flat);
        p = pool;
      }
    }
    return p;
  }
}
