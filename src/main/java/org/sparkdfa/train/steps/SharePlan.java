package org.sparkdfa.train.steps;

import org.sparkdfa.nn.SplitMix64;

/**
 * Which rows of a partition belong to which step of an epoch. Row i of a partition's epoch
 * permutation of n rows belongs to step ⌊(i + φ)·S/n⌋, with the partition's phase
 * φ = σ(p)/P ∈ [0, 1) and σ a permutation of the P partitions drawn per epoch. So step s holds
 * positions [⌈s·n/S − φ⌉, ⌈(s+1)·n/S − φ⌉): every row once per epoch, ⌊n/S⌋ or ⌈n/S⌉ of them
 * per step. The phases spread the partitions' rows evenly over the epoch: with equal partitions
 * every step holds ⌊N/S⌋ or ⌈N/S⌉ of the N rows, and with any partitioning it is off by less
 * than one row per partition. Without them a partition smaller than S puts its rows in the same
 * few steps as every other partition (100 rows in 50 partitions at batch 5 made 2 steps of 50
 * rows instead of 20 of 5).
 */
public final class SharePlan {
  private SharePlan() {}

  /** Where step {@code step} of S starts in a partition's permutation of {@code rows} rows. */
  public static int shareStart(int rows, int step, int stepsPerEpoch, int phase,
      int numPartitions) {
    // ⌈s·n/S − σ/P⌉ = q + ⌈r/S − σ/P⌉ with s·n = q·S + r; the second term is 0 or 1, decided
    // exactly in integers (r·P and σ·S stay below 2^62).
    long t = (long) step * rows;
    long q = t / stepsPerEpoch;
    long r = t % stepsPerEpoch;
    return (int) (q + (r * numPartitions > (long) phase * stepsPerEpoch ? 1 : 0));
  }

  /** Fisher–Yates shuffle of 0..n−1 from one seed. */
  public static int[] permutation(int n, long seed) {
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
