package org.sparkdfa.train.steps;

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

/** {@link Flat} over {@code double[]}: float64 gradients, weights and batch buffers. */
final class Flat64 extends Flat<double[]> {
  private static final long serialVersionUID = 1L;

  private static final VarHandle DOUBLES =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

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
