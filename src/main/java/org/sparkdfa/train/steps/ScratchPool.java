package org.sparkdfa.train.steps;

import java.util.BitSet;
import org.sparkdfa.optim.FloatOptimizer;
import org.sparkdfa.optim.Optimizers;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Seeds;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * Scratch sets for the task threads of one executor, and each partition's permutation of the
 * current epoch (computed once, shared by the epoch's steps). Lives in the broadcast
 * {@link PartitionGradient}, not in thread-locals: a thread-local's value outlives the fit in
 * every executor thread that touched it (5–7 GB stayed live after three full-batch fits), while
 * this pool dies with the broadcast.
 */
final class ScratchPool<A> {
  private final Network network;
  private final Flat<A> flat;
  private final ConcurrentLinkedDeque<Scratch<A>> idle = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<Float32Round> idleRounds = new ConcurrentLinkedDeque<>();
  private final ConcurrentHashMap<Integer, Permutation> perms = new ConcurrentHashMap<>();
  private volatile Permutation phases;

  private record Permutation(int epoch, int[] order) {}

  ScratchPool(Network network, Flat<A> flat) {
    this.network = network;
    this.flat = flat;
  }

  /** A scratch set wide enough for p's blocks at S steps per epoch. */
  Scratch<A> borrow(PartitionData p, int stepsPerEpoch) {
    // A share, ⌈(s+1)n/S − φ⌉ − ⌈sn/S − φ⌉ rows, never exceeds ⌈n/S⌉; blocks are capped at a
    // chunk.
    int maxShare = (int) ((p.rows() + (long) stepsPerEpoch - 1) / stepsPerEpoch);
    int width = Math.max(1, Math.min(maxShare, PartitionData.CHUNK_ROWS));
    Scratch<A> s = idle.pollFirst();
    if (s != null && s.capacity >= width) return s;
    return new Scratch<>(network, Math.max(width, s == null ? 0 : s.capacity), flat);
  }

  void giveBack(Scratch<A> s) {
    idle.offerFirst(s);
  }

  /**
   * A float32 round's arrays and inner optimizer ({@link LocalRound}), reused from round to
   * round: allocated anew, the 5 parameter-sized arrays of every round are humongous objects to
   * G1 and kept a 1 GB executor collecting.
   */
  static final class Float32Round {
    final float[] theta;
    final float[] grad;
    final float[] work;
    final FloatOptimizer inner;

    private Float32Round(int n, FloatOptimizer inner) {
      this.theta = new float[n];
      this.grad = new float[n];
      this.work = new float[n];
      this.inner = inner;
    }
  }

  /** A round's arrays for {@code n} parameters, its inner optimizer as new ({@code reset}). */
  Float32Round borrowRound(RoundPlan plan, int n, BitSet regularized) {
    Float32Round r = idleRounds.pollFirst();
    if (r == null || r.theta.length != n) {
      return new Float32Round(n, Optimizers.createFloat32(plan.inner(), n, regularized));
    }
    r.inner.reset();
    return r;
  }

  void giveBack(Float32Round r) {
    idleRounds.offerFirst(r);
  }

  /** Partition p's permutation of its rows in {@code epoch}. */
  int[] permutation(long seed, int epoch, PartitionData p) {
    Permutation cached = perms.get(p.partition());
    if (cached != null && cached.epoch == epoch && cached.order.length == p.rows()) {
      return cached.order;
    }
    int[] order = SharePlan.permutation(p.rows(), Seeds.mix(seed, epoch, p.partition()));
    perms.put(p.partition(), new Permutation(epoch, order));
    return order;
  }

  /** The epoch's partition phases: a permutation of 0..P−1 (partition −1's stream). */
  int[] phases(long seed, int epoch, int numPartitions) {
    Permutation cached = phases;
    if (cached != null && cached.epoch == epoch) return cached.order;
    int[] order = SharePlan.permutation(numPartitions, Seeds.mix(seed, epoch, -1));
    phases = new Permutation(epoch, order);
    return order;
  }
}
