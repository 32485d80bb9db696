package org.sparkdfa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;

class MnistParityTest extends SparkTestBase {

  static DigitPool train;
  static DigitPool test;

  @BeforeAll
  static void load() {
    train = DigitPool.shipped(DigitPool.Split.TRAIN);
    test = DigitPool.shipped(DigitPool.Split.TEST);
  }

  private static int[] digits(Row r) {
    List<Integer> l = r.getList(2);
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[] features(Row r) {
    return ((Vector) r.getAs("features")).toArray();
  }

  /** Index of pool images by content, to find which images an example is made of. */
  private static Map<Integer, List<Integer>> index(DigitPool pool) {
    Map<Integer, List<Integer>> m = new HashMap<>();
    for (int i = 0; i < pool.size(); i++) {
      m.computeIfAbsent(Arrays.hashCode(toDouble(pool.images()[i])), x -> new ArrayList<>()).add(i);
    }
    return m;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Checks that every image of every row is an image of {@code pool} labelled with the row's digit. */
  private static void assertMadeOfPoolImages(List<Row> rows, DigitPool pool, int k) {
    Map<Integer, List<Integer>> idx = index(pool);
    for (Row r : rows) {
      double[] f = features(r);
      int[] d = digits(r);
      for (int j = 0; j < k; j++) {
        double[] img = MnistParity.image(f, j, k, 28, 28);
        final int digit = d[j];
        boolean found = idx.getOrDefault(Arrays.hashCode(img), List.of()).stream()
            .anyMatch(i -> pool.labels()[i] == digit && Arrays.equals(toDouble(pool.images()[i]), img));
        assertTrue(found, "row " + r.getLong(3) + " image " + j + " is not a pool image of digit " + digit);
      }
    }
  }

  @Test
  void schemaShapesAndMetadata() {
    MnistParity p = MnistParity.builder().pool(train).k(3).seed(1).build();
    Dataset<Row> df = p.generate(spark(), 20, 2);
    assertEquals(List.of("features", "label", "digits", "id"), Arrays.asList(df.columns()));
    assertEquals(DataTypes.DoubleType, df.schema().apply("label").dataType());
    assertTrue(df.schema().apply("digits").dataType() instanceof ArrayType);
    assertEquals(3 * 784, p.numFeatures());
    assertEquals(3 * 784, AttributeGroup.fromStructField(df.schema().apply("features")).size());
    Row r = df.first();
    assertEquals(3 * 784, features(r).length);
    assertEquals(3, digits(r).length);
    Metadata m = df.schema().apply("features").metadata().getMetadata(MnistParity.METADATA_KEY);
    assertEquals(3, m.getLong("k"));
    assertEquals(1, m.getLong("seed"));
    assertEquals(train.size(), m.getLong("pool_size"));
    assertEquals(10, m.getLong("num_classes"));
    assertTrue(m.getString("layout").startsWith("side-by-side: 28 x 84"));
    assertEquals(m, DatasetIO.description(df).orElseThrow());
  }

  @Test
  void labelsAgreeWithDigitsAndImagesComeFromTheRightPool() {
    MnistParity tr = MnistParity.builder().pool(train).k(3).seed(4).build();
    List<Row> trainRows = tr.generate(spark(), 400, 3).collectAsList();
    MnistParity te = tr.withPool(test);
    List<Row> testRows = te.generate(spark(), 300, ExampleGenerator.TEST_EPOCH, 3).collectAsList();
    for (List<Row> rows : List.of(trainRows, testRows)) {
      for (Row r : rows) {
        int sum = Arrays.stream(digits(r)).sum();
        assertEquals(sum % 2 == 0 ? 1.0 : 0.0, r.getDouble(1), "row " + r.getLong(3));
        assertEquals(MnistParity.parityLabel(digits(r)), r.getDouble(1));
        for (double v : features(r)) {
          assertTrue(v >= 0 && v <= 1);
        }
      }
    }
    assertMadeOfPoolImages(trainRows, train, 3);
    assertMadeOfPoolImages(testRows, test, 3);
  }

  @Test
  void labelsAreAboutBalancedAndDigitsUniformOverThePool() {
    int k = 2;
    int n = 4000;
    MnistParity p = MnistParity.builder().pool(train).k(k).seed(9).build();
    List<Row> rows = p.generate(spark(), n, 4).collectAsList();
    int[] counts = train.classCounts();
    double q = 0; // share of even digits in the pool
    for (int d = 0; d < counts.length; d += 2) {
      q += counts[d];
    }
    q /= train.size();
    double pEven = (1 + Math.pow(2 * q - 1, k)) / 2;
    long positives = rows.stream().filter(r -> r.getDouble(1) == 1.0).count();
    Stats.assertBinomial("label 1", positives, n, pEven, 5);
    assertTrue(Math.abs(pEven - 0.5) < 0.01);
    long ones = rows.stream().mapToLong(r -> Arrays.stream(digits(r)).filter(d -> d == 1).count()).sum();
    Stats.assertBinomial("digit 1 draws", ones, (long) n * k, counts[1] / (double) train.size(), 5);
  }

  @Test
  void sameSeedGivesIdenticalRowsWith1And3And8Partitions() {
    MnistParity p = MnistParity.builder().pool(train).k(2).seed(21).build();
    List<Row> one = p.generate(spark(), 600, 1).collectAsList();
    List<Row> three = p.generate(spark(), 600, 3).collectAsList();
    List<Row> eight = p.generate(spark(), 600, 8).collectAsList();
    assertEquals(one, three);
    assertEquals(one, eight);
    List<Row> viaStatic = MnistParity.generate(spark(), train, 2, 600, 21, 0, 5).collectAsList();
    assertEquals(one, viaStatic);
    for (int i = 0; i < one.size(); i += 53) {
      MnistParity.Example e = p.example(0, i);
      assertArrayEquals(e.features(), features(one.get(i)));
      assertArrayEquals(e.digits(), digits(one.get(i)));
      assertEquals(e.label(), one.get(i).getDouble(1));
      assertEquals(e.label(), p.label(0, i));
    }
    // fresh examples every epoch, from (seed, epoch)
    List<Row> epoch1 = p.generate(spark(), 600, 1, 3).collectAsList();
    assertNotEquals(one, epoch1);
    assertEquals(epoch1, p.generate(spark(), 600, 1, 8).collectAsList());
    assertArrayEquals(p.poolIndices(1, 17), p.poolIndices(1, 17));
    // pinned: a change here changes every data set made from a seed
    MnistParity pinned = MnistParity.builder().pool(train).k(3).seed(11).build();
    assertArrayEquals(new int[] {1258, 4998, 1003}, pinned.poolIndices(0, 0));
    assertArrayEquals(new int[] {1, 6, 1}, pinned.example(0, 0).digits());
    assertNotEquals(Arrays.toString(p.poolIndices(0, 17)), Arrays.toString(p.poolIndices(1, 17)));
  }

  @Test
  void badParametersAreRejectedWithClearMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MnistParity.builder().pool(train).k(0).build());
    assertTrue(e.getMessage().contains("k (digits per example) must be >= 1, got 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MnistParity.builder().k(2).build());
    assertTrue(e.getMessage().contains("pool must be set"), e.getMessage());
    MnistParity p = MnistParity.builder().pool(test).k(1).build();
    e = assertThrows(IllegalArgumentException.class, () -> p.generate(spark(), -5, 2));
    assertTrue(e.getMessage().contains("rows must be >= 0, got -5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> p.fill(0, 0, new double[10]));
    assertTrue(e.getMessage().contains("784"), e.getMessage());
  }
}
