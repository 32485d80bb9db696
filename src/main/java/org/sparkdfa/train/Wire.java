package org.sparkdfa.train;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Parameter-sized vectors as plain bytes for Spark to move. Every serializer copies a
 * {@code byte[]} in bulk, whereas Java serialization writes a {@code double[]} value by value
 * (a 9.6 MB vector took 8.8 ms to serialize and 5.5 ms to read back; as bytes, about 1.5 ms
 * each way, whichever {@code spark.serializer} the user runs). Little-endian, fixed, so a
 * driver and executors on different hardware agree.
 */
final class Wire {
  private static final VarHandle DOUBLES =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOATS =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  private Wire() {}

  static byte[] encode(double[] v) {
    byte[] b = new byte[Math.multiplyExact(v.length, Double.BYTES)];
    for (int i = 0; i < v.length; i++) DOUBLES.set(b, i * Double.BYTES, v[i]);
    return b;
  }

  static byte[] encode(float[] v) {
    byte[] b = new byte[Math.multiplyExact(v.length, Float.BYTES)];
    for (int i = 0; i < v.length; i++) FLOATS.set(b, i * Float.BYTES, v[i]);
    return b;
  }

  static double[] decodeDoubles(byte[] b) {
    double[] v = new double[b.length / Double.BYTES];
    for (int i = 0; i < v.length; i++) v[i] = (double) DOUBLES.get(b, i * Double.BYTES);
    return v;
  }

  static float[] decodeFloats(byte[] b) {
    float[] v = new float[b.length / Float.BYTES];
    for (int i = 0; i < v.length; i++) v[i] = (float) FLOATS.get(b, i * Float.BYTES);
    return v;
  }

  /** acc[i] += the i-th double of b. */
  static void addDoubles(byte[] b, double[] acc) {
    checkLength(b.length, acc.length, Double.BYTES);
    for (int i = 0; i < acc.length; i++) acc[i] += (double) DOUBLES.get(b, i * Double.BYTES);
  }

  /** acc[i] += the i-th float of b. */
  static void addFloats(byte[] b, float[] acc) {
    checkLength(b.length, acc.length, Float.BYTES);
    for (int i = 0; i < acc.length; i++) acc[i] += (float) FLOATS.get(b, i * Float.BYTES);
  }

  private static void checkLength(int bytes, int values, int width) {
    if (bytes != (long) values * width) {
      throw new IllegalArgumentException(bytes + " bytes do not hold " + values + " values");
    }
  }
}
