package org.sparkdfa.train;

import org.apache.spark.api.java.JavaRDD;

/**
 * Steps as one Spark job each ({@link StepJobs}): the bytes path on a cluster, and on a local
 * master when an epoch job cannot hold every partition's slot at once. With {@code runAhead}
 * the next step's job is submitted before this step's ends and waits at a gate for its weights.
 */
final class JobPerStep implements StepRunner {
  private final TrainingData train;
  private final StepJobs jobs;
  private final int stepsPerEpoch;
  private final boolean runAhead;
  /** A submitted job of the step after the last one asked, waiting for its weights. */
  private StepJobs.StepJob next;
  private int nextEpoch = -1;
  private int nextStep = -1;

  JobPerStep(TrainingData train, StepJobs jobs, int stepsPerEpoch, boolean runAhead) {
    this.train = train;
    this.jobs = jobs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.runAhead = runAhead;
  }

  @Override
  public GradientSum gradient(double[] params, int epoch, int step) {
    JavaRDD<PartitionData> blocks = train.blocks(epoch);
    StepJobs.StepJob job;
    if (next != null && nextEpoch == epoch && nextStep == step) {
      next.publish(params);
      job = next;
      next = null;
    } else {
      abandonEpoch();
      job = jobs.now(blocks, params, epoch, step, stepsPerEpoch);
    }
    // The next step's job goes in before this one ends: see StepJobs.
    if (runAhead && step + 1 < stepsPerEpoch) {
      next = jobs.ahead(blocks, epoch, step + 1, stepsPerEpoch);
      nextEpoch = epoch;
      nextStep = step + 1;
    }
    return job.result();
  }

  @Override
  public void abandonEpoch() {
    if (next != null) next.abandon(); // no task may wait for weights that will not come
    next = null;
  }

  @Override
  public String describe() {
    return runAhead ? "one Spark job per step, the next submitted ahead (local master)"
        : "one Spark job per step";
  }
}
