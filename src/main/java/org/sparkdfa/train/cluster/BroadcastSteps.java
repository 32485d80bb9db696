package org.sparkdfa.train.cluster;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.StepRunner;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.OrderedSum;
import org.sparkdfa.train.steps.PackedSum;
import org.sparkdfa.train.steps.PartitionGradient;

/**
 * Steps for tasks in other JVMs (any master; the path of every cluster): one Spark job per
 * step. The weights are broadcast as bytes ({@link ShippedWeights}), each task returns its share
 * as bytes ({@link PackedSum}, which every {@code spark.serializer} copies in bulk), and
 * {@code treeAggregate} (with {@code aggregationDepth}) sums them along the fixed tree of
 * {@link OrderedSum} from a zero value that holds no array. The driver averages straight from
 * the summed bytes.
 */
public final class BroadcastSteps<A> implements StepRunner {
  private final JavaSparkContext jsc;
  private final TrainingData train;
  private final Broadcast<PartitionGradient<A>> context;
  private final int stepsPerEpoch;
  private final int depth;
  private final StepTimes times;

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
    Broadcast<ShippedWeights<A>> weights =
        jsc.broadcast(ShippedWeights.of(params, context.value().flat()));
    long t1 = System.nanoTime();
    times.addWeightsOut(t1 - t0);
    try {
      JavaRDD<PartitionData> blocks = train.blocks(epoch);
      int parts = blocks.getNumPartitions();
      Broadcast<PartitionGradient<A>> ctx = context;
      int s = stepsPerEpoch;
      OrderedSum<PackedSum> total = blocks
          .map(p -> OrderedSum.leaf(parts, p.partition(), ctx.value().sharePacked(p,
              () -> weights.value().values(), epoch, step, s)))
          .treeAggregate(new OrderedSum<>(parts), OrderedSum::merge, OrderedSum::merge, depth);
      PackedSum sum = total.result(new PackedSum(context.value().flat()));
      times.addTask(sum.taskNanos());
      return sum;
    } finally {
      weights.destroy();
      times.addJob(System.nanoTime() - t1);
      times.countStep();
    }
  }

  @Override
  public void abandonEpoch() {} // nothing runs between steps

  @Override
  public String describe() {
    return "one Spark job per step, weights broadcast and gradients summed as bytes";
  }

  @Override
  public void close() {}
}
