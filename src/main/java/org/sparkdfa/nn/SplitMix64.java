package org.sparkdfa.nn;

/**
 * SplitMix64 (Steele, Lea &amp; Flood 2014): a tiny, fast, well-mixed 64-bit generator whose output
 * is fixed by this code alone (unlike {@link java.util.SplittableRandom}, whose algorithm the JDK
 * does not promise to keep). The project's one random source: weights, feedback matrices, batch
 * permutations and generated data sets are the same for a seed on every JVM.
 *
 * <p>The data sets seed one instance per row with {@link #derive(long...)} of
 * (domain tag, seed, epoch, row index): rows are independent of each other and of partitioning.
 * Not thread-safe; cheap to create.
 */
public final class SplitMix64 {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** The SplitMix64 finalizer: a bijection of 64-bit values with good avalanche. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A well-mixed seed from an ordered tuple of parts. For a fixed prefix, distinct last parts give
   * distinct results (each step is a bijection of the running hash).
   */
  public static long derive(long... parts) {
    long h = 0x6A09E667F3BCC909L;
    for (long p : parts) {
      h = mix64((h ^ p) + GOLDEN);
    }
    return h;
  }

  public long nextLong() {
    return mix64(state += GOLDEN);
  }

  /** Uniform in [0, bound), unbiased (rejection on the top 63 bits). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, got " + bound);
    }
    long m = bound;
    long u = nextLong() >>> 1;
    long r;
    while (u - (r = u % m) + (m - 1) < 0) {
      u = nextLong() >>> 1;
    }
    return (int) r;
  }

  public boolean nextBoolean() {
    return nextLong() < 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [origin, bound). */
  public double nextDouble(double origin, double bound) {
    if (!(origin < bound) || Double.isInfinite(bound - origin)) {
      throw new IllegalArgumentException("need a finite origin < bound, got [" + origin + ", "
          + bound + ")");
    }
    double r = origin + nextDouble() * (bound - origin);
    return r < bound ? r : Math.nextDown(bound); // rounding can reach bound
  }
}
