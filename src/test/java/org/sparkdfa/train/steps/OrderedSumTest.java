package org.sparkdfa.train.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ordered sum is a fixed binary tree over partition indices: whatever order the shares
 * arrive in, and however they are grouped before they meet (treeAggregate's partial sums), the
 * result is the left-to-right tree sum, bit for bit.
 */
class OrderedSumTest {

  /** Shares whose float sum depends on the order: 1, 1e16, −1e16, 3, ... */
  private static double[][] shares(int n) {
    double[][] v = new double[n][];
    for (int i = 0; i < n; i++) {
      v[i] = new double[] {i % 3 == 1 ? 1e16 : i % 3 == 2 ? -1e16 : 1 + i * 0.1, 1.0 / (i + 1)};
    }
    return v;
  }

  /** The tree sum computed by hand: node (j, k) = left child + right child; a lone left promotes. */
  private static double[] treeSum(double[][] leaves, int from, int to) {
    if (to - from == 1) return leaves[from].clone();
    int size = 1;
    while (size * 2 < to - from) size *= 2;
    double[] left = treeSum(leaves, from, from + size);
    if (from + size >= to) return left;
    double[] right = treeSum(leaves, from + size, to);
    for (int i = 0; i < left.length; i++) left[i] += right[i];
    return left;
  }

  private static GradientSum<double[]> share(double[] g, int i) {
    return GradientSum.of(Flat.F64, g.clone(), i, 1, 1);
  }

  @Test
  void theResultIsTheTreeSumWhateverTheArrivalOrder() {
    for (int n : new int[] {1, 2, 3, 5, 8, 13}) {
      double[][] leaves = shares(n);
      double[] expected = treeSum(leaves, 0, n);
      Random rng = new Random(n);
      for (int trial = 0; trial < 20; trial++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        Collections.shuffle(order, rng);
        // Partial sums in arbitrary groups, merged in arbitrary order, as treeAggregate may.
        List<OrderedSum<GradientSum<double[]>>> parts = new ArrayList<>();
        for (int i : order) parts.add(OrderedSum.leaf(n, i, share(leaves[i], i)));
        while (parts.size() > 1) {
          int a = rng.nextInt(parts.size());
          OrderedSum<GradientSum<double[]>> x = parts.remove(a);
          int b = rng.nextInt(parts.size());
          parts.set(b, parts.get(b).merge(x));
        }
        GradientSum<double[]> sum = parts.get(0).result(new GradientSum<>(Flat.F64));
        assertArrayEquals(expected, sum.gradient(), 0.0, "n=" + n + " order " + order);
        assertEquals(n, sum.count());
      }
    }
  }

  @Test
  void packedSharesGiveTheSameBitsAsSharesInHand() {
    double[][] leaves = shares(7);
    PackedSum[] packed = new PackedSum[7];
    for (int i = 0; i < 7; i++) packed[i] = PackedSum.of(share(leaves[i], i));
    assertArrayEquals(treeSum(leaves, 0, 7),
        OrderedSum.ofPartitions(packed).result(new PackedSum(Flat.F64)).gradient(), 0.0);
  }

  @Test
  void noSharesGiveTheEmptyValueAndAMissingShareIsAnError() {
    GradientSum<double[]> empty = new GradientSum<>(Flat.F64);
    assertEquals(empty, new OrderedSum<GradientSum<double[]>>(4).result(empty));
    OrderedSum<GradientSum<double[]>> partial = OrderedSum.leaf(4, 0, share(new double[1], 0));
    partial.merge(OrderedSum.leaf(4, 3, share(new double[1], 3)));
    assertThrows(IllegalStateException.class, () -> partial.result(empty));
  }
}
