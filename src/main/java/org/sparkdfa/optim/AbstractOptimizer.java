package org.sparkdfa.optim;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Shared plumbing of the update rules in both array types (see {@link SlotArrays}): argument
 * checks, the step counter, the step-size schedule, L2 masking and state save/restore. A rule
 * only implements its update over a contiguous index range ({@link DoubleRule#update},
 * {@link FloatRule#update}), which those two turn into the public {@link Optimizer} and
 * {@link FloatOptimizer}.
 *
 * <p>L2 masking is done by splitting [0, n) into runs instead of testing a bit per index: the
 * regularized set is a few long runs (one weight block per layer), so each run becomes one tight
 * loop with a loop-invariant λ (λ or 0) that the JIT can vectorize.
 *
 * @param <A> double[] or float[]: the weights, the gradient and every slot
 */
abstract class AbstractOptimizer<A> {

  private final OptimizerKind kind;
  private final SlotArrays<A> arrays;
  /** Length every params/grad/slot array must have. */
  final int numParams;
  private final double regParam;
  /** Regularized index runs as flattened half-open pairs: start0, end0, start1, end1, ... */
  private final int[] regularizedRuns;
  /** Insertion-ordered so state() lists slots as the rule declared them. */
  private final Map<String, A> slots = new LinkedHashMap<>();
  private long steps;
  /** The configured η, and how it changes per step and epoch. */
  private final double baseStepSize;
  private final StepSizeSchedule schedule;
  private int epoch;
  /** η of the step begun last, which the rules read once per range. */
  private double stepSize;

  AbstractOptimizer(OptimizerConfig config, int numParams, BitSet regularized,
      SlotArrays<A> arrays) {
    Objects.requireNonNull(config, "config must not be null");
    if (numParams < 0) {
      throw new IllegalArgumentException("numParams = " + numParams + " is invalid: must be >= 0");
    }
    this.kind = config.kind();
    this.arrays = arrays;
    this.numParams = numParams;
    this.regParam = config.regParam();
    this.regularizedRuns = runs(regularized, numParams);
    this.baseStepSize = config.stepSize();
    this.schedule = config.schedule();
    this.stepSize = baseStepSize;
  }

  /** η of the current step. */
  final double stepSize() {
    return stepSize;
  }

  /** Allocates a zero-initialized per-parameter slot that state()/restore() will carry. */
  final A newSlot(String name) {
    A a = arrays.alloc(numParams);
    slots.put(name, a);
    return a;
  }

  /**
   * Starts one step out of place (see {@link Optimizer#beginInto}): checks the arrays, advances
   * the step counter, fixes this step's η from the schedule, and returns the step count t.
   * The subclass per array type turns it into the step's rule: each has its own copy of the
   * few lines that call the rule's update (with and without L2 runs), so that the JIT sees only
   * rules of one array type at each call site — one call site for both types lets C2 inline
   * both loops into it, and the float32 ones then ran scalar, several times slower
   * (docs/BENCHMARKS.md, eighth session).
   */
  final long start(A params, A into) {
    checkLength("params", params);
    checkLength("into", into);
    long t = ++steps;
    stepSize = schedule.isConstant() ? baseStepSize : schedule.stepSize(baseStepSize, t, epoch);
    return t;
  }

  /** {@link #start} for an in-place step with a parameter-sized gradient. */
  final long startInPlace(A params, A grad) {
    checkLength("params", params);
    checkLength("grad", grad);
    if (params == grad) {
      // Almost certainly a caller bug, and the in-place update would corrupt the gradient.
      throw new IllegalArgumentException("params and grad must be different arrays");
    }
    return start(params, params);
  }

  /** λ; 0 means no index is regularized. */
  final double regParam() {
    return regParam;
  }

  /**
   * Regularized index runs as flattened half-open pairs (start0, end0, start1, end1, ...): a
   * range [from, to) is updated run by run, λ inside a run and 0 outside.
   */
  final int[] regularizedRuns() {
    return regularizedRuns;
  }

  /** See {@link Optimizer#startEpoch}. */
  public final void startEpoch(int epoch) {
    this.epoch = epoch;
  }

  /** See {@link Optimizer#state}: slots in double (widening a float is exact). */
  public final OptimizerState state() {
    Map<String, double[]> saved = new LinkedHashMap<>();
    for (Map.Entry<String, A> e : slots.entrySet()) {
      saved.put(e.getKey(), arrays.toDouble(e.getValue()));
    }
    // The OptimizerState constructor deep-copies the arrays.
    return new OptimizerState(kind.canonicalName(), steps, saved);
  }

  /** See {@link Optimizer#restore}. */
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
      checkSaved(e.getKey(), e.getValue());
    }
    // Copy into the live arrays rather than adopting the state's, so the two never alias.
    for (Map.Entry<String, double[]> e : s.slots().entrySet()) {
      arrays.copyIn(e.getValue(), slots.get(e.getKey()));
    }
    steps = s.step();
  }

  private void checkSaved(String name, double[] saved) {
    if (saved.length != numParams) {
      throw new IllegalArgumentException("optimizer state slot '" + name + "' has length "
          + saved.length + " but this optimizer has " + numParams + " parameters");
    }
    int bad = arrays.firstNotExact(saved);
    if (bad >= 0) {
      throw new IllegalArgumentException("optimizer state slot '" + name + "' holds "
          + saved[bad] + " at index " + bad + ", which " + arrays.typeName() + " cannot hold "
          + "exactly: the state was saved by a float64 update and cannot continue exactly in "
          + "float32 (resume with the update precision it was written in)");
    }
  }

  /** See {@link FloatOptimizer#reset}. */
  public final void reset() {
    for (A slot : slots.values()) arrays.zero(slot);
    steps = 0;
    epoch = 0;
    stepSize = baseStepSize;
  }

  /** See {@link Optimizer#steps}. */
  public final long steps() {
    return steps;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + arrays.typeName() + ", numParams=" + numParams
        + ", steps=" + steps + (schedule.isConstant() ? "" : ", " + schedule) + "]";
  }

  private void checkLength(String what, A a) {
    Objects.requireNonNull(a, () -> what + " must not be null");
    if (arrays.length(a) != numParams) {
      throw new IllegalArgumentException(what + " has length " + arrays.length(a)
          + " but the optimizer was created for " + numParams);
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
