package org.sparkdfa.train;

import java.io.Serializable;
import java.util.List;

/**
 * Final weights and the training history.
 *
 * @param stopDetail a sentence with specifics (e.g. the epoch and step of a divergence)
 */
public record TrainingResult(double[] params, List<EpochRecord> epochs, long steps,
    StopReason stopReason, String stopDetail) implements Serializable {}
