package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.DigitPool;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.data.MnistParity;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.ml.DfaMlpClassifier;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.TrainingData;


/**
 * Fresh rows generated straight into packed blocks are the blocks packing the generator's
 * DataFrame makes: same partitions, same rows, same bits, so the same weights.
 */
class GeneratedRowsTest extends SparkTestBase {

  private static final SparseParity PARITY =
      SparseParity.builder().n(12).k(2).distribution("uniform").seed(4).build();

  private static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark().sparkContext());
  }

  @Test
  void generatedBlocksAreThePackedBlocksOfTheGeneratorsDataFrame() {
    for (Precision precision : Precision.values()) {
      BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", 12, Loss.BCE,
          1, precision);
      // 1001 rows in 3 partitions: spark.range's split leaves them uneven.
      try (TrainingData generated = TrainingData.generated(jsc(), PARITY, 1001, 3, cols);
          TrainingData packed = TrainingData.pack(PARITY.generate(spark(), 1001, 0, 3), cols)) {
        assertArrayEquals(packed.partitionRows(), generated.partitionRows(), precision.name());
        assertEquals(packed.digest(), generated.digest(), precision.name());
        generated.blocks(2);
        try (TrainingData packed2 = TrainingData.pack(PARITY.generate(spark(), 1001, 2, 3),
            cols)) {
          assertEquals(packed2.digest(), generated.digest(), "epoch 2, " + precision.name());
        }
      }
    }
  }

  @Test
  void fittingOnAGeneratorGivesTheWeightsOfFittingOnItsDataFrames() {
    DfaMlpClassifier dfa = new DfaMlpClassifier().setLayers(new int[] {12, 16, 1})
        .setBatchSize(50).setMaxIter(3).setSeed(3);
    double[] viaFrames = dfa.fitFreshPerEpoch(e -> PARITY.generate(spark(), 600, e, 2))
        .weights().toArray();
    assertArrayEquals(viaFrames, dfa.fitFreshPerEpoch(PARITY, 600, 2).weights().toArray(), 0.0);

    MnistParity mnist = MnistParity.builder().pool(DigitPool.shipped(DigitPool.Split.TRAIN))
        .k(2).seed(5).build();
    BpMlpClassifier bp = new BpMlpClassifier().setLayers(new int[] {1568, 8, 1}).setBatchSize(64).setMaxIter(2)
        .setSeed(3).setPrecision("float32");
    assertArrayEquals(bp.fitFreshPerEpoch(e -> mnist.generate(spark(), 300, e, 3))
        .weights().toArray(), bp.fitFreshPerEpoch(mnist, 300, 3).weights().toArray(), 0.0);
  }

  @Test
  void aGeneratorOfTheWrongSizeOrAWeightColumnIsRefusedBeforeAnyJob() {
    BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", 13, Loss.BCE,
        1);
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> TrainingData.generated(jsc(), PARITY, 100, 2, cols));
    assertTrue(size.getMessage().contains("12 features") && size.getMessage().contains("13"),
        size.getMessage());
    IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
        () -> new BpMlpClassifier().setLayers(new int[] {12, 4, 1}).setWeightCol("w")
            .fitFreshPerEpoch((ExampleGenerator) PARITY, 100, 2));
    assertTrue(weight.getMessage().contains("weightCol"), weight.getMessage());
  }
}
