package org.sparkdfa.ml;

import org.apache.spark.ml.classification.BinaryClassificationSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A binary classification model's metrics on some rows — Spark's own {@link
 * BinaryClassificationSummary}: ROC, area under it, PR curve, measures by threshold (Spark's
 * {@code BinaryClassificationMetrics}, 100 bins as in every Spark binary summary) besides the
 * multi-class ones. The score is the model's rawPrediction (what {@code
 * BinaryClassificationEvaluator} reads by default): it ranks rows as the probability does, and
 * without the ties an mse model's clipped probability has.
 */
public class MlpBinaryClassificationSummary extends MlpClassificationSummary
    implements BinarySummaryFields {
  private static final long serialVersionUID = 1L;

  private final String scoreCol;
  private final BinarySummaryFields.Values binaryValues = new BinarySummaryFields.Values();

  MlpBinaryClassificationSummary(Dataset<Row> predictions, String predictionCol, String labelCol,
      String weightCol, String scoreCol) {
    super(predictions, predictionCol, labelCol, weightCol);
    this.scoreCol = scoreCol;
    BinaryClassificationSummary.$init$(this);
  }

  /** The column of score vectors whose element 1 ranks the rows (rawPrediction). */
  @Override
  public String scoreCol() {
    return scoreCol;
  }

  @Override
  public BinarySummaryFields.Values binaryValues() {
    return binaryValues;
  }
}
