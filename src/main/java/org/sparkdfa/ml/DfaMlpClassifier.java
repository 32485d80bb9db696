package org.sparkdfa.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.NetworkSpec;

/**
 * A multilayer perceptron trained by direct feedback alignment (Nøkland 2016): each hidden layer
 * receives the output error through its own fixed random matrix B_k, drawn from
 * (seed, feedbackDistribution, feedbackScale) — so the seed alone restores the matrices.
 */
public class DfaMlpClassifier extends RandomFeedbackClassifierBase<DfaMlpClassifier> {
  private static final long serialVersionUID = 1L;

  public DfaMlpClassifier() {
    this(Uids.random("dfaMlp"));
  }

  public DfaMlpClassifier(String uid) {
    super(Uids.pending(uid));
  }

  @Override
  protected Feedback feedback(NetworkSpec spec) {
    return DirectFeedback.random(spec, getFeedbackDistribution(), getFeedbackNormalization(),
        getFeedbackScale(), getSeed());
  }

  @Override
  public DfaMlpClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<DfaMlpClassifier> read() {
    return new EstimatorIO.Reader<>(DfaMlpClassifier.class);
  }

  public static DfaMlpClassifier load(String path) {
    return read().load(path);
  }
}
