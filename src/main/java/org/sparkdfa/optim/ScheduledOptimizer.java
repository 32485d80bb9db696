package org.sparkdfa.optim;

/**
 * A rule whose step size follows a {@link StepSizeSchedule}: each step runs the rule with the
 * schedule's η for that step count and the epoch the trainer announced. The rule's state (step
 * count and slots) is the whole state, so checkpoints and restores are the rule's own.
 */
final class ScheduledOptimizer implements Optimizer {
  private final AbstractOptimizer rule;
  private final StepSizeSchedule schedule;
  private final double base;
  private int epoch;

  ScheduledOptimizer(AbstractOptimizer rule, StepSizeSchedule schedule, double base) {
    this.rule = rule;
    this.schedule = schedule;
    this.base = base;
  }

  @Override
  public void startEpoch(int epoch) {
    this.epoch = epoch;
  }

  /** The step size the next step will use. */
  double nextStepSize() {
    return schedule.stepSize(base, rule.steps() + 1, epoch);
  }

  @Override
  public void step(double[] params, double[] grad) {
    begin(params, grad).apply(0, params.length);
  }

  @Override
  public RangeStep begin(double[] params, double[] grad) {
    return rule.begin(params, grad, nextStepSize());
  }

  @Override
  public IntoStep beginInto(double[] params, double[] into) {
    return rule.beginInto(params, into, nextStepSize());
  }

  @Override
  public OptimizerState state() {
    return rule.state();
  }

  @Override
  public void restore(OptimizerState s) {
    rule.restore(s);
  }

  @Override
  public long steps() {
    return rule.steps();
  }

  @Override
  public String toString() {
    return rule + " with " + schedule;
  }
}
