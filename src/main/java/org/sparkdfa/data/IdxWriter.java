package org.sparkdfa.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.sparkdfa.io.AtomicWrite;

/**
 * Writer of IDX files (see {@link IdxReader}), gzip-compressed when the file name ends in
 * {@code .gz}. Files are written whole or not at all ({@link AtomicWrite}), so a reader never
 * sees a half-written file. The gzip output carries no timestamp: equal data gives equal bytes.
 */
public final class IdxWriter {

  private IdxWriter() {}

  /**
   * Writes images (values in [0, 1], each of height × width pixels, row-major) as unsigned bytes
   * round(v · 255), the way MNIST stores them.
   */
  public static void writeImages(Path file, float[][] images, int height, int width) throws IOException {
    checkImages(images, height, width);
    for (int i = 0; i < images.length; i++) {
      for (int p = 0; p < images[i].length; p++) {
        float v = images[i][p];
        if (!(v >= 0f && v <= 1f)) {
          throw new IllegalArgumentException(
              "image " + i + " pixel " + p + " = " + v + " is outside [0, 1]; cannot store it as a byte");
        }
      }
    }
    write(file, IdxReader.TYPE_UBYTE, new int[] {images.length, height, width}, out -> {
      byte[] buf = new byte[height * width];
      for (float[] img : images) {
        for (int p = 0; p < buf.length; p++) {
          buf[p] = (byte) Math.round(img[p] * 255f);
        }
        out.write(buf);
      }
    });
  }

  /** Writes images as IDX floats (type 0x0D), unchanged. */
  public static void writeFloatImages(Path file, float[][] images, int height, int width) throws IOException {
    checkImages(images, height, width);
    write(file, IdxReader.TYPE_FLOAT, new int[] {images.length, height, width}, out -> {
      for (float[] img : images) {
        for (float v : img) {
          out.writeFloat(v);
        }
      }
    });
  }

  /** Writes labels in [0, 255] as unsigned bytes. */
  public static void writeLabels(Path file, int[] labels) throws IOException {
    if (labels == null) {
      throw new IllegalArgumentException("labels must not be null");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] > 255) {
        throw new IllegalArgumentException(
            "label " + i + " = " + labels[i] + " does not fit an unsigned byte [0, 255]");
      }
    }
    write(file, IdxReader.TYPE_UBYTE, new int[] {labels.length}, out -> {
      for (int label : labels) {
        out.writeByte(label);
      }
    });
  }

  private static void checkImages(float[][] images, int height, int width) {
    if (images == null) {
      throw new IllegalArgumentException("images must not be null");
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("height and width must be >= 1, got " + height + "x" + width);
    }
    for (int i = 0; i < images.length; i++) {
      if (images[i] == null || images[i].length != height * width) {
        throw new IllegalArgumentException("image " + i + " has "
            + (images[i] == null ? "no pixels" : images[i].length + " pixels")
            + ", expected height*width = " + height + "*" + width + " = " + height * width);
      }
    }
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static void write(Path file, int type, int[] dims, Body body) throws IOException {
    boolean gz = file.getFileName().toString().endsWith(".gz");
    AtomicWrite.file(file, os -> {
      OutputStream maybeGz = gz ? new GZIPOutputStream(os, 1 << 16) : os;
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(maybeGz, 1 << 16));
      out.writeShort(0);
      out.writeByte(type);
      out.writeByte(dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      body.write(out);
      out.flush();
      if (maybeGz instanceof GZIPOutputStream g) g.finish();
    });
  }
}
