package org.sparkdfa.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format used by MNIST, Fashion-MNIST and friends, raw or gzip-compressed
 * (detected from the gzip magic bytes, not the file name).
 *
 * <p>Format: two zero bytes, a type code (0x08 unsigned byte, 0x09 signed byte, 0x0B short,
 * 0x0C int, 0x0D float, 0x0E double), the number of dimensions, each dimension as a big-endian
 * 32-bit integer, then the data in row-major order, big-endian.
 *
 * <p>Every problem — missing file, wrong magic number, unsupported type, wrong number of
 * dimensions, truncated data, trailing bytes, corrupt gzip — is an {@link IOException} whose
 * message names the file and the problem ({@link IdxFormatException} for format problems).
 */
public final class IdxReader {

  public static final int TYPE_UBYTE = 0x08;
  public static final int TYPE_BYTE = 0x09;
  public static final int TYPE_SHORT = 0x0B;
  public static final int TYPE_INT = 0x0C;
  public static final int TYPE_FLOAT = 0x0D;
  public static final int TYPE_DOUBLE = 0x0E;

  private IdxReader() {}

  /** The header of an IDX file: element type code and dimensions. */
  public record Header(int type, int[] dims) {
    /** Number of elements the header announces. */
    public long elementCount() {
      long c = 1;
      for (int d : dims) {
        c *= d;
      }
      return c;
    }

    /** Bytes per element. */
    public int elementSize() {
      return IdxReader.elementSize(type);
    }

    @Override
    public String toString() {
      return typeName(type) + " " + Arrays.toString(dims);
    }
  }

  /** Images read from an IDX file of shape (count, height, width); pixels row-major. */
  public record Images(int count, int height, int width, float[][] pixels) {}

  static int elementSize(int type) {
    return switch (type) {
      case TYPE_UBYTE, TYPE_BYTE -> 1;
      case TYPE_SHORT -> 2;
      case TYPE_INT, TYPE_FLOAT -> 4;
      case TYPE_DOUBLE -> 8;
      default -> -1;
    };
  }

  static String typeName(int type) {
    String name = switch (type) {
      case TYPE_UBYTE -> "unsigned byte";
      case TYPE_BYTE -> "signed byte";
      case TYPE_SHORT -> "short";
      case TYPE_INT -> "int";
      case TYPE_FLOAT -> "float";
      case TYPE_DOUBLE -> "double";
      default -> "unknown";
    };
    return String.format(Locale.ROOT, "0x%02X (%s)", type, name);
  }

