package org.sparkdfa.train.steps;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.nn.Workspace;
import org.sparkdfa.train.blocks.Chunk;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * What the trainer does with parameter-sized arrays of one precision — gradients, the weights the
 * tasks read, batch buffers — written once for {@code double[]} and once for {@code float[]}
 * and chosen once per fit by {@link #of}, the one place that tells the two apart. Everything
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

  public static final Flat<double[]> F64 = new F64();
  public static final Flat<float[]> F32 = new F32();

  private static final VarHandle DOUBLES =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOATS =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

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

  private static final class F64 extends Flat<double[]> {
    private static final long serialVersionUID = 1L;

    @Override public Precision precision() {
      return Precision.FLOAT64;
    }

    @Override public double[] alloc(int n) {
      return new double[n];
    }

    @Override public int length(double[] a) {
      return a.length;
    }

    @Override public void zero(double[] a) {
      Arrays.fill(a, 0.0);
    }

    @Override public void add(double[] acc, double[] other) {
      for (int i = 0; i < acc.length; i++) acc[i] += other[i];
    }

    @Override public boolean scaleInto(double[] a, double scale, double[] out, int from,
        int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        out[i] = a[i] * scale;
        finite &= Double.isFinite(out[i]);
      }
      return finite;
    }

    @Override public boolean scaleSumInto(double[] a, double[] b, double scale, double[] out,
        int from, int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        double sum = a[i] + b[i];
        out[i] = sum * scale;
        finite &= Double.isFinite(out[i]);
      }
      return finite;
    }

    @Override public boolean scaleInto(double[] a, double scale, float[] out, int from,
        int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        out[i] = (float) (a[i] * scale);
        finite &= Float.isFinite(out[i]);
      }
      return finite;
    }

    @Override public boolean scaleSumInto(double[] a, double[] b, double scale, float[] out,
        int from, int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        out[i] = (float) ((a[i] + b[i]) * scale);
        finite &= Float.isFinite(out[i]);
      }
      return finite;
    }

    @Override public double[] fromMaster(float[] params, double[] reuse) {
      double[] d = reuse != null && reuse.length == params.length ? reuse
          : new double[params.length];
      for (int i = 0; i < d.length; i++) d[i] = params[i];
      return d;
    }

    @Override public double[] fromParams(double[] params, double[] reuse) {
      return params;
    }

    @Override public boolean copyChecked(double[] params, double[] out, int from, int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        double x = params[i];
        finite &= Double.isFinite(x);
        out[i] = x;
      }
      return finite;
    }

    @Override public void scaledDifference(double[] a, double[] b, double scale,
        double[] out) {
      for (int i = 0; i < out.length; i++) out[i] = scale * (a[i] - b[i]);
    }

    @Override public double[] toDouble(double[] a) {
      return a.clone();
    }

    @Override public byte[] encode(double[] v) {
      byte[] b = new byte[Math.multiplyExact(v.length, Double.BYTES)];
      for (int i = 0; i < v.length; i++) DOUBLES.set(b, i * Double.BYTES, v[i]);
      return b;
    }

    @Override public double[] decode(byte[] b) {
      double[] v = new double[b.length / Double.BYTES];
      for (int i = 0; i < v.length; i++) v[i] = (double) DOUBLES.get(b, i * Double.BYTES);
      return v;
    }

    @Override public void addBytes(byte[] acc, byte[] b) {
      checkLength(b.length, acc.length / Double.BYTES, Double.BYTES);
      for (int i = 0; i < acc.length; i += Double.BYTES) {
        DOUBLES.set(acc, i, (double) DOUBLES.get(acc, i) + (double) DOUBLES.get(b, i));
      }
    }

    @Override public boolean scaleBytesInto(byte[] b, double scale, double[] out, int from,
        int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        out[i] = (double) DOUBLES.get(b, i * Double.BYTES) * scale;
        finite &= Double.isFinite(out[i]);
      }
      return finite;
    }

    @Override public boolean scaleBytesInto(byte[] b, double scale, float[] out, int from,
        int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        out[i] = (float) ((double) DOUBLES.get(b, i * Double.BYTES) * scale);
        finite &= Float.isFinite(out[i]);
      }
      return finite;
    }

    @Override double[] features(Chunk c) {
      return c.features64();
    }

    @Override void gather(PartitionData p, int r, double[] x, double[] y, double[] w, int col) {
      p.gather(r, x, y, w, col);
    }

    @Override double gradient(Network net, double[] params, double[] x, double[] y, double[] w,
        int m, Feedback feedback, double[] grad, Workspace ws) {
      return net.gradient(params, x, y, w, m, feedback, grad, ws);
    }

    @Override double[] logits(Network net, double[] params, double[] x, int n, Workspace ws) {
      return net.forward(params, x, n, ws);
    }
  }

  private static final class F32 extends Flat<float[]> {
    private static final long serialVersionUID = 1L;

    @Override public Precision precision() {
      return Precision.FLOAT32;
    }

    @Override public float[] alloc(int n) {
      return new float[n];
    }

    @Override public int length(float[] a) {
      return a.length;
    }

    @Override public void zero(float[] a) {
      Arrays.fill(a, 0f);
    }

    @Override public void add(float[] acc, float[] other) {
      for (int i = 0; i < acc.length; i++) acc[i] += other[i];
    }

    @Override public boolean scaleInto(float[] a, double scale, double[] out, int from,
        int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        out[i] = a[i] * scale;
        finite &= Double.isFinite(out[i]);
      }
      return finite;
    }

    @Override public boolean scaleSumInto(float[] a, float[] b, double scale, double[] out,
        int from, int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        float sum = a[i] + b[i];
        out[i] = sum * scale;
        finite &= Double.isFinite(out[i]);
      }
      return finite;
    }

    @Override public boolean scaleInto(float[] a, double scale, float[] out, int from,
        int to) {
      final float s = (float) scale;
      float max = 0; // NaN propagates: a max-reduction the JIT vectorizes (an and of booleans not)
      for (int i = from; i < to; i++) {
        float x = a[i] * s;
        out[i] = x;
        max = Math.max(max, Math.abs(x));
      }
      return max <= Float.MAX_VALUE;
    }

    @Override public boolean scaleSumInto(float[] a, float[] b, double scale, float[] out,
        int from, int to) {
      final float s = (float) scale;
      float max = 0; // NaN propagates: a max-reduction the JIT vectorizes (an and of booleans not)
      for (int i = from; i < to; i++) {
        float x = (a[i] + b[i]) * s;
        out[i] = x;
        max = Math.max(max, Math.abs(x));
      }
      return max <= Float.MAX_VALUE;
    }

    @Override public float[] fromMaster(float[] params, float[] reuse) {
      return params;
    }

    @Override public float[] fromParams(double[] params, float[] reuse) {
      float[] f = reuse != null && reuse.length == params.length ? reuse
          : new float[params.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) params[i];
      return f;
    }

    @Override public boolean copyChecked(double[] params, float[] out, int from, int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        double x = params[i];
        finite &= Double.isFinite(x);
        out[i] = (float) x;
      }
      return finite;
    }

    @Override public void scaledDifference(double[] a, double[] b, double scale,
        float[] out) {
      for (int i = 0; i < out.length; i++) out[i] = (float) (scale * (a[i] - b[i]));
    }

    @Override public double[] toDouble(float[] a) {
      double[] d = new double[a.length];
      for (int i = 0; i < d.length; i++) d[i] = a[i];
      return d;
    }

    @Override public byte[] encode(float[] v) {
      byte[] b = new byte[Math.multiplyExact(v.length, Float.BYTES)];
      for (int i = 0; i < v.length; i++) FLOATS.set(b, i * Float.BYTES, v[i]);
      return b;
    }

    @Override public float[] decode(byte[] b) {
      float[] v = new float[b.length / Float.BYTES];
      for (int i = 0; i < v.length; i++) v[i] = (float) FLOATS.get(b, i * Float.BYTES);
      return v;
    }

    @Override public void addBytes(byte[] acc, byte[] b) {
      checkLength(b.length, acc.length / Float.BYTES, Float.BYTES);
      for (int i = 0; i < acc.length; i += Float.BYTES) {
        FLOATS.set(acc, i, (float) FLOATS.get(acc, i) + (float) FLOATS.get(b, i));
      }
    }

    @Override public boolean scaleBytesInto(byte[] b, double scale, double[] out, int from,
        int to) {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        out[i] = (float) FLOATS.get(b, i * Float.BYTES) * scale;
        finite &= Double.isFinite(out[i]);
      }
      return finite;
    }

    @Override public boolean scaleBytesInto(byte[] b, double scale, float[] out, int from,
        int to) {
      boolean finite = true;
      final float s = (float) scale;
      for (int i = from; i < to; i++) {
        out[i] = (float) FLOATS.get(b, i * Float.BYTES) * s;
        finite &= Float.isFinite(out[i]);
      }
      return finite;
    }

    @Override float[] features(Chunk c) {
      return c.features32();
    }

    @Override void gather(PartitionData p, int r, float[] x, double[] y, double[] w, int col) {
      p.gather(r, x, y, w, col);
    }

    @Override double gradient(Network net, float[] params, float[] x, double[] y, double[] w,
        int m, Feedback feedback, float[] grad, Workspace ws) {
      return net.gradient(params, x, y, w, m, feedback, grad, ws);
    }

    @Override double[] logits(Network net, float[] params, float[] x, int n, Workspace ws) {
      float[] out = net.forward(params, x, n, ws);
      double[] logits = new double[net.spec().outputs() * n];
      for (int i = 0; i < logits.length; i++) logits[i] = out[i];
      return logits;
    }
  }
}
