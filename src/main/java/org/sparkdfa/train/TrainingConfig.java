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
 * @param checkpoint    where to checkpoint and resume from, or null
 * @param precision     float64 or float32 blocks, step weights and gemm
 * @param localSgd      local steps and the outer optimizer ({@link LocalSgd#NONE}: none)
 * @param updatePrecision the driver's master weights and optimizer state: float64, float32
 *                      (only with precision float32: the tasks then read the master itself),
 *                      or null to follow {@code precision} (see {@link #masterPrecision})
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
    java.util.List<EpochListener> listeners,
    CheckpointConfig checkpoint,
    org.sparkdfa.nn.Precision precision,
    LocalSgd localSgd,
    org.sparkdfa.nn.Precision updatePrecision) implements Serializable {

  /** A configuration whose update precision follows {@code precision}. */
  public TrainingConfig(Network network, Feedback feedback, double[] initialParams,
      OptimizerConfig optimizer, boolean lbfgs, int batchSize, int maxEpochs, double tol,
      int patience, long seed, int aggregationDepth, String jobLabel,
      java.util.List<EpochListener> listeners, CheckpointConfig checkpoint,
      org.sparkdfa.nn.Precision precision, LocalSgd localSgd) {
    this(network, feedback, initialParams, optimizer, lbfgs, batchSize, maxEpochs, tol, patience,
        seed, aggregationDepth, jobLabel, listeners, checkpoint, precision, localSgd, null);
  }

  /** A configuration of synchronous steps. */
  public TrainingConfig(Network network, Feedback feedback, double[] initialParams,
      OptimizerConfig optimizer, boolean lbfgs, int batchSize, int maxEpochs, double tol,
      int patience, long seed, int aggregationDepth, String jobLabel,
      java.util.List<EpochListener> listeners, CheckpointConfig checkpoint,
      org.sparkdfa.nn.Precision precision) {
    this(network, feedback, initialParams, optimizer, lbfgs, batchSize, maxEpochs, tol, patience,
        seed, aggregationDepth, jobLabel, listeners, checkpoint, precision, LocalSgd.NONE);
  }

  /** A float64 configuration. */
  public TrainingConfig(Network network, Feedback feedback, double[] initialParams,
      OptimizerConfig optimizer, boolean lbfgs, int batchSize, int maxEpochs, double tol,
      int patience, long seed, int aggregationDepth, String jobLabel,
      java.util.List<EpochListener> listeners, CheckpointConfig checkpoint) {
    this(network, feedback, initialParams, optimizer, lbfgs, batchSize, maxEpochs, tol, patience,
        seed, aggregationDepth, jobLabel, listeners, checkpoint,
        org.sparkdfa.nn.Precision.FLOAT64);
  }

  /** A configuration without checkpoints. */
  public TrainingConfig(Network network, Feedback feedback, double[] initialParams,
      OptimizerConfig optimizer, boolean lbfgs, int batchSize, int maxEpochs, double tol,
      int patience, long seed, int aggregationDepth, String jobLabel,
      java.util.List<EpochListener> listeners) {
    this(network, feedback, initialParams, optimizer, lbfgs, batchSize, maxEpochs, tol, patience,
        seed, aggregationDepth, jobLabel, listeners, null);
  }

  /** A configuration without epoch listeners. */
  public TrainingConfig(Network network, Feedback feedback, double[] initialParams,
      OptimizerConfig optimizer, boolean lbfgs, int batchSize, int maxEpochs, double tol,
      int patience, long seed, int aggregationDepth, String jobLabel) {
    this(network, feedback, initialParams, optimizer, lbfgs, batchSize, maxEpochs, tol, patience,
        seed, aggregationDepth, jobLabel, java.util.List.of());
  }

  /**
   * L-BFGS runs through MLlib's Breeze solver, in double only: the one place that says so
   * ({@code param} names the setting in the caller's terms).
   */
  public static void requireLbfgsPrecision(org.sparkdfa.nn.Precision precision, String param) {
    if (precision != org.sparkdfa.nn.Precision.FLOAT64) {
      throw new IllegalArgumentException("Optimizer 'lbfgs' runs in float64 but " + param
          + " is '" + precision.paramName() + "'; set " + param + " to float64 or pick a "
          + "mini-batch optimizer");
    }
  }

  /**
   * Local steps run a mini-batch rule with a constant step size inside each partition (a fresh
   * copy per round has no step count for a schedule to follow): the one place that says so.
   */
  public static void requireLocalStepsFit(LocalSgd localSgd, boolean lbfgs,
      OptimizerConfig optimizer) {
    if (!localSgd.enabled()) return;
    if (lbfgs || !optimizer.schedule().isConstant()) {
      throw new IllegalArgumentException("Param localSteps = " + localSgd.localSteps()
          + " runs a mini-batch optimizer with a constant stepSize inside each partition, but "
          + (lbfgs ? "optimizer is 'lbfgs'" : "stepSizeSchedule is '"
              + optimizer.schedule().kind() + "'") + "; set localSteps to 1, or pick a "
          + "mini-batch optimizer with a constant stepSize");
    }
  }

  /**
   * Float32 master weights need float32 steps: the tasks compute with the master's floats
   * themselves, and a float64 fit's tasks would compute with weights rounded to float32 on the
   * driver while their arithmetic is float64 — a precision mix no one asked for. The one place
   * that says so ({@code param}/{@code precisionParam} name the settings in the caller's terms).
   */
  public static void requireUpdatePrecision(org.sparkdfa.nn.Precision update,
      org.sparkdfa.nn.Precision precision, String param, String precisionParam) {
    if (update == org.sparkdfa.nn.Precision.FLOAT32
        && precision != org.sparkdfa.nn.Precision.FLOAT32) {
      throw new IllegalArgumentException(param + " is 'float32' (float32 master weights and "
          + "optimizer state) but " + precisionParam + " is '" + precision.paramName() + "'; "
          + "set " + precisionParam + " to float32 as well, or set " + param + " to float64 "
          + "(or auto: the same as " + precisionParam + ")");
    }
  }

  public TrainingConfig {
    listeners = java.util.List.copyOf(listeners);
    if (localSgd == null) localSgd = LocalSgd.NONE;
    requireUpdatePrecision(updatePrecision, precision, "updatePrecision", "precision");
    requireLocalStepsFit(localSgd, lbfgs, optimizer);
    if (lbfgs) {
      requireLbfgsPrecision(precision, "precision");
      if (updatePrecision != null) requireLbfgsPrecision(updatePrecision, "updatePrecision");
    }
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

  /** This configuration with other epoch listeners. */
  public TrainingConfig withListeners(java.util.List<EpochListener> others) {
    return new TrainingConfig(network, feedback, initialParams, optimizer, lbfgs, batchSize,
        maxEpochs, tol, patience, seed, aggregationDepth, jobLabel, others, checkpoint,
        precision, localSgd, updatePrecision);
  }

  /** This configuration with checkpoints (null = none). */
  public TrainingConfig withCheckpoint(CheckpointConfig other) {
    return new TrainingConfig(network, feedback, initialParams, optimizer, lbfgs, batchSize,
        maxEpochs, tol, patience, seed, aggregationDepth, jobLabel, listeners, other, precision,
        localSgd, updatePrecision);
  }

  /** This configuration in another precision. */
  public TrainingConfig withPrecision(org.sparkdfa.nn.Precision other) {
    return new TrainingConfig(network, feedback, initialParams, optimizer, lbfgs, batchSize,
        maxEpochs, tol, patience, seed, aggregationDepth, jobLabel, listeners, checkpoint, other,
        localSgd, updatePrecision);
  }

  /** This configuration with local steps (see {@link LocalSgd}). */
  public TrainingConfig withLocalSgd(LocalSgd other) {
    return new TrainingConfig(network, feedback, initialParams, optimizer, lbfgs, batchSize,
        maxEpochs, tol, patience, seed, aggregationDepth, jobLabel, listeners, checkpoint,
        precision, other, updatePrecision);
  }

  /** This configuration with another update precision (null: follows precision). */
  public TrainingConfig withUpdatePrecision(org.sparkdfa.nn.Precision other) {
    return new TrainingConfig(network, feedback, initialParams, optimizer, lbfgs, batchSize,
        maxEpochs, tol, patience, seed, aggregationDepth, jobLabel, listeners, checkpoint,
        precision, localSgd, other);
  }

  /**
   * The precision of the driver's master weights and optimizer state: {@code updatePrecision},
   * or when that is unset {@code precision} itself (float32 fits keep float32 master weights,
   * as PyTorch keeps a float32 model's; L-BFGS always float64).
   */
  public org.sparkdfa.nn.Precision masterPrecision() {
    return masterPrecision(lbfgs, updatePrecision, precision);
  }

  /** {@link #masterPrecision()} of a config not built yet ({@code update} null: auto). */
  public static org.sparkdfa.nn.Precision masterPrecision(boolean lbfgs,
      org.sparkdfa.nn.Precision update, org.sparkdfa.nn.Precision precision) {
    if (lbfgs) return org.sparkdfa.nn.Precision.FLOAT64;
    return update != null ? update : precision;
  }

  /** The rule the driver applies to each unit's averaged result: the outer rule with local steps. */
  public OptimizerConfig driverOptimizer() {
    return localSgd.enabled() ? localSgd.outer() : optimizer;
  }

  /**
   * What a checkpoint must agree with to be resumed: everything that shapes the trajectory except
   * maxIter (so a run can be extended) — architecture, feedback rule, optimizer settings, batch,
   * seed, and the partitioning of the data.
   */
  public String fingerprint(long rows, long[] partitionRows) {
    return "spec=" + network.spec() + "; params=" + network.spec().numParams() + "; feedback="
        + feedback + "; optimizer=" + optimizer + "; lbfgs=" + lbfgs + "; batchSize=" + batchSize
        + "; seed=" + seed + "; precision=" + precision + "; tol=" + tol + "; patience=" + patience + "; rows=" + rows
        + "; partitions=" + java.util.Arrays.toString(partitionRows)
        + (localSgd.enabled() ? "; localSgd=" + localSgd : "")
        + (masterPrecision() == org.sparkdfa.nn.Precision.FLOAT32 ? "; update=float32" : "");
  }
}
