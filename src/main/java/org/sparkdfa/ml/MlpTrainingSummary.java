package org.sparkdfa.ml;

import java.util.List;
import org.sparkdfa.train.EpochRecord;
import org.sparkdfa.train.StopReason;

/**
 * What a training summary offers beyond its metrics on the training rows: Spark's {@code
 * TrainingSummary} members ({@code objectiveHistory}, {@code totalIterations}; Spark keeps that
 * trait private to its package, so this is its own type) and our per-epoch history.
 */
public interface MlpTrainingSummary extends java.io.Serializable {

  /** The per-epoch records and how training ended. */
  TrainingHistory history();

  /**
   * The training loss (summed weighted loss / weight, plus the L2 term) after each epoch — for
   * lbfgs, each iteration. Unlike Spark's L-BFGS histories it has no entry for the initial state.
   */
  default double[] objectiveHistory() {
    return history().lossHistory();
  }

  /** Epochs trained (lbfgs: iterations): {@code objectiveHistory().length}. */
  default int totalIterations() {
    return history().totalEpochs();
  }

  default List<EpochRecord> epochs() {
    return history().epochs();
  }

  /** Training loss per epoch, like MLlib's {@code objectiveHistory}. */
  default double[] lossHistory() {
    return history().lossHistory();
  }

  default double[] validationLossHistory() {
    return history().validationLossHistory();
  }

  default double[] validationAccuracyHistory() {
    return history().validationAccuracyHistory();
  }

  /** One extra per-epoch metric, e.g. {@code "alignment.layer1.cos_mean"}; see TrainingHistory. */
  default double[] metricHistory(String key) {
    return history().metricHistory(key);
  }

  /** The alignment diagnostics by metric key; see {@link TrainingHistory#alignmentHistory}. */
  default java.util.Map<String, double[]> alignmentHistory() {
    return history().alignmentHistory();
  }

  default double[] secondsPerEpoch() {
    return history().secondsPerEpoch();
  }

  default int totalEpochs() {
    return history().totalEpochs();
  }

  default long totalSteps() {
    return history().totalSteps();
  }

  default StopReason stopReason() {
    return history().stopReason();
  }

  /** A sentence: why training stopped, with specifics such as the epoch and step. */
  default String stopDetail() {
    return history().stopDetail();
  }
}
