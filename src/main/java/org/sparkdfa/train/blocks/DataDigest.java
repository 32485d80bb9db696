package org.sparkdfa.train.blocks;

/**
 * A 64-bit digest of packed training rows, so that a checkpoint is resumed only on the data it
 * was trained on. Computed over the packed chunks in the packing task (the pass over the data
 * that caching needs anyway), one value per partition, combined in partition order on the driver.
 * Not cryptographic: it tells corrected or different data from the same data, which is what a
 * resume needs; it is an xxHash64-style round over the raw bits of every value.
 */
final class DataDigest {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;

  private DataDigest() {}

  /** The digest of one partition's chunks (shape, features, labels and weights). */
  static long of(int partition, Chunk[] chunks) {
    long h = round(P3, partition);
    for (Chunk c : chunks) {
      h = round(h, c.d);
      h = round(h, c.n);
      h = round(h, c.weighted ? 1 : 0);
      for (double v : c.data) h = round(h, Double.doubleToRawLongBits(v));
      if (c.x32 != null) {
        for (float v : c.x32) h = round(h, Float.floatToRawIntBits(v));
      }
    }
    return avalanche(h);
  }

  /** The partitions' digests combined in partition order, as 16 hex digits. */
  static String combine(long[] partitionDigests) {
    long h = round(P3, partitionDigests.length);
    for (long d : partitionDigests) h = round(h, d);
    return String.format("%016x", avalanche(h));
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    return h ^ (h >>> 32);
  }
}
