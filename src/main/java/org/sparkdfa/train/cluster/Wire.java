package org.sparkdfa.train.cluster;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.steps.Finite;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.FloatWeightsCopy;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * Arrays to and from the bytes of an epoch job's frames ({@link StepFrames}) through direct
 * buffers, which a socket reads and writes without a copy of its own: the same little-endian
 * bytes as {@link Flat#encode}, so a share or the weights are bit for bit what
 * {@link BroadcastSteps} ships, but moved by bulk copies instead of element by element, into
 * buffers and arrays reused from step to step.
 */
final class Wire {
  private Wire() {}

  static int bytesPer(Flat<?> flat) {
    return flat.precision() == Precision.FLOAT32 ? Float.BYTES : Double.BYTES;
  }

  /** A direct little-endian buffer for {@code n} values of {@code flat}. */
  static ByteBuffer buffer(Flat<?> flat, int n) {
    return ByteBuffer.allocateDirect(Math.multiplyExact(n, bytesPer(flat)))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** {@code values} into {@code out} from 0 (its limit set to their end). */
  static void put(Object values, ByteBuffer out) {
    out.clear();
    if (values instanceof float[] f) {
      out.asFloatBuffer().put(f);
      out.limit(f.length * Float.BYTES);
    } else {
      double[] d = (double[]) values;
      out.asDoubleBuffer().put(d);
      out.limit(d.length * Double.BYTES);
    }
  }

  /** The values in {@code in} (from 0 to its limit) into {@code values}, which they fill. */
  static void get(ByteBuffer in, Object values) {
    ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.position(0);
    if (values instanceof float[] f) {
      check(b.limit(), f.length, Float.BYTES);
      b.asFloatBuffer().get(f);
    } else {
      double[] d = (double[]) values;
      check(b.limit(), d.length, Double.BYTES);
      b.asDoubleBuffer().get(d);
    }
  }

  private static void check(int bytes, int n, int per) {
    if (bytes != (long) n * per) {
      throw new IllegalStateException("a frame of " + bytes + " bytes for " + n + " values of "
          + per + " bytes");
    }
  }

  /**
   * The weights' wire bytes as the driver's update writes them, range by range in its own loop
   * ({@link WeightsCopy}): two buffers used in turn, so the update of step s+1 never rewrites
   * the bytes of step s a writer may still be sending to a task that skips that step.
   */
  static final class Weights implements WeightsCopy, FloatWeightsCopy {
    private final boolean f32;
    private final ByteBuffer[] buffers = new ByteBuffer[2];
    private int turn;
    /** The params the current buffer holds, or null while it is being rewritten. */
    private double[] writtenFrom;
    /** The float32 master weights the current buffer holds, or null. */
    private float[] writtenFrom32;

    Weights(Flat<?> flat, int n) {
      f32 = flat.precision() == Precision.FLOAT32;
      buffers[0] = buffer(flat, n);
      buffers[1] = buffer(flat, n);
    }

    @Override
    public void invalidate() {
      writtenFrom = null;
      writtenFrom32 = null;
      turn ^= 1;
    }

    /** A bulk copy of the range (the wire is little-endian floats) and its check. */
    @Override
    public boolean write(float[] params, int from, int to) {
      requireFloat32();
      buffers[turn].asFloatBuffer().put(from, params, from, to - from);
      return Finite.all(params, from, to);
    }

    @Override
    public void written(float[] params) {
      writtenFrom32 = params;
    }

    @Override
    public boolean write(double[] params, int from, int to) {
      ByteBuffer b = buffers[turn];
      boolean finite = true;
      if (f32) {
        for (int i = from; i < to; i++) {
          double x = params[i];
          finite &= Double.isFinite(x);
          b.putFloat(i * Float.BYTES, (float) x);
        }
      } else {
        for (int i = from; i < to; i++) {
          double x = params[i];
          finite &= Double.isFinite(x);
          b.putDouble(i * Double.BYTES, x);
        }
      }
      return finite;
    }

    @Override
    public void written(double[] params) {
      writtenFrom = params;
    }

    /**
     * The wire bytes of {@code params}: those the update wrote if it wrote them from this very
     * array, else written now (the first step, or an update that wrote no copy).
     */
    ByteBuffer of(double[] params) {
      if (writtenFrom != params) {
        invalidate();
        write(params, 0, params.length);
        written(params);
      }
      return current();
    }

    /**
     * The wire bytes of float32 master weights, which are the floats the tasks compute with:
     * those the update wrote if it wrote them from this very array, else written now into the
     * other buffer in one bulk copy (the first step).
     */
    ByteBuffer of(float[] params) {
      requireFloat32();
      if (writtenFrom32 != params) {
        invalidate();
        write(params, 0, params.length);
        written(params);
      }
      return current();
    }

    private void requireFloat32() {
      if (!f32) {
        throw new IllegalStateException("float32 master weights in a float64 fit's wire");
      }
    }

    private ByteBuffer current() {
      ByteBuffer b = buffers[turn].duplicate();
      b.clear();
      return b;
    }
  }
}
