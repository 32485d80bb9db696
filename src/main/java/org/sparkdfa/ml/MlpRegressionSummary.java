package org.sparkdfa.ml;

import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A regression model's metrics on some rows, computed by Spark's {@code RegressionMetrics} as
 * {@code RegressionEvaluator} and {@code LinearRegressionSummary} compute them (weighted when
 * weightCol is set). Returned by {@link MlpRegressionModel#evaluate}. Spark has no regression
 * summary trait to implement; the member names are {@code LinearRegressionSummary}'s.
 */
public class MlpRegressionSummary implements org.apache.spark.ml.util.Summary,
    java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final Dataset<Row> predictions;
  private final String predictionCol;
  private final String labelCol;
  private final String weightCol;
  private transient RegressionMetrics metrics;

  MlpRegressionSummary(Dataset<Row> predictions, String predictionCol, String labelCol,
      String weightCol) {
    this.predictions = predictions;
    this.predictionCol = predictionCol;
    this.labelCol = labelCol;
    this.weightCol = weightCol;
  }

  /** The model's output on the rows (Spark's {@code transform}). */
  public Dataset<Row> predictions() {
    return predictions;
  }

  public String predictionCol() {
    return predictionCol;
  }

  public String labelCol() {
    return labelCol;
  }

  /** The row-weight column, or "" when every row weighs 1. */
  public String weightCol() {
    return weightCol;
  }

  /** Spark's metrics over (prediction, label, weight), built on first use (one job each). */
  private synchronized RegressionMetrics metrics() {
    if (metrics == null) {
      org.apache.spark.sql.Column weight = weightCol.isEmpty() ? functions.lit(1.0)
          : functions.col(weightCol).cast("double");
      metrics = new RegressionMetrics(predictions.select(functions.col(predictionCol)
          .cast("double"), functions.col(labelCol).cast("double"), weight).javaRDD()
          .map(r -> new scala.Tuple3<Object, Object, Object>(r.getDouble(0), r.getDouble(1),
              r.getDouble(2))).rdd(), false);
    }
    return metrics;
  }

  public double rootMeanSquaredError() {
    return metrics().rootMeanSquaredError();
  }

  public double meanSquaredError() {
    return metrics().meanSquaredError();
  }

  public double meanAbsoluteError() {
    return metrics().meanAbsoluteError();
  }

  /** The coefficient of determination R². */
  public double r2() {
    return metrics().r2();
  }

  public double explainedVariance() {
    return metrics().explainedVariance();
  }

  /** Rows the metrics are over. */
  public long numInstances() {
    return metrics().count();
  }
}
