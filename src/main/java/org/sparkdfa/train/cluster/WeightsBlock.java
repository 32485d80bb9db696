package org.sparkdfa.train.cluster;

import java.io.Serializable;
import java.nio.ByteBuffer;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BroadcastBlockId;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.io.ChunkedByteBuffer;
import org.sparkdfa.train.steps.Flat;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * One step's weights as a single block of bytes in the driver's block manager, which each
 * executor fetches in one request (a location lookup and one transfer) and keeps nowhere. A
 * broadcast of the same bytes travels as {@code spark.broadcast.blockSize} pieces, each a
 * lookup, a transfer and a report of the copy the executor stores, and is cleaned up by
 * messages to every executor. The block is named under the fit's context broadcast, so
 * destroying that broadcast at the end of the fit removes a block a failure left behind.
 * Decoded once per executor JVM and step, however many of its tasks ask.
 */
final class WeightsBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The last block decoded in this JVM and its values: tasks of one step share them. Names are
   * unique per fit and step (see BroadcastSteps), so a name seen again is the same weights.
   */
  private static BroadcastBlockId lastId;
  private static Object lastValues;

  private final BroadcastBlockId id;

  private WeightsBlock(BroadcastBlockId id) {
    this.id = id;
  }

  /** Puts {@code bytes} in the driver's block manager: block {@code field} of {@code owner}. */
  static WeightsBlock publish(long owner, String field, byte[] bytes) {
    BroadcastBlockId id = new BroadcastBlockId(owner, field);
    boolean stored = blocks().putBytes(id, new ChunkedByteBuffer(ByteBuffer.wrap(bytes)),
        StorageLevel.MEMORY_AND_DISK_SER(), true, ClassTag$.MODULE$.apply(byte[].class));
    if (!stored) {
      throw new IllegalStateException("The driver's block manager refused the step's weights ("
          + bytes.length + " bytes as block " + id.name() + "); raise spark.driver.memory");
    }
    return new WeightsBlock(id);
  }

  /** The weights in {@code flat}'s precision, fetched and decoded at most once per JVM. */
  @SuppressWarnings("unchecked")
  <A> A values(Flat<A> flat) {
    synchronized (WeightsBlock.class) {
      if (!id.equals(lastId)) {
        lastValues = null; // the previous step's weights can go before this step's arrive
        lastValues = flat.decode(fetch());
        lastId = id;
      }
      return (A) lastValues;
    }
  }

  private byte[] fetch() {
    BlockManager bm = blocks();
    Option<BlockData> local = bm.getLocalBytes(id); // the driver's own JVM (a local master)
    if (local.isDefined()) {
      try {
        ByteBuffer b = local.get().toByteBuffer().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
      } finally {
        bm.releaseLock(id, Option.empty());
      }
    }
    Option<ChunkedByteBuffer> remote = bm.getRemoteBytes(id);
    if (remote.isEmpty()) {
      throw new IllegalStateException("The step's weights (block " + id.name() + ") are no "
          + "longer on the driver: a task ran after its step ended (speculative execution, "
          + "spark.speculation, is not supported for training steps)");
    }
    return remote.get().toArray();
  }

  /** Drops the block from the driver. */
  void remove() {
    blocks().removeBlock(id, true);
  }

  private static BlockManager blocks() {
    return SparkEnv.get().blockManager();
  }
}
