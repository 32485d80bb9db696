package org.sparkdfa.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.io.AtomicWrite;

/**
 * Materialized data sets: Parquet written atomically, read back with the column metadata
 * (secret set, generator parameters, ML attributes) that Spark keeps in the Parquet schema.
 */
public final class DatasetIO {

  /** Default directory for materialized data sets (ignored by git). */
  public static final String DEFAULT_CACHE_DIR = "datasets/cache";

  private DatasetIO() {}

  /**
   * Writes {@code df} as Parquet to {@code path} whole or not at all ({@link AtomicWrite}), so a
   * reader never sees a half-written data set.
   *
   * @throws IllegalArgumentException if {@code path} exists and {@code overwrite} is false
   */
  public static void writeParquet(Dataset<Row> df, String path, boolean overwrite) {
    Configuration conf = df.sparkSession().sparkContext().hadoopConfiguration();
    Path out = new Path(path);
    try {
      if (!overwrite && out.getFileSystem(conf).exists(out)) {
        throw new IllegalArgumentException(
            "output " + path + " already exists; delete it, choose another path or pass overwrite");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access " + path + ": " + e.getMessage(), e);
    }
    AtomicWrite.directory(path, conf, overwrite, tmp -> df.write().parquet(tmp));
  }

  /**
   * Reads a data set written by {@link #writeParquet}: checks that it exists and has a vector
   * column {@code features} and a numeric column {@code label}; metadata comes back with it.
   */
  public static Dataset<Row> readParquet(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new IllegalArgumentException("data set " + path + " does not exist; make it with "
            + "jobs/make-dataset.sh (org.sparkdfa.data.MakeDataset)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access data set " + path + ": " + e.getMessage(), e);
    }
    Dataset<Row> df = spark.read().parquet(path);
    StructType schema = df.schema();
    String[] names = schema.fieldNames();
    if (!Arrays.asList(names).contains("features") || !Arrays.asList(names).contains("label")) {
      throw new IllegalArgumentException("data set " + path + " must have columns 'features' and 'label', has "
          + Arrays.toString(names));
    }
    DataType ft = schema.apply("features").dataType();
    if (!(ft instanceof VectorUDT)) {
      throw new IllegalArgumentException("data set " + path + ": column 'features' must be an ML vector, is "
          + ft.simpleString());
    }
    DataType lt = schema.apply("label").dataType();
    if (!lt.equals(DataTypes.DoubleType)) {
      throw new IllegalArgumentException("data set " + path + ": column 'label' must be double, is "
          + lt.simpleString());
    }
    return df;
  }

  /**
   * The generator description stored in the {@code features} metadata, under
   * {@link SparseParity#METADATA_KEY} or {@link MnistParity#METADATA_KEY}, if any.
   */
  public static Optional<Metadata> description(Dataset<Row> df) {
    if (!Arrays.asList(df.schema().fieldNames()).contains("features")) {
      return Optional.empty();
    }
    Metadata m = df.schema().apply("features").metadata();
    for (String key : new String[] {SparseParity.METADATA_KEY, MnistParity.METADATA_KEY}) {
      if (m.contains(key)) {
        return Optional.of(m.getMetadata(key));
      }
    }
    return Optional.empty();
  }
}
