package org.sparkdfa.optim;

import java.io.Serializable;

/**
 * Validated hyperparameters of one optimizer.
 *
 * <p>All fields are validated even when the chosen rule ignores them (e.g. {@code beta1} for
 * SGD): an out-of-range value anywhere is a bug upstream and is cheaper to report here than to
 * carry silently. {@code epsilon} and {@code rho} are nullable because their defaults differ per
 * rule (Adadelta ε = 1e-6 vs Adam ε = 1e-8); {@code null} means "the rule's own default", resolved
 * by {@link #effectiveEpsilon()} / {@link #effectiveRho()} from {@link OptimizerKind}.
 *
 * @param name optimizer name, one of {@link OptimizerKind#validNames()}, case-insensitive; stored
 *     in canonical lower case
 * @param stepSize learning rate η, finite and &gt; 0; for Adadelta it scales Zeiler's update
 *     (η = 1 is the paper's rule)
 * @param momentum γ for "momentum" and "nesterov", in [0, 1)
 * @param beta1 Adam's first-moment decay, in [0, 1)
 * @param beta2 Adam's second-moment decay, in [0, 1)
 * @param epsilon numerical-stability term, finite and &gt; 0, or null for the rule's default
 * @param rho decay of the running averages of Adadelta/RMSProp, in [0, 1), or null for the
 *     rule's default
 * @param regParam L2 coefficient λ (gradient term λθ), finite and &gt;= 0; 0 disables it
 * @param schedule how η changes over the run; null = {@link StepSizeSchedule#CONSTANT}
 */
public record OptimizerConfig(String name, double stepSize, double momentum, double beta1,
    double beta2, Double epsilon, Double rho, double regParam, StepSizeSchedule schedule)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** A config with a constant step size. */
  public OptimizerConfig(String name, double stepSize, double momentum, double beta1,
      double beta2, Double epsilon, Double rho, double regParam) {
    this(name, stepSize, momentum, beta1, beta2, epsilon, rho, regParam, null);
  }

  public OptimizerConfig {
    if (schedule == null) schedule = StepSizeSchedule.CONSTANT;
    name = OptimizerKind.fromName(name).canonicalName();
    requirePositiveFinite("stepSize", stepSize);
    requireUnitInterval("momentum", momentum);
    requireUnitInterval("beta1", beta1);
    requireUnitInterval("beta2", beta2);
    if (epsilon != null) {
      requirePositiveFinite("epsilon", epsilon);
    }
    if (rho != null) {
      requireUnitInterval("rho", rho);
    }
    if (!(regParam >= 0.0) || !Double.isFinite(regParam)) {
      throw invalid("regParam", regParam, "finite and in [0, +inf)");
    }
    if ("cosine".equals(schedule.kind()) && schedule.minStepSize() > stepSize) {
      throw invalid("schedule.minStepSize", schedule.minStepSize(), "at most stepSize = "
          + stepSize);
    }
  }

  /** This config with another step-size schedule. */
  public OptimizerConfig withSchedule(StepSizeSchedule other) {
    return new OptimizerConfig(name, stepSize, momentum, beta1, beta2, epsilon, rho, regParam,
        other);
  }

  /**
   * The record's usual text (checkpoint fingerprints contain it), the schedule only when it is
   * not constant: setups with a constant step size keep the fingerprints they had.
   */
  @Override
  public String toString() {
    return "OptimizerConfig[name=" + name + ", stepSize=" + stepSize + ", momentum=" + momentum
        + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", rho=" + rho
        + ", regParam=" + regParam + (schedule.isConstant() ? "" : ", schedule=" + schedule)
        + "]";
  }

  /**
   * The config for {@code name} with every hyperparameter at its rule's default (from
   * {@link OptimizerKind}) and no L2 regularization. Hyperparameters the rule does not use are 0.
   */
  public static OptimizerConfig defaults(String name, double stepSize) {
    OptimizerKind k = OptimizerKind.fromName(name);
    return new OptimizerConfig(name, stepSize,
        k.usesMomentum() ? k.defaultMomentum() : 0.0,
        k.usesBetas() ? k.defaultBeta1() : 0.0,
        k.usesBetas() ? k.defaultBeta2() : 0.0,
        null, null, 0.0);
  }

  /** The rule this config selects. */
  public OptimizerKind kind() {
    return OptimizerKind.fromName(name);
  }

  /** {@code epsilon} if set, else the rule's default (NaN for rules without ε). */
  public double effectiveEpsilon() {
    return epsilon != null ? epsilon : kind().defaultEpsilon();
  }

  /** {@code rho} if set, else the rule's default (NaN for rules without ρ). */
  public double effectiveRho() {
    return rho != null ? rho : kind().defaultRho();
  }

  private static void requirePositiveFinite(String field, double v) {
    // Written as !(v > 0) so that NaN is rejected too.
    if (!(v > 0.0) || !Double.isFinite(v)) {
      throw invalid(field, v, "finite and in (0, +inf)");
    }
  }

  private static void requireUnitInterval(String field, double v) {
    // 1 is excluded: a decay of 1 never forgets, so the running average stays at its initial 0
    // (division by sqrt(ε)) or the velocity never decays.
    if (!(v >= 0.0 && v < 1.0)) {
      throw invalid(field, v, "in [0, 1)");
    }
  }

  private static IllegalArgumentException invalid(String field, double v, String range) {
    return new IllegalArgumentException(
        "OptimizerConfig." + field + " = " + v + " is invalid: must be " + range);
  }
}
