package org.sparkdfa.jobs;

import java.util.List;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.ml.DfaMlpClassifier;
import org.sparkdfa.ml.FaMlpClassifier;
import org.sparkdfa.ml.GatedLinearClassifier;
import org.sparkdfa.ml.NeuralClassifierBase;
import org.sparkdfa.ml.RandomFeaturesClassifier;

/** Method → configured estimator: the one place that knows which class each method is. */
public final class Methods {
  private Methods() {}

  /**
   * The estimator of {@code method} with the run's settings, for data with {@code inputs}
   * features; {@code seed} is the model seed (initial weights, feedback, random layers). Params
   * are validated as they are set, so a bad value fails here, before Spark. Early stopping is
   * off: every run trains all its epochs.
   */
  public static NeuralClassifierBase<?> estimator(Method method, ParityConfig.RunSettings s,
      int inputs, long seed, boolean alignment) {
    int[] deep = layers(inputs, s.hiddenLayers(), s.outputs());
    int[] wide = layers(inputs, List.of(s.width()), s.outputs());
    NeuralClassifierBase<?> e = switch (method) {
      case BP -> new BpMlpClassifier().setLayers(deep).setHiddenActivation(s.activation());
      case DFA -> new DfaMlpClassifier().setFeedbackDistribution(s.feedbackDistribution())
          .setFeedbackNormalization(s.feedbackNormalization())
          .setFeedbackScale(s.feedbackScale()).setLayers(deep)
          .setHiddenActivation(s.activation());
      case FA -> new FaMlpClassifier().setFeedbackDistribution(s.feedbackDistribution())
          .setFeedbackNormalization(s.feedbackNormalization())
          .setFeedbackScale(s.feedbackScale()).setLayers(deep)
          .setHiddenActivation(s.activation());
      case GALU -> new GatedLinearClassifier().setLayers(wide);
      case RF_GAUSSIAN -> new RandomFeaturesClassifier().setFeatureType("gaussian")
          .setLayers(wide);
      case RF_RELU -> new RandomFeaturesClassifier().setFeatureType("relu").setLayers(wide);
      case RF_LINEAR -> new RandomFeaturesClassifier().setFeatureType("linear").setLayers(wide);
    };
    e.setOptimizer(s.optimizer()).setStepSize(s.stepSize()).setMomentum(s.momentum())
        .setRegParam(s.regParam()).setBatchSize(s.batchSize()).setMaxIter(s.epochs())
        .setWeightInit(s.weightInit()).setSeed(seed).setEarlyStoppingPatience(0)
        .setPrecision(s.precision());
    if (!s.loss().equals("auto")) e.setLoss(s.loss());
    if (s.rho() != null) e.setRho(s.rho());
    if (alignment && method.measuresAlignment()) {
      // DFA: how well its updates align with the true gradient; BP: the same measure with a
      // random B, the control.
      e.setAlignmentDiagnostics(true);
    }
    return e;
  }

  static int[] layers(int inputs, List<Integer> hidden, int outputs) {
    int[] l = new int[hidden.size() + 2];
    l[0] = inputs;
    for (int i = 0; i < hidden.size(); i++) l[i + 1] = hidden.get(i);
    l[l.length - 1] = outputs;
    return l;
  }
}
