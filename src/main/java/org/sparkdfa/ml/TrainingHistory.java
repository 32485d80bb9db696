package org.sparkdfa.ml;

import java.io.Serializable;
import java.util.List;
import org.sparkdfa.train.EpochRecord;
import org.sparkdfa.train.StopReason;
import org.sparkdfa.train.TrainingResult;

/**
 * What happened during training: one record per epoch (training loss, validation loss and
 * accuracy when a validation set was given, seconds, step split, alignment), the optimizer steps
 * taken, and why training stopped. Every training summary ({@link MlpTrainingSummary}) offers
 * these; the value itself holds no data frame, so it travels and serializes freely.
 */
public final class TrainingHistory implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<EpochRecord> epochs;
  private final long totalSteps;
  private final StopReason stopReason;
  private final String stopDetail;

  TrainingHistory(TrainingResult result) {
    this.epochs = List.copyOf(result.epochs());
    this.totalSteps = result.steps();
    this.stopReason = result.stopReason();
    this.stopDetail = result.stopDetail();
  }

  public List<EpochRecord> epochs() {
    return epochs;
  }

  /** Training loss per epoch, like MLlib's {@code objectiveHistory}. */
  public double[] lossHistory() {
    return epochs.stream().mapToDouble(EpochRecord::trainLoss).toArray();
  }

  public double[] validationLossHistory() {
    return epochs.stream().mapToDouble(EpochRecord::validationLoss).toArray();
  }

  public double[] validationAccuracyHistory() {
    return epochs.stream().mapToDouble(EpochRecord::validationAccuracy).toArray();
  }

  /**
   * One extra per-epoch metric (see {@link EpochRecord#metrics()}), e.g.
   * {@code "alignment.layer1.cos_mean"}: one value per epoch, NaN where an epoch lacks it.
   */
  public double[] metricHistory(String key) {
    return epochs.stream()
        .mapToDouble(r -> r.metrics().getOrDefault(key, Double.NaN)).toArray();
  }

  /**
   * The alignment diagnostics (param alignmentDiagnostics) by metric key
   * ({@code alignment.layer<k>.cos_mean}, {@code .cos_std}, {@code .angle_deg},
   * {@code .norm_ratio}, {@code .weight_angle_deg}), each one value per epoch (NaN where an epoch
   * lacks it); empty when they were not recorded.
   */
  public java.util.Map<String, double[]> alignmentHistory() {
    java.util.Map<String, double[]> out = new java.util.TreeMap<>();
    epochs.stream().flatMap(r -> r.metrics().keySet().stream())
        .filter(k -> k.startsWith("alignment.")).distinct()
        .forEach(k -> out.put(k, metricHistory(k)));
    return out;
  }

  public double[] secondsPerEpoch() {
    return epochs.stream().mapToDouble(EpochRecord::seconds).toArray();
  }

  public int totalEpochs() {
    return epochs.size();
  }

  public long totalSteps() {
    return totalSteps;
  }

  public StopReason stopReason() {
    return stopReason;
  }

  /** A sentence: why training stopped, with specifics such as the epoch and step. */
  public String stopDetail() {
    return stopDetail;
  }
}
