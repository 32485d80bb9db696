package org.sparkdfa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir
  Path dir;

  private static float[][] randomImages(int count, int pixels, long seed) {
    Random r = new Random(seed);
    float[][] images = new float[count][pixels];
    for (float[] img : images) {
      for (int p = 0; p < pixels; p++) {
        img[p] = r.nextInt(256) / 255f;
      }
    }
    return images;
  }

  private static <T extends Throwable> T assertMessage(Class<T> type, Executable call, String... fragments) {
    T e = assertThrows(type, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
    }
    return e;
  }

  @Test
  void unsignedByteImagesAndLabelsRoundTripRawAndGzipped() throws IOException {
    float[][] images = randomImages(37, 5 * 4, 1);
    int[] labels = new Random(2).ints(37, 0, 256).toArray();
    for (String suffix : new String[] {"", ".gz"}) {
      Path im = dir.resolve("images-idx3-ubyte" + suffix);
      Path lb = dir.resolve("labels-idx1-ubyte" + suffix);
      IdxWriter.writeImages(im, images, 5, 4);
      IdxWriter.writeLabels(lb, labels);
      IdxReader.Images back = IdxReader.readImages(im);
      assertEquals(37, back.count());
      assertEquals(5, back.height());
      assertEquals(4, back.width());
      for (int i = 0; i < images.length; i++) {
        assertArrayEquals(images[i], back.pixels()[i]);
      }
      assertArrayEquals(labels, IdxReader.readLabels(lb));
      IdxReader.Header h = IdxReader.readHeader(im);
      assertEquals(IdxReader.TYPE_UBYTE, h.type());
      assertArrayEquals(new int[] {37, 5, 4}, h.dims());
      assertEquals(37L * 20, h.elementCount());
      DigitPool pool = DigitPool.load(im, lb);
      assertEquals(37, pool.size());
      assertEquals(20, pool.numPixels());
    }
    // raw files start with the IDX magic, gzipped ones with the gzip magic
    byte[] raw = Files.readAllBytes(dir.resolve("images-idx3-ubyte"));
    assertArrayEquals(new byte[] {0, 0, 8, 3}, Arrays.copyOf(raw, 4));
    byte[] gz = Files.readAllBytes(dir.resolve("images-idx3-ubyte.gz"));
    assertEquals((byte) 0x1F, gz[0]);
    assertEquals((byte) 0x8B, gz[1]);
  }

  @Test
  void gzipIsDetectedFromTheContentNotTheName() throws IOException {
    Path gz = dir.resolve("l.gz");
    IdxWriter.writeLabels(gz, new int[] {3, 1, 4});
    Path renamed = Files.move(gz, dir.resolve("labels.bin"));
    assertArrayEquals(new int[] {3, 1, 4}, IdxReader.readLabels(renamed));
  }

  @Test
  void floatImagesRoundTrip() throws IOException {
    float[][] images = {{0.25f, -1.5f, 3e-7f, 1f}, {0f, 0.1f, 0.2f, 0.3f}};
    Path f = dir.resolve("float-images.gz");
    IdxWriter.writeFloatImages(f, images, 2, 2);
    IdxReader.Images back = IdxReader.readImages(f);
    assertEquals(IdxReader.TYPE_FLOAT, IdxReader.readHeader(f).type());
    assertArrayEquals(images[0], back.pixels()[0]);
    assertArrayEquals(images[1], back.pixels()[1]);
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope-idx3-ubyte.gz");
    assertMessage(NoSuchFileException.class, () -> IdxReader.readImages(missing),
        missing.toString(), "not found");
    assertMessage(UncheckedIOException.class, () -> DigitPool.load(missing, missing), missing.toString());
  }

  @Test
  void emptyAndNonIdxFilesAreRejected() throws IOException {
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertMessage(IdxFormatException.class, () -> IdxReader.readLabels(empty), empty.toString(), "empty");
    Path text = Files.write(dir.resolve("notes.txt"), "hello, world".getBytes(StandardCharsets.US_ASCII));
    assertMessage(IdxFormatException.class, () -> IdxReader.readImages(text), text.toString(),
        "wrong magic number 0x68656C6C");
    Path badType = Files.write(dir.resolve("badtype"), new byte[] {0, 0, 0x07, 1, 0, 0, 0, 0});
    assertMessage(IdxFormatException.class, () -> IdxReader.readLabels(badType), "wrong magic number 0x00000701");
    Path shortHeader = Files.write(dir.resolve("short"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
    assertMessage(IdxFormatException.class, () -> IdxReader.readImages(shortHeader), "truncated header");
    Path corruptGz = Files.write(dir.resolve("corrupt.gz"), new byte[] {0x1F, (byte) 0x8B, 1, 2, 3});
    assertMessage(IdxFormatException.class, () -> IdxReader.readLabels(corruptGz), corruptGz.toString(), "gzip");
  }

  @Test
  void truncatedAndOverlongFilesAreRejected() throws IOException {
    Path im = dir.resolve("images");
    IdxWriter.writeImages(im, randomImages(10, 9, 3), 3, 3);
    byte[] all = Files.readAllBytes(im);
    Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(all, all.length - 5));
    assertMessage(IdxFormatException.class, () -> IdxReader.readImages(cut), cut.toString(), "truncated",
        "90 bytes of data", "ends after 85 bytes");
    byte[] longer = Arrays.copyOf(all, all.length + 3);
    Path extra = Files.write(dir.resolve("extra"), longer);
    assertMessage(IdxFormatException.class, () -> IdxReader.readImages(extra), "3 bytes of data after");

    Path gz = dir.resolve("images.gz");
    IdxWriter.writeImages(gz, randomImages(200, 784, 4), 28, 28);
    byte[] gzAll = Files.readAllBytes(gz);
    Path gzCut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gzAll, gzAll.length / 2));
    assertMessage(IdxFormatException.class, () -> IdxReader.readImages(gzCut), gzCut.toString(), "truncated");
  }

  @Test
  void wrongKindOfFileAndCountMismatchAreExplained() throws IOException {
    Path im = dir.resolve("im.gz");
    Path lb = dir.resolve("lb.gz");
    IdxWriter.writeImages(im, randomImages(4, 4, 5), 2, 2);
    IdxWriter.writeLabels(lb, new int[] {1, 2, 3});
    assertMessage(IdxFormatException.class, () -> IdxReader.readImages(lb), "3 dimensions", "labels file?");
    assertMessage(IdxFormatException.class, () -> IdxReader.readLabels(im), "1 dimension", "images file?");
    assertMessage(UncheckedIOException.class, () -> DigitPool.load(im, lb),
        "image/label count mismatch", "3 labels but 4 images", lb.toString());
    Path floats = dir.resolve("floats");
    IdxWriter.writeFloatImages(floats, new float[][] {{1f}}, 1, 1);
    Path floatLabels = Files.write(dir.resolve("fl"), new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
    assertMessage(IdxFormatException.class, () -> IdxReader.readLabels(floatLabels), "0x0D (float)");
  }

  @Test
  void writerRejectsValuesItCannotStore() {
    assertMessage(IllegalArgumentException.class,
        () -> IdxWriter.writeImages(dir.resolve("x"), new float[][] {{0.5f, 1.5f}}, 1, 2), "1.5", "[0, 1]");
    assertMessage(IllegalArgumentException.class,
        () -> IdxWriter.writeImages(dir.resolve("x"), new float[][] {{0.5f}}, 1, 2), "expected height*width");
    assertMessage(IllegalArgumentException.class,
        () -> IdxWriter.writeLabels(dir.resolve("x"), new int[] {256}), "256", "[0, 255]");
  }
}
