package org.sparkdfa.train.steps;

import java.io.Serializable;
import org.sparkdfa.optim.OptimizerConfig;

/**
 * Local steps (local SGD): each unit of work is a round of {@code localSteps} consecutive
 * mini-batch steps of the epoch's {@code stepsPerEpoch}, run inside the partition with a fresh
 * {@code inner} optimizer (see {@link LocalRound}).
 */
public record RoundPlan(int localSteps, OptimizerConfig inner, int stepsPerEpoch)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public RoundPlan {
    if (localSteps < 2 || stepsPerEpoch < 1 || inner == null) {
      throw new IllegalArgumentException("a round plan needs localSteps >= 2, stepsPerEpoch >= 1"
          + " and an inner optimizer; got " + localSteps + ", " + stepsPerEpoch + ", " + inner);
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
