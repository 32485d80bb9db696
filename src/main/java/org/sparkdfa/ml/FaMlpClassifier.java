package org.sparkdfa.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.FeedbackAlignment;
import org.sparkdfa.nn.NetworkSpec;

/**
 * A multilayer perceptron trained by feedback alignment (Lillicrap et al. 2016): each hidden
 * layer receives the delta of the layer above through a fixed random matrix in place of that
 * layer's transposed weights, drawn from (seed, feedbackDistribution, feedbackScale) as DFA draws
 * its matrices. With one hidden layer it trains exactly as {@link DfaMlpClassifier} does.
 */
public class FaMlpClassifier extends RandomFeedbackClassifierBase<FaMlpClassifier> {
  private static final long serialVersionUID = 1L;

  public FaMlpClassifier() {
    this(Uids.random("faMlp"));
  }

  public FaMlpClassifier(String uid) {
    super(Uids.pending(uid));
  }

  @Override
  protected Feedback feedback(NetworkSpec spec) {
    return FeedbackAlignment.random(spec, getFeedbackDistribution(), getFeedbackNormalization(),
        getFeedbackScale(), getSeed());
  }

  @Override
  public FaMlpClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<FaMlpClassifier> read() {
    return new EstimatorIO.Reader<>(FaMlpClassifier.class);
  }

  public static FaMlpClassifier load(String path) {
    return read().load(path);
  }
}
