package org.sparkdfa.nn;

/**
 * Derives independent seeds from a tuple such as (seed, epoch, partition), so every random
 * stream in the project is a pure function of the user's seed and its position — never a shared
 * {@code Random}.
 */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed 64-bit seed from the given parts (SplitMix64 finalizer per part). */
  public static long mix(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long p : parts) {
      h = splitmix(h ^ splitmix(p + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  private static long splitmix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A standard normal draw (Box–Muller; one value per call keeps streams simple to replay). */
  public static double gaussian(SplitMix64 rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
