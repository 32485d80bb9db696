package org.sparkdfa.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A classification model's training summary, as MLlib's MLPC has one: Spark's {@code
 * ClassificationSummary} on the training rows (computed when first asked for) plus {@code
 * objectiveHistory}, {@code totalIterations} and the per-epoch history ({@link
 * MlpTrainingSummary}). Binary models have {@link MlpBinaryClassificationTrainingSummary}.
 */
public class MlpClassificationTrainingSummary extends MlpClassificationSummary
    implements MlpTrainingSummary {
  private static final long serialVersionUID = 1L;

  private final TrainingHistory history;

  MlpClassificationTrainingSummary(Dataset<Row> predictions, String predictionCol,
      String labelCol, String weightCol, TrainingHistory history) {
    super(predictions, predictionCol, labelCol, weightCol);
    this.history = history;
  }

  @Override
  public TrainingHistory history() {
    return history;
  }
}
