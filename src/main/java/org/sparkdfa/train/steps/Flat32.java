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

/**
 * {@link Flat} over {@code float[]}: float32 gradients, weights and batch buffers. Where it writes
 * a float32 average it checks it as a max-reduction of |x| (NaN propagates), which Java 17's JIT
 * vectorizes where it does not an and of booleans.
 */
final class Flat32 extends Flat<float[]> {
  private static final long serialVersionUID = 1L;

  private static final VarHandle FLOATS =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

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
