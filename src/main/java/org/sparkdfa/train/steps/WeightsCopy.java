package org.sparkdfa.train.steps;

/**
 * The copy of the weights the tasks read when it is not the driver's {@code double[]} itself (a
 * float32 fit on a local master), written by the driver's update range by range while each
 * range of the new weights is still in cache, so that handing the weights to the next step
 * needs no conversion pass of its own. Calls come in the order {@link #invalidate}, then
 * {@link #write} for ranges (from several threads at once), then {@link #written} once every
 * range is written — or none of it, if the update failed.
 */
public interface WeightsCopy {
  /** The copy is about to be rewritten: it matches no weights until {@link #written}. */
  void invalidate();

  /**
   * Writes the copy's range [from, to) from {@code params}; returns whether every one of those
   * params is finite (the update's check of its new weights, in the same loop as the copy).
   */
  boolean write(double[] params, int from, int to);

  /** Every range was written from {@code params}, which will not change before it is read. */
  void written(double[] params);
}
