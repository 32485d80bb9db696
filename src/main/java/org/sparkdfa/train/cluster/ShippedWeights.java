package org.sparkdfa.train.cluster;

import java.io.Serializable;
import org.sparkdfa.train.steps.Flat;

/**
 * The weights of an evaluation job as they travel to executors in other JVMs, in a broadcast: a
 * snapshot in the fit's precision encoded once as bytes (float32 ships floats, half the bytes,
 * which is what sgemm reads), decoded once per executor JVM however many of its tasks ask.
 * Training steps, one per job and many per epoch, send theirs as a {@link WeightsBlock} instead.
 */
public final class ShippedWeights<A> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Flat<A> flat;
  private final byte[] bytes;
  private transient volatile A values;

  private ShippedWeights(Flat<A> flat, byte[] bytes) {
    this.flat = flat;
    this.bytes = bytes;
  }

  /** A snapshot of {@code params} (later changes to params do not leak in). */
  public static <A> ShippedWeights<A> of(double[] params, Flat<A> flat) {
    return new ShippedWeights<>(flat, flat.encode(flat.fromParams(params, null)));
  }

  /** The weights in the step's precision. */
  public A values() {
    A v = values;
    if (v != null) return v;
    synchronized (this) {
      if (values == null) values = flat.decode(bytes);
      return values;
    }
  }
}
