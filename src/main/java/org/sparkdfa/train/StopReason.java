package org.sparkdfa.train;

/** Why training ended; the summary reports it with a sentence. */
public enum StopReason {
  MAX_ITER("reached maxIter epochs"),
  NO_IMPROVEMENT("the monitored loss did not improve by more than tol for the patience epochs"),
  DIVERGED("the loss or the weights became NaN/Infinity; the model keeps the last good weights — "
      + "try a smaller stepSize"),
  CONVERGED("the full-batch solver converged"),
  LISTENER("an epoch listener asked to stop (e.g. its target accuracy was reached)");

  private final String description;

  StopReason(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
