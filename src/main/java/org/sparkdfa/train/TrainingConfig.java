package org.sparkdfa.train;

import java.io.Serializable;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.optim.OptimizerConfig;

/**
 * Everything the distributed trainer needs, as a plain value: the ML layer copies its Params onto
 * this (as MLlib's MLPC copies its params onto a trainer), so the trainer knows nothing of Params.
 *
 * @param initialParams starting parameters (already initialized or warm-started)
 * @param optimizer     one of the seven mini-batch rules, or null when {@code lbfgs} is chosen
 * @param batchSize     global mini-batch size (rows per optimizer step across all partitions)
 * @param maxEpochs     maximum number of epochs (0 returns the initial parameters)
 * @param tol           minimum improvement of the monitored loss that counts as progress
 * @param patience      epochs without progress before stopping early
 * @param jobLabel      names the estimator in Spark job descriptions and logs
 * @param listeners     called after every epoch; their metrics go into the epoch's record
 */
public record TrainingConfig(
    Network network,
    Feedback feedback,
    double[] initialParams,
    OptimizerConfig optimizer,
    boolean lbfgs,
    int batchSize,
    int maxEpochs,
    double tol,
    int patience,
    long seed,
    int aggregationDepth,
    String jobLabel,
    java.util.List<EpochListener> listeners) implements Serializable {

  /** A configuration without epoch listeners. */
  public TrainingConfig(Network network, Feedback feedback, double[] initialParams,
      OptimizerConfig optimizer, boolean lbfgs, int batchSize, int maxEpochs, double tol,
      int patience, long seed, int aggregationDepth, String jobLabel) {
    this(network, feedback, initialParams, optimizer, lbfgs, batchSize, maxEpochs, tol, patience,
        seed, aggregationDepth, jobLabel, java.util.List.of());
  }

  public TrainingConfig {
    listeners = java.util.List.copyOf(listeners);
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    if (maxEpochs < 0) {
      throw new IllegalArgumentException("maxIter must be >= 0, got " + maxEpochs);
    }
    if (initialParams.length != network.spec().numParams()) {
      throw new IllegalArgumentException("initialWeights has " + initialParams.length
          + " values but layers " + network.spec() + " needs " + network.spec().numParams());
    }
    if (aggregationDepth < 1) {
      throw new IllegalArgumentException("aggregationDepth must be >= 1, got " + aggregationDepth);
    }
  }
}
