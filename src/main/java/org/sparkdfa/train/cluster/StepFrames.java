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
 * the payload. The header carries a share's scalars (loss, row weight, row count, compute time,
 * and the task's time to read and decode the weights; the sixth field is unused), so a payload
 * is exactly the bytes {@link Flat#encode} makes and can go straight between the socket and an
 * array ({@link Wire#send}, {@link Wire#receive}):
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

  /**
   * A received frame: its header fields, and its payload of {@code length} bytes — read into
   * {@code payload}, or (null) left on the connection for the caller to read.
   */
  record Frame(int kind, int epoch, int step, int length, long a, long b, long c, long d, long e,
      long f, byte[] payload) {}

  static void write(SocketChannel ch, int kind, int epoch, int step, long[] fields,
      ByteBuffer payload) throws IOException {
    ByteBuffer head = head(kind, epoch, step, payload.remaining(), fields);
    ByteBuffer[] both = {head, payload};
    while (payload.hasRemaining() || head.hasRemaining()) ch.write(both);
  }

  private static ByteBuffer head(int kind, int epoch, int step, int length, long[] fields) {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    head.putInt(kind).putInt(epoch).putInt(step).putInt(length);
    for (int i = 0; i < 6; i++) head.putLong(i < fields.length ? fields[i] : 0);
    return head.flip();
  }

  static void hello(SocketChannel ch, byte[] token, int epoch, int partition)
      throws IOException {
    write(ch, HELLO, epoch, partition, new long[0], ByteBuffer.wrap(token));
  }

  /**
   * A share: its totals, the task's nanoseconds reading and decoding the step's weights, and
   * its values (null for an empty share), encoded on the way through {@code chunk}.
   */
  static <A> void share(SocketChannel ch, int epoch, int step, SummedRows s, long readNanos,
      Flat<A> flat, A values, ByteBuffer chunk) throws IOException {
    long[] fields = {Double.doubleToRawLongBits(s.loss()), Double.doubleToRawLongBits(s.weight()),
        s.count(), s.taskNanos(), readNanos};
    if (values == null) {
      write(ch, SHARE, epoch, step, fields, ByteBuffer.allocate(0));
    } else {
      Wire.send(ch, head(SHARE, epoch, step, Wire.bytes(flat, flat.length(values)), fields), flat,
          values, chunk);
    }
  }

  /**
   * A {@link #SHARE} frame's payload, read from {@code ch} through {@code chunk}, as the sum it
   * carries (bit for bit what the task computed), in an array of {@code arrays} that goes back
   * there once spent.
   */
  static <A> GradientSum<A> share(Frame f, SocketChannel ch, ShareArrays<A> arrays,
      ByteBuffer chunk) throws IOException {
    A grad = null;
    if (f.length() > 0) {
      grad = arrays.take();
      Wire.receive(ch, f.length(), arrays.flat(), grad, chunk);
    }
    return GradientSum.received(arrays.flat(), grad, grad == null ? null : arrays,
        Double.longBitsToDouble(f.a()), Double.longBitsToDouble(f.b()), f.c(), f.d());
  }

  /**
   * The next frame with its payload; a payload over {@code maxPayload} bytes is refused (a peer
   * that is not one of ours). End of stream is an {@link EOFException}.
   */
  static Frame read(SocketChannel ch, int maxPayload) throws IOException {
    Frame f = header(ch, maxPayload);
    byte[] payload = new byte[f.length()];
    fill(ch, ByteBuffer.wrap(payload));
    return new Frame(f.kind(), f.epoch(), f.step(), f.length(), f.a(), f.b(), f.c(), f.d(),
        f.e(), f.f(), payload);
  }

  /**
   * The next frame's header, its payload (at most {@code maxPayload} bytes, else refused) left
   * on the connection. End of stream is an {@link EOFException}.
   */
  static Frame header(SocketChannel ch, int maxPayload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    fill(ch, head);
    head.flip();
    int kind = head.getInt();
    int epoch = head.getInt();
    int step = head.getInt();
    int length = head.getInt();
    if (length < 0 || length > maxPayload) {
      throw new IOException("bad frame from " + ch.getRemoteAddress() + ": kind " + kind
          + ", " + length + " bytes (at most " + maxPayload + ")");
    }
    return new Frame(kind, epoch, step, length, head.getLong(), head.getLong(), head.getLong(),
        head.getLong(), head.getLong(), head.getLong(), null);
  }

  static void fill(SocketChannel ch, ByteBuffer buf) throws IOException {
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
