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
  /** The float32 path's gradient (half the bytes to ship); null in float64. */
  float[] grad32;
  double loss;
  double weight;
  long count;

  public GradientSum() {}

  GradientSum(float[] grad32, double loss, double weight, long count) {
    this.grad32 = grad32;
    this.loss = loss;
    this.weight = weight;
    this.count = count;
  }

  GradientSum(double[] grad, double loss, double weight, long count) {
    this.grad = grad;
    this.loss = loss;
    this.weight = weight;
    this.count = count;
  }

  /** Adds {@code other} into this (reusing arrays where possible) and returns this. */
  GradientSum merge(GradientSum other) {
    if (other == null || other.count == 0 && other.grad == null && other.grad32 == null) {
      return this;
    }
    if (grad == null) {
      grad = other.grad;
    } else if (other.grad != null) {
      double[] g = grad;
      double[] o = other.grad;
      for (int i = 0; i < g.length; i++) g[i] += o[i];
    }
    if (grad32 == null) {
      grad32 = other.grad32;
    } else if (other.grad32 != null) {
      float[] g = grad32;
      float[] o = other.grad32;
      for (int i = 0; i < g.length; i++) g[i] += o[i];
    }
    loss += other.loss;
    weight += other.weight;
    count += other.count;
    return this;
  }

  /** The summed gradient in double, whichever precision computed it. */
  public double[] gradient() {
    if (grad != null || grad32 == null) return grad;
    double[] g = new double[grad32.length];
    for (int i = 0; i < g.length; i++) g[i] = grad32[i];
    return g;
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
