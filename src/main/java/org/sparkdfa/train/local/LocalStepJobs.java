package org.sparkdfa.train.local;

import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.train.SparkJobs;
import org.sparkdfa.train.StepRunner;
import org.sparkdfa.train.StepTimes;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.OrderedSum;
import org.sparkdfa.train.steps.PartitionGradient;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * Steps on a local master as one Spark job each, weights and gradients by reference: for more
 * partitions than task slots, or when epoch jobs are switched off (see {@code StepRunners}).
 *
 * <p><b>Running ahead.</b> Every job pays Spark's scheduling (job, stage, task launch,
 * deserialization) before the math starts, and the task gathers its rows and zeroes its
 * gradient before that. None of it needs the weights. So while step s computes, the job of step
 * s+1 is already submitted with its weights behind a {@link WeightsGate}: its tasks launch as
 * soon as step s's tasks free their slots, prepare their rows, and wait; the driver opens the
 * gate the moment its update is done. Every step computes with exactly the weights of the
 * sequential loop (bit-identical results); only the waiting moved off the critical path. When
 * running ahead is safe is {@code StepRunners.canRunAhead}'s to say.
 */
public final class LocalStepJobs<A> implements StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStepJobs.class);

  private final TrainingData train;
  private final Broadcast<PartitionGradient<A>> context;
  private final LocalExchange.Scope fit;
  private final GradientPool<A> pool;
  private final int stepsPerEpoch;
  private final boolean runAhead;
  private final StepTimes times;
  /** A submitted job of the step after the last one asked, waiting for its weights. */
  private StepJob next;
  private int nextEpoch = -1;
  private int nextStep = -1;

  public LocalStepJobs(TrainingData train, Broadcast<PartitionGradient<A>> context,
      LocalExchange.Scope fit, GradientPool<A> pool, int stepsPerEpoch, boolean runAhead,
      StepTimes times) {
    this.train = train;
    this.context = context;
    this.fit = fit;
    this.pool = pool;
    this.stepsPerEpoch = stepsPerEpoch;
    this.runAhead = runAhead;
    this.times = times;
  }

  @Override
  public GradientSum<A> gradient(double[] params, int epoch, int step) {
    long t0 = System.nanoTime();
    return run(pool.weights(params), epoch, step, t0);
  }

  @Override
  public GradientSum<A> gradient(float[] params, int epoch, int step) {
    long t0 = System.nanoTime();
    return run(pool.weights(params), epoch, step, t0);
  }

  private GradientSum<A> run(A weights, int epoch, int step, long t0) {
    StepJob job;
    if (next != null && nextEpoch == epoch && nextStep == step) {
      next.gate.publish(weights);
      job = next;
      next = null;
    } else {
      abandonEpoch();
      job = new StepJob(epoch, step, weights);
    }
    times.addWeightsOut(System.nanoTime() - t0);
    // The next step's job goes in before this one ends: see the class comment.
    if (runAhead && step + 1 < stepsPerEpoch) {
      next = new StepJob(epoch, step + 1, null);
      nextEpoch = epoch;
      nextStep = step + 1;
    }
    return job.result();
  }

  @Override
  public WeightsCopy weightsCopy() {
    return pool.weightsCopy();
  }

  @Override
  public void abandonEpoch() {
    if (next != null) next.abandon(); // no task may wait for weights that will not come
    next = null;
  }

  @Override
  public String describe() {
    return runAhead ? "one Spark job per step, the next submitted ahead (local master)"
        : "one Spark job per step (local master)";
  }

  @Override
  public void close() {
    abandonEpoch();
    fit.close();
  }

  /** One step's job, its own exchange scope, and (submitted ahead) its gate. */
  private final class StepJob {
    private final LocalExchange.Scope scope = fit.child();
    private final WeightsGate<A> gate;
    private final SimpleFutureAction<ParkedShare[]> action;
    private boolean finished;

    /** Submits the step with {@code weights}, or behind a gate when they are null. */
    StepJob(int epoch, int step, A weights) {
      gate = weights == null ? new WeightsGate<>() : null;
      long lent = scope.put(weights != null ? weights : gate);
      JavaRDD<PartitionData> blocks = train.blocks(epoch);
      ShareTask<A> task = new ShareTask<>(context, scope.put(scope), lent, pool.id(), epoch,
          step, stepsPerEpoch);
      try {
        action = SparkJobs.submit(blocks, task, new ParkedShare[blocks.getNumPartitions()]);
      } catch (RuntimeException e) {
        scope.close();
        throw e;
      }
    }

    /** Waits for the job and returns the step's ordered sum (a task's failure is rethrown). */
    GradientSum<A> result() {
      long t0 = System.nanoTime();
      try {
        ParkedShare[] parked = SparkJobs.await(action);
        @SuppressWarnings("unchecked")
        GradientSum<A>[] shares = new GradientSum[parked.length];
        for (int i = 0; i < parked.length; i++) shares[i] = parked[i].take(scope, pool);
        GradientSum<A> sum = OrderedSum.ofPartitions(shares)
            .result(new GradientSum<>(pool.flat()));
        times.addTask(sum.taskNanos());
        return sum;
      } finally {
        finished = true;
        scope.close(); // drops what the tasks parked, once the sum has taken it into hand
        times.addJob(System.nanoTime() - t0);
        times.countStep();
      }
    }

    /**
     * Gives up a submitted step: its tasks return empty shares, and this waits for the job to
     * end so nothing of it outlives the fit. A failure of the abandoned job is not reported.
     */
    void abandon() {
      if (finished) return;
      if (gate != null) gate.abandon();
      try {
        SparkJobs.await(action);
      } catch (Exception e) { // Spark's SparkException arrives unchecked
        LOG.debug("an abandoned step's job failed", e);
      } finally {
        finished = true;
        scope.close();
      }
    }
  }
}
