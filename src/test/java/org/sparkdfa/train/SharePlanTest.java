package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sparkdfa.train.steps.PartitionGradient;
import org.sparkdfa.train.steps.SharePlan;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;

/**
 * The sampling plan: in every epoch each partition's rows are split over the S steps so that
 * every row is used exactly once and each step holds the global batch, give or take a row per
 * partition, however the rows are partitioned.
 */
class SharePlanTest {

  /** Rows of each step summed over the partitions, checking that each row is used once. */
  private static long[] stepRows(int[] partitionRows, int steps, int epoch, long seed) {
    int parts = partitionRows.length;
    PartitionGradient<?> ctx = PartitionGradient.create(new Network(NetworkSpec.mlp(new int[] {2, 1},
        Activation.fromName("relu"), Loss.fromName("bce"))), Feedback.BACKPROP, seed, parts,
        Precision.FLOAT64);
    long[] perStep = new long[steps];
    int[] phases = new int[parts];
    for (int p = 0; p < parts; p++) {
      int n = partitionRows[p];
      int phase = ctx.phase(epoch, p);
      phases[p] = phase;
      int[] used = new int[n];
      for (int s = 0; s < steps; s++) {
        int lo = SharePlan.shareStart(n, s, steps, phase, parts);
        int hi = SharePlan.shareStart(n, s + 1, steps, phase, parts);
        assertTrue(lo <= hi && hi - lo <= (n + steps - 1) / steps,
            "partition " + p + " step " + s + ": [" + lo + ", " + hi + ")");
        for (int i = lo; i < hi; i++) used[i]++;
        perStep[s] += hi - lo;
      }
      for (int i = 0; i < n; i++) {
        assertEquals(1, used[i], "partition " + p + ", row " + i + " of the permutation");
      }
    }
    Arrays.sort(phases);
    for (int p = 0; p < parts; p++) assertEquals(p, phases[p], "the phases are a permutation");
    return perStep;
  }

  @Test
  void fiftyPartitionsOfTwoRowsMakeTwentyStepsOfFive() {
    int[] rows = new int[50];
    Arrays.fill(rows, 2);
    int steps = 20; // ceil(100 / batchSize 5)
    for (int epoch = 0; epoch < 4; epoch++) {
      long[] perStep = stepRows(rows, steps, epoch, 7);
      for (int s = 0; s < steps; s++) {
        assertEquals(5, perStep[s], "epoch " + epoch + ", step " + s);
      }
    }
  }

  @Test
  void equalPartitionsGiveEveryStepItsShareOfTheRows() {
    int[] rows = new int[7];
    Arrays.fill(rows, 13); // 91 rows, batch 10: 10 steps of 9 or 10 rows
    long[] perStep = stepRows(rows, 10, 3, 11);
    for (long n : perStep) assertTrue(n == 9 || n == 10, Arrays.toString(perStep));
  }

  @Test
  void unequalPartitionsAreOffByLessThanARowPerPartition() {
    int[] rows = {0, 1, 7, 13, 2, 40, 3, 3, 29, 1, 1}; // 100 rows
    int steps = 13; // batch 8
    for (int epoch = 0; epoch < 3; epoch++) {
      long[] perStep = stepRows(rows, steps, epoch, 5);
      for (long n : perStep) {
        assertTrue(Math.abs(n - 100.0 / steps) < rows.length, Arrays.toString(perStep));
      }
    }
  }

  @Test
  void oneStepIsTheWholePartition() {
    int[] rows = {5, 4096, 1, 9000};
    long[] perStep = stepRows(rows, 1, 0, 1);
    assertEquals(5 + 4096 + 1 + 9000, perStep[0]);
  }
}
