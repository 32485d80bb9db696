package org.sparkdfa.ml;

/**
 * The MLPs whose hidden layers learn through fixed random feedback matrices instead of the
 * transposed weights (DFA, FA): the matrices are drawn from (seed, feedbackDistribution,
 * feedbackNormalization, feedbackScale), so the seed alone restores them.
 */
public abstract class RandomFeedbackClassifierBase<E extends RandomFeedbackClassifierBase<E>>
    extends NeuralClassifierBase<E> {
  private static final long serialVersionUID = 1L;

  protected RandomFeedbackClassifierBase(String uid) {
    super(uid);
  }

  public E setFeedbackDistribution(String value) {
    set(feedbackDistribution(), value);
    return self();
  }

  public E setFeedbackScale(double value) {
    set(feedbackScale(), value);
    return self();
  }

  /** glorot (default), fan-in (∝ 1/√c) or fan-out (∝ 1/√h): see feedbackNormalization. */
  public E setFeedbackNormalization(String value) {
    set(feedbackNormalization(), value);
    return self();
  }
}
