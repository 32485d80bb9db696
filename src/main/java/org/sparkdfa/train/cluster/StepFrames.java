package org.sparkdfa.train.cluster;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.PackedSum;

/**
 * The wire format between the driver and the tasks of an epoch job on a cluster
 * ({@link StreamSteps}): length-prefixed frames on a plain blocking socket. Every frame starts
 * with a fixed header — kind, step, payload length and four 8-byte fields — followed by the
 * payload. The header carries a share's scalars (loss, row weight, row count, compute time), so
 * a payload is exactly the bytes {@link Flat#encode} made and nothing is copied to split it:
 * <ul>
 *   <li>{@link #HELLO} (task to driver): step = partition, field c = epoch, payload = the fit's
 *       token;</li>
 *   <li>{@link #WEIGHTS} (driver to task): the weights of {@code step}, encoded once for every
 *       connection;</li>
 *   <li>{@link #SHARE} (task to driver): the partition's share of {@code step}, an empty payload
 *       for an empty share;</li>
 *   <li>{@link #END} (driver to task): the epoch is abandoned, stop.</li>
 * </ul>
 */
final class StepFrames {
  static final int HELLO = 1;
  static final int WEIGHTS = 2;
  static final int SHARE = 3;
  static final int END = 4;
  /** The per-fit token's length (256 random bits). */
  static final int TOKEN_BYTES = 32;
  private static final int HEADER = 3 * Integer.BYTES + 4 * Long.BYTES;

  private StepFrames() {}

  /** A received frame: its header fields and payload. */
  record Frame(int kind, int step, long a, long b, long c, long d, byte[] payload) {}

  static void write(SocketChannel ch, int kind, int step, long a, long b, long c, long d,
      ByteBuffer payload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    head.putInt(kind).putInt(step).putInt(payload.remaining());
    head.putLong(a).putLong(b).putLong(c).putLong(d).flip();
    ByteBuffer[] both = {head, payload};
    while (payload.hasRemaining() || head.hasRemaining()) ch.write(both);
  }

  static void hello(SocketChannel ch, byte[] token, int epoch, int partition)
      throws IOException {
    write(ch, HELLO, partition, 0, 0, epoch, 0, ByteBuffer.wrap(token));
  }

  static void share(SocketChannel ch, int step, PackedSum s) throws IOException {
    byte[] bytes = s.bytes();
    write(ch, SHARE, step, Double.doubleToRawLongBits(s.loss()),
        Double.doubleToRawLongBits(s.weight()), s.count(), s.taskNanos(),
        ByteBuffer.wrap(bytes == null ? new byte[0] : bytes));
  }

  /** A {@link #SHARE} frame as the sum it carries (bit for bit what the task computed). */
  static PackedSum share(Frame f, Flat<?> flat) {
    return PackedSum.of(flat, Double.longBitsToDouble(f.a()), Double.longBitsToDouble(f.b()),
        f.c(), f.d(), f.payload().length == 0 ? null : f.payload());
  }

  /**
   * The next frame; a payload over {@code maxPayload} bytes is refused (a peer that is not one
   * of ours). End of stream is an {@link EOFException}.
   */
  static Frame read(SocketChannel ch, int maxPayload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    fill(ch, head);
    head.flip();
    int kind = head.getInt();
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
    byte[] payload = new byte[length];
    fill(ch, ByteBuffer.wrap(payload));
    return new Frame(kind, step, a, b, c, d, payload);
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
