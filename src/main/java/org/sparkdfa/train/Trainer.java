package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.Optimizers;

/**
 * The distributed mini-batch loop: for every step, the summed gradient of every partition's
 * share of the global batch at the current weights (a {@link StepRunner}, chosen once per fit
 * by {@link StepRunners}: one Spark job per epoch on a local master whose slots hold every
 * partition, one job per step otherwise), summed in a fixed tree order ({@link OrderedSum}),
 * then averaged and applied by the optimizer on the driver ({@link StepUpdate}). After each
 * epoch: validation, listeners, early stopping and checkpoints. The driver holds O(parameters),
 * never O(rows).
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final TrainingConfig config;

  public Trainer(TrainingConfig config) {
    this.config = config;
  }

  /**
   * Trains on packed, cached training data (one PartitionData per partition), optionally
   * monitoring a packed validation set.
   */
  public TrainingResult train(TrainingData train, TrainingData validation) {
    JavaSparkContext jsc = train.sparkContext();
    int numPartitions = train.numPartitions();
    MemoryPlan.require(jsc.sc(), config.network().spec(), config.optimizer(), config.lbfgs(),
        config.precision(), config.batchSize(), numPartitions);
    StepContext ctx = new StepContext(config.network(), config.feedback(), config.seed(),
        numPartitions, config.precision());
    Broadcast<StepContext> bctx = jsc.broadcast(ctx);
    try (JobGroup group = JobGroup.enter(jsc.sc(), config.jobLabel())) {
      if (config.lbfgs()) {
        return new LbfgsSolver(config).solve(train, validation, bctx, group);
      }
      int numParams = config.network().spec().numParams();
      try (StepBuffers buffers = StepBuffers.open(jsc, numParams, config.precision(),
          numPartitions); StepUpdate update = new StepUpdate(numParams)) {
        return miniBatch(train, validation, bctx, buffers, update, group);
      }
    } finally {
      bctx.destroy();
    }
  }

  private TrainingResult miniBatch(TrainingData train, TrainingData validation,
      Broadcast<StepContext> bctx, StepBuffers buffers, StepUpdate update, JobGroup group) {
    JavaSparkContext jsc = train.sparkContext();
    long totalRows = train.rows();
    int stepsPerEpoch = (int) Math.max(1, (totalRows + config.batchSize() - 1) / config.batchSize());
    double[] params = config.initialParams().clone();
    Optimizer optimizer = Optimizers.create(config.optimizer(), params.length,
        config.network().spec().regularizedIndices());
    EarlyStopping stopping = new EarlyStopping(config.tol(), config.patience());
    List<EpochRecord> history = new ArrayList<>();
    long steps = 0;
    int firstEpoch = 0;
    CheckpointConfig ckpt = config.checkpoint();
    String fingerprint = null;
    String ckptFolder = null;
    if (ckpt != null) {
      fingerprint = fingerprint(ckpt, train, validation);
      ckptFolder = Checkpoint.folderFor(ckpt.dir(), fingerprint);
      Checkpoint resumed = Checkpoint.readLatest(ckptFolder, jsc.hadoopConfiguration());
      if (resumed != null) {
        if (!resumed.fingerprint().equals(fingerprint)) { // a copied folder or a key collision
          throw new IllegalArgumentException("The checkpoint in " + ckptFolder + " was written "
              + "by a different training setup and cannot be resumed: "
              + Checkpoint.describeMismatch(resumed.fingerprint(), fingerprint)
              + ".\nUse another checkpointDir, or delete that folder to start afresh.");
        }
        params = resumed.params().clone();
        optimizer.restore(resumed.optimizerState());
        history.addAll(resumed.history());
        steps = resumed.steps();
        firstEpoch = resumed.epochsDone();
        stopping.restore(resumed.bestLoss(), resumed.bestParams(), resumed.staleEpochs());
        LOG.info("{} resumed from the checkpoint after epoch {} in {}", config.jobLabel(),
            firstEpoch, ckptFolder);
      } else {
        LOG.info("{} checkpoints into {}", config.jobLabel(), ckptFolder);
      }
    }
    StopReason reason = StopReason.MAX_ITER;
    String detail = "reached maxIter = " + config.maxEpochs() + " epochs";
    double[] grad = new double[params.length];
    double[] before = new double[params.length];
    if (!buffers.byReference()) { // by reference, no bytes travel: nothing to tune
      TransportSettings.check(jsc.getConf(), params.length, config.precision(),
          config.jobLabel());
    }
    StepTimes times = new StepTimes();
    StepRunner runner = StepRunners.forFit(jsc, bctx, buffers, train, stepsPerEpoch,
        config.aggregationDepth(), times);
    LOG.info("{}: {} steps per epoch, {}", config.jobLabel(), stepsPerEpoch, runner.describe());

    epochs:
    for (int epoch = firstEpoch; epoch < config.maxEpochs(); epoch++) {
      long start = System.nanoTime();
      optimizer.startEpoch(epoch); // per-epoch step-size schedules
      group.describe("-epoch-" + epoch,
          config.jobLabel() + ": epoch " + (epoch + 1) + "/" + config.maxEpochs());
      double lossSum = 0;
      double weightSum = 0;
      times.reset();
      try {
        for (int step = 0; step < stepsPerEpoch; step++) {
          GradientSum sum = runner.gradient(params, epoch, step);
          long updateStart = System.nanoTime();
          if (sum.weight > 0) {
            StepUpdate.Outcome outcome = Double.isFinite(sum.loss)
                ? update.apply(optimizer, sum, params, grad, before)
                : StepUpdate.Outcome.BAD_GRADIENT;
            sum.recycle();
            if (outcome != StepUpdate.Outcome.APPLIED) {
              if (outcome == StepUpdate.Outcome.BAD_WEIGHT) params = before;
              reason = StopReason.DIVERGED;
              detail = divergence(epoch, step, outcome == StepUpdate.Outcome.BAD_WEIGHT
                  ? "a weight" : "the loss or gradient");
              break epochs;
            }
            steps++;
            lossSum += sum.loss;
            weightSum += sum.weight;
          }
          times.update += System.nanoTime() - updateStart;
          for (EpochListener listener : config.listeners()) {
            listener.onStep(epoch + 1, step + 1, stepsPerEpoch);
          }
        }
      } finally {
        runner.abandonEpoch(); // diverged or failed: no task may wait for weights
      }
      double trainLoss = weightSum > 0 ? lossSum / weightSum : Double.NaN;
      double seconds = (System.nanoTime() - start) / 1e9;
      double valLoss = Double.NaN;
      double valAcc = Double.NaN;
      if (validation != null) {
        StepContext.Evaluation ev = evaluate(validation, bctx, params, jsc, buffers);
        valLoss = ev.loss / ev.weight;
        valAcc = ev.correctWeight / ev.weight;
      }
      java.util.Map<String, Double> metrics = new java.util.TreeMap<>(times.perStepMillis());
      EpochListener stoppedBy = null;
      for (EpochListener listener : config.listeners()) {
        metrics.putAll(listener.onEpochEnd(epoch + 1, params));
        if (stoppedBy == null && listener.stopRequested()) stoppedBy = listener;
      }
      EpochRecord rec = new EpochRecord(epoch + 1, trainLoss, valLoss, valAcc, seconds, steps,
          metrics);
      history.add(rec);
      LOG.info("{} epoch {}/{}: train loss {} {}({} s, {} steps{})", config.jobLabel(),
          epoch + 1, config.maxEpochs(), String.format("%.6f", trainLoss),
          validation == null ? "" : String.format("validation loss %.6f accuracy %.4f ", valLoss,
              valAcc), String.format("%.2f", seconds), steps, times.describe());
      double monitored = validation == null ? trainLoss : valLoss;
      boolean stop = stopping.update(monitored, params);
      boolean last = stop || stoppedBy != null || epoch + 1 == config.maxEpochs();
      if (ckpt != null && ((epoch + 1) % ckpt.interval() == 0 || last)) {
        new Checkpoint(fingerprint, epoch + 1, params, optimizer.state(), history, steps,
            stopping.best, stopping.bestParams, stopping.stale)
            .write(ckptFolder, jsc.hadoopConfiguration());
      }
      if (stoppedBy != null && epoch + 1 < config.maxEpochs()) {
        reason = StopReason.LISTENER;
        detail = "stopped after epoch " + (epoch + 1) + " of " + config.maxEpochs()
            + " at the request of an epoch listener (" + stoppedBy + ")";
        break;
      }
      if (stop) {
        reason = StopReason.NO_IMPROVEMENT;
        detail = "no improvement of the " + (validation == null ? "training" : "validation")
            + " loss by more than tol = " + config.tol() + " for " + config.patience()
            + " epochs (stopped after epoch " + (epoch + 1) + ")";
        if (validation != null) params = stopping.bestParams();
        break;
      }
    }
    if (validation != null && reason == StopReason.MAX_ITER && stopping.bestParams() != null) {
      params = stopping.bestParams();
    }
    return new TrainingResult(params, history, steps, reason, detail);
  }

  /**
   * What a checkpoint must match to be resumed: the setup ({@link TrainingConfig#fingerprint}),
   * the input columns, and what the data is — the digests of the packed training and validation
   * rows — so a rerun on corrected data of the same size trains afresh instead of returning the
   * old weights.
   */
  private String fingerprint(CheckpointConfig ckpt, TrainingData train,
      TrainingData validation) {
    return config.fingerprint(train.rows(), train.partitionRows()) + "; columns="
        + ckpt.columns() + "; data=" + train.digest() + "; validation="
        + (validation == null ? "none" : validation.digest() + " over " + validation.rows()
            + " rows");
  }

  private String divergence(int epoch, int step, String what) {
    return "diverged at epoch " + (epoch + 1) + ", step " + (step + 1) + ": " + what
        + " became NaN/Infinity; the model keeps the last good weights — try a smaller stepSize"
        + " (now " + config.optimizer().stepSize() + ")";
  }

  /** Loss and accuracy counts of {@code params} over every row of {@code data}. */
  static StepContext.Evaluation evaluate(TrainingData data, Broadcast<StepContext> bctx,
      double[] params, JavaSparkContext jsc) {
    try (StepBuffers buffers = StepBuffers.open(jsc, params.length, bctx.value().precision,
        data.numPartitions())) {
      return evaluate(data, bctx, params, jsc, buffers);
    }
  }

  private static StepContext.Evaluation evaluate(TrainingData data,
      Broadcast<StepContext> bctx, double[] params, JavaSparkContext jsc, StepBuffers buffers) {
    try (StepExchange exchange = StepExchange.open(jsc, params, bctx.value().precision,
        buffers)) {
      StepExchange.Ticket ticket = exchange.ticket();
      return data.blocks(0).map(p -> bctx.value().evaluate(p, ticket.weights()))
          .reduce(StepContext.Evaluation::merge);
    }
  }

  static boolean allFinite(double[] v) {
    return StepUpdate.allFinite(v, 0, v.length);
  }

  /** Keeps the best monitored loss and says when patience has run out. */
  static final class EarlyStopping {
    private final double tol;
    private final int patience;
    double best = Double.POSITIVE_INFINITY;
    double[] bestParams;
    int stale;

    EarlyStopping(double tol, int patience) {
      this.tol = tol;
      this.patience = patience;
    }

    boolean update(double loss, double[] params) {
      if (loss < best - tol) {
        best = loss;
        // Copied into one array for the whole fit: a fresh clone per improving epoch is a
        // humongous allocation for G1 on large networks.
        if (bestParams == null || bestParams.length != params.length) {
          bestParams = params.clone();
        } else {
          System.arraycopy(params, 0, bestParams, 0, params.length);
        }
        stale = 0;
        return false;
      }
      stale++;
      return patience > 0 && stale >= patience;
    }

    double[] bestParams() {
      return bestParams;
    }

    void restore(double best, double[] bestParams, int stale) {
      this.best = best;
      this.bestParams = bestParams == null ? null : bestParams.clone();
      this.stale = stale;
    }
  }
}
