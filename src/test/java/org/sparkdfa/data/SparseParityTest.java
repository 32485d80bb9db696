package org.sparkdfa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;

class SparseParityTest extends SparkTestBase {

  private static SparseParity.Builder base() {
    return SparseParity.builder().n(30).k(3).seed(11);
  }

  private static double[] features(Row r) {
    Vector v = r.getAs("features");
    assertTrue(v instanceof DenseVector, "features must be dense");
    return v.toArray();
  }

  // ------------------------------------------------------------ labels

  @Test
  void labelsAgreeWithParityOfSecretBitsOnEveryRow() {
    for (String dist : new String[] {"uniform", "mixture"}) {
      for (boolean zeroOne : new boolean[] {false, true}) {
        for (int k : new int[] {3, 4}) {
          SparseParity p = SparseParity.builder().n(20).k(k).distribution(dist)
              .zeroOneEncoding(zeroOne).seed(5).build();
          List<Row> rows = p.generate(spark(), 1500, 3).collectAsList();
          assertEquals(1500, rows.size());
          double lo = zeroOne ? 0.0 : -1.0;
          for (Row r : rows) {
            double[] x = features(r);
            assertEquals(20, x.length);
            for (double v : x) {
              assertTrue(v == lo || v == 1.0, "feature value " + v + " for " + p);
            }
            // independent recomputation: product of ±1 values (mapping 0/1 back to ±1)
            double prod = 1;
            for (int a : p.secret()) {
              prod *= zeroOne ? 1 - 2 * x[a] : x[a];
            }
            double expected = prod > 0 ? 1.0 : 0.0;
            assertEquals(expected, r.getDouble(1), () -> "row " + r.getLong(2) + " of " + p);
            assertEquals(expected, p.parityLabel(x));
          }
        }
      }
    }
  }

  @Test
  void labelNoiseFlipsAboutTheRequestedFraction() {
    SparseParity p = base().labelNoise(0.2).build();
    List<Row> rows = p.generate(spark(), 4000, 2).collectAsList();
    long flipped = rows.stream().filter(r -> p.parityLabel(features(r)) != r.getDouble(1)).count();
    Stats.assertBinomial("flipped labels", flipped, rows.size(), 0.2, 5);
    // noise-free rows: never flipped
    SparseParity clean = base().build();
    assertTrue(clean.generate(spark(), 500, 2).collectAsList().stream()
        .allMatch(r -> clean.parityLabel(features(r)) == r.getDouble(1)));
  }

  // ------------------------------------------------------------ distributions

  private static long allSecretEqual(SparseParity p, List<Row> rows) {
    int[] s = p.secret();
    return rows.stream().filter(r -> {
      double[] x = features(r);
      return Arrays.stream(s).allMatch(a -> x[a] == x[s[0]]);
    }).count();
  }

  private static long positives(List<Row> rows) {
    return rows.stream().filter(r -> r.getDouble(1) == 1.0).count();
  }

  @Test
  void mixtureHasAboutHalfTheRowsWithEqualSecretBitsAndBalancedLabels() {
    int n = 4000;
    // k = 7: all secret bits equal with probability 1/2 + 1/2 * 2^(1-k) ≈ 0.508 — about half
    SparseParity m7 = SparseParity.builder().n(30).k(7).distribution("mixture").seed(3).build();
    List<Row> rows7 = m7.generate(spark(), n, 4).collectAsList();
    Stats.assertBinomial("mixture k=7 all-equal", allSecretEqual(m7, rows7), n, 0.5 + 0.5 / 64, 5);
    Stats.assertBinomial("mixture k=7 label 1", positives(rows7), n, 0.5, 5);

    // k = 3: all-equal probability 1/2 + 1/8
    SparseParity m3 = base().distribution("mixture").build();
    List<Row> rows3 = m3.generate(spark(), n, 4).collectAsList();
    Stats.assertBinomial("mixture k=3 all-equal", allSecretEqual(m3, rows3), n, 0.625, 5);
    Stats.assertBinomial("mixture k=3 label 1", positives(rows3), n, 0.5, 5);

    // even k: the planted component is always labelled 1, so P(label 1) = 3/4
    SparseParity m4 = base().k(4).distribution("mixture").build();
    List<Row> rows4 = m4.generate(spark(), n, 4).collectAsList();
    Stats.assertBinomial("mixture k=4 label 1", positives(rows4), n, 0.75, 5);

    // uniform, same secret: all-equal probability 2^(1-k), balanced labels
    SparseParity u3 = m3.withDistribution("uniform");
    List<Row> rowsU = u3.generate(spark(), n, 4).collectAsList();
    Stats.assertBinomial("uniform k=3 all-equal", allSecretEqual(u3, rowsU), n, 0.25, 5);
    Stats.assertBinomial("uniform k=3 label 1", positives(rowsU), n, 0.5, 5);
  }

