package org.sparkdfa.optim;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Shared plumbing of the update rules: argument checks, the step counter, L2 masking and
 * state save/restore. A rule only implements {@link #update} over a contiguous index range.
 *
 * <p>L2 masking is done by splitting [0, n) into runs instead of testing a bit per index: the
 * regularized set is a few long runs (one weight block per layer), so each run becomes one tight
 * loop with a loop-invariant λ (λ or 0) that the JIT can vectorize.
 */
abstract class AbstractOptimizer implements Optimizer {

  private final OptimizerKind kind;
  /** Length every params/grad/slot array must have. */
  final int numParams;
  private final double regParam;
  /** Regularized index runs as flattened half-open pairs: start0, end0, start1, end1, ... */
  private final int[] regularizedRuns;
  /** Insertion-ordered so state() lists slots as the rule declared them. */
  private final Map<String, double[]> slots = new LinkedHashMap<>();
  private long steps;
  /** The configured η; a schedule passes each step's own to the three-argument begin. */
  private final double baseStepSize;
  /** η of the step begun last, which the rules read once per range. */
  private double stepSize;

  AbstractOptimizer(OptimizerConfig config, int numParams, BitSet regularized) {
    Objects.requireNonNull(config, "config must not be null");
    if (numParams < 0) {
      throw new IllegalArgumentException("numParams = " + numParams + " is invalid: must be >= 0");
    }
    this.kind = config.kind();
    this.numParams = numParams;
    this.regParam = config.regParam();
    this.regularizedRuns = runs(regularized, numParams);
    this.baseStepSize = config.stepSize();
    this.stepSize = baseStepSize;
  }

  /** η of the current step. */
  final double stepSize() {
    return stepSize;
  }

  /**
   * Applies the rule to indices [from, to), reading the weights from {@code p} and writing the
   * updated ones to {@code out} (which may be {@code p}: in place). The loss gradient at index
   * i = from + j is {@code g[gFrom + j]}; the gradient to use there is that
   * {@code + l2 * p[i]}, where l2 is λ inside a regularized run and 0 outside. Rules loop over
   * j from 0 with i = from + j.
   *
   * @param t 1-based step count of this step
   */
  abstract void update(double[] p, double[] g, int gFrom, double[] out, int from, int to,
      double l2, long t);

  /** Allocates a zero-initialized per-parameter slot that state()/restore() will carry. */
  final double[] newSlot(String name) {
    double[] a = new double[numParams];
    slots.put(name, a);
    return a;
  }

  @Override
  public final void step(double[] params, double[] grad) {
    begin(params, grad).apply(0, numParams);
  }

  @Override
  public final RangeStep begin(double[] params, double[] grad) {
    return begin(params, grad, baseStepSize);
  }

  /** {@link #begin(double[], double[])} with step size {@code eta} for this step. */
  final RangeStep begin(double[] params, double[] grad, double eta) {
    checkLength("params", params);
    checkLength("grad", grad);
    if (params == grad) {
      // Almost certainly a caller bug, and the in-place update would corrupt the gradient.
      throw new IllegalArgumentException("params and grad must be different arrays");
    }
    IntoStep into = beginInto(params, params, eta);
    return (from, to) -> into.apply(grad, from, from, to);
  }

  @Override
  public final IntoStep beginInto(double[] params, double[] into) {
    return beginInto(params, into, baseStepSize);
  }

  /** {@link #beginInto(double[], double[])} with step size {@code eta} for this step. */
  final IntoStep beginInto(double[] params, double[] into, double eta) {
    checkLength("params", params);
    checkLength("into", into);
    long t = ++steps;
    stepSize = eta;
    if (regParam == 0.0) {
      return (g, gFrom, from, to) -> update(params, g, gFrom, into, from, to, 0.0, t);
    }
    return (g, gFrom, from, to) -> applyMasked(params, g, gFrom, into, from, to, t);
  }

  /** [from, to) split along the regularized runs: λ inside a run, 0 outside. */
  private void applyMasked(double[] params, double[] g, int gFrom, double[] into, int from,
      int to, long t) {
    int pos = from;
    int[] runs = regularizedRuns;
    for (int k = 0; k < runs.length && pos < to; k += 2) {
      int start = Math.max(runs[k], pos);
      int end = Math.min(runs[k + 1], to);
      if (end <= start) continue;
      if (pos < start) update(params, g, gFrom + pos - from, into, pos, start, 0.0, t);
      update(params, g, gFrom + start - from, into, start, end, regParam, t);
      pos = end;
    }
    if (pos < to) update(params, g, gFrom + pos - from, into, pos, to, 0.0, t);
  }

  @Override
  public final OptimizerState state() {
    // The OptimizerState constructor deep-copies the live arrays.
    return new OptimizerState(kind.canonicalName(), steps, slots);
  }

  @Override
  public final void restore(OptimizerState s) {
    Objects.requireNonNull(s, "state must not be null");
    // Validate everything before touching anything, so a bad state leaves this optimizer intact.
    if (!s.name().equals(kind.canonicalName())) {
      throw new IllegalArgumentException("cannot restore a '" + s.name()
          + "' optimizer state into a '" + kind.canonicalName() + "' optimizer");
    }
    if (!s.slots().keySet().equals(slots.keySet())) {
      throw new IllegalArgumentException("optimizer state for '" + kind.canonicalName()
          + "' has slots " + s.slots().keySet() + " but this optimizer expects " + slots.keySet());
    }
    for (Map.Entry<String, double[]> e : s.slots().entrySet()) {
      if (e.getValue().length != numParams) {
        throw new IllegalArgumentException("optimizer state slot '" + e.getKey()
            + "' has length " + e.getValue().length + " but this optimizer has " + numParams
            + " parameters");
      }
    }
    // Copy into the live arrays rather than adopting the state's, so the two never alias.
    for (Map.Entry<String, double[]> e : s.slots().entrySet()) {
      System.arraycopy(e.getValue(), 0, slots.get(e.getKey()), 0, numParams);
    }
    steps = s.step();
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[numParams=" + numParams + ", steps=" + steps + "]";
  }

  private void checkLength(String what, double[] a) {
    Objects.requireNonNull(a, () -> what + " must not be null");
    if (a.length != numParams) {
      throw new IllegalArgumentException(
          what + " has length " + a.length + " but the optimizer was created for " + numParams);
    }
  }

  /** Set-bit runs of {@code mask} as flattened [start, end) pairs; null means all of [0, n). */
  private static int[] runs(BitSet mask, int n) {
    if (mask == null) {
      return n == 0 ? new int[0] : new int[] {0, n};
    }
    if (mask.length() > n) {
      throw new IllegalArgumentException("regularized has index " + (mask.length() - 1)
          + " set but numParams is " + n + " (valid indices 0.." + (n - 1) + ")");
    }
    int count = 0;
    for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(mask.nextClearBit(i))) {
      count++;
    }
    int[] r = new int[2 * count];
    int k = 0;
    for (int i = mask.nextSetBit(0); i >= 0; i = mask.nextSetBit(r[k - 1])) {
      r[k++] = i;
      r[k++] = mask.nextClearBit(i);
    }
    return r;
  }
}
