package org.sparkdfa.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.io.AtomicWrite;

/**
 * Saving any Spark ML writable so that a failed overwrite loses nothing (the folder is written by
 * {@link AtomicWrite#directory}: a hidden temporary sibling that replaces the target only when
 * complete).
 */
public final class AtomicDirectory {
  private AtomicDirectory() {}

  /**
   * Saves any Spark ML writable (a {@code PipelineModel}, a {@code CrossValidatorModel}, …) with
   * overwrite semantics, safely: Spark's own writers delete the target before writing anything
   * when {@code overwrite()} is set, so a failing save of a Pipeline loses the saved one; this
   * writes {@code item} to a temporary sibling and swaps it in only when complete.
   */
  public static void overwrite(MLWritable item, String path) {
    Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
    AtomicWrite.directory(path, conf, true, tmp -> item.write().save(tmp));
  }
}
