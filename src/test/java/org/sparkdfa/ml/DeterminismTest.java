package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;

/** The training contract: same seed + same partitioning → bit-identical weights. */
class DeterminismTest extends SparkTestBase {

  private static DfaMlpClassifier estimator(long seed) {
    return new DfaMlpClassifier().setLayers(new int[] {10, 16, 8, 1}).setStepSize(0.02)
        .setBatchSize(100).setMaxIter(3).setSeed(seed);
  }

  @Test
  void sameSeedAndPartitioningGiveBitIdenticalWeights() {
    // Four partitions, so the sum order of task results could vary between runs.
    Dataset<Row> data = Fixtures.parity(spark(), 1000, 4);
    double[] a = estimator(11).fit(data).weights().toArray();
    double[] b = estimator(11).fit(data).weights().toArray();
    assertArrayEquals(a, b, 0.0);
    double[] c = estimator(12).fit(data).weights().toArray();
    assertFalse(Arrays.equals(a, c), "another seed must give other weights");
  }

  @Test
  void onePartitionAndFourReachTheSameAccuracyBand() {
    Dataset<Row> test = Fixtures.parityTest(spark(), 1000);
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {10, 32, 1}).setStepSize(0.02)
        .setBatchSize(200).setMaxIter(25).setSeed(3);
    double one = Fixtures.accuracy(bp.fit(Fixtures.parity(spark(), 4000, 1)), test);
    double four = Fixtures.accuracy(bp.fit(Fixtures.parity(spark(), 4000, 4)), test);
    assertEquals(one, four, 0.03, "1 partition " + one + " vs 4 partitions " + four);
  }
}