  @Test
  void otherCoordinatesStayUniformUnderMixture() {
    SparseParity m = base().distribution("mixture").build();
    List<Row> rows = m.generate(spark(), 3000, 2).collectAsList();
    int[] s = m.secret();
    for (int i = 0; i < 30; i++) {
      if (Arrays.binarySearch(s, i) >= 0) {
        continue;
      }
      final int c = i;
      long plus = rows.stream().filter(r -> features(r)[c] == 1.0).count();
      Stats.assertBinomial("coordinate " + i + " = +1", plus, rows.size(), 0.5, 5);
    }
  }

  @Test
  void uniformRowsEqualTheMixturesUniformComponentRows() {
    SparseParity m = base().distribution("mixture").build();
    SparseParity u = m.withDistribution(ParityDistribution.UNIFORM);
    int same = 0;
    int rows = 2000;
    for (long i = 0; i < rows; i++) {
      if (Arrays.equals(m.features(0, i), u.features(0, i))) {
        same++;
      }
    }
    // the uniform component (1/2) plus planted rows whose k=3 secret bits already all equalled
    // the planted sign (1/2 * 1/8)
    Stats.assertBinomial("identical rows", same, rows, 0.5 + 0.5 / 8, 5);
  }

  // ------------------------------------------------------------ determinism

  @Test
  void sameSeedGivesIdenticalRowsWith1And3And8Partitions() {
    for (SparseParity p : new SparseParity[] {
        base().distribution("mixture").labelNoise(0.1).build(),
        base().zeroOneEncoding(true).build()}) {
      List<Row> one = p.generate(spark(), 2000, 1).collectAsList();
      List<Row> three = p.generate(spark(), 2000, 3).collectAsList();
      List<Row> eight = p.generate(spark(), 2000, 8).collectAsList();
      assertEquals(one, three);
      assertEquals(one, eight);
      assertEquals(8, p.generate(spark(), 2000, 8).rdd().getNumPartitions());
      // the pure-Java generator gives the same rows
      for (int i = 0; i < one.size(); i += 97) {
        SparseParity.Example e = p.example(0, i);
        assertArrayEquals(e.features(), features(one.get(i)));
        assertEquals(e.label(), one.get(i).getDouble(1));
        assertEquals(i, one.get(i).getLong(2));
      }
      // and the same seed, built afresh, gives the same data again
      SparseParity again = p.toBuilder().build();
      assertEquals(one, again.generate(spark(), 2000, 5).collectAsList());
    }
  }

  @Test
  void rowStreamIsPinned() {
    // a change here changes every data set made from a seed: bump it only on purpose
    SparseParity p = base().distribution("mixture").build();
    String[] expected = {
        "-+++--+-++++---+------+++--++- 1.0",
        "+-+--+++++--+-+---+-++---++++- 1.0",
        "--+--+---+++------+++-----+-++ 0.0"};
    for (int i = 0; i < expected.length; i++) {
      StringBuilder sb = new StringBuilder();
      for (double v : p.features(0, i)) {
        sb.append(v > 0 ? '+' : '-');
      }
      assertEquals(expected[i], sb + " " + p.label(0, i));
    }
  }

  @Test
  void epochsAndSeedsGiveDifferentRowsButEpochsKeepTheSecret() {
    SparseParity p = base().build();
    double[] e0 = p.features(0, 7);
    assertArrayEquals(e0, p.features(0, 7));
    assertNotEquals(Arrays.toString(e0), Arrays.toString(p.features(1, 7)));
    assertNotEquals(Arrays.toString(e0), Arrays.toString(p.features(ExampleGenerator.TEST_EPOCH, 7)));
    List<Row> ep0 = p.generate(spark(), 200, 0, 2).collectAsList();
    List<Row> ep1 = p.generate(spark(), 200, 1, 2).collectAsList();
    assertNotEquals(ep0, ep1);
    SparseParity other = base().seed(12).build();
    assertNotEquals(ep0, other.generate(spark(), 200, 0, 2).collectAsList());
  }

