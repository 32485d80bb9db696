package org.sparkdfa.train.steps;

/**
 * A step's summed gradient as the driver's update reads it, whatever form it travelled in: an
 * array in hand ({@link GradientSum}) or bytes from other JVMs ({@link PackedSum}).
 */
public interface StepGradient {
  double loss();

  double weight();

  long taskNanos();

  /**
   * out[from, to) = summed gradient × {@code scale} over that range; false if an entry there is
   * not finite. Ranges may run on several threads at once.
   */
  boolean scaleInto(double[] out, double scale, int from, int to);

  /** Whether every entry of [from, to) × {@code scale} is finite. Ranges may run at once. */
  boolean finite(double scale, int from, int to);

  /**
   * out[outFrom + j] = the summed gradient's entry from + j × {@code scale}, for j in
   * [0, to − from), unchecked (see {@link #finite}). Ranges may run on several threads at once.
   */
  void scaleTo(double[] out, int outFrom, double scale, int from, int to);

  /** The summed gradient in double (a copy). */
  double[] gradient();

  /** Hands the gradient's array back to the fit's pool; the sum is spent afterwards. */
  void recycle();
}
