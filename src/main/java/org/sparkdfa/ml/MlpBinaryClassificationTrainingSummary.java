package org.sparkdfa.ml;

import org.apache.spark.ml.classification.BinaryClassificationSummary;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The training summary of a binary classification model: Spark's {@link
 * BinaryClassificationSummary} on the training rows plus the training history ({@link
 * MlpTrainingSummary}). The score is the model's rawPrediction (what {@code
 * BinaryClassificationEvaluator} reads by default): it ranks rows as the probability does, and
 * without the ties an mse model's clipped probability has.
 */
public class MlpBinaryClassificationTrainingSummary extends MlpClassificationTrainingSummary
    implements BinaryClassificationSummary {
  private static final long serialVersionUID = 1L;

  private final String scoreCol;
  /** The trait's private vals, which a Java class holds for it. */
  private transient SparkSession sparkSession;
  private transient BinaryClassificationMetrics binaryMetrics;

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
  public SparkSession org$apache$spark$ml$classification$BinaryClassificationSummary$$sparkSession() {
    return sparkSession;
  }

  @Override
  public void
      org$apache$spark$ml$classification$BinaryClassificationSummary$_setter_$org$apache$spark$ml$classification$BinaryClassificationSummary$$sparkSession_$eq(
      SparkSession session) {
    this.sparkSession = session;
  }

  @Override
  public BinaryClassificationMetrics
      org$apache$spark$ml$classification$BinaryClassificationSummary$$binaryMetrics() {
    return binaryMetrics;
  }

  @Override
  public void
      org$apache$spark$ml$classification$BinaryClassificationSummary$_setter_$org$apache$spark$ml$classification$BinaryClassificationSummary$$binaryMetrics_$eq(
      BinaryClassificationMetrics metrics) {
    this.binaryMetrics = metrics;
  }
}
