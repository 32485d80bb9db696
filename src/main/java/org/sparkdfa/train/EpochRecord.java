package org.sparkdfa.train;

import java.io.Serializable;

/**
 * One epoch of training as the summary reports it. Validation figures are NaN when no validation
 * set was given.
 *
 * @param trainLoss mean weighted training loss over the epoch's mini-batches (each measured at the
 *                  weights of its step, as PyTorch loops report it)
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss,
    double validationAccuracy, double seconds, long steps) implements Serializable {}
