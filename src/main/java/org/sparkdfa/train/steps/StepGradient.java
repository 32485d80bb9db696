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

  /**
   * {@link #scaleInto(double[], double, int, int)} into float32 for a float32 update: each entry
   * scaled in double and rounded once; false if a rounded entry is not finite.
   */
  boolean scaleInto(float[] out, double scale, int from, int to);

  /** The summed gradient in double (a copy). */
  double[] gradient();

  /** Hands the gradient's array back to the fit's pool; the sum is spent afterwards. */
  void recycle();
}
