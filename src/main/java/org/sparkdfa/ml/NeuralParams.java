package org.sparkdfa.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.sparkdfa.nn.Loss;

/**
 * The params shared by every neural estimator and {@link MlpClassificationModel}. Each is exposed
 * through a public no-arg method (Spark discovers params by reflection over public methods) with a
 * typed getter. Implementations hold one {@link NeuralParamSet}.
 */
public interface NeuralParams extends Params {

  /** The implementation's param holder (created after its uid is set). */
  NeuralParamSet paramSet();

  /** Spark's featuresCol (every Predictor and PredictionModel has it). */
  String getFeaturesCol();

  /** Spark's labelCol (every Predictor and PredictionModel has it). */
  String getLabelCol();

  default IntArrayParam layers() { return paramSet().layers; }
  default IntArrayParam hiddenLayers() { return paramSet().hiddenLayers; }
  default Param<String> hiddenActivation() { return paramSet().hiddenActivation; }
  default StringArrayParam hiddenActivations() { return paramSet().hiddenActivations; }
  default Param<String> loss() { return paramSet().loss; }
  default Param<String> optimizer() { return paramSet().optimizer; }
  default DoubleParam stepSize() { return paramSet().stepSize; }
  default Param<String> stepSizeSchedule() { return paramSet().stepSizeSchedule; }
  default DoubleParam decayRate() { return paramSet().decayRate; }
  default DoubleParam minStepSize() { return paramSet().minStepSize; }
  default IntParam warmupSteps() { return paramSet().warmupSteps; }
  default DoubleParam momentum() { return paramSet().momentum; }
  default DoubleParam beta1() { return paramSet().beta1; }
  default DoubleParam beta2() { return paramSet().beta2; }
  default DoubleParam epsilon() { return paramSet().epsilon; }
  default DoubleParam rho() { return paramSet().rho; }
  default DoubleParam regParam() { return paramSet().regParam; }
  default IntParam batchSize() { return paramSet().batchSize; }
  default IntParam maxIter() { return paramSet().maxIter; }
  default DoubleParam tol() { return paramSet().tol; }
  default LongParam seed() { return paramSet().seed; }
  default Param<Vector> initialWeights() { return paramSet().initialWeights; }
  default IntParam aggregationDepth() { return paramSet().aggregationDepth; }
  default Param<String> weightCol() { return paramSet().weightCol; }
  default Param<String> validationIndicatorCol() { return paramSet().validationIndicatorCol; }
  default IntParam earlyStoppingPatience() { return paramSet().earlyStoppingPatience; }
  default Param<String> weightInit() { return paramSet().weightInit; }
  default Param<String> feedbackDistribution() { return paramSet().feedbackDistribution; }
  default DoubleParam feedbackScale() { return paramSet().feedbackScale; }
  default Param<String> feedbackNormalization() { return paramSet().feedbackNormalization; }
  default Param<String> checkpointDir() { return paramSet().checkpointDir; }
  default IntParam checkpointInterval() { return paramSet().checkpointInterval; }
  default IntParam localSteps() { return paramSet().localSteps; }
  default Param<String> outerOptimizer() { return paramSet().outerOptimizer; }
  default DoubleParam outerStepSize() { return paramSet().outerStepSize; }
  default DoubleParam outerMomentum() { return paramSet().outerMomentum; }
  default Param<String> precision() { return paramSet().precision; }
  default Param<String> updatePrecision() { return paramSet().updatePrecision; }
  default BooleanParam alignmentDiagnostics() { return paramSet().alignmentDiagnostics; }
  default IntParam alignmentProbeRows() { return paramSet().alignmentProbeRows; }

  default int[] getLayers() { return (int[]) getOrDefault(layers()); }
  default int[] getHiddenLayers() { return (int[]) getOrDefault(hiddenLayers()); }
  default String getHiddenActivation() { return name(hiddenActivation()); }
  /** The per-layer activations, lower-cased. */
  default String[] getHiddenActivations() {
    String[] v = (String[]) getOrDefault(hiddenActivations());
    return java.util.Arrays.stream(v).map(n -> n.trim().toLowerCase(java.util.Locale.ROOT))
        .toArray(String[]::new);
  }
  default String getLoss() { return name(loss()); }
  default String getOptimizer() { return name(optimizer()); }
  default double getStepSize() { return (Double) getOrDefault(stepSize()); }
  default String getStepSizeSchedule() { return name(stepSizeSchedule()); }
  default double getDecayRate() { return (Double) getOrDefault(decayRate()); }
  default double getMinStepSize() { return (Double) getOrDefault(minStepSize()); }
  default int getWarmupSteps() { return (Integer) getOrDefault(warmupSteps()); }
  default double getMomentum() { return (Double) getOrDefault(momentum()); }
  default double getBeta1() { return (Double) getOrDefault(beta1()); }
  default double getBeta2() { return (Double) getOrDefault(beta2()); }
  default double getRegParam() { return (Double) getOrDefault(regParam()); }
  default int getBatchSize() { return (Integer) getOrDefault(batchSize()); }
  default int getMaxIter() { return (Integer) getOrDefault(maxIter()); }
  default double getTol() { return (Double) getOrDefault(tol()); }
  default long getSeed() { return (Long) getOrDefault(seed()); }
  default int getAggregationDepth() { return (Integer) getOrDefault(aggregationDepth()); }
  default int getEarlyStoppingPatience() { return (Integer) getOrDefault(earlyStoppingPatience()); }
  default String getWeightInit() { return name(weightInit()); }
  default String getFeedbackDistribution() { return name(feedbackDistribution()); }
  default double getFeedbackScale() { return (Double) getOrDefault(feedbackScale()); }
  default String getFeedbackNormalization() { return name(feedbackNormalization()); }
  default int getCheckpointInterval() { return (Integer) getOrDefault(checkpointInterval()); }
  default int getLocalSteps() { return (Integer) getOrDefault(localSteps()); }
  default String getOuterOptimizer() { return (String) getOrDefault(outerOptimizer()); }
  default double getOuterStepSize() { return (Double) getOrDefault(outerStepSize()); }
  default double getOuterMomentum() { return (Double) getOrDefault(outerMomentum()); }
  default String getPrecision() { return name(precision()); }
  default String getUpdatePrecision() { return name(updatePrecision()); }
  default boolean getAlignmentDiagnostics() {
    return (Boolean) getOrDefault(alignmentDiagnostics());
  }
  default int getAlignmentProbeRows() { return (Integer) getOrDefault(alignmentProbeRows()); }

  /**
   * A name param's value, lower-cased: the validators accept names in any case, so everything
   * that compares them reads them through this.
   */
  private String name(Param<String> p) {
    String v = getOrDefault(p);
    return v == null ? null : v.toLowerCase(java.util.Locale.ROOT);
  }

  /** The loss after resolving "auto" against the number of outputs. */
  default Loss resolvedLoss(int outputs) {
    String name = getLoss();
    if (NeuralParamSet.AUTO_LOSS.equals(name)) {
      return outputs == 1 ? Loss.BCE : Loss.CROSS_ENTROPY;
    }
    return Loss.fromName(name);
  }
}
