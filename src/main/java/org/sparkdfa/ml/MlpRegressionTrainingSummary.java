package org.sparkdfa.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A regression model's training summary: Spark's regression metrics on the training rows plus
 * {@code objectiveHistory}, {@code totalIterations} and the per-epoch history ({@link
 * MlpTrainingSummary}). The history's loss is the regression loss (½ squared error or Huber per
 * row, weighted mean); its validation accuracy counts outputs on the right side of 0.5, which
 * means nothing for a regression target — read {@code validationLossHistory()} instead.
 */
public class MlpRegressionTrainingSummary extends MlpRegressionSummary
    implements MlpTrainingSummary {
  private static final long serialVersionUID = 1L;

  private final TrainingHistory history;

  MlpRegressionTrainingSummary(Dataset<Row> predictions, String predictionCol, String labelCol,
      String weightCol, TrainingHistory history) {
    super(predictions, predictionCol, labelCol, weightCol);
    this.history = history;
  }

  @Override
  public TrainingHistory history() {
    return history;
  }
}
