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

  /**
   * Tells the optimizer that epoch {@code epoch} (0-based) starts, for step-size schedules that
   * change per epoch (see {@link StepSizeSchedule}); a constant step size ignores it.
   */
  default void startEpoch(int epoch) {}

  /** Number of {@link #step} calls so far (including steps restored from a state). */
  long steps();

  /**
   * Starts one update to be applied range by range: advances the step counter now and returns
   * the rule of this step. Applying it to every index of [0, n) exactly once, in any order and
   * from any threads (ranges must not overlap), gives the same bits as {@link #step}: every rule
   * here is element-wise. The arrays must not change between ranges except by the ranges.
   *
   * @throws IllegalArgumentException as {@link #step}
   */
  RangeStep begin(double[] params, double[] grad);

  /** One step's update over a range of parameter indices. */
  @FunctionalInterface
  interface RangeStep {
    /** Updates params[from, to) from grad[from, to). */
    void apply(int from, int to);
  }

  /**
   * {@link #begin} written out of place, with the gradient handed over range by range: advances
   * the step counter now and returns the rule of this step, which reads {@code params} and
   * writes the updated weights to {@code into} ({@code params} itself for an in-place step).
   * Left untouched, {@code params} still holds the weights before the step, so a caller that
   * must keep them (the trainer, if a weight becomes NaN) needs no copy. Applying
   * it to every index exactly once, in any order and from any threads, gives the same bits as
   * {@link #step} with the same gradient. The arrays must not change between ranges except by
   * the ranges.
   *
   * @throws IllegalArgumentException if a length is wrong
   */
  IntoStep beginInto(double[] params, double[] into);

  /** One step's out-of-place update over a range of parameter indices. */
  @FunctionalInterface
  interface IntoStep {
    /**
     * into[from, to) = params[from, to) updated with the loss gradient of that range, which is
     * {@code grad[gradFrom, gradFrom + to - from)}. {@code grad} may be {@code into} itself with
     * {@code gradFrom == from}: every rule reads an index's gradient before it writes that index's
     * weight, so the driver's update averages the gradient straight into {@code into} and updates
     * it there. With {@code gradFrom == from} (a parameter-sized gradient) Java 17's JIT vectorizes the
     * rules; from elsewhere in another array it cannot rule out an overlap with {@code into}
     * and runs them scalar, several times slower (docs/BENCHMARKS.md, seventh session).
     */
    void apply(double[] grad, int gradFrom, int from, int to);
  }
}
