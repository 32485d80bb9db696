package org.sparkdfa.train;

/** Keeps the best monitored loss (and its weights) and says when patience has run out. */
final class EarlyStopping {
  private final double tol;
  private final int patience;
  double best = Double.POSITIVE_INFINITY;
  double[] bestParams;
  int stale;

  EarlyStopping(double tol, int patience) {
    this.tol = tol;
    this.patience = patience;
  }

  /** Records an epoch's monitored loss; true when training should stop. */
  boolean update(double loss, double[] params) {
    if (loss < best - tol) {
      best = loss;
      // Copied into one array for the whole fit: a fresh clone per improving epoch is a
      // humongous allocation for G1 on large networks.
      if (bestParams == null || bestParams.length != params.length) {
        bestParams = params.clone();
      } else {
        System.arraycopy(params, 0, bestParams, 0, params.length);
      }
      stale = 0;
      return false;
    }
    stale++;
    return patience > 0 && stale >= patience;
  }

  double[] bestParams() {
    return bestParams;
  }

  void restore(double best, double[] bestParams, int stale) {
    this.best = best;
    this.bestParams = bestParams == null ? null : bestParams.clone();
    this.stale = stale;
  }
}
