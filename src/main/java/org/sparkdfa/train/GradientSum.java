package org.sparkdfa.train;

import java.io.Serializable;

/**
 * The sum of gradients, weighted losses, row weights and row counts over some rows. The zero value
 * holds no array (allocated lazily), so the zero that Spark serializes into every task is a few
 * bytes, not a dense vector of every parameter.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  double[] grad;
  double loss;
  double weight;
  long count;

  public GradientSum() {}

  GradientSum(double[] grad, double loss, double weight, long count) {
    this.grad = grad;
    this.loss = loss;
    this.weight = weight;
    this.count = count;
  }

  /** Adds {@code other} into this (reusing arrays where possible) and returns this. */
  GradientSum merge(GradientSum other) {
    if (other == null || other.count == 0 && other.grad == null) return this;
    if (grad == null) {
      grad = other.grad;
    } else if (other.grad != null) {
      double[] g = grad;
      double[] o = other.grad;
      for (int i = 0; i < g.length; i++) g[i] += o[i];
    }
    loss += other.loss;
    weight += other.weight;
    count += other.count;
    return this;
  }

  public double[] gradient() {
    return grad;
  }

  public double loss() {
    return loss;
  }

  public double weight() {
    return weight;
  }

  public long count() {
    return count;
  }
}
