package org.sparkdfa.ml;

import org.apache.spark.ml.classification.BinaryClassificationSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The training summary of a binary classification model: Spark's {@link
 * BinaryClassificationSummary} on the training rows plus the training history ({@link
 * MlpTrainingSummary}). The score is the model's rawPrediction (what {@code
 * BinaryClassificationEvaluator} reads by default): it ranks rows as the probability does, and
 * without the ties an mse model's clipped probability has.
 */
public class MlpBinaryClassificationTrainingSummary extends MlpClassificationTrainingSummary
    implements BinarySummaryFields {
  private static final long serialVersionUID = 1L;

  private final String scoreCol;
  private final BinarySummaryFields.Values binaryValues = new BinarySummaryFields.Values();

  MlpBinaryClassificationTrainingSummary(Dataset<Row> predictions, String predictionCol,
      String labelCol, String weightCol, String scoreCol, TrainingHistory history) {
    super(predictions, predictionCol, labelCol, weightCol, history);
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
