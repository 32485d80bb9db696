package org.sparkdfa.train;

import java.util.Map;

/**
 * Called on the driver after every epoch with the current weights; whatever metrics it returns
 * are recorded in that epoch's {@link EpochRecord#metrics()} (e.g. alignment diagnostics).
 */
@FunctionalInterface
public interface EpochListener extends java.io.Serializable {
  Map<String, Double> onEpochEnd(int epoch, double[] params);

  /**
   * Called on the driver after every optimizer step ({@code epoch} and {@code step} 1-based, of
   * {@code stepsPerEpoch}); for progress reports, so it must return at once.
   */
  default void onStep(int epoch, int step, int stepsPerEpoch) {}

  /**
   * Asked right after {@link #onEpochEnd}: true ends training after this epoch (with this
   * epoch's weights, stop reason {@link StopReason#LISTENER}), e.g. once a target accuracy is
   * reached. Never by default.
   */
  default boolean stopRequested() {
    return false;
  }
}
