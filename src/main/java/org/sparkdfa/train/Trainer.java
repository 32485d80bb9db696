package org.sparkdfa.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.cluster.ShippedWeights;
import org.sparkdfa.train.local.LocalExchange;
import org.sparkdfa.train.steps.Evaluation;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.PartitionGradient;
import org.sparkdfa.train.steps.Finite;
import org.sparkdfa.train.steps.RoundPlan;

/**
 * Trains on Spark: checks the memory plan, broadcasts the per-partition math once
 * ({@link PartitionGradient}), and runs either L-BFGS ({@link LbfgsSolver}) or the mini-batch
 * loop ({@link TrainingLoop}) over the steps {@link StepRunners} chooses for the master. Every
 * job of the fit runs in the caller's job group ({@link JobGroup}). The driver holds
 * O(parameters), never O(rows).
 */
public final class Trainer {
  private final TrainingConfig config;

  public Trainer(TrainingConfig config) {
    this.config = config;
  }

  /**
   * Trains on packed, cached training data (one PartitionData per partition), optionally
   * monitoring a packed validation set.
   */
  public TrainingResult train(TrainingData train, TrainingData validation) {
    MemoryPlan.require(train.sparkContext().sc(), config.network().spec(), config.optimizer(),
        config.lbfgs(), config.precision(), config.masterPrecision(), config.batchSize(),
        train.numPartitions());
    return train(train, validation, context(config, train.numPartitions(), train.rows()));
  }

  /**
   * The per-partition work of a fit: one mini-batch step per unit, or with local steps a round
   * of them ({@link LocalSgd}).
   */
  static PartitionGradient<?> context(TrainingConfig config, int partitions, long rows) {
    PartitionGradient<?> steps = PartitionGradient.create(config.network(), config.feedback(),
        config.seed(), partitions, config.precision());
    LocalSgd local = config.localSgd();
    if (!local.enabled()) return steps;
    return steps.withRounds(new RoundPlan(local.localSteps(), config.optimizer(),
        TrainingLoop.stepsPerEpoch(rows, config.batchSize()), config.masterPrecision()));
  }

  private <A> TrainingResult train(TrainingData train, TrainingData validation,
      PartitionGradient<A> context) {
    JavaSparkContext jsc = train.sparkContext();
    Broadcast<PartitionGradient<A>> bctx = jsc.broadcast(context);
    try (JobGroup group = JobGroup.enter(jsc.sc(), config.jobLabel())) {
      if (config.lbfgs()) {
        return new LbfgsSolver(config).solve(train, validation, bctx, group);
      }
      int stepsPerEpoch = TrainingLoop.unitsPerEpoch(config, train.rows());
      StepTimes times = new StepTimes();
      try (StepRunner runner = StepRunners.forFit(jsc, bctx, train, stepsPerEpoch, config,
          times); TrainingLoop loop = new TrainingLoop(config, runner, stepsPerEpoch, times,
          validation == null ? null : params -> evaluate(validation, bctx, params),
          Checkpoints.of(config, train, validation), epoch -> group.describe("-epoch-" + epoch,
              config.jobLabel() + ": epoch " + (epoch + 1) + "/" + config.maxEpochs()))) {
        return loop.run();
      }
    } finally {
      bctx.destroy();
    }
  }

  /**
   * Loss and accuracy counts of {@code params} over every row of {@code data}: one Spark job,
   * the weights lent by reference on a local master and broadcast as bytes otherwise.
   */
  static <A> Evaluation evaluate(TrainingData data, Broadcast<PartitionGradient<A>> bctx,
      double[] params) {
    JavaSparkContext jsc = data.sparkContext();
    Flat<A> flat = bctx.value().flat();
    if (LocalExchange.usable(jsc.sc())) {
      try (LocalExchange.Scope scope = LocalExchange.open()) {
        long id = scope.put(flat.fromParams(params, null));
        return data.blocks(0).map(p -> bctx.value().evaluate(p, lent(id)))
            .reduce(Evaluation::merge);
      }
    }
    Broadcast<ShippedWeights<A>> weights = jsc.broadcast(ShippedWeights.of(params, flat));
    try {
      return data.blocks(0).map(p -> bctx.value().evaluate(p, weights.value().values()))
          .reduce(Evaluation::merge);
    } finally {
      weights.destroy();
    }
  }

  @SuppressWarnings("unchecked")
  private static <A> A lent(long id) {
    return (A) LocalExchange.get(id);
  }

  static boolean allFinite(double[] v) {
    return Finite.all(v, 0, v.length);
  }
}
