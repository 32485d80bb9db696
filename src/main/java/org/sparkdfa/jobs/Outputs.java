package org.sparkdfa.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.sparkdfa.io.AtomicWrite;

/**
 * The job's output files, written whole or not at all ({@link AtomicWrite}) through the Hadoop
 * FileSystem API: a local folder, {@code file:} on a shared path or {@code hdfs://…}, as
 * {@code --out} names it.
 */
final class Outputs {
  private Outputs() {}

  /**
   * Hadoop settings as the job's SparkContext will have them ({@code spark.hadoop.*} of the
   * submitted configuration), available before Spark starts.
   */
  static Configuration hadoopConf() {
    Configuration conf = new Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf().getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) conf.set(kv._1().substring(13), kv._2());
    }
    return conf;
  }

  static FileSystem fileSystem(Path path) {
    try {
      return AtomicWrite.fileSystem(path, hadoopConf());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + path + ": " + e.getMessage(), e);
    }
  }

  static void write(Path file, byte[] bytes) {
    try {
      AtomicWrite.file(fileSystem(file), file, out -> out.write(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static void write(Path file, String text) {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A local file (the cluster checks' result files). */
  static void write(java.nio.file.Path file, String text) {
    AtomicWrite.file(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
