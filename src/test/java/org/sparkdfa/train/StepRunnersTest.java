package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.nn.Seeds;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.cluster.BroadcastSteps;
import org.sparkdfa.train.cluster.StreamSteps;
import org.sparkdfa.train.local.EpochSteps;
import org.sparkdfa.train.local.GradientPool;
import org.sparkdfa.train.local.LocalExchange;
import org.sparkdfa.train.local.LocalStepJobs;
import org.sparkdfa.train.local.ThreadSteps;
import org.sparkdfa.train.steps.PartitionGradient;
import org.sparkdfa.train.steps.SharePlan;
import org.sparkdfa.train.steps.StepGradient;

/**
 * Every way of running a step gives the summed gradient of {@code Network.gradient} over exactly
 * the rows the sampling plan puts in that step — computed here directly, row by row, without
 * any runner — and all of them give the same bits. Each runner is closed with nothing of it left
 * in the local exchange.
 */
class StepRunnersTest extends SparkTestBase {
  private static final long SEED = 11;
  private static final int PARTITIONS = 2; // an epoch job needs a slot per partition (local[2])
  private static final int BATCH = 64;
  private static final NetworkSpec SPEC =
      NetworkSpec.mlp(new int[] {10, 8, 1}, Activation.RELU, Loss.BCE);
  private static final Network NET = new Network(SPEC);
  private static final Feedback DFA = DirectFeedback.random(SPEC, "uniform", 1.0, SEED);

  /** The summed gradient of step {@code step} of epoch {@code epoch}, row by row. */
  private static double[] direct(List<PartitionData> blocks, PartitionGradient<?> plan,
      double[] params, int epoch, int step, int steps, double[] lossOut) {
    double[] sum = new double[params.length];
    for (PartitionData p : blocks) {
      int phase = plan.phase(epoch, p.partition());
      int lo = SharePlan.shareStart(p.rows(), step, steps, phase, PARTITIONS);
      int hi = SharePlan.shareStart(p.rows(), step + 1, steps, phase, PARTITIONS);
      int[] perm = SharePlan.permutation(p.rows(), Seeds.mix(SEED, epoch, p.partition()));
      double[] x = new double[SPEC.inputs()];
      double[] y = new double[1];
      for (int i = lo; i < hi; i++) {
        p.gather(perm[i], x, y, null, 0);
        lossOut[0] += NET.gradient(params, x, y, null, 1, DFA, sum, NET.newWorkspace(1));
      }
    }
    return sum;
  }

