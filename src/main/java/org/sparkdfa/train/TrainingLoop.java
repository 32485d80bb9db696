package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.train.steps.Evaluation;
import org.sparkdfa.train.steps.StepGradient;

/**
 * The mini-batch training loop, epochs × steps: each step asks the {@link StepRunner} for the
 * summed gradient at the current weights and applies it ({@link StepUpdate}); each epoch ends
 * with validation, listeners, early stopping and a checkpoint. It does not know how the steps
 * run (Spark job per epoch or per step, broadcast or by reference, or plain threads).
 * Divergence (NaN/Inf loss, gradient or weight) stops at once with the last good weights.
 */
final class TrainingLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  private final TrainingConfig config;
  private final StepRunner runner;
  private final int stepsPerEpoch;
  private final StepTimes times;
  /** Loss and accuracy of the weights on the validation rows; null without a validation set. */
  private final Function<double[], Evaluation> validation;
  private final Checkpoints checkpoints;
  private final IntConsumer epochStarts;
  private final StepUpdate update;
  /** The weights and optimizer in the update precision. */
  private final MasterWeights master;
  private final EarlyStopping stopping;
  private final List<EpochRecord> history = new ArrayList<>();
  /** The weights the fit ends with, once it has ended (best or last). */
  private double[] result;
  private long steps;
  private int firstEpoch;
  private StopReason reason = StopReason.MAX_ITER;
  private String detail;

  TrainingLoop(TrainingConfig config, StepRunner runner, int stepsPerEpoch, StepTimes times,
      Function<double[], Evaluation> validation, Checkpoints checkpoints,
      IntConsumer epochStarts) {
    this.config = config;
    this.runner = runner;
    this.stepsPerEpoch = stepsPerEpoch;
    this.times = times;
    this.validation = validation;
    this.checkpoints = checkpoints;
    this.epochStarts = epochStarts;
    this.master = MasterWeights.of(config);
    this.update = new StepUpdate(config.initialParams().length);
    this.stopping = new EarlyStopping(config.tol(), config.patience());
    this.detail = "reached maxIter = " + config.maxEpochs() + " epochs";
  }

  /**
   * Units of work per epoch, each one call of the runner and one driver update: the mini-batch
   * steps, or with local steps the rounds of them.
   */
  static int unitsPerEpoch(TrainingConfig config, long rows) {
    int steps = stepsPerEpoch(rows, config.batchSize());
    return config.localSgd().enabled() ? config.localSgd().roundsPerEpoch(steps) : steps;
  }

  /** Steps per epoch: the rows over the global batch, rounded up. */
  static int stepsPerEpoch(long rows, int batchSize) {
    return (int) Math.max(1, (rows + batchSize - 1) / batchSize);
  }

  /** Every epoch still to run (after a resumed checkpoint's), until a stop. */
  TrainingResult run() {
    resume();
    for (int epoch = firstEpoch; epoch < config.maxEpochs(); epoch++) {
      if (!epoch(epoch)) break;
    }
    if (result == null) {
      result = validation != null && reason == StopReason.MAX_ITER
          && stopping.bestParams() != null ? stopping.bestParams() : master.params().clone();
    }
    return new TrainingResult(result, history, steps, reason, detail);
  }

  private void resume() {
    LOG.info("{} keeps its master weights and optimizer state in {}", config.jobLabel(),
        master.describe());
    Checkpoint resumed = checkpoints == null ? null : checkpoints.latest();
    if (resumed == null) {
      if (checkpoints != null) {
        LOG.info("{} checkpoints into {}", config.jobLabel(), checkpoints.folder());
      }
      return;
    }
    master.restore(resumed.params(), resumed.optimizerState());
    history.addAll(resumed.history());
    steps = resumed.steps();
    firstEpoch = resumed.epochsDone();
    stopping.restore(resumed.bestLoss(), resumed.bestParams(), resumed.staleEpochs());
    LOG.info("{} resumed from the checkpoint after epoch {} in {}", config.jobLabel(),
        firstEpoch, checkpoints.folder());
  }

  /** Runs epoch {@code epoch} (0-based) and its end; false once training has stopped. */
  boolean epoch(int epoch) {
    long start = System.nanoTime();
    master.startEpoch(epoch); // per-epoch step-size schedules
    epochStarts.accept(epoch);
    times.reset();
    double[] lossAndWeight = new double[2];
    boolean good = false;
    try {
      good = steps(epoch, lossAndWeight);
    } finally {
      // Diverged or failed: no task may wait for weights. After a whole epoch the runner's
      // tasks may wait for the next one (StreamSteps); closing the runner ends them.
      if (!good) runner.abandonEpoch();
    }
    if (!good) return false;
    double trainLoss = lossAndWeight[1] > 0 ? lossAndWeight[0] / lossAndWeight[1] : Double.NaN;
    return endEpoch(epoch, trainLoss, (System.nanoTime() - start) / 1e9);
  }

  /** The epoch's steps, their loss and weight summed into {@code lossAndWeight}; false if diverged. */
  private boolean steps(int epoch, double[] lossAndWeight) {
    for (int step = 0; step < stepsPerEpoch; step++) {
      StepGradient sum = master.gradient(runner, epoch, step);
      long updateStart = System.nanoTime();
      if (sum.weight() > 0) {
        StepUpdate.Outcome outcome = Double.isFinite(sum.loss())
            ? master.apply(update, sum, runner) : StepUpdate.Outcome.BAD_GRADIENT;
        sum.recycle();
        if (outcome != StepUpdate.Outcome.APPLIED) {
          diverged(epoch, step, outcome);
          return false;
        }
        steps++;
        lossAndWeight[0] += sum.loss();
        lossAndWeight[1] += sum.weight();
      }
      times.addUpdate(System.nanoTime() - updateStart);
      for (EpochListener listener : config.listeners()) {
        listener.onStep(epoch + 1, step + 1, stepsPerEpoch);
      }
    }
    return true;
  }

  /** Stops training; params still holds the last good weights (the update wrote elsewhere). */
  private void diverged(int epoch, int step, StepUpdate.Outcome outcome) {
    boolean badWeight = outcome == StepUpdate.Outcome.BAD_WEIGHT;
    reason = StopReason.DIVERGED;
    detail = "diverged at epoch " + (epoch + 1) + ", step " + (step + 1) + ": "
        + (badWeight ? "a weight" : "the loss or gradient")
        + " became NaN/Infinity; the model keeps the last good weights — try a smaller stepSize"
        + " (now " + config.optimizer().stepSize() + ")";
  }

  /** Validation, listeners, the record, early stopping and the checkpoint of one epoch. */
  private boolean endEpoch(int epoch, double trainLoss, double seconds) {
    double[] params = master.params();
    Evaluation ev = validation == null ? null : validation.apply(params);
    double valLoss = ev == null ? Double.NaN : ev.meanLoss();
    double valAcc = ev == null ? Double.NaN : ev.accuracy();
    Map<String, Double> metrics = new TreeMap<>(times.perStepMillis());
    EpochListener stoppedBy = null;
    for (EpochListener listener : config.listeners()) {
      metrics.putAll(listener.onEpochEnd(epoch + 1, params));
      if (stoppedBy == null && listener.stopRequested()) stoppedBy = listener;
    }
    history.add(new EpochRecord(epoch + 1, trainLoss, valLoss, valAcc, seconds, steps,
        metrics));
    log(epoch, trainLoss, valLoss, valAcc, seconds);
    boolean stop = stopping.update(ev == null ? trainLoss : valLoss, params);
    boolean last = stop || stoppedBy != null || epoch + 1 == config.maxEpochs();
    if (checkpoints != null && checkpoints.due(epoch + 1, last)) {
      checkpoints.write(new Checkpoint(checkpoints.fingerprint(), epoch + 1, params,
          master.state(), history, steps, stopping.best, stopping.bestParams,
          stopping.stale));
    }
    if (stoppedBy != null && epoch + 1 < config.maxEpochs()) {
      reason = StopReason.LISTENER;
      detail = "stopped after epoch " + (epoch + 1) + " of " + config.maxEpochs()
          + " at the request of an epoch listener (" + stoppedBy + ")";
      return false;
    }
    if (stop) {
      reason = StopReason.NO_IMPROVEMENT;
      detail = "no improvement of the " + (validation == null ? "training" : "validation")
          + " loss by more than tol = " + config.tol() + " for " + config.patience()
          + " epochs (stopped after epoch " + (epoch + 1) + ")";
      if (validation != null) result = stopping.bestParams();
      return false;
    }
    return true;
  }

  private void log(int epoch, double trainLoss, double valLoss, double valAcc, double seconds) {
    LOG.info("{} epoch {}/{}: train loss {} {}({} s, {} steps{})", config.jobLabel(),
        epoch + 1, config.maxEpochs(), String.format("%.6f", trainLoss),
        validation == null ? "" : String.format("validation loss %.6f accuracy %.4f ", valLoss,
            valAcc), String.format("%.2f", seconds), steps, times.describe());
  }

  /** The current weights in double (not a copy: the master's own, or its widened view). */
  double[] params() {
    return result != null ? result : master.params();
  }

  /** The update precision of the master weights, float64 or float32. */
  String updatePrecision() {
    return master.describe();
  }

  List<EpochRecord> history() {
    return history;
  }

  long steps() {
    return steps;
  }

  StopReason reason() {
    return reason;
  }

  String detail() {
    return detail;
  }

  @Override
  public void close() {
    update.close();
  }
}
