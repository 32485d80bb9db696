package org.sparkdfa.train.steps;

/** Whether a range of weights is finite: the driver's check of every new weight. */
public final class Finite {
  private Finite() {}

  /**
   * Whether every entry of v[from, to) is finite: a max-reduction of |v| (NaN propagates),
   * which the JIT vectorizes where it does not an and of booleans; a pass of its own, as the
   * same reduction inside a rule's loop stopped the JIT vectorizing the rule.
   */
  public static boolean all(float[] v, int from, int to) {
    float max = 0;
    for (int i = from; i < to; i++) max = Math.max(max, Math.abs(v[i]));
    return max <= Float.MAX_VALUE;
  }

  /** Whether every entry of v[from, to) is finite. */
  public static boolean all(double[] v, int from, int to) {
    boolean finite = true;
    for (int i = from; i < to; i++) finite &= Double.isFinite(v[i]);
    return finite;
  }
}
