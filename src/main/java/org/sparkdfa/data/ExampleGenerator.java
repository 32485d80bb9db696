package org.sparkdfa.data;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A data set as a pure function of (epoch, row index): the same example wherever and however
 * often it is generated, with no Spark involved. Trainers can use it to draw examples inside
 * partitions (for instance fresh training examples every epoch) without building a DataFrame
 * ({@code fitFreshPerEpoch(generator, rows, partitions)} on the estimators).
 *
 * <p>Implementations are immutable and thread-safe. Epochs ≥ 0 are training streams; by
 * convention the test set is the stream {@link #TEST_EPOCH}, which never coincides with a
 * training stream.
 */
public interface ExampleGenerator extends Serializable {

  /** The stream used for test sets, distinct from every training epoch (≥ 0). */
  long TEST_EPOCH = -1L;

  /** Length of every feature vector. */
  int numFeatures();

  /**
   * Writes the features of row {@code rowIndex} of {@code epoch} into {@code features} (length
   * {@link #numFeatures()}) and returns its label, 0.0 or 1.0.
   */
  double fill(long epoch, long rowIndex, double[] features);

  /**
   * Rows 0..rows-1 of {@code epoch} as a DataFrame ({@code features} with its size in the ML
   * attribute metadata, {@code label}, and the generator's own columns), row i being
   * {@link #fill}'s row i, split into {@code numPartitions} partitions as {@code spark.range}
   * splits them.
   */
  Dataset<Row> generate(SparkSession spark, long rows, long epoch, int numPartitions);

  /** The features of one row, freshly allocated. */
  default double[] features(long epoch, long rowIndex) {
    double[] f = new double[numFeatures()];
    fill(epoch, rowIndex, f);
    return f;
  }

  /** The label of one row (computes the whole row). */
  default double label(long epoch, long rowIndex) {
    return fill(epoch, rowIndex, new double[numFeatures()]);
  }
}
