package org.sparkdfa.train.local;

import org.apache.spark.SimpleFutureAction;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.SparkJobs;
import org.sparkdfa.train.StepRunners;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.PartitionGradient;
import scala.runtime.BoxedUnit;

/**
 * Steps on a local master as one Spark job per epoch: each task runs every step of its
 * partition ({@link EpochTask}), waiting at each step's gate for the weights the driver
 * publishes after its update and delivering its share by reference. A job per step costs
 * Spark's scheduling, launch and result handling on the same cores that compute, which at small
 * batches is a large part of a step (docs/BENCHMARKS.md); here it is paid once per epoch, and
 * the tasks gather the next step's rows while the driver updates. The weights each step
 * computes with are those of the sequential loop: bit-identical results.
 *
 * <p>Every task of the job must hold a slot at once, so this runs only when the partitions fit
 * in the master's task slots, with FIFO scheduling and no task retries (see
 * {@code StepRunners}): FIFO offers a slot freed by any other job to this earlier job first, so
 * its last tasks start as soon as slots free up. A cancelled job's tasks leave their gates
 * within {@link WeightsGate#POLL_MS} ms.
 */
public final class EpochSteps<A> extends ChannelSteps<A> {
  private final TrainingData train;
  private final Broadcast<PartitionGradient<A>> context;
  private final LocalExchange.Scope fit;
  private LocalExchange.Scope scope;
  private SimpleFutureAction<BoxedUnit[]> job;

  public EpochSteps(TrainingData train, Broadcast<PartitionGradient<A>> context,
      LocalExchange.Scope fit, GradientPool<A> pool, int stepsPerEpoch, StepTimes times) {
    super(pool, train.numPartitions(), stepsPerEpoch, times);
    org.apache.spark.SparkContext sc = train.sparkContext().sc();
    int slots = StepRunners.localSlots(sc.master(), sc.getConf().getInt("spark.task.cpus", 1));
    if (train.numPartitions() > slots) { // its last tasks would wait for slots forever
      throw new IllegalArgumentException("an epoch job needs a task slot per partition: "
          + train.numPartitions() + " partitions, " + slots + " slots on master "
          + sc.master());
    }
    this.train = train;
    this.context = context;
    this.fit = fit;
  }

  @Override
  EpochChannel.Tasks start(int epoch, EpochChannel<A> ch) {
    scope = fit.child();
    long id = scope.put(ch);
    try {
      job = SparkJobs.submit(train.blocks(epoch),
          new EpochTask<>(context, id, pool.id(), epoch, stepsPerEpoch()),
          new BoxedUnit[partitions]);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
    SimpleFutureAction<BoxedUnit[]> running = job;
    return new EpochChannel.Tasks() {
      @Override
      public boolean ended() {
        if (!running.isCompleted()) return false;
        SparkJobs.await(running); // throws the job's failure
        return true;
      }

      @Override
      public void cancel() {
        running.cancel();
      }
    };
  }

  @Override
  void awaitTasks() {
    SparkJobs.await(job);
  }

  @Override
  void endEpoch() {
    if (scope != null) scope.close();
    scope = null;
    job = null;
  }

  @Override
  public String describe() {
    return "one Spark job per epoch on the local master (its tasks wait for each step's weights)";
  }

  @Override
  public void close() {
    abandonEpoch();
    fit.close();
  }
}
