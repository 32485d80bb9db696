package org.sparkdfa.train.steps;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums per-partition shares ({@link GradientSum}s in hand, {@link PackedSum}s as bytes) along
 * a fixed binary tree over partition indices, so the
 * floating-point result is the same whatever order Spark's tasks finish and whatever shape
 * {@code treeAggregate} gives the reduction. Node (level j, index k) covers partitions
 * [k·2^j, (k+1)·2^j); two nodes merge only with their sibling. Without this, the same seed and
 * partitioning could give weights that differ in the last bits from run to run.
 *
 * <p>Pending nodes wait for their sibling; in practice few are pending at once.
 */
public final class OrderedSum<T extends Summable<T>> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int partitions;
  private final Map<Long, T> pending = new HashMap<>();

  public OrderedSum(int partitions) {
    this.partitions = partitions;
  }

  /** The sum of one partition, as a leaf of the tree. */
  public static <T extends Summable<T>> OrderedSum<T> leaf(int partitions, int partition,
      T value) {
    OrderedSum<T> s = new OrderedSum<>(partitions);
    s.insert(0, partition, value);
    return s;
  }

  /** The ordered sum of one share per partition, {@code shares[i]} being partition i's. */
  public static <T extends Summable<T>> OrderedSum<T> ofPartitions(T[] shares) {
    OrderedSum<T> s = new OrderedSum<>(shares.length);
    for (int i = 0; i < shares.length; i++) s.insert(0, i, shares[i]);
    return s;
  }

  /** Adds {@code other}'s nodes into this tree and returns this. */
  public OrderedSum<T> merge(OrderedSum<T> other) {
    for (Map.Entry<Long, T> e : other.pending.entrySet()) {
      long key = e.getKey();
      insert((int) (key >>> 32), (int) key, e.getValue());
    }
    return this;
  }

  private void insert(int level, int index, T value) {
    while (true) {
      if (rootLevel() <= level) {
        pending.put(key(level, index), value);
        return;
      }
      int sibling = index ^ 1;
      boolean siblingExists = ((long) sibling << level) < partitions;
      if (!siblingExists) {
        // Promote alone: a node without a right sibling is its own parent.
        index >>= 1;
        level++;
        continue;
      }
      T other = pending.remove(key(level, sibling));
      if (other == null) {
        pending.put(key(level, index), value);
        return;
      }
      // Always left + right, whichever arrived first.
      value = (index & 1) == 0 ? value.plus(other) : other.plus(value);
      index >>= 1;
      level++;
    }
  }

  private int rootLevel() {
    return rootLevel(partitions);
  }

  private static int rootLevel(int partitions) {
    int level = 0;
    while ((1L << level) < partitions) level++;
    return level;
  }

  /**
   * For 2 or more partitions, the first partition under the root's right child: the root adds
   * the ordered sum of partitions [0, split) and that of [split, partitions), each the tree of
   * an {@code OrderedSum} over that many partitions (a node whose sibling is missing is promoted
   * alone in both).
   */
  public static int rootSplit(int partitions) {
    if (partitions < 2) {
      throw new IllegalArgumentException("a root split needs 2 or more partitions, not "
          + partitions);
    }
    return 1 << (rootLevel(partitions) - 1);
  }

  private static long key(int level, int index) {
    return ((long) level << 32) | (index & 0xffffffffL);
  }

  /** The total once every partition has been merged in; {@code ifEmpty} when none was. */
  public T result(T ifEmpty) {
    if (pending.isEmpty()) return ifEmpty;
    if (pending.size() != 1) {
      throw new IllegalStateException("ordered sum incomplete: " + pending.size() + " parts pending");
    }
    return pending.values().iterator().next();
  }
}
