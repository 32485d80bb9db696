package org.sparkdfa.ml;

/**
 * The MLP regressors whose hidden layers learn through fixed random feedback matrices (DFA, FA),
 * drawn from (seed, feedbackDistribution, feedbackScale) as the classifiers draw theirs.
 */
public abstract class RandomFeedbackRegressorBase<E extends RandomFeedbackRegressorBase<E>>
    extends NeuralRegressorBase<E> {
  private static final long serialVersionUID = 1L;

  protected RandomFeedbackRegressorBase(String uid) {
    super(uid);
  }

  @SuppressWarnings("unchecked")
  public E setFeedbackDistribution(String value) {
    set(feedbackDistribution(), value);
    return (E) this;
  }

  @SuppressWarnings("unchecked")
  public E setFeedbackScale(double value) {
    set(feedbackScale(), value);
    return (E) this;
  }
}
