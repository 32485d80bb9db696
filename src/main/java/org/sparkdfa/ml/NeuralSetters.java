package org.sparkdfa.ml;

import org.apache.spark.ml.linalg.Vector;

/**
 * The setters every neural estimator offers, classifier or regressor, each returning the
 * estimator itself so calls chain.
 *
 * @param <E> the concrete estimator (Spark's self type)
 */
public interface NeuralSetters<E extends NeuralSetters<E>> extends NeuralParams {

  @SuppressWarnings("unchecked")
  private E self() {
    return (E) this;
  }

  default E setLayers(int[] value) { set(layers(), value); return self(); }
  /** The hidden sizes only, e.g. {@code setHiddenLayers(512, 512)}; see param hiddenLayers. */
  default E setHiddenLayers(int... value) { set(hiddenLayers(), value); return self(); }
  default E setHiddenActivation(String value) { set(hiddenActivation(), value); return self(); }
  /** One activation per hidden layer, e.g. {@code setHiddenActivations("relu", "tanh")}. */
  default E setHiddenActivations(String... value) {
    set(hiddenActivations(), value);
    return self();
  }
  default E setLoss(String value) { set(loss(), value); return self(); }
  default E setOptimizer(String value) { set(optimizer(), value); return self(); }
  default E setStepSize(double value) { set(stepSize(), value); return self(); }
  /** constant, exponential (see decayRate) or cosine (see minStepSize), over maxIter epochs. */
  default E setStepSizeSchedule(String value) { set(stepSizeSchedule(), value); return self(); }
  default E setDecayRate(double value) { set(decayRate(), value); return self(); }
  default E setMinStepSize(double value) { set(minStepSize(), value); return self(); }
  default E setWarmupSteps(int value) { set(warmupSteps(), value); return self(); }
  default E setMomentum(double value) { set(momentum(), value); return self(); }
  default E setBeta1(double value) { set(beta1(), value); return self(); }
  default E setBeta2(double value) { set(beta2(), value); return self(); }
  default E setEpsilon(double value) { set(epsilon(), value); return self(); }
  default E setRho(double value) { set(rho(), value); return self(); }
  default E setRegParam(double value) { set(regParam(), value); return self(); }
  default E setBatchSize(int value) { set(batchSize(), value); return self(); }
  default E setMaxIter(int value) { set(maxIter(), value); return self(); }
  default E setTol(double value) { set(tol(), value); return self(); }
  default E setSeed(long value) { set(seed(), value); return self(); }
  default E setInitialWeights(Vector value) { set(initialWeights(), value); return self(); }
  default E setAggregationDepth(int value) { set(aggregationDepth(), value); return self(); }
  default E setWeightCol(String value) { set(weightCol(), value); return self(); }
  default E setValidationIndicatorCol(String value) {
    set(validationIndicatorCol(), value);
    return self();
  }
  default E setEarlyStoppingPatience(int value) {
    set(earlyStoppingPatience(), value);
    return self();
  }
  default E setWeightInit(String value) { set(weightInit(), value); return self(); }
  default E setCheckpointDir(String value) { set(checkpointDir(), value); return self(); }
  default E setCheckpointInterval(int value) { set(checkpointInterval(), value); return self(); }
  default E setLocalSteps(int value) { set(localSteps(), value); return self(); }
  default E setOuterOptimizer(String value) { set(outerOptimizer(), value); return self(); }
  default E setOuterStepSize(double value) { set(outerStepSize(), value); return self(); }
  default E setOuterMomentum(double value) { set(outerMomentum(), value); return self(); }
  default E setPrecision(String value) { set(precision(), value); return self(); }
  default E setUpdatePrecision(String value) { set(updatePrecision(), value); return self(); }
  default E setAlignmentDiagnostics(boolean value) {
    set(alignmentDiagnostics(), value);
    return self();
  }
  default E setAlignmentProbeRows(int value) { set(alignmentProbeRows(), value); return self(); }

}
