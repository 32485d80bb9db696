package org.sparkdfa.train.cluster;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.sparkdfa.train.steps.ArrayHome;
import org.sparkdfa.train.steps.Flat;

/**
 * Where an epoch job's shares land on the driver ({@link EpochLink}), kept for the whole fit: a
 * small direct buffer per partition that its connection reads each share through
 * ({@link Wire#receive}), and the gradient arrays the shares are decoded into and summed in,
 * which come back once the update has read them ({@link ArrayHome}). A step holds at most one
 * array per partition, so the arrays of one step are all a fit allocates.
 */
final class ShareArrays<A> implements ArrayHome<A> {
  private final Flat<A> flat;
  private final int length;
  private final int maxIdle;
  private final ByteBuffer[] chunks;
  private final ConcurrentLinkedDeque<A> idle = new ConcurrentLinkedDeque<>();

  ShareArrays(Flat<A> flat, int length, int partitions) {
    this.flat = flat;
    this.length = length;
    this.maxIdle = partitions + 1;
    this.chunks = new ByteBuffer[partitions];
  }

  Flat<A> flat() {
    return flat;
  }

  /** Partition {@code partition}'s receive chunk (one connection reads through it at a time). */
  synchronized ByteBuffer chunk(int partition) {
    if (chunks[partition] == null) chunks[partition] = Wire.chunk();
    return chunks[partition];
  }

  /** The bytes of a share's payload. */
  int maxPayload() {
    return Wire.bytes(flat, length);
  }

  /** An array for a share (its every entry is overwritten by the share). */
  A take() {
    A a = idle.pollFirst();
    return a != null ? a : flat.alloc(length);
  }

  @Override
  public void giveBack(A array) {
    if (array != null && idle.size() < maxIdle) idle.offerFirst(array);
  }
}
