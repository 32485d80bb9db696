package org.sparkdfa.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.NetworkSpec;

/**
 * A multilayer perceptron regressor trained by direct feedback alignment: each hidden layer
 * receives the output error through its own fixed random matrix, as in {@link DfaMlpClassifier}.
 */
public class DfaMlpRegressor extends RandomFeedbackRegressorBase<DfaMlpRegressor> {
  private static final long serialVersionUID = 1L;

  public DfaMlpRegressor() {
    this(Uids.random("dfaMlpReg"));
  }

  public DfaMlpRegressor(String uid) {
    super(Uids.pending(uid));
  }

  @Override
  protected Feedback feedback(NetworkSpec spec) {
    return DirectFeedback.random(spec, getFeedbackDistribution(), getFeedbackScale(), getSeed());
  }

  @Override
  public DfaMlpRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<DfaMlpRegressor> read() {
    return new EstimatorIO.Reader<>(DfaMlpRegressor.class);
  }

  public static DfaMlpRegressor load(String path) {
    return read().load(path);
  }
}
