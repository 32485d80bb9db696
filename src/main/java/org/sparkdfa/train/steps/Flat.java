package org.sparkdfa.train.steps;

import java.io.Serializable;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.nn.Workspace;
import org.sparkdfa.train.blocks.Chunk;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * What the trainer does with parameter-sized arrays of one precision — gradients, the weights the
 * tasks read, batch buffers — written once for {@code double[]} and once for {@code float[]}
 * ({@link Flat64}, {@link Flat32}) and chosen once per fit by {@link #of}, the one place that
 * tells the two apart. Everything
 * above it is generic in the array type, so no code casts or asks {@code instanceof}.
 *
 * <p>Bytes ({@link #encode}) are little-endian and fixed, so a driver and executors on different
 * hardware agree, and every {@code spark.serializer} copies them in bulk (a 9.6 MB double[] took
 * 8.8 ms to Java-serialize and 5.5 ms to read back; as bytes, about 1.5 ms each way).
 *
 * @param <A> double[] or float[]
 */
public abstract class Flat<A> implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final Flat<double[]> F64 = new Flat64();
  public static final Flat<float[]> F32 = new Flat32();

  Flat() {}

  /** The arrays of {@code precision}. */
  public static Flat<?> of(Precision precision) {
    return precision == Precision.FLOAT32 ? F32 : F64;
  }

  public abstract Precision precision();

  public abstract A alloc(int n);

  public abstract int length(A a);

  public abstract void zero(A a);

  /** acc += other, element by element. */
  public abstract void add(A acc, A other);

  /** out[from, to) = a[from, to) × scale in double; false if an entry there is not finite. */
  public abstract boolean scaleInto(A a, double scale, double[] out, int from, int to);

  /**
   * out[from, to) = (a + b)[from, to) × scale: the sum in this precision (the bits of
   * {@link #add}), scaled in double; false if an entry there is not finite.
   */
  public abstract boolean scaleSumInto(A a, A b, double scale, double[] out, int from, int to);

  /**
   * {@link #scaleInto} into float32 (the float32 update's gradient); false if an entry is not
   * finite. Float32 values are scaled in float arithmetic by {@code (float) scale} (in Java 17
   * the JIT vectorizes no float-double conversion, so a scaling in double runs scalar); float64
   * ones in double, rounded once.
   */
  public abstract boolean scaleInto(A a, double scale, float[] out, int from, int to);

  /** {@link #scaleSumInto} into float32, scaled as {@link #scaleInto(Object, double, float[], int, int)}. */
  public abstract boolean scaleSumInto(A a, A b, double scale, float[] out, int from, int to);

  /**
   * The weights as the tasks read them when the driver keeps float32 master weights:
   * {@code params} itself in float32 (no copy at all); in float64 a widened copy into
   * {@code reuse}.
   */
  public abstract A fromMaster(float[] params, A reuse);

  /**
   * The weights as the math reads them: {@code params} itself in float64; in float32 a float
   * copy written into {@code reuse} (allocated when null or of another length).
   */
  public abstract A fromParams(double[] params, A reuse);

  /**
   * out[from, to) = params[from, to) in this precision, and whether every one of those params
   * is finite: the driver's update checks its new weights in the same loop as it writes the
   * tasks' copy (in Java 17 neither loop is vectorized, so one loop costs half of two).
   */
  public abstract boolean copyChecked(double[] params, A out, int from, int to);

  /** out[i] = scale · (a[i] − b[i]), computed in double and stored in this precision. */
  public abstract void scaledDifference(double[] a, double[] b, double scale, A out);

  /** A copy in double. */
  public abstract double[] toDouble(A a);

  public abstract byte[] encode(A a);

  public abstract A decode(byte[] bytes);

  /** acc[i] += the i-th value of {@code bytes}, both in this precision's encoding. */
  public abstract void addBytes(byte[] acc, byte[] bytes);

  /** {@link #scaleInto} reading the values from their encoding. */
  public abstract boolean scaleBytesInto(byte[] bytes, double scale, double[] out, int from,
      int to);

  /** {@link #scaleInto(Object, double, float[], int, int)} reading the values from bytes. */
  public abstract boolean scaleBytesInto(byte[] bytes, double scale, float[] out, int from,
      int to);

  /** Chunk c's d × n features in this precision (the chunk must be of it). */
  abstract A features(Chunk c);

  /** Row r of p into column col of the batch buffers (see {@link PartitionData#gather}). */
  abstract void gather(PartitionData p, int r, A x, double[] y, double[] w, int col);

  /** Network.gradient in this precision: adds m columns' gradient into grad, returns the loss. */
  abstract double gradient(Network net, A params, A x, double[] y, double[] w, int m,
      Feedback feedback, A grad, Workspace ws);

  /** The c × n output logits of n columns, in double (c = the network's outputs). */
  abstract double[] logits(Network net, A params, A x, int n, Workspace ws);

  /** The two instances stay the only ones across serialization. */
  protected Object readResolve() {
    return of(precision());
  }

  static void checkLength(long bytes, long values, int width) {
    if (bytes != values * width) {
      throw new IllegalArgumentException(bytes + " bytes do not hold " + values + " values");
    }
  }
}