  /** Reads only the header. */
  public static Header readHeader(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      return header(file, in);
    }
  }

  /**
   * Reads images from a 3-dimensional file (count, height, width) of unsigned bytes, scaled by
   * 1/255 into [0, 1], or of floats / doubles, taken as they are.
   */
  public static Images readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      Header h = header(file, in);
      if (h.dims.length != 3) {
        throw new IdxFormatException(file, "an images file must have 3 dimensions (count, rows, columns), "
            + "this one has " + h.dims.length + " " + Arrays.toString(h.dims)
            + (h.dims.length == 1 ? " (is it a labels file?)" : ""));
      }
      if (h.type != TYPE_UBYTE && h.type != TYPE_FLOAT && h.type != TYPE_DOUBLE) {
        throw new IdxFormatException(file, "unsupported element type " + typeName(h.type)
            + " for images; expected " + typeName(TYPE_UBYTE) + ", " + typeName(TYPE_FLOAT)
            + " or " + typeName(TYPE_DOUBLE));
      }
      int count = h.dims[0];
      int height = h.dims[1];
      int width = h.dims[2];
      long perImage = (long) height * width;
      if (perImage > Integer.MAX_VALUE / 8) {
        throw new IdxFormatException(file, "images of " + height + "x" + width + " are too large");
      }
      int pixels = (int) perImage;
      int size = h.elementSize();
      float[][] out = new float[count][pixels];
      byte[] buf = new byte[pixels * size];
      for (int i = 0; i < count; i++) {
        readData(file, in, h, buf, (long) i * buf.length);
        float[] img = out[i];
        if (h.type == TYPE_UBYTE) {
          for (int p = 0; p < pixels; p++) {
            img[p] = (buf[p] & 0xFF) / 255f;
          }
        } else {
          ByteBuffer bb = ByteBuffer.wrap(buf); // big-endian
          for (int p = 0; p < pixels; p++) {
            img[p] = h.type == TYPE_FLOAT ? bb.getFloat() : (float) bb.getDouble();
          }
        }
      }
      checkEnd(file, in, h);
      return new Images(count, height, width, out);
    }
  }

  /** Reads labels from a 1-dimensional file of unsigned bytes, signed bytes, shorts or ints. */
  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      Header h = header(file, in);
      if (h.dims.length != 1) {
        throw new IdxFormatException(file, "a labels file must have 1 dimension (count), this one has "
            + h.dims.length + " " + Arrays.toString(h.dims)
            + (h.dims.length == 3 ? " (is it an images file?)" : ""));
      }
      if (h.type == TYPE_FLOAT || h.type == TYPE_DOUBLE) {
        throw new IdxFormatException(file, "unsupported element type " + typeName(h.type)
            + " for labels; expected an integer type such as " + typeName(TYPE_UBYTE));
      }
      int count = h.dims[0];
      int size = h.elementSize();
      byte[] buf = new byte[Math.multiplyExact(count, size)];
      readData(file, in, h, buf, 0);
      checkEnd(file, in, h);
      int[] labels = new int[count];
      ByteBuffer bb = ByteBuffer.wrap(buf);
      for (int i = 0; i < count; i++) {
        labels[i] = switch (h.type) {
          case TYPE_UBYTE -> bb.get() & 0xFF;
          case TYPE_BYTE -> bb.get();
          case TYPE_SHORT -> bb.getShort();
          default -> bb.getInt();
        };
      }
      return labels;
    }
  }

  /** Opens a file for reading, decompressing it when it starts with the gzip magic bytes. */
  static DataInputStream open(Path file) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("IDX file path must not be null");
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "IDX file not found");
    }
    if (!Files.isRegularFile(file)) {
      throw new IdxFormatException(file, "not a regular file");
    }
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1F && b1 == 0x8B) {
        raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      }
      return new DataInputStream(raw);
    } catch (ZipException | EOFException e) {
      raw.close();
      throw new IdxFormatException(file, "corrupt gzip header: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static Header header(Path file, DataInputStream in) throws IOException {
    byte[] magic = new byte[4];
    int got = readFully(file, in, magic);
    if (got < 4) {
      throw new IdxFormatException(file, got == 0 ? "file is empty, expected an IDX header"
          : "truncated: only " + got + " bytes, shorter than the 4-byte magic number");
    }
    int magicNumber = ByteBuffer.wrap(magic).getInt();
    int type = magic[2] & 0xFF;
    int ndims = magic[3] & 0xFF;
    if (magic[0] != 0 || magic[1] != 0 || elementSize(type) < 0 || ndims == 0) {
      throw new IdxFormatException(file, String.format(Locale.ROOT,
          "wrong magic number 0x%08X: an IDX file starts with two zero bytes, a type code "
              + "(0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E) and a number of dimensions >= 1, "
              + "e.g. 0x00000803 for MNIST images and 0x00000801 for labels", magicNumber));
    }
    byte[] dimBytes = new byte[4 * ndims];
    got = readFully(file, in, dimBytes);
    if (got < dimBytes.length) {
      throw new IdxFormatException(file, "truncated header: " + ndims + " dimensions announced but only "
          + got + " of their " + dimBytes.length + " bytes present");
    }
    int[] dims = new int[ndims];
    ByteBuffer bb = ByteBuffer.wrap(dimBytes);
    for (int i = 0; i < ndims; i++) {
      dims[i] = bb.getInt();
      if (dims[i] < 0) {
        throw new IdxFormatException(file, "negative dimension " + dims[i] + " at index " + i
            + " (" + Integer.toUnsignedString(dims[i]) + " unsigned): corrupt header");
      }
    }
    return new Header(type, dims);
  }

  private static void readData(Path file, DataInputStream in, Header h, byte[] buf, long alreadyRead)
      throws IOException {
    int got = readFully(file, in, buf);
    if (got < buf.length) {
      long expected = h.elementCount() * h.elementSize();
      throw new IdxFormatException(file, "truncated: the header announces " + h + " = " + expected
          + " bytes of data but the data ends after " + (alreadyRead + got) + " bytes");
    }
  }

  private static void checkEnd(Path file, DataInputStream in, Header h) throws IOException {
    int extra = 0;
    byte[] tmp = new byte[8192];
    int r;
    while ((r = read(file, in, tmp)) > 0) {
      extra += r;
      if (extra > (1 << 20)) {
        break;
      }
    }
    if (extra > 0) {
      throw new IdxFormatException(file, (extra > (1 << 20) ? "more than 1 MiB" : extra + " bytes")
          + " of data after the " + h + " announced by the header (wrong header or concatenated files?)");
    }
  }

  /** Reads until the buffer is full or the stream ends; returns the number of bytes read. */
  private static int readFully(Path file, InputStream in, byte[] buf) throws IOException {
    int off = 0;
    while (off < buf.length) {
      int r = read(file, in, buf, off, buf.length - off);
      if (r < 0) {
        break;
      }
      off += r;
    }
    return off;
  }

  private static int read(Path file, InputStream in, byte[] buf) throws IOException {
    return read(file, in, buf, 0, buf.length);
  }

  private static int read(Path file, InputStream in, byte[] buf, int off, int len) throws IOException {
    try {
      return in.read(buf, off, len);
    } catch (ZipException e) {
      throw new IdxFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new IdxFormatException(file, "truncated gzip stream: " + e.getMessage(), e);
    }
  }
}