  @Test
  void secretIsAPureSortedFunctionOfSeedNAndK() {
    int[] s = SparseParity.secret(11, 30, 3);
    assertArrayEquals(s, base().build().secret());
    assertArrayEquals(s, base().distribution("mixture").zeroOneEncoding(true).labelNoise(0.3).build().secret());
    assertArrayEquals(s, SparseParity.secret(11, 30, 3));
    // pinned: a change here changes every data set made from a seed
    assertArrayEquals(new int[] {6, 15, 23}, s);
    for (long seed = 0; seed < 200; seed++) {
      int[] a = SparseParity.secret(seed, 12, 5);
      assertEquals(5, a.length);
      for (int i = 0; i < a.length; i++) {
        assertTrue(a[i] >= 0 && a[i] < 12);
        assertTrue(i == 0 || a[i] > a[i - 1], "sorted and distinct: " + Arrays.toString(a));
      }
    }
    assertArrayEquals(new int[] {0, 1, 2, 3}, SparseParity.secret(9, 4, 4));
    // every coordinate equally likely to be secret
    int[] counts = new int[10];
    int draws = 3000;
    for (long seed = 0; seed < draws; seed++) {
      for (int a : SparseParity.secret(seed, 10, 3)) {
        counts[a]++;
      }
    }
    for (int c : counts) {
      Stats.assertBinomial("coordinate chosen", c, draws, 0.3, 5);
    }
    // large n is cheap (Floyd's algorithm)
    assertEquals(4, SparseParity.secret(1, Integer.MAX_VALUE - 8, 4).length);
  }

  // ------------------------------------------------------------ metadata

  @Test
  void secretAndParametersAreInTheFeaturesMetadata() {
    SparseParity p = base().distribution("mixture").zeroOneEncoding(true).labelNoise(0.05).build();
    Dataset<Row> df = p.generate(spark(), 10, 4, 1);
    assertEquals(List.of("features", "label", "id"), Arrays.asList(df.columns()));
    Metadata m = df.schema().apply("features").metadata().getMetadata(SparseParity.METADATA_KEY);
    assertArrayEquals(Arrays.stream(p.secret()).asLongStream().toArray(), m.getLongArray("secret"));
    assertEquals(30, m.getLong("n"));
    assertEquals(3, m.getLong("k"));
    assertEquals("mixture", m.getString("distribution"));
    assertEquals("zero-one", m.getString("encoding"));
    assertEquals(0.05, m.getDouble("label_noise"));
    assertEquals(11, m.getLong("seed"));
    assertEquals(4, m.getLong("epoch"));
    assertEquals(30, AttributeGroup.fromStructField(df.schema().apply("features")).size());
    assertEquals(p, SparseParity.fromMetadata(df.schema().apply("features").metadata()));
    assertEquals(m, DatasetIO.description(df).orElseThrow());
    assertTrue(p.toString().contains(Arrays.toString(p.secret())));
  }

  // ------------------------------------------------------------ validation

  private static void assertRejected(Supplier<?> build, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
    }
  }

  @Test
  void badParametersAreRejectedWithClearMessages() {
    assertRejected(() -> SparseParity.builder().n(0).k(1).build(), "n (number of input bits)", ">= 1", "got 0");
    assertRejected(() -> SparseParity.builder().n(-3).k(1).build(), "n (number of input bits)", "got -3");
    assertRejected(() -> SparseParity.builder().k(1).build(), "n (number of input bits)", "builder().n(");
    assertRejected(() -> base().k(0).build(), "k (size of the secret set)", "[1, n]=[1, 30]", "got 0");
    assertRejected(() -> base().k(31).build(), "k (size of the secret set) must be in [1, n]=[1, 30], got 31");
    assertRejected(() -> base().distribution("gaussian").build(), "unknown distribution 'gaussian'",
        "uniform, mixture");
    assertRejected(() -> base().distribution((String) null).build(), "distribution", "uniform, mixture");
    assertRejected(() -> base().labelNoise(-0.1).build(), "labelNoise", "[0, 0.5]", "-0.1");
    assertRejected(() -> base().labelNoise(0.7).build(), "labelNoise", "0.7");
    assertRejected(() -> base().labelNoise(Double.NaN).build(), "labelNoise", "NaN");
    assertRejected(() -> SparseParity.secret(1, 5, 6), "k (size of the secret set)", "got 6");
    SparseParity p = base().build();
    assertRejected(() -> p.generate(spark(), -1, 2), "rows must be >= 0, got -1");
    assertRejected(() -> p.generate(spark(), 10, 0), "numPartitions must be >= 1, got 0");
    assertRejected(() -> p.fill(0, 0, new double[29]), "length n=30", "got 29");
    assertEquals(ParityDistribution.MIXTURE, ParityDistribution.parse(" Mixture "));
    assertEquals(0, p.generate(spark(), 0, 2).count());
  }
}
