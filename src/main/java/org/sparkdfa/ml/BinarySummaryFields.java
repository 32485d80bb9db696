package org.sparkdfa.ml;

import org.apache.spark.ml.classification.BinaryClassificationSummary;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's {@link BinaryClassificationSummary} is a Scala trait with private vals, which a Java
 * class must store for it through these mangled accessors. Written once here for both binary
 * summaries (the plain one and the training one, which extend different classes): each only
 * holds a {@link Values} and calls {@code BinaryClassificationSummary.$init$(this)} in its
 * constructor.
 */
interface BinarySummaryFields extends BinaryClassificationSummary {

  /** The trait's private vals, held per summary (transient: recomputed when needed). */
  final class Values implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    transient SparkSession sparkSession;
    transient BinaryClassificationMetrics binaryMetrics;
  }

  Values binaryValues();

  @Override
  default SparkSession org$apache$spark$ml$classification$BinaryClassificationSummary$$sparkSession() {
    return binaryValues().sparkSession;
  }

  @Override
  default void
      org$apache$spark$ml$classification$BinaryClassificationSummary$_setter_$org$apache$spark$ml$classification$BinaryClassificationSummary$$sparkSession_$eq(
      SparkSession session) {
    binaryValues().sparkSession = session;
  }

  @Override
  default BinaryClassificationMetrics
      org$apache$spark$ml$classification$BinaryClassificationSummary$$binaryMetrics() {
    return binaryValues().binaryMetrics;
  }

  @Override
  default void
      org$apache$spark$ml$classification$BinaryClassificationSummary$_setter_$org$apache$spark$ml$classification$BinaryClassificationSummary$$binaryMetrics_$eq(
      BinaryClassificationMetrics metrics) {
    binaryValues().binaryMetrics = metrics;
  }
}
