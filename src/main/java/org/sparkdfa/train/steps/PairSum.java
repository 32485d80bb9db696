package org.sparkdfa.train.steps;

import java.util.Arrays;

/**
 * A step's ordered sum of shares in hand with its last addition — the root's, of the tree's two
 * halves — left to the driver's update: the update's pass adds them range by range as it
 * averages ({@link Flat#scaleSumInto}), on every driver core, instead of a whole pass of its own
 * on one thread before the update starts. The bits are those of the full
 * {@link OrderedSum} ({@code left.plus(right)}).
 *
 * @param <A> double[] or float[] (see {@link Flat})
 */
public final class PairSum<A> extends SummedRows implements StepGradient {
  private static final long serialVersionUID = 1L;

  private final Flat<A> flat;
  private final GradientSum<A> left;
  private final GradientSum<A> right;

  private PairSum(Flat<A> flat, GradientSum<A> left, GradientSum<A> right) {
    this.flat = flat;
    this.left = left;
    this.right = right;
    addTotals(left); // the order of left.plus(right)
    addTotals(right);
  }

  /**
   * The ordered sum of {@code shares} (element i partition i's), its root addition left to the
   * update; a single partition's share as it is.
   */
  public static <A> StepGradient of(Flat<A> flat, GradientSum<A>[] shares) {
    if (shares.length == 1) return shares[0];
    int split = OrderedSum.rootSplit(shares.length);
    GradientSum<A> left = OrderedSum.ofPartitions(Arrays.copyOfRange(shares, 0, split))
        .result(new GradientSum<>(flat));
    GradientSum<A> right = OrderedSum.ofPartitions(
        Arrays.copyOfRange(shares, split, shares.length)).result(new GradientSum<>(flat));
    return new PairSum<>(flat, left, right);
  }

  @Override
  public boolean scaleInto(double[] out, double scale, int from, int to) {
    if (left.isEmpty()) return right.scaleInto(out, scale, from, to);
    if (right.isEmpty()) return left.scaleInto(out, scale, from, to);
    return flat.scaleSumInto(left.array(), right.array(), scale, out, from, to);
  }

  @Override
  public boolean scaleInto(float[] out, double scale, int from, int to) {
    if (left.isEmpty()) return right.scaleInto(out, scale, from, to);
    if (right.isEmpty()) return left.scaleInto(out, scale, from, to);
    return flat.scaleSumInto(left.array(), right.array(), scale, out, from, to);
  }

  @Override
  public double[] gradient() {
    if (left.isEmpty()) return right.gradient();
    if (right.isEmpty()) return left.gradient();
    double[] g = new double[flat.length(left.array())];
    scaleInto(g, 1.0, 0, g.length); // × 1 in double is exact: the sum itself
    return g;
  }

  @Override
  public void recycle() {
    left.recycle();
    right.recycle();
  }
}
