package org.sparkdfa.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;

/** A multilayer perceptron trained by backpropagation. */
public class BpMlpClassifier extends NeuralClassifierBase<BpMlpClassifier> {
  private static final long serialVersionUID = 1L;

  public BpMlpClassifier() {
    this(Uids.random("bpMlp"));
  }

  public BpMlpClassifier(String uid) {
    super(Uids.pending(uid));
  }

  @Override
  public BpMlpClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<BpMlpClassifier> read() {
    return new EstimatorIO.Reader<>(BpMlpClassifier.class);
  }

  public static BpMlpClassifier load(String path) {
    return read().load(path);
  }
}
