package org.sparkdfa.train.steps;

/**
 * A summed gradient as bytes ({@link Flat#encode}), with its rows' totals: what a task in
 * another JVM returns. Sums add straight from byte array to byte array, on executors and on the
 * driver, and the driver's update averages straight from the bytes, so a gradient is decoded
 * nowhere. An empty sum (no rows) holds no bytes, so the zero value Spark ships into every task
 * is a few bytes, not a dense vector.
 */
public final class PackedSum extends SummedRows implements Summable<PackedSum>, StepGradient {
  private static final long serialVersionUID = 1L;

  private final Flat<?> flat;
  private byte[] bytes;

  private PackedSum(Flat<?> flat, byte[] bytes, SummedRows totals) {
    super(totals);
    this.flat = flat;
    this.bytes = bytes;
  }

  /** An empty sum. */
  public PackedSum(Flat<?> flat) {
    this.flat = flat;
  }

  /** {@code sum} encoded (its array is left to its owner). */
  public static <A> PackedSum of(GradientSum<A> sum) {
    return new PackedSum(sum.flat(), sum.isEmpty() ? null : sum.flat().encode(sum.array()), sum);
  }

  @Override
  public PackedSum plus(PackedSum right) {
    if (right.bytes != null) {
      if (bytes == null) {
        bytes = right.bytes;
      } else {
        flat.addBytes(bytes, right.bytes);
      }
      right.bytes = null;
    }
    addTotals(right);
    return this;
  }

  @Override
  public boolean scaleInto(double[] out, double scale, int from, int to) {
    return flat.scaleBytesInto(bytes, scale, out, from, to);
  }

  @Override
  public double[] gradient() {
    return bytes == null ? null : decode(flat, bytes);
  }

  private static <A> double[] decode(Flat<A> flat, byte[] bytes) {
    return flat.toDouble(flat.decode(bytes));
  }

  @Override
  public void recycle() {
    bytes = null;
  }
}
