package org.sparkdfa.train.steps;

/**
 * {@link WeightsCopy} for float32 master weights: a copy of them the tasks read instead of the
 * {@code float[]} itself (the wire bytes of a cluster's epoch job), written by the driver's
 * float32 update range by range while each range is in cache. Same calls in the same order:
 * {@link #invalidate}, {@link #write} for ranges (from several threads at once), then
 * {@link #written} — or none of it, if the update failed.
 */
public interface FloatWeightsCopy {
  /** The copy is about to be rewritten: it matches no weights until {@link #written}. */
  void invalidate();

  /** Writes the copy's range [from, to); returns whether every one of those params is finite. */
  boolean write(float[] params, int from, int to);

  /** Every range was written from {@code params}, which will not change before it is read. */
  void written(float[] params);
}
