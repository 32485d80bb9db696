package org.sparkdfa.train.steps;

import org.sparkdfa.nn.Loss;

/** Turns output logits into a class, the same way the model's prediction column does. */
public final class Predictions {
  private Predictions() {}

  /**
   * Class of column {@code col} of a c × m logit block: for one output the positive class when the
   * logit is on its side of the loss's decision boundary (0 for bce/hinge, 0.5 for mse), else the
   * argmax.
   */
  public static int predictClass(Loss loss, double[] logits, int c, int col) {
    if (c == 1) {
      double threshold = loss == Loss.MSE ? 0.5 : 0.0;
      return logits[col] > threshold ? 1 : 0;
    }
    int off = col * c;
    int best = 0;
    for (int j = 1; j < c; j++) {
      if (logits[off + j] > logits[off + best]) best = j;
    }
    return best;
  }
}
