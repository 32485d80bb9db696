package org.sparkdfa.optim;

/**
 * {@link Optimizer} over float32 weights, with float32 slots (moments, velocities,
 * accumulators) updated in float arithmetic, as PyTorch keeps them for a float32 model: half the
 * memory and half the memory traffic of the float64 rule, which is what a memory-bound update
 * costs. The per-step scalars (η from the schedule, Adam's bias corrections) are computed in
 * double once per range and rounded to float, as PyTorch computes them in Python floats.
 * Life cycle, range contract and state are those of {@link Optimizer}; {@link #state()} holds
 * the slots widened to double (exact), and {@link #restore} accepts only values a float holds
 * exactly.
 */
public interface FloatOptimizer {

  /** {@link Optimizer#step} in float32. */
  void step(float[] params, float[] grad);

  /** {@link Optimizer#begin} in float32. */
  Optimizer.RangeStep begin(float[] params, float[] grad);

  /** {@link Optimizer#beginInto} in float32. */
  IntoStep beginInto(float[] params, float[] into);

  /** {@link Optimizer.IntoStep} in float32. */
  @FunctionalInterface
  interface IntoStep {
    /**
     * into[from, to) = params[from, to) updated with grad[gradFrom, gradFrom + to - from);
     * {@code grad} may be {@code into} itself, as in {@link Optimizer.IntoStep}.
     */
    void apply(float[] grad, int gradFrom, int from, int to);
  }

  /** See {@link Optimizer#state}. */
  OptimizerState state();

  /**
   * See {@link Optimizer#restore}; also refuses a state whose slots hold a value float32
   * cannot hold exactly (one saved by a float64 update), changing nothing.
   */
  void restore(OptimizerState s);

  /** See {@link Optimizer#startEpoch}. */
  void startEpoch(int epoch);

  /**
   * Back to the state of a new optimizer of the same config — every slot zero, step 0, epoch 0 —
   * in the arrays it has: a partition's fresh inner optimizer each round of local steps without
   * allocating its slots again.
   */
  void reset();

  /** See {@link Optimizer#steps}. */
  long steps();
}
