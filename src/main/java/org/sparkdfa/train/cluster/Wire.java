package org.sparkdfa.train.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.steps.Finite;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.FloatWeightsCopy;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * Arrays to and from the bytes of an epoch job's frames ({@link StepFrames}) through direct
 * buffers, which a socket reads and writes without a copy of its own: the same little-endian
 * bytes as {@link Flat#encode}, so a share or the weights are bit for bit what
 * {@link BroadcastSteps} ships, but moved by bulk copies instead of element by element. The
 * driver's weights, encoded once for every task, sit in buffers of their own
 * ({@link Weights}); a share, and the weights a task reads, pass through a small buffer a chunk
 * at a time ({@link #send}, {@link #receive}) straight between the socket and the array.
 */
final class Wire {
  /**
   * The bytes of {@link #chunk}, a multiple of 8: small next to a parameter vector, and large
   * enough that a blocking write does not wait on the reader for every few segments
   * (docs/BENCHMARKS.md).
   */
  static final int CHUNK_BYTES = 1 << 20;

  private Wire() {}

  static int bytesPer(Flat<?> flat) {
    return flat.precision() == Precision.FLOAT32 ? Float.BYTES : Double.BYTES;
  }

  /** The wire bytes of {@code n} values of {@code flat}. */
  static int bytes(Flat<?> flat, int n) {
    return Math.multiplyExact(n, bytesPer(flat));
  }

  /** A direct little-endian buffer for {@code n} values of {@code flat}. */
  static ByteBuffer buffer(Flat<?> flat, int n) {
    return ByteBuffer.allocateDirect(bytes(flat, n)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A small direct buffer that a frame's values pass through, chunk by chunk ({@link #send}). */
  static ByteBuffer chunk() {
    return ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * {@code head}, then every value of {@code values} as little-endian bytes, encoded into
   * {@code chunk} a chunk at a time: no parameter-sized buffer is kept for it.
   */
  static <A> void send(SocketChannel ch, ByteBuffer head, Flat<A> flat, A values,
      ByteBuffer chunk) throws IOException {
    int per = bytesPer(flat);
    int n = flat.length(values);
    int perChunk = chunk.capacity() / per;
    ByteBuffer[] both = {head, chunk};
    for (int from = 0; from < n || head.hasRemaining(); from += perChunk) {
      int m = Math.min(perChunk, n - from);
      chunk.clear();
      if (values instanceof float[] f) {
        chunk.asFloatBuffer().put(f, from, m);
      } else {
        chunk.asDoubleBuffer().put((double[]) values, from, m);
      }
      chunk.limit(m * per);
      while (head.hasRemaining() || chunk.hasRemaining()) ch.write(both);
    }
  }

  /**
   * A frame's payload of {@code bytes} bytes into {@code values}, which it must fill exactly,
   * read and decoded a chunk at a time through {@code chunk}.
   */
  static <A> void receive(SocketChannel ch, int bytes, Flat<A> flat, A values,
      ByteBuffer chunk) throws IOException {
    int per = bytesPer(flat);
    int n = flat.length(values);
    if (bytes != (long) n * per) {
      throw new IOException("a frame of " + bytes + " bytes for " + n + " values of " + per
          + " bytes");
    }
    int perChunk = chunk.capacity() / per;
    for (int from = 0; from < n; from += perChunk) {
      int m = Math.min(perChunk, n - from);
      chunk.clear().limit(m * per);
      StepFrames.fill(ch, chunk);
      chunk.flip();
      if (values instanceof float[] f) {
        chunk.asFloatBuffer().get(f, from, m);
      } else {
        chunk.asDoubleBuffer().get((double[]) values, from, m);
      }
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
