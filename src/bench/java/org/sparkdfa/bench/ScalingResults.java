package org.sparkdfa.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.sparkdfa.io.AtomicWrite;

/**
 * The figures one scaling run hands to {@link ScalingReport}: a properties file
 * {@code <dir>/<name>.properties} and weight vectors {@code <dir>/<key>.weights} (the raw doubles,
 * so a comparison is bit-for-bit). Files are written whole or not at all ({@link AtomicWrite}), so a run that dies leaves no half file for the report to misread.
 */
final class ScalingResults {
  private final Path dir;
  private final String name;
  private final Properties values = new Properties();

  ScalingResults(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  /** The figures of run {@code name} in {@code dir}, or null when that run wrote none. */
  static ScalingResults read(Path dir, String name) throws IOException {
    ScalingResults r = new ScalingResults(dir, name);
    if (!Files.exists(r.file())) return null;
    try (InputStream in = Files.newInputStream(r.file())) {
      r.values.load(in);
    }
    return r;
  }

  Path file() {
    return dir.resolve(name + ".properties");
  }

  void put(String key, Object value) {
    values.setProperty(key, String.valueOf(value));
  }

  /** A number, NaN when absent. */
  double number(String key) {
    String v = values.getProperty(key);
    return v == null ? Double.NaN : Double.parseDouble(v);
  }

  java.util.Set<String> keys() {
    return values.stringPropertyNames();
  }

  String text(String key) {
    return values.getProperty(key, "(not recorded)");
  }

  void save() throws IOException {
    StringWriter w = new StringWriter();
    values.store(w, "sparkdfa scaling benchmark: run " + name);
    AtomicWrite.file(file(), w.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  void putWeights(String key, double[] weights) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 * weights.length + 4);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(weights.length);
      for (double v : weights) out.writeDouble(v);
    }
    AtomicWrite.file(dir.resolve(key + ".weights"), bytes.toByteArray());
  }

  /** Weights written by some run under {@code key}, or null. */
  static double[] readWeights(Path dir, String key) throws IOException {
    Path f = dir.resolve(key + ".weights");
    if (!Files.exists(f)) return null;
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
        Files.newInputStream(f)))) {
      double[] w = new double[in.readInt()];
      for (int i = 0; i < w.length; i++) w[i] = in.readDouble();
      return w;
    }
  }
}
