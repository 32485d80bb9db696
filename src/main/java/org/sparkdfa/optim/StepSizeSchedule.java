package org.sparkdfa.optim;

import java.io.Serializable;
import java.util.Locale;

/**
 * How the step size η changes over a run, as a pure function of the step count and the epoch, so
 * a resumed run (which restores both) continues on exactly the same step sizes:
 * <ul>
 *   <li>{@code constant}: η;
 *   <li>{@code exponential}: η · decayRate^e in epoch e (0-based);
 *   <li>{@code cosine}: η_min + ½ (η − η_min)(1 + cos(π e / E)) over E epochs (Loshchilov &amp;
 *       Hutter 2017, SGDR, without restarts): η in the first epoch, η_min after E;
 * </ul>
 * times a linear warm-up t / W over the first W steps (t 1-based, Goyal et al. 2017), if W &gt; 0.
 *
 * @param kind constant, exponential or cosine
 * @param decayRate exponential's factor per epoch, in (0, 1]
 * @param minStepSize cosine's final step size η_min, finite and &gt;= 0
 * @param epochs cosine's horizon E (&gt;= 1), normally maxIter
 * @param warmupSteps W, the steps of linear warm-up (&gt;= 0; 0 = none)
 */
public record StepSizeSchedule(String kind, double decayRate, double minStepSize, int epochs,
    long warmupSteps) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The names {@link #kind} accepts. */
  public static final String[] KINDS = {"constant", "exponential", "cosine"};

  /** η throughout. */
  public static final StepSizeSchedule CONSTANT = new StepSizeSchedule("constant", 1.0, 0.0, 1, 0);

  public StepSizeSchedule {
    kind = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
    if (!java.util.Arrays.asList(KINDS).contains(kind)) {
      throw new IllegalArgumentException("StepSizeSchedule.kind = '" + kind + "' is invalid: "
          + "must be one of " + String.join(", ", KINDS));
    }
    if (!(decayRate > 0 && decayRate <= 1)) {
      throw new IllegalArgumentException("StepSizeSchedule.decayRate = " + decayRate
          + " is invalid: must be in (0, 1]");
    }
    if (!(minStepSize >= 0) || Double.isInfinite(minStepSize)) {
      throw new IllegalArgumentException("StepSizeSchedule.minStepSize = " + minStepSize
          + " is invalid: must be finite and >= 0");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("StepSizeSchedule.epochs = " + epochs
          + " is invalid: must be >= 1");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("StepSizeSchedule.warmupSteps = " + warmupSteps
          + " is invalid: must be >= 0");
    }
  }

  /** Whether every step runs with the base η (constant, no warm-up). */
  public boolean isConstant() {
    return "constant".equals(kind) && warmupSteps == 0;
  }

  /**
   * The step size of step {@code step} (1-based, counted over the whole run) in epoch {@code
   * epoch} (0-based) for base step size {@code base}.
   */
  public double stepSize(double base, long step, int epoch) {
    double eta = switch (kind) {
      case "exponential" -> base * Math.pow(decayRate, epoch);
      case "cosine" -> minStepSize + 0.5 * (base - minStepSize)
          * (1 + Math.cos(Math.PI * Math.min(epoch, epochs) / epochs));
      default -> base;
    };
    return warmupSteps > 0 && step < warmupSteps ? eta * step / warmupSteps : eta;
  }
}
