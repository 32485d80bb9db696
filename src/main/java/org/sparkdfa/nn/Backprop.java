package org.sparkdfa.nn;

/** Backpropagation's feedback: the signal for hidden layer k is W_{k+1}ᵀ δ_{k+1}. */
enum Backprop implements Feedback {
  INSTANCE;

  @Override
  public void signal(NetworkSpec spec, double[] params, int k, double[] deltaAbove,
      double[] error, int m, double[] out) {
    int rows = spec.size(k + 1);
    int above = spec.size(k + 2);
    Blas.get().dgemm("T", "N", rows, m, above, 1.0, params, spec.weightOffset(k + 1), above,
        deltaAbove, 0, above, 0.0, out, 0, rows);
  }

  @Override
  public boolean needsDeltaAbove() {
    return true;
  }

  @Override
  public String toString() {
    return "backprop";
  }
}
