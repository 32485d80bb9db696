package org.sparkdfa.train.steps;

import java.io.Serializable;

/** Summed loss, correct-prediction weight, row weight and count over some rows. */
public final class Evaluation implements Serializable {
  private static final long serialVersionUID = 1L;

  double loss;
  double correctWeight;
  double weight;
  long count;

  public Evaluation merge(Evaluation o) {
    loss += o.loss;
    correctWeight += o.correctWeight;
    weight += o.weight;
    count += o.count;
    return this;
  }

  /** Mean weighted loss. */
  public double meanLoss() {
    return loss / weight;
  }

  /** Weighted accuracy. */
  public double accuracy() {
    return correctWeight / weight;
  }

  public double loss() {
    return loss;
  }

  public double correctWeight() {
    return correctWeight;
  }

  public double weight() {
    return weight;
  }

  public long count() {
    return count;
  }
}
