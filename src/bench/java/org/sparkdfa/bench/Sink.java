package org.sparkdfa.bench;

/**
 * The harness's stand-in for JMH's {@code Blackhole} (JMHSample_08_DeadCode,
 * JMHSample_09_Blackholes): every timed invocation hands its result here, so the JIT cannot prove
 * the work unused and delete it. Values are folded into a volatile field (one volatile write per
 * invocation: nanoseconds against kernels of milliseconds) and the final value is printed by the
 * benchmark, which makes the whole chain observable.
 */
public final class Sink {
  private volatile double state;

  /** Consumes one value. */
  public void consume(double v) {
    state = state * 0.5 + v;
  }

  /** Consumes an array by reading entries at both ends and in the middle (a cheap fingerprint). */
  public void consume(double[] a) {
    if (a.length == 0) return;
    consume(a[0] + a[a.length >>> 1] + a[a.length - 1]);
  }

  /** The folded value; print it so the sink itself cannot be optimized away. */
  public double value() {
    return state;
  }
}
