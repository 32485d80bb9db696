package org.sparkdfa.train;

import java.io.Serializable;

/**
 * One epoch of training as the summary reports it. Validation figures are NaN when no validation
 * set was given.
 *
 * @param metrics   extra per-epoch figures from {@link EpochListener}s (e.g. alignment)
 * @param trainLoss mean weighted training loss over the epoch's mini-batches (each measured at the
 *                  weights of its step, as PyTorch loops report it)
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss,
    double validationAccuracy, double seconds, long steps, java.util.Map<String, Double> metrics)
    implements Serializable {

  public EpochRecord {
    metrics = java.util.Map.copyOf(metrics);
  }

  /** A record without extra metrics. */
  public EpochRecord(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
      double seconds, long steps) {
    this(epoch, trainLoss, validationLoss, validationAccuracy, seconds, steps, java.util.Map.of());
  }
}