  @Test
  void everyRunnerSumsTheRowsOfTheStepAndAllAgreeBitForBit() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    SparseParity parity = SparseParity.builder().n(10).k(2).distribution("uniform").seed(4)
        .build();
    BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", 10, Loss.BCE, 1,
        Precision.FLOAT64);
    int entries = LocalExchange.size();
    int owners = LocalExchange.openOwners();
    try (TrainingData data = TrainingData.pack(parity.generate(spark(), 700, PARTITIONS), cols)) {
      List<PartitionData> blocks = new ArrayList<>(data.blocks(0).collect());
      blocks.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      PartitionGradient<double[]> ctx = (PartitionGradient<double[]>) PartitionGradient.create(
          NET, DFA, SEED, PARTITIONS, Precision.FLOAT64);
      Broadcast<PartitionGradient<double[]>> bctx = jsc.broadcast(ctx);
      int steps = TrainingLoop.stepsPerEpoch(data.rows(), BATCH);
      double[] params = Init.GLOROT_UNIFORM.initialize(SPEC, SEED);
      StepTimes times = new StepTimes();
      Map<String, Supplier<StepRunner>> runners = new LinkedHashMap<>();
      runners.put("broadcast", () -> new BroadcastSteps<>(jsc, data, bctx, steps, 2, times));
      for (boolean ahead : new boolean[] {false, true}) {
        runners.put("step jobs, ahead=" + ahead, () -> {
          LocalExchange.Scope fit = LocalExchange.open();
          return new LocalStepJobs<>(data, bctx, fit,
              GradientPool.open(fit, ctx.flat(), params.length, 7), steps, ahead, times);
        });
      }
      runners.put("epoch job", () -> {
        LocalExchange.Scope fit = LocalExchange.open();
        return new EpochSteps<>(data, bctx, fit,
            GradientPool.open(fit, ctx.flat(), params.length, 7), steps, times);
      });
      runners.put("cluster epoch job",
          () -> new StreamSteps<>(jsc, data, bctx, steps, 2, times));
      runners.put("threads", () -> new ThreadSteps<>(ctx, blocks, 2, steps, times));
      double[][] first = null;
      for (Map.Entry<String, Supplier<StepRunner>> r : runners.entrySet()) {
        double[][] got = new double[steps][];
        try (StepRunner runner = r.getValue().get()) {
          for (int epoch = 0; epoch < 2; epoch++) {
            for (int step = 0; step < steps; step++) {
              StepGradient sum = runner.gradient(params, epoch, step);
              double[] loss = new double[1];
              double[] expected = direct(blocks, ctx, params, epoch, step, steps, loss);
              double[] actual = sum.gradient();
              for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-12 * (1 + Math.abs(expected[i])),
                    r.getKey() + ", epoch " + epoch + ", step " + step + ", entry " + i);
              }
              assertEquals(loss[0], sum.loss(), 1e-9, r.getKey());
              if (epoch == 1) got[step] = actual;
              sum.recycle();
            }
          }
          runner.abandonEpoch(); // after the last step: a no-op
        }
        if (first == null) {
          first = got;
        } else {
          for (int s = 0; s < steps; s++) {
            assertArrayEquals(first[s], got[s], 0.0, r.getKey() + " differs from broadcast");
          }
        }
        assertEquals(entries, LocalExchange.size(), r.getKey() + " left objects parked");
        assertEquals(owners, LocalExchange.openOwners(), r.getKey() + " left a scope open");
      }
      bctx.destroy();
    }
  }

  /**
   * Whole fits with float32 master weights ({@code updatePrecision} auto with precision float32:
   * the tasks read the master itself, the update writes no copy) end with the same bits on
   * every runner, and through the runner interface's widening default too.
   */
  @Test
  void float32MasterWeightsAreTheSameOnEveryRunner() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    SparseParity parity = SparseParity.builder().n(10).k(2).distribution("uniform").seed(4)
        .build();
    BlockPacker.Columns cols = new BlockPacker.Columns("features", "label", "", 10, Loss.BCE, 1,
        Precision.FLOAT32);
    int entries = LocalExchange.size();
    try (TrainingData data = TrainingData.pack(parity.generate(spark(), 700, PARTITIONS), cols)) {
      List<PartitionData> blocks = new ArrayList<>(data.blocks(0).collect());
      blocks.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      PartitionGradient<float[]> ctx = (PartitionGradient<float[]>) PartitionGradient.create(
          NET, DFA, SEED, PARTITIONS, Precision.FLOAT32);
      Broadcast<PartitionGradient<float[]>> bctx = jsc.broadcast(ctx);
      int steps = TrainingLoop.stepsPerEpoch(data.rows(), BATCH);
      TrainingConfig config = new TrainingConfig(NET, DFA, Init.GLOROT_UNIFORM.initialize(SPEC,
          SEED), org.sparkdfa.optim.OptimizerConfig.defaults("adam", 0.01), false, BATCH, 3, 0,
          0, SEED, 2, "f32-master").withPrecision(Precision.FLOAT32);
      assertEquals(Precision.FLOAT32, config.masterPrecision());
      int n = config.initialParams().length;
      StepTimes times = new StepTimes();
      Map<String, Supplier<StepRunner>> runners = new LinkedHashMap<>();
      runners.put("broadcast", () -> new BroadcastSteps<>(jsc, data, bctx, steps, 2, times));
      runners.put("step jobs, ahead", () -> {
        LocalExchange.Scope fit = LocalExchange.open();
        return new LocalStepJobs<>(data, bctx, fit, GradientPool.open(fit, ctx.flat(), n, 7),
            steps, true, times);
      });
      runners.put("epoch job", () -> {
        LocalExchange.Scope fit = LocalExchange.open();
        return new EpochSteps<>(data, bctx, fit, GradientPool.open(fit, ctx.flat(), n, 7), steps,
            times);
      });
      runners.put("threads", () -> new ThreadSteps<>(ctx, blocks, 2, steps, times));
      // The cluster's epoch job, whose wire bytes the float32 update writes as it goes.
      runners.put("epoch job streamed", () -> new StreamSteps<>(jsc, data, bctx, steps, 2,
          times));
      runners.put("threads, widening default", () -> new Widening(
          new ThreadSteps<>(ctx, blocks, 2, steps, times)));
      double[] first = null;
      for (Map.Entry<String, Supplier<StepRunner>> r : runners.entrySet()) {
        double[] got;
        try (StepRunner runner = r.getValue().get();
            TrainingLoop loop = new TrainingLoop(config, runner, steps, times, null, null,
                e -> { })) {
          TrainingResult result = loop.run();
          assertEquals(StopReason.MAX_ITER, result.stopReason(), r.getKey());
          assertEquals("float32", loop.updatePrecision());
          got = result.params();
        }
        for (double w : got) assertEquals(w, (double) (float) w, 0.0, "a float32 weight");
        if (first == null) {
          first = got;
          assertTrue(!java.util.Arrays.equals(first, config.initialParams()), "it trained");
        } else {
          assertArrayEquals(first, got, 0.0, r.getKey() + " differs from broadcast");
        }
        assertEquals(entries, LocalExchange.size(), r.getKey() + " left objects parked");
      }
      bctx.destroy();
    }
  }

  /** A runner that leaves float32 master weights to the interface's widening default. */
  private static final class Widening implements StepRunner {
    private final StepRunner inner;

    Widening(StepRunner inner) {
      this.inner = inner;
    }

    @Override
    public StepGradient gradient(double[] params, int epoch, int step) {
      return inner.gradient(params, epoch, step);
    }

    @Override
    public void abandonEpoch() {
      inner.abandonEpoch();
    }

    @Override
    public String describe() {
      return inner.describe();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
