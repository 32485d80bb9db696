package org.sparkdfa.train;

import org.sparkdfa.train.steps.FloatWeightsCopy;
import org.sparkdfa.train.steps.OrderedSum;
import org.sparkdfa.train.steps.StepGradient;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * How a fit gets the summed gradient of each optimizer step: the one seam between the training
 * loop ({@link TrainingLoop}) and the way the shares run. An implementation runs each
 * partition's share of the step at the given weights and sums the shares in the fixed tree order
 * of {@link OrderedSum}, so which one runs changes the time a step takes, never its bits.
 * Chosen once per fit by {@link StepRunners}.
 */
public interface StepRunner extends AutoCloseable {

  /**
   * The summed gradient of step {@code step} of {@code epoch} at {@code params}. Steps of an
   * epoch are asked in order, 0 first; {@code params} must not change until the call returns.
   * The caller recycles the sum ({@link StepGradient#recycle}) once it has applied it.
   */
  StepGradient gradient(double[] params, int epoch, int step);

  /**
   * {@link #gradient(double[], int, int)} at float32 master weights ({@code updatePrecision}
   * float32, which needs precision float32: the tasks compute with exactly these floats). The
   * default widens them to double (exact) and asks the double form, which rounds them back to
   * the same floats for the tasks: right for any runner, at the cost of two conversions.
   * Runners that hand their tasks float32 weights override it to hand over {@code params}
   * itself ({@link org.sparkdfa.train.steps.Flat#fromMaster}). Same contract otherwise: it must
   * not change until the call returns, and the caller swaps arrays rather than writing it.
   */
  default StepGradient gradient(float[] params, int epoch, int step) {
    double[] wide = new double[params.length];
    for (int i = 0; i < wide.length; i++) wide[i] = params[i];
    return gradient(wide, epoch, step);
  }

  /**
   * The copy of the weights this runner hands its tasks, for the driver's update to write as it
   * goes ({@link WeightsCopy}); null (the default) where the tasks read the {@code double[]}
   * itself or the weights travel otherwise.
   */
  default WeightsCopy weightsCopy() {
    return null;
  }

  /**
   * The copy of float32 master weights this runner hands its tasks, for the driver's float32
   * update to write as it goes ({@link FloatWeightsCopy}); null (the default) where the tasks
   * read the {@code float[]} itself or the weights travel otherwise.
   */
  default FloatWeightsCopy float32MasterCopy() {
    return null;
  }

  /**
   * Ends the current epoch early (the loop stopped or failed): no task of it is left waiting or
   * running, nor tasks waiting for a next epoch ({@code StreamSteps}); otherwise a no-op once
   * the epoch's last step has been asked.
   */
  void abandonEpoch();

  /** How the steps run, for the fit's log line. */
  String describe();

  /**
   * Ends the fit's steps: abandons a running epoch and frees everything the runner holds (in a
   * local master's exchange too, including arrays parked by tasks that outlived a cancel).
   */
  @Override
  void close();
}
