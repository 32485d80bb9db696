package org.sparkdfa.optim;

/**
 * A stateful first-order update rule over one flat parameter vector.
 *
 * <p>Implementations are not thread-safe: the trainer calls them from the driver only, once per
 * iteration, and they avoid per-step allocation because vectors can hold millions of parameters.
 */
public interface Optimizer {

  /**
   * Applies one update to {@code params} in place. The step counter t (used by Adam's bias
   * correction) advances first, so the first call runs with t = 1.
   *
   * <p>If the config has {@code regParam} λ &gt; 0, the gradient used is g + λθ on the indices
   * chosen at creation (normally weights, not biases) and g elsewhere.
   *
   * @param params parameters θ, updated in place; length must equal the size given at creation
   * @param grad batch-averaged loss gradient at {@code params}; read only, never modified
   * @throws IllegalArgumentException if a length is wrong or both arguments are the same array
   */
  void step(double[] params, double[] grad);

  /** A deep copy of the step count and all per-parameter slots, safe to keep or serialize. */
  OptimizerState state();

  /**
   * Replaces this optimizer's step count and slots with copies of {@code s}'s, so that the next
   * {@link #step} continues exactly as the optimizer that produced {@code s} would have.
   *
   * @throws IllegalArgumentException if {@code s} belongs to another rule or its slot names or
   *     lengths differ from this optimizer's; nothing is changed in that case
   */
  void restore(OptimizerState s);

  /** Number of {@link #step} calls so far (including steps restored from a state). */
  long steps();
}
