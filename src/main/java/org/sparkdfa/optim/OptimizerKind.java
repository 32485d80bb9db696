package org.sparkdfa.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The update rules this package implements, each with the default hyperparameters of its source.
 *
 * <p>This enum is the single home of the default constants, so the config, the factory and any
 * caller that wants to display a default (e.g. a Spark ML {@code Param}) cannot drift apart. A
 * hyperparameter a rule does not use has default {@code NaN}; test {@link #usesMomentum()} and
 * friends rather than comparing with NaN.
 *
 * <p>Sources of the defaults:
 * <ul>
 *   <li>momentum / Nesterov γ = 0.9: Ruder 2016, "Momentum" ("usually set to 0.9").
 *   <li>Adagrad ε = 1e-8: Ruder 2016, "Adagrad" ("usually on the order of 1e−8").
 *   <li>Adadelta ρ = 0.95, ε = 1e-6: Zeiler 2012, Section 4 (the values used in its experiments).
 *   <li>RMSProp ρ = 0.9, ε = 1e-8: Ruder 2016, "RMSprop" (Hinton suggests γ = 0.9; ε as Adagrad).
 *   <li>Adam β1 = 0.9, β2 = 0.999, ε = 1e-8: Kingma &amp; Ba 2015, Algorithm 1.
 * </ul>
 */
public enum OptimizerKind {
  //        name        momentum    beta1       beta2       epsilon     rho
  SGD("sgd", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
  MOMENTUM("momentum", 0.9, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
  NESTEROV("nesterov", 0.9, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
  ADAGRAD("adagrad", Double.NaN, Double.NaN, Double.NaN, 1e-8, Double.NaN),
  ADADELTA("adadelta", Double.NaN, Double.NaN, Double.NaN, 1e-6, 0.95),
  RMSPROP("rmsprop", Double.NaN, Double.NaN, Double.NaN, 1e-8, 0.9),
  ADAM("adam", Double.NaN, 0.9, 0.999, 1e-8, Double.NaN);

  private final String canonicalName;
  private final double defaultMomentum;
  private final double defaultBeta1;
  private final double defaultBeta2;
  private final double defaultEpsilon;
  private final double defaultRho;

  OptimizerKind(String canonicalName, double momentum, double beta1, double beta2, double epsilon,
      double rho) {
    this.canonicalName = canonicalName;
    this.defaultMomentum = momentum;
    this.defaultBeta1 = beta1;
    this.defaultBeta2 = beta2;
    this.defaultEpsilon = epsilon;
    this.defaultRho = rho;
  }

  /** Lower-case name used in configs, checkpoints and messages, e.g. {@code "rmsprop"}. */
  public String canonicalName() {
    return canonicalName;
  }

  /** Momentum γ default; NaN when the rule has no momentum term. */
  public double defaultMomentum() {
    return defaultMomentum;
  }

  /** Adam β1 default; NaN for other rules. */
  public double defaultBeta1() {
    return defaultBeta1;
  }

  /** Adam β2 default; NaN for other rules. */
  public double defaultBeta2() {
    return defaultBeta2;
  }

  /** ε default; NaN when the rule does not divide by a running norm. */
  public double defaultEpsilon() {
    return defaultEpsilon;
  }

  /** Decay ρ default; NaN unless the rule keeps an exponential average of g² (Adadelta, RMSProp). */
  public double defaultRho() {
    return defaultRho;
  }

  public boolean usesMomentum() {
    return !Double.isNaN(defaultMomentum);
  }

  public boolean usesBetas() {
    return !Double.isNaN(defaultBeta1);
  }

  public boolean usesEpsilon() {
    return !Double.isNaN(defaultEpsilon);
  }

  public boolean usesRho() {
    return !Double.isNaN(defaultRho);
  }

  /**
   * Looks a rule up by name, ignoring case (so "Adam" and "ADAM" work as they would in a CLI).
   *
   * @throws IllegalArgumentException naming the bad value and listing the valid names
   */
  public static OptimizerKind fromName(String name) {
    if (name != null) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (OptimizerKind k : values()) {
        if (k.canonicalName.equals(lower)) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException("unknown optimizer name "
        + (name == null ? "null" : "'" + name + "'") + "; valid names (case-insensitive): "
        + validNames());
  }

  /** Comma-separated canonical names, for error messages and help text. */
  public static String validNames() {
    return Arrays.stream(values()).map(OptimizerKind::canonicalName)
        .collect(Collectors.joining(", "));
  }
}
