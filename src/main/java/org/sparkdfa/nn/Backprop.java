package org.sparkdfa.nn;

/** Backpropagation's feedback: the signal for hidden layer k is W_{k+1}ᵀ δ_{k+1}. */
enum Backprop implements Feedback {
  INSTANCE;

  @Override
  public <A> void signal(Numeric<A> num, NetworkSpec spec, A params, int k, A deltaAbove,
      A error, int m, A out) {
    int rows = spec.size(k + 1);
    int above = spec.size(k + 2);
    num.gemm("T", "N", rows, m, above, params, spec.weightOffset(k + 1), above, deltaAbove, 0,
        above, 0.0, out, 0, rows);
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
