package org.sparkdfa.optim;

import java.util.BitSet;
import java.util.Objects;

/**
 * Factory for the {@link Optimizer} (float64 weights and slots) or {@link FloatOptimizer}
 * (float32) named by an {@link OptimizerConfig}, following its step-size schedule.
 */
public final class Optimizers {

  private Optimizers() {}

  /**
   * Creates a fresh optimizer (zero slots, step count 0) for vectors of length {@code numParams}.
   *
   * @param regularized indices that receive the L2 term λθ (typically weights, not biases); null
   *     means every index. Copied into a run list here, so later changes to the BitSet have no
   *     effect. Ignored when {@code regParam} is 0.
   * @throws IllegalArgumentException if {@code numParams} &lt; 0 or {@code regularized} has an
   *     index &gt;= {@code numParams}
   */
  public static Optimizer create(OptimizerConfig c, int numParams, BitSet regularized) {
    Objects.requireNonNull(c, "config must not be null");
    return switch (c.kind()) {
      case SGD -> new Sgd(c, numParams, regularized);
      case MOMENTUM -> new Momentum(c, numParams, regularized);
      case NESTEROV -> new Nesterov(c, numParams, regularized);
      case ADAGRAD -> new Adagrad(c, numParams, regularized);
      case ADADELTA -> new Adadelta(c, numParams, regularized);
      case RMSPROP -> new RmsProp(c, numParams, regularized);
      case ADAM -> new Adam(c, numParams, regularized);
    };
  }

  /** {@link #create} over float32 weights and slots. */
  public static FloatOptimizer createFloat32(OptimizerConfig c, int numParams,
      BitSet regularized) {
    Objects.requireNonNull(c, "config must not be null");
    return switch (c.kind()) {
      case SGD -> new Sgd.F32(c, numParams, regularized);
      case MOMENTUM -> new Momentum.F32(c, numParams, regularized);
      case NESTEROV -> new Nesterov.F32(c, numParams, regularized);
      case ADAGRAD -> new Adagrad.F32(c, numParams, regularized);
      case ADADELTA -> new Adadelta.F32(c, numParams, regularized);
      case RMSPROP -> new RmsProp.F32(c, numParams, regularized);
      case ADAM -> new Adam.F32(c, numParams, regularized);
    };
  }
}
