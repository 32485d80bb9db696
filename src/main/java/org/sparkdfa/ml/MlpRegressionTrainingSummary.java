package org.sparkdfa.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A regression model's training summary: Spark's regression metrics on the training rows plus
 * {@code objectiveHistory}, {@code totalIterations} and the per-epoch history ({@link
 * MlpTrainingSummary}).
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
