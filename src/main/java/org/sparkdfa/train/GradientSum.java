package org.sparkdfa.train;

import java.io.Serializable;

/**
 * The sum of gradients, weighted losses, row weights and row counts over some rows. The zero value
 * holds no array (allocated lazily), so the zero that Spark serializes into every task is a few
 * bytes, not a dense vector of every parameter. A task ships its sum {@link #packed() packed}: the
 * gradient as {@link Wire} bytes, which every serializer copies in bulk; the driver adds packed
 * sums straight from those bytes. When the task runs in the driver's JVM the sum is
 * {@link #parked parked} instead: the array waits in {@link LocalExchange} and only its id travels.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  double[] grad;
  /** The float32 path's gradient (half the bytes to ship); null in float64. */
  float[] grad32;
  /** The gradient as bytes while in transit (then grad and grad32 are null). */
  private byte[] wire;
  private boolean wireFloat;
  /** The LocalExchange id of the gradient array while parked (then grad and grad32 are null). */
  private long ref;
  /** The exchange id of the StepBuffers the array came from and goes back to; 0 if none. */
  private long buffers;
  double loss;
  double weight;
  long count;
  /** The slowest contributing task's compute time in ns (a step's critical path of math). */
  long taskNanos;

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

  /** Moves the gradient into transport form (bytes) and returns this. */
  GradientSum packed() {
    if (grad != null) {
      wire = Wire.encode(grad);
      wireFloat = false;
    } else if (grad32 != null) {
      wire = Wire.encode(grad32);
      wireFloat = true;
    }
    grad = null;
    grad32 = null;
    return this;
  }

  /**
   * Parks the gradient array in the LocalExchange under {@code owner} and returns this;
   * {@code buffers} (or 0) is the StepBuffers pool that takes the array back once summed.
   */
  GradientSum parked(long owner, long buffers) {
    Object g = grad != null ? grad : grad32;
    if (g != null) ref = LocalExchange.put(owner, g);
    this.buffers = buffers;
    grad = null;
    grad32 = null;
    return this;
  }

  /**
   * Marks the gradient array (held in hand, not parked) as one of the StepBuffers pool
   * {@code buffers}, which takes it back once summed; returns this.
   */
  GradientSum returningTo(long buffers) {
    if (grad != null || grad32 != null) this.buffers = buffers;
    return this;
  }

  /** Gives the gradient array back to its StepBuffers pool (the sum is spent afterwards). */
  void recycle() {
    unpack();
    StepBuffers.giveBack(buffers, grad != null ? grad : grad32);
    grad = null;
    grad32 = null;
    buffers = 0;
  }

  /** Back to arrays after transport (a no-op unless packed or parked); returns this. */
  GradientSum unpacked() {
    unpack();
    return this;
  }

  private void unpack() {
    if (ref != 0) {
      Object g = LocalExchange.take(ref);
      ref = 0;
      if (g instanceof float[] f) {
        grad32 = f;
      } else {
        grad = (double[]) g;
      }
      return;
    }
    if (wire == null) return;
    if (wireFloat) {
      grad32 = Wire.decodeFloats(wire);
    } else {
      grad = Wire.decodeDoubles(wire);
    }
    wire = null;
  }

  private boolean holdsNothing() {
    return count == 0 && grad == null && grad32 == null && wire == null && ref == 0;
  }

  /** Adds {@code other} into this (reusing arrays where possible) and returns this. */
  GradientSum merge(GradientSum other) {
    if (other == null || other.holdsNothing()) return this;
    unpack();
    if (grad == null && grad32 == null) {
      other.unpack();
      grad = other.grad;
      grad32 = other.grad32;
      buffers = other.buffers;
      other.grad = null; // adopted, not spent: other must not give the array back
      other.grad32 = null;
      other.buffers = 0;
    } else if (other.wire != null) {
      if (other.wireFloat) {
        Wire.addFloats(other.wire, grad32);
      } else {
        Wire.addDoubles(other.wire, grad);
      }
    } else if (other.unpacked().grad != null) {
      double[] g = grad;
      double[] o = other.grad;
      for (int i = 0; i < g.length; i++) g[i] += o[i];
    } else if (other.grad32 != null) {
      float[] g = grad32;
      float[] o = other.grad32;
      for (int i = 0; i < g.length; i++) g[i] += o[i];
    }
    if (other.buffers != 0) other.recycle();
    taskNanos = Math.max(taskNanos, other.taskNanos);
    loss += other.loss;
    weight += other.weight;
    count += other.count;
    return this;
  }

  /**
   * out = summed gradient / summed weight, in double; false if any entry is not finite. A sum
   * still packed (one partition: nothing was merged) is unpacked first.
   */
  boolean averageInto(double[] out) {
    unpack();
    return averageInto(out, 1.0 / weight, 0, out.length);
  }

  /**
   * out[from, to) = summed gradient × {@code inv} over that range; false if any entry there is
   * not finite. The sum must be unpacked ({@link #unpacked()}): ranges may run on several
   * threads at once.
   */
  boolean averageInto(double[] out, double inv, int from, int to) {
    boolean finite = true;
    if (grad32 != null) {
      float[] g = grad32;
      for (int i = from; i < to; i++) {
        out[i] = g[i] * inv;
        finite &= Double.isFinite(out[i]);
      }
    } else {
      double[] g = grad;
      for (int i = from; i < to; i++) {
        out[i] = g[i] * inv;
        finite &= Double.isFinite(out[i]);
      }
    }
    return finite;
  }

  /** The summed gradient in double, whichever precision computed it. */
  public double[] gradient() {
    unpack();
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
