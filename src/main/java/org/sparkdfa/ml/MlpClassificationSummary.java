package org.sparkdfa.ml;

import org.apache.spark.ml.classification.ClassificationSummary;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A classification model's metrics on some rows — Spark's own {@link ClassificationSummary}
 * (accuracy, per-label precision/recall/F-measure, weighted metrics), computed by Spark's
 * {@code MulticlassMetrics} over the predictions, as MLlib's MLPC summary is. Returned by
 * {@link MlpClassificationModel#evaluate}; binary models return {@link
 * MlpBinaryClassificationSummary}.
 */
public class MlpClassificationSummary implements ClassificationSummary {
  private static final long serialVersionUID = 1L;

  private final Dataset<Row> predictions;
  private final String predictionCol;
  private final String labelCol;
  private final String weightCol;
  /** The trait's private val, which a Java class holds for it. */
  private transient MulticlassMetrics multiclassMetrics;

  MlpClassificationSummary(Dataset<Row> predictions, String predictionCol, String labelCol,
      String weightCol) {
    this.predictions = predictions;
    this.predictionCol = predictionCol;
    this.labelCol = labelCol;
    this.weightCol = weightCol;
    ClassificationSummary.$init$(this); // builds the (lazy) metrics, as a Scala subclass would
  }

  @Override
  public Dataset<Row> predictions() {
    return predictions;
  }

  @Override
  public String predictionCol() {
    return predictionCol;
  }

  @Override
  public String labelCol() {
    return labelCol;
  }

  /** The row-weight column, or "" when every row weighs 1. */
  @Override
  public String weightCol() {
    return weightCol;
  }

  @Override
  public MulticlassMetrics
      org$apache$spark$ml$classification$ClassificationSummary$$multiclassMetrics() {
    return multiclassMetrics;
  }

  @Override
  public void
      org$apache$spark$ml$classification$ClassificationSummary$_setter_$org$apache$spark$ml$classification$ClassificationSummary$$multiclassMetrics_$eq(
      MulticlassMetrics metrics) {
    this.multiclassMetrics = metrics;
  }
}
