package org.sparkdfa.ml;

import org.apache.spark.ml.classification.BinaryClassificationSummary;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A binary classification model's metrics on some rows — Spark's own {@link
 * BinaryClassificationSummary}: ROC, area under it, PR curve, measures by threshold (Spark's
 * {@code BinaryClassificationMetrics}, 100 bins as in every Spark binary summary) besides the
 * multi-class ones. The score is the model's rawPrediction (what {@code
 * BinaryClassificationEvaluator} reads by default): it ranks rows as the probability does, and
 * without the ties an mse model's clipped probability has.
 */
public class MlpBinaryClassificationSummary extends MlpClassificationSummary
    implements BinaryClassificationSummary {
  private static final long serialVersionUID = 1L;

  private final String scoreCol;
  /** The trait's private vals, which a Java class holds for it. */
  private transient SparkSession sparkSession;
  private transient BinaryClassificationMetrics binaryMetrics;

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
