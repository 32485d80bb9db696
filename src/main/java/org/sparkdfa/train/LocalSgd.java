package org.sparkdfa.train;

import java.io.Serializable;
import org.sparkdfa.optim.OptimizerConfig;

/**
 * Local SGD with a driver-side outer optimizer (DiLoCo, Douillard et al. 2023): one Spark job
 * runs {@code localSteps} (H) mini-batch steps inside each partition, from the same weights and
 * with a copy of the fit's optimizer, and the driver then averages the partitions' weight
 * deltas, weighted by their rows, and applies {@code outer} to that average as to a gradient.
 * H = 1 is ordinary synchronous mini-batch training, bit for bit.
 *
 * <p>{@code average} is the outer rule SGD with step size η (η = 1: the new weights are the
 * row-weighted mean of the partitions' weights); {@code nesterov} is Nesterov momentum with η
 * and momentum μ, DiLoCo's choice (η = 0.7, μ = 0.9 in the paper). The inner optimizer starts
 * afresh every round: Spark's tasks keep no state from one job to the next (DiLoCo's workers
 * keep their AdamW state), so shipping it would cost what local steps save.
 *
 * @param localSteps H ≥ 1, mini-batch steps per partition between two outer steps
 * @param outer      the outer rule (sgd or nesterov), null when H = 1
 */
public record LocalSgd(int localSteps, OptimizerConfig outer) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Outer rules by their param name. */
  public static final String[] OUTER_RULES = {"average", "nesterov"};

  /** Ordinary synchronous steps. */
  public static final LocalSgd NONE = new LocalSgd(1, null);

  public LocalSgd {
    if (localSteps < 1) {
      throw new IllegalArgumentException("localSteps must be >= 1 (1 = a synchronous step per "
          + "mini-batch), got " + localSteps);
    }
    if (localSteps > 1 && outer == null) {
      throw new IllegalArgumentException("localSteps = " + localSteps + " needs an outer "
          + "optimizer");
    }
  }

  /**
   * H local steps per round, then {@code outerRule} (average | nesterov) with step size η and
   * (nesterov) momentum μ.
   */
  public static LocalSgd of(int localSteps, String outerRule, double outerStepSize,
      double outerMomentum) {
    if (localSteps == 1) return NONE;
    OptimizerConfig outer = switch (outerRule) {
      case "average" -> OptimizerConfig.defaults("sgd", outerStepSize);
      case "nesterov" -> new OptimizerConfig("nesterov", outerStepSize, outerMomentum, 0, 0,
          null, null, 0);
      default -> throw new IllegalArgumentException("outerOptimizer must be one of "
          + String.join(", ", OUTER_RULES) + ", got '" + outerRule + "'");
    };
    return new LocalSgd(localSteps, outer);
  }

  /** Whether steps are local (H > 1). */
  public boolean enabled() {
    return localSteps > 1;
  }

  /** Rounds per epoch of {@code stepsPerEpoch} mini-batch steps: ⌈S / H⌉. */
  public int roundsPerEpoch(int stepsPerEpoch) {
    return (stepsPerEpoch + localSteps - 1) / localSteps;
  }
}
