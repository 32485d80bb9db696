package org.sparkdfa.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;

/**
 * A multilayer perceptron regressor trained by backpropagation (one identity output; loss mse or
 * huber).
 */
public class BpMlpRegressor extends NeuralRegressorBase<BpMlpRegressor> {
  private static final long serialVersionUID = 1L;

  public BpMlpRegressor() {
    this(Uids.random("bpMlpReg"));
  }

  public BpMlpRegressor(String uid) {
    super(Uids.pending(uid));
  }

  @Override
  public BpMlpRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<BpMlpRegressor> read() {
    return new EstimatorIO.Reader<>(BpMlpRegressor.class);
  }

  public static BpMlpRegressor load(String path) {
    return read().load(path);
  }
}
