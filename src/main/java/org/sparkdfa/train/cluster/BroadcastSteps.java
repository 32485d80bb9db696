package org.sparkdfa.train.cluster;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.SparkJobs;
import org.sparkdfa.train.StepRunner;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.blocks.ExecutorMemory;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.OrderedSum;
import org.sparkdfa.train.steps.PackedSum;
import org.sparkdfa.train.steps.PartitionGradient;

/**
 * Steps for tasks in other JVMs (any master; the path of every cluster): one Spark job per
 * step. The weights go out as one block of bytes ({@link WeightsBlock}), each task returns its
 * share as bytes ({@link PackedSum}, which every {@code spark.serializer} copies in bulk), and the
 * shares add up along the fixed tree of {@link OrderedSum}, so the bits do not depend on the
 * order tasks finish. Where {@code treeAggregate} (with {@code aggregationDepth}) would add no
 * stage — few partitions ({@link #treeAddsStage}) — the step is one plain job of a named task
 * ({@link RemoteShareTask}, through {@link SparkJobs}) whose shares the driver sums; otherwise
 * {@code treeAggregate} sums them on executors first.
 */
public final class BroadcastSteps<A> implements StepRunner {
  private final JavaSparkContext jsc;
  private final TrainingData train;
  private final Broadcast<PartitionGradient<A>> context;
  private final int stepsPerEpoch;
  private final int depth;
  private final StepTimes times;
  /**
   * The names of this fit's weights blocks: unique in every JVM, also across SparkContexts (whose
   * broadcast ids restart from 0) — an executor keeps the last weights it decoded by name.
   */
  private final String blockPrefix =
      "weights_" + java.util.UUID.randomUUID().toString().replace("-", "") + "_";
  private long published;
  /** The weights in the fit's precision, rewritten each step before they are encoded. */
  private A shipped;

  public BroadcastSteps(JavaSparkContext jsc, TrainingData train,
      Broadcast<PartitionGradient<A>> context, int stepsPerEpoch, int depth, StepTimes times) {
    this.jsc = jsc;
    this.train = train;
    this.context = context;
    this.stepsPerEpoch = stepsPerEpoch;
    this.depth = depth;
    this.times = times;
  }

  @Override
  public PackedSum gradient(double[] params, int epoch, int step) {
    long t0 = System.nanoTime();
    Flat<A> flat = context.value().flat();
    shipped = flat.fromParams(params, shipped);
    return run(flat.encode(shipped), epoch, step, t0);
  }

  /** Float32 master weights are encoded as they are (see {@link StepRunner}). */
  @Override
  public PackedSum gradient(float[] params, int epoch, int step) {
    long t0 = System.nanoTime();
    Flat<A> flat = context.value().flat();
    return run(flat.encode(flat.fromMaster(params, null)), epoch, step, t0);
  }

  private PackedSum run(byte[] encoded, int epoch, int step, long t0) {
    WeightsBlock weights = WeightsBlock.publish(context.id(), blockPrefix + (published++),
        encoded);
    long t1 = System.nanoTime();
    times.addWeightsOut(t1 - t0);
    try {
      JavaRDD<PartitionData> blocks = train.blocks(epoch);
      int parts = blocks.getNumPartitions();
      RemoteShareTask<A> task = new RemoteShareTask<>(context, weights, epoch, step,
          stepsPerEpoch);
      OrderedSum<PackedSum> total = treeAddsStage(parts, depth) ? treeSum(blocks, task)
          : OrderedSum.ofPartitions(SparkJobs.await(SparkJobs.submit(blocks, task,
              new PackedSum[parts])));
      PackedSum sum = total.result(new PackedSum(context.value().flat()));
      times.addTask(sum.taskNanos());
      return sum;
    } catch (Exception e) { // Spark's task failures: (checked) SparkExceptions, thrown sneakily
      RuntimeException oom = ExecutorMemory.explain(e, "computing step " + step + " of epoch "
          + epoch + " over " + train.numPartitions() + " partitions of " + train.rows()
          + " rows in all", context.value().flat().precision(), jsc.getConf());
      if (oom != null) throw oom;
      throw e;
    } finally {
      weights.remove();
      times.addJob(System.nanoTime() - t1);
      times.countStep();
    }
  }

  private OrderedSum<PackedSum> treeSum(JavaRDD<PartitionData> blocks, RemoteShareTask<A> task) {
    int parts = blocks.getNumPartitions();
    return blocks.map(p -> OrderedSum.leaf(parts, p.partition(), task.share(p)))
        .treeAggregate(new OrderedSum<>(parts), OrderedSum::merge, OrderedSum::merge, depth);
  }

  /**
   * Whether {@code treeAggregate} over {@code partitions} at {@code depth} sums partial results
   * in an extra stage before the driver's (Spark's own rule, RDD.treeAggregate): otherwise it is
   * one stage whose results the driver folds, which a plain job does with less driver work.
   */
  static boolean treeAddsStage(int partitions, int depth) {
    if (depth < 2) return false;
    int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
    return partitions > scale + (int) Math.ceil((double) partitions / scale);
  }

  @Override
  public void abandonEpoch() {} // nothing runs between steps

  @Override
  public String describe() {
    return "one Spark job per step, weights and gradients as bytes";
  }

  @Override
  public void close() {}
}
