package org.sparkdfa.train.steps;

/**
 * A summed gradient held as an array in hand, with its rows' totals: what a task computes into
 * and what the driver sums when the tasks share its JVM. An empty sum (no rows) holds no array.
 * The array may belong to a fit's pool ({@link ArrayHome}): adding another sum into this one
 * spends the other (its array goes home), and {@link #recycle} sends this one's home.
 *
 * @param <A> double[] or float[] (see {@link Flat})
 */
public final class GradientSum<A> extends SummedRows
    implements Summable<GradientSum<A>>, StepGradient {
  private static final long serialVersionUID = 1L;

  private final Flat<A> flat;
  private A grad;
  private transient ArrayHome<A> home;

  /** An empty sum: no rows, no array. */
  public GradientSum(Flat<A> flat) {
    this.flat = flat;
  }

  /**
   * A sum over {@code grad} (zeroed, to be summed into, or already a sum), going back to
   * {@code home} (or nowhere, if null) once spent.
   */
  public GradientSum(Flat<A> flat, A grad, ArrayHome<A> home) {
    this.flat = flat;
    this.grad = grad;
    this.home = home;
  }

  /** A sum with the given array and totals (tests, and shares rebuilt on the driver). */
  public static <A> GradientSum<A> of(Flat<A> flat, A grad, double loss, double weight,
      long count) {
    GradientSum<A> s = new GradientSum<>(flat, grad, null);
    s.loss = loss;
    s.weight = weight;
    s.count = count;
    return s;
  }

  /**
   * A share received from another JVM: its array (null if empty), going back to {@code home}
   * once spent, and the totals the task computed, bit for bit.
   */
  public static <A> GradientSum<A> received(Flat<A> flat, A grad, ArrayHome<A> home,
      double loss, double weight, long count, long taskNanos) {
    GradientSum<A> s = new GradientSum<>(flat, grad, home);
    s.loss = loss;
    s.weight = weight;
    s.count = count;
    s.taskNanos = taskNanos;
    return s;
  }

  /** This sum's array with {@code totals}' scalars: a parked share taken back in hand. */
  public static <A> GradientSum<A> withTotals(Flat<A> flat, A grad, ArrayHome<A> home,
      SummedRows totals) {
    GradientSum<A> s = new GradientSum<>(flat, grad, home);
    s.addTotals(totals);
    return s;
  }

  public Flat<A> flat() {
    return flat;
  }

  /** The summed gradient array; null when no rows were summed. */
  public A array() {
    return grad;
  }

  public boolean isEmpty() {
    return grad == null;
  }

  @Override
  public GradientSum<A> plus(GradientSum<A> right) {
    if (right.grad != null) {
      if (grad == null) { // adopt: right is spent without giving its array back
        grad = right.grad;
        home = right.home;
      } else {
        flat.add(grad, right.grad);
        right.recycle();
      }
      right.grad = null;
    }
    addTotals(right);
    return this;
  }

  @Override
  public boolean scaleInto(double[] out, double scale, int from, int to) {
    return flat.scaleInto(grad, scale, out, from, to);
  }

  @Override
  public boolean scaleInto(float[] out, double scale, int from, int to) {
    return flat.scaleInto(grad, scale, out, from, to);
  }

  @Override
  public double[] gradient() {
    return grad == null ? null : flat.toDouble(grad);
  }

  @Override
  public void recycle() {
    if (grad != null && home != null) home.giveBack(grad);
    grad = null;
    home = null;
  }
}
