package org.sparkdfa.train.steps;

import java.io.Serializable;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.OptimizerConfig;

/**
 * Local steps (local SGD): each unit of work is a round of {@code localSteps} consecutive
 * mini-batch steps of the epoch's {@code stepsPerEpoch}, run inside the partition with a fresh
 * {@code inner} optimizer (see {@link LocalRound}) whose weights and slots are in
 * {@code innerPrecision}: the fit's master precision ({@code TrainingConfig.masterPrecision}),
 * so a float32 fit's partitions keep float32 weights and moments as its driver does.
 */
public record RoundPlan(int localSteps, OptimizerConfig inner, int stepsPerEpoch,
    Precision innerPrecision) implements Serializable {
  private static final long serialVersionUID = 1L;

  public RoundPlan {
    if (localSteps < 2 || stepsPerEpoch < 1 || inner == null || innerPrecision == null) {
      throw new IllegalArgumentException("a round plan needs localSteps >= 2, stepsPerEpoch >= 1"
          + ", an inner optimizer and its precision; got " + localSteps + ", " + stepsPerEpoch
          + ", " + inner + ", " + innerPrecision);
    }
  }

  /** The first mini-batch step of round {@code round}. */
  int firstStep(int round) {
    return round * localSteps;
  }

  /** One past the last mini-batch step of round {@code round}. */
  int endStep(int round) {
    return Math.min(stepsPerEpoch, (round + 1) * localSteps);
  }
}
