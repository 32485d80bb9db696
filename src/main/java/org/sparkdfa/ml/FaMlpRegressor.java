package org.sparkdfa.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.FeedbackAlignment;
import org.sparkdfa.nn.NetworkSpec;

/**
 * A multilayer perceptron regressor trained by feedback alignment, as {@link FaMlpClassifier}.
 */
public class FaMlpRegressor extends RandomFeedbackRegressorBase<FaMlpRegressor> {
  private static final long serialVersionUID = 1L;

  public FaMlpRegressor() {
    this(Uids.random("faMlpReg"));
  }

  public FaMlpRegressor(String uid) {
    super(Uids.pending(uid));
  }

  @Override
  protected Feedback feedback(NetworkSpec spec) {
    return FeedbackAlignment.random(spec, getFeedbackDistribution(), getFeedbackScale(),
        getSeed());
  }

  @Override
  public FaMlpRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<FaMlpRegressor> read() {
    return new EstimatorIO.Reader<>(FaMlpRegressor.class);
  }

  public static FaMlpRegressor load(String path) {
    return read().load(path);
  }
}
