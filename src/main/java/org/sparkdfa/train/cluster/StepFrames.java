package org.sparkdfa.train.cluster;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.SummedRows;

/**
 * The wire format between the driver and the tasks of an epoch job on a cluster
 * ({@link StreamSteps}): length-prefixed frames on a plain blocking socket. Every frame starts
 * with a fixed header — kind, epoch, step, payload length and six 8-byte fields — followed by
 * the payload. The header carries a share's scalars (loss, row weight, row count, compute time, and
 * the task's time to read and decode the weights and to encode the share), so
 * a payload is exactly the bytes {@link Flat#encode} made and nothing is copied to split it:
 * <ul>
 *   <li>{@link #HELLO} (task to driver): the task's first epoch, step = partition, payload = the
 *       fit's token;</li>
 *   <li>{@link #WEIGHTS} (driver to task): the weights of step {@code step} of {@code epoch},
 *       encoded once for every connection;</li>
 *   <li>{@link #SHARE} (task to driver): the partition's share of that step, an empty payload
 *       for an empty share;</li>
 *   <li>{@link #END} (driver to task): no more steps for this job's tasks, stop.</li>
 * </ul>
 */
final class StepFrames {
  static final int HELLO = 1;
  static final int WEIGHTS = 2;
  static final int SHARE = 3;
  static final int END = 4;
  /** The per-fit token's length (256 random bits). */
  static final int TOKEN_BYTES = 32;
  private static final int HEADER = 4 * Integer.BYTES + 6 * Long.BYTES;

  private StepFrames() {}

  /** A received frame: its header fields and payload. */
  record Frame(int kind, int epoch, int step, long a, long b, long c, long d, long e, long f,
      byte[] payload) {}

  static void write(SocketChannel ch, int kind, int epoch, int step, long[] fields,
      ByteBuffer payload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    head.putInt(kind).putInt(epoch).putInt(step).putInt(payload.remaining());
    for (int i = 0; i < 6; i++) head.putLong(i < fields.length ? fields[i] : 0);
    head.flip();
    ByteBuffer[] both = {head, payload};
    while (payload.hasRemaining() || head.hasRemaining()) ch.write(both);
  }

  static void hello(SocketChannel ch, byte[] token, int epoch, int partition)
      throws IOException {
    write(ch, HELLO, epoch, partition, new long[0], ByteBuffer.wrap(token));
  }

  /**
   * A share: its totals, the task's nanoseconds reading the weights and encoding the share, and
   * its bytes ({@code bytes} from position to limit; empty for an empty share).
   */
  static void share(SocketChannel ch, int epoch, int step, SummedRows s, long readNanos,
      long encodeNanos, ByteBuffer bytes) throws IOException {
    write(ch, SHARE, epoch, step, new long[] {Double.doubleToRawLongBits(s.loss()),
        Double.doubleToRawLongBits(s.weight()), s.count(), s.taskNanos(), readNanos,
        encodeNanos}, bytes);
  }

  /**
   * A {@link #SHARE} frame, its payload read into {@code in}, as the sum it carries (bit for bit
   * what the task computed), in an array of {@code arrays} that goes back there once spent.
   */
  static <A> GradientSum<A> share(Frame f, ByteBuffer in, ShareArrays<A> arrays) {
    A grad = null;
    if (in.limit() > 0) {
      grad = arrays.take();
      Wire.get(in, grad);
    }
    return GradientSum.received(arrays.flat(), grad, grad == null ? null : arrays,
        Double.longBitsToDouble(f.a()), Double.longBitsToDouble(f.b()), f.c(), f.d());
  }

  /**
   * The next frame; a payload over {@code maxPayload} bytes is refused (a peer that is not one
   * of ours). End of stream is an {@link EOFException}.
   */
  static Frame read(SocketChannel ch, int maxPayload) throws IOException {
    return read(ch, maxPayload, null);
  }

  /**
   * {@link #read}; {@code payloadNanos[0]}, when given, gets the time from the header's arrival
   * to the payload's end (the transfer, not the wait for it).
   */
  static Frame read(SocketChannel ch, int maxPayload, long[] payloadNanos) throws IOException {
    return read(ch, maxPayload, payloadNanos, null);
  }

  /**
   * {@link #read}, the payload read into {@code into} when given (from 0, its limit set to the
   * payload's end; the frame's payload array is then null) instead of a new array.
   */
  static Frame read(SocketChannel ch, int maxPayload, long[] payloadNanos, ByteBuffer into)
      throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    fill(ch, head);
    long t0 = System.nanoTime();
    head.flip();
    int kind = head.getInt();
    int epoch = head.getInt();
    int step = head.getInt();
    int length = head.getInt();
    if (length < 0 || length > maxPayload) {
      throw new IOException("bad frame from " + ch.getRemoteAddress() + ": kind " + kind
          + ", " + length + " bytes (at most " + maxPayload + ")");
    }
    long a = head.getLong();
    long b = head.getLong();
    long c = head.getLong();
    long d = head.getLong();
    long e = head.getLong();
    long f = head.getLong();
    byte[] payload = null;
    if (into != null) {
      into.clear().limit(length);
      fill(ch, into);
    } else {
      payload = new byte[length];
      fill(ch, ByteBuffer.wrap(payload));
    }
    if (payloadNanos != null) payloadNanos[0] = System.nanoTime() - t0;
    return new Frame(kind, epoch, step, a, b, c, d, e, f, payload);
  }

  private static void fill(SocketChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) throw new EOFException("connection closed by " + peer(ch));
    }
  }

  static String peer(SocketChannel ch) {
    try {
      return String.valueOf(ch.getRemoteAddress());
    } catch (IOException e) {
      return "a closed connection";
    }
  }
}
