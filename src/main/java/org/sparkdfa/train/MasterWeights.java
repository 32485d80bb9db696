package org.sparkdfa.train;

import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.FloatOptimizer;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.OptimizerState;
import org.sparkdfa.optim.Optimizers;
import org.sparkdfa.train.steps.StepGradient;

/**
 * The driver's weights and optimizer in the fit's update precision
 * ({@link TrainingConfig#masterPrecision}): float64 (the weights a {@code double[]}, the rule's
 * slots in double; in a float32 fit the tasks get a float32 copy) or float32 (a {@code float[]}
 * and a {@link FloatOptimizer}, as PyTorch keeps a float32 model; the tasks read the master
 * itself, so a step has no copy pass). Each holds two arrays: the update writes the next weights
 * into the second and they swap once it is applied, so a failed step leaves the last good
 * weights as they were. Everything after the steps — validation, listeners, early stopping,
 * checkpoints, the result — reads them in double: widening a float is exact.
 */
abstract class MasterWeights {

  /** The master of {@code config}'s update precision, starting from its initial weights. */
  static MasterWeights of(TrainingConfig config) {
    int n = config.initialParams().length;
    java.util.BitSet reg = config.network().spec().regularizedIndices();
    if (config.masterPrecision() == Precision.FLOAT32) {
      return new F32(config.initialParams(), Optimizers.createFloat32(
          config.driverOptimizer(), n, reg));
    }
    return new F64(config.initialParams(), Optimizers.create(config.driverOptimizer(), n, reg));
  }

  /** The runner's summed gradient at the current weights. */
  abstract StepGradient gradient(StepRunner runner, int epoch, int step);

  /** Applies {@code sum} (see {@link StepUpdate}); the weights move on only when APPLIED. */
  abstract StepUpdate.Outcome apply(StepUpdate update, StepGradient sum, StepRunner runner);

  /** The current weights in double: the array itself in float64, a widened view in float32. */
  abstract double[] params();

  /** Sets the weights (resumed or best ones) and, if not null, the optimizer's state, exactly. */
  abstract void restore(double[] params, OptimizerState state);

  abstract OptimizerState state();

  abstract void startEpoch(int epoch);

  /** float64 or float32, for the log. */
  abstract String describe();

  /** Float64 master weights, as every fit kept them before float32 ones existed. */
  private static final class F64 extends MasterWeights {
    private final Optimizer optimizer;
    private double[] params;
    private double[] next;

    F64(double[] initial, Optimizer optimizer) {
      this.optimizer = optimizer;
      this.params = initial.clone();
      this.next = new double[params.length];
    }

    @Override StepGradient gradient(StepRunner runner, int epoch, int step) {
      return runner.gradient(params, epoch, step);
    }

    @Override StepUpdate.Outcome apply(StepUpdate update, StepGradient sum, StepRunner runner) {
      StepUpdate.Outcome o = update.apply(optimizer, sum, params, next, runner.weightsCopy());
      if (o == StepUpdate.Outcome.APPLIED) {
        double[] last = params;
        params = next;
        next = last;
      }
      return o;
    }

    @Override double[] params() {
      return params;
    }

    @Override void restore(double[] values, OptimizerState state) {
      params = values.clone();
      if (state != null) optimizer.restore(state);
    }

    @Override OptimizerState state() {
      return optimizer.state();
    }

    @Override void startEpoch(int epoch) {
      optimizer.startEpoch(epoch);
    }

    @Override String describe() {
      return "float64";
    }
  }

  /** Float32 master weights: the array the tasks read (see {@link StepRunner}). */
  private static final class F32 extends MasterWeights {
    private final FloatOptimizer optimizer;
    private float[] params;
    private float[] next;
    /** {@link #params} widened, valid while {@code wideValid}. */
    private final double[] wide;
    private boolean wideValid;

    F32(double[] initial, FloatOptimizer optimizer) {
      this.optimizer = optimizer;
      this.params = new float[initial.length];
      this.next = new float[initial.length];
      this.wide = new double[initial.length];
      for (int i = 0; i < initial.length; i++) params[i] = (float) initial[i];
    }

    @Override StepGradient gradient(StepRunner runner, int epoch, int step) {
      return runner.gradient(params, epoch, step);
    }

    @Override StepUpdate.Outcome apply(StepUpdate update, StepGradient sum, StepRunner runner) {
      StepUpdate.Outcome o = update.apply(optimizer, sum, params, next,
          runner.float32MasterCopy());
      if (o == StepUpdate.Outcome.APPLIED) {
        float[] last = params;
        params = next;
        next = last;
        wideValid = false;
      }
      return o;
    }

    @Override double[] params() {
      if (!wideValid) {
        for (int i = 0; i < params.length; i++) wide[i] = params[i];
        wideValid = true;
      }
      return wide;
    }

    @Override void restore(double[] values, OptimizerState state) {
      for (int i = 0; i < values.length; i++) {
        float f = (float) values[i];
        if (f != values[i] && !Double.isNaN(values[i])) {
          throw new IllegalArgumentException("weight " + i + " = " + values[i] + " of the "
              + "checkpoint is not a float32 value: it was written with float64 master weights "
              + "and cannot be resumed exactly with updatePrecision float32; resume with "
              + "updatePrecision float64, or start afresh in another checkpointDir");
        }
      }
      if (state != null) optimizer.restore(state); // checked the same way; may refuse too
      for (int i = 0; i < values.length; i++) params[i] = (float) values[i];
      wideValid = false;
    }

    @Override OptimizerState state() {
      return optimizer.state();
    }

    @Override void startEpoch(int epoch) {
      optimizer.startEpoch(epoch);
    }

    @Override String describe() {
      return "float32";
    }
  }
}
