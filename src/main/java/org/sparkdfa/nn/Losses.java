package org.sparkdfa.nn;

/** Numerically stable scalar helpers shared by activations and losses. */
final class Losses {
  private Losses() {}

  static double sigmoid(double a) {
    if (a >= 0) {
      return 1.0 / (1.0 + Math.exp(-a));
    }
    double e = Math.exp(a);
    return e / (1.0 + e);
  }

  /** log(1 + e^a) without overflow. */
  static double softplus(double a) {
    return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
  }
}
