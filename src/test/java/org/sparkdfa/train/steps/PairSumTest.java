package org.sparkdfa.train.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sum whose root addition is left to the update averages to the same bits as the full ordered
 * sum, for every partition count, with empty shares anywhere.
 */
class PairSumTest {
  private static final int N = 257;

  /** Partition p's share: float values whose sum depends on the order; every third one empty. */
  private static GradientSum<float[]> share(int p, boolean withEmpty, List<float[]> home) {
    if (withEmpty && p % 3 == 2) return new GradientSum<>(Flat.F32);
    SplittableRandom r = new SplittableRandom(p);
    float[] g = new float[N];
    for (int i = 0; i < N; i++) g[i] = (float) (r.nextDouble(-1, 1) * (i % 5 == 0 ? 1e7 : 1));
    GradientSum<float[]> s = new GradientSum<>(Flat.F32, g, home::add);
    return s.plus(GradientSum.of(Flat.F32, new float[N], 0.25 * p + 0.1, p + 1, p + 1));
  }

  @SuppressWarnings("unchecked")
  private static GradientSum<float[]>[] shares(int partitions, boolean withEmpty,
      List<float[]> home) {
    GradientSum<float[]>[] s = new GradientSum[partitions];
    for (int p = 0; p < partitions; p++) s[p] = share(p, withEmpty, home);
    return s;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void averagesAsTheFullOrderedSum(int partitions) {
    for (boolean withEmpty : new boolean[] {false, true}) {
      GradientSum<float[]> full = OrderedSum.ofPartitions(shares(partitions, withEmpty,
          new ArrayList<>())).result(new GradientSum<>(Flat.F32));
      List<float[]> home = new ArrayList<>();
      StepGradient pair = PairSum.of(Flat.F32, shares(partitions, withEmpty, home));
      double[] expected = new double[N];
      double[] actual = new double[N];
      assertTrue(full.scaleInto(expected, 1.0 / 3, 0, N));
      assertTrue(pair.scaleInto(actual, 1.0 / 3, 0, 100));
      assertTrue(pair.scaleInto(actual, 1.0 / 3, 100, N));
      assertArrayEquals(expected, actual, 0.0, partitions + " partitions");
      assertArrayEquals(full.gradient(), pair.gradient(), 0.0);
      assertEquals(full.loss(), pair.loss(), 0.0);
      assertEquals(full.weight(), pair.weight(), 0.0);
      pair.recycle();
      long arrays = withEmpty ? partitions - partitions / 3 : partitions;
      assertEquals(arrays, home.size(), "every array goes home once the sum is spent");
    }
  }

  @Test
  void anEntryThatIsNotFiniteIsReported() {
    GradientSum<float[]>[] s = shares(2, false, new ArrayList<>());
    s[1].array()[7] = Float.POSITIVE_INFINITY;
    assertFalse(PairSum.of(Flat.F32, s).scaleInto(new double[N], 1.0, 0, N));
  }

  @Test
  void theRootSplitIsTheLargestPowerOfTwoBelowThePartitions() {
    assertEquals(1, OrderedSum.rootSplit(2));
    assertEquals(2, OrderedSum.rootSplit(3));
    assertEquals(2, OrderedSum.rootSplit(4));
    assertEquals(4, OrderedSum.rootSplit(5));
    assertEquals(8, OrderedSum.rootSplit(9));
    assertThrows(IllegalArgumentException.class, () -> OrderedSum.rootSplit(1));
  }
}
