package org.sparkdfa.train;

import org.apache.spark.SimpleFutureAction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.nn.Precision;

/**
 * Steps on a local master as one Spark job per epoch: each task runs every step of its
 * partition ({@link EpochTask}), waiting at each step's gate for the weights the driver publishes
 * after its update and delivering its share by reference ({@link EpochChannel}). A job per step
 * costs Spark's scheduling, launch and result handling on the same cores that compute, which at
 * small batches is a large part of a step (docs/BENCHMARKS.md); here it is paid once per epoch,
 * and the tasks gather the next step's rows while the driver updates. The
 * weights each step computes with are those of the sequential loop: bit-identical results.
 *
 * <p>Every task of the job must hold a slot at once, so this runs only when the partitions fit
 * in the master's task slots, with FIFO scheduling and no task retries (see
 * {@link StepRunners}): FIFO offers a slot freed by any other job to this earlier job first, so
 * its last tasks start as soon as slots free up. A cancelled job's tasks leave their gates
 * within {@link WeightsGate#POLL_MS} ms.
 */
final class EpochJob implements StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(EpochJob.class);

  private final TrainingData train;
  private final Broadcast<StepContext> bctx;
  private final StepBuffers buffers;
  private final Precision precision;
  private final int stepsPerEpoch;
  private final StepTimes times;

  /** The running epoch's job, channel and its LocalExchange owner; null between epochs. */
  private SimpleFutureAction<GradientSum[]> job;
  private final EpochChannel.Tasks watch = new EpochChannel.Tasks() {
    @Override
    public boolean ended() {
      if (!job.isCompleted()) return false;
      ShareTask.await(job); // throws the job's failure
      return true;
    }

    @Override
    public void cancel() {
      job.cancel();
    }
  };
  private EpochChannel channel;
  private long owner;
  private int epoch = -1;

  EpochJob(TrainingData train, Broadcast<StepContext> bctx, StepBuffers buffers,
      int stepsPerEpoch, StepTimes times) {
    this.train = train;
    this.bctx = bctx;
    this.buffers = buffers;
    this.precision = bctx.value().precision;
    this.stepsPerEpoch = stepsPerEpoch;
    this.times = times;
  }

  @Override
  public GradientSum gradient(double[] params, int epoch, int step) {
    long t0 = System.nanoTime();
    if (job == null || this.epoch != epoch) {
      abandonEpoch();
      start(epoch);
    }
    channel.publish(step, buffers.weights(params, precision));
    long t1 = System.nanoTime();
    times.weightsOut += t1 - t0;
    try {
      GradientSum sum = OrderedSum.ofPartitions(channel.take(step, watch)).result().unpacked();
      times.task += sum.taskNanos;
      if (step + 1 == stepsPerEpoch) finish();
      return sum;
    } finally {
      times.job += System.nanoTime() - t1;
      times.steps++;
    }
  }

  private void start(int epoch) {
    this.epoch = epoch;
    channel = new EpochChannel(train.numPartitions());
    owner = LocalExchange.newOwner();
    long id = LocalExchange.put(owner, channel);
    try {
      job = new EpochTask(bctx, id, buffers.id(), epoch, stepsPerEpoch)
          .submitOn(train.blocks(epoch));
    } catch (RuntimeException e) {
      LocalExchange.release(owner);
      channel = null;
      throw e;
    }
  }

  /** The epoch's last step is taken: its tasks are returning; a late failure is rethrown. */
  private void finish() {
    try {
      ShareTask.await(job);
    } finally {
      clear();
    }
  }

  @Override
  public void abandonEpoch() {
    if (job == null) return;
    channel.abandon();
    try {
      ShareTask.await(job);
    } catch (Exception e) { // Spark's SparkException arrives unchecked
      LOG.debug("an abandoned epoch's job failed", e);
    } finally {
      clear();
    }
  }

  private void clear() {
    LocalExchange.release(owner);
    job = null;
    channel = null;
  }

  @Override
  public String describe() {
    return "one Spark job per epoch on the local master (its tasks wait for each step's weights)";
  }
}
