package org.sparkdfa;

import org.apache.spark.sql.SparkSession;

/**
 * One SparkSession per test JVM (surefire reuses a single fork), created on first use.
 * Spark start-up costs seconds, so tests share it instead of starting their own; the JVM's
 * shutdown hook stops it.
 */
public abstract class SparkTestBase {

  private static SparkSession spark;

  protected static synchronized SparkSession spark() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("sparkdfa-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    return spark;
  }
}
