package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.sparkdfa.optim.FloatOptimizer;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.train.steps.Finite;
import org.sparkdfa.train.steps.FloatWeightsCopy;
import org.sparkdfa.train.steps.StepGradient;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * The driver's part of a step once the shares are summed: average the gradient, apply the
 * optimizer rule, check every new weight and write the tasks' copy of them for the next step.
 * The next step's tasks wait for it (see {@link StepRunner}), so it is one pass over the
 * parameters, range by range on every driver core (the calling thread and a helper per further
 * core, up to four in all: while the tasks wait, those cores are idle). For each range, while it
 * is in cache:
 * <ol>
 *   <li>the average of the range is written into the new weights' array ({@code into}) and
 *       checked;</li>
 *   <li>the rule updates that range in place in {@code into}, reading its gradient from there
 *       ({@link Optimizer.IntoStep} reads an index's gradient before it writes its weight) and
 *       the weights before the step from {@code params}, which stays as it was (the last good
 *       weights if a weight becomes NaN) without a copy of its own;</li>
 *   <li>the new weights are checked, in the same loop as their float32 copy for the tasks
 *       ({@link WeightsCopy}), which the weights' hand-over would otherwise convert alone on one
 *       thread.</li>
 * </ol>
 * The gradient never has an array of its own, so the memory traffic is what the rule needs: the
 * shares, the weights before and after, the rule's slots. Every step is element-wise, so the bits
 * do not depend on how the ranges are split or ordered. With float32 master weights
 * ({@code updatePrecision} float32) the same pass runs over float arrays with a
 * {@link FloatOptimizer}, and the new weights are themselves what the tasks read: there is no
 * copy to write.
 *
 * <p>Whatever the outcome, {@code params} is untouched. When it is not APPLIED the ranges that ran
 * before the bad one have moved the optimizer's slots: its state is spent, as the fit stops there
 * ({@link TrainingLoop} keeps the last good weights and writes no checkpoint of that state).
 */
final class StepUpdate implements AutoCloseable {
  /** What happened to the weights. */
  enum Outcome {
    /** The step was applied: the new weights are in {@code into}. */
    APPLIED,
    /** The averaged gradient holds NaN or infinity: {@code params} is unchanged. */
    BAD_GRADIENT,
    /** A new weight is NaN or infinite: {@code params} still holds the last good weights. */
    BAD_WEIGHT
  }

  /**
   * Parameters per range of the pass: the arrays one range touches (the shares, weights before
   * and after, up to two optimizer slots, the tasks' copy), 64 KB or less each, stay in L2 from
   * the average's loop to the rule's and the check's.
   */
  static final int PARAMS_PER_RANGE = 1 << 13;
  private static final int MAX_THREADS = 4;
  /** Below this many parameters per thread, handing ranges to a helper costs more than it saves. */
  private static final int MIN_PARAMS_PER_THREAD = 1 << 17;

  private final int threads;
  private final ExecutorService helpers;

  /** For vectors of {@code numParams}; small ones the caller updates alone. */
  StepUpdate(int numParams) {
    int cores = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    this.threads = Math.max(1, Math.min(cores, numParams / MIN_PARAMS_PER_THREAD));
    this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "sparkdfa-step-update");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Applies {@code optimizer} to {@code params} with the average of {@code sum}, writing the new
   * weights to {@code into} and, when not null, the tasks' copy of them to {@code copy};
   * {@code params} is left as it was.
   */
  Outcome apply(Optimizer optimizer, StepGradient sum, double[] params, double[] into,
      WeightsCopy copy) {
    double inv = 1.0 / sum.weight();
    Optimizer.IntoStep rule = optimizer.beginInto(params, into);
    if (copy != null) copy.invalidate();
    AtomicBoolean badGradient = new AtomicBoolean();
    boolean finite = forEachRange(params.length, (from, to) -> {
      if (!sum.scaleInto(into, inv, from, to)) {
        badGradient.set(true);
        return false;
      }
      rule.apply(into, from, from, to);
      return copy != null ? copy.write(into, from, to) : Finite.all(into, from, to);
    });
    if (!finite) return badGradient.get() ? Outcome.BAD_GRADIENT : Outcome.BAD_WEIGHT;
    if (copy != null) copy.written(into);
    return Outcome.APPLIED;
  }

  /**
   * {@link #apply} with float32 master weights and a float32 rule: the same pass over float
   * arrays (the average in float32, see {@link StepGradient#scaleInto(float[], double, int,
   * int)}). {@code into} is what the tasks read next step on a local master, so {@code copy} is
   * null there; a cluster's epoch job gives the wire bytes to write as {@code copy}. The loop is
   * the float64 one written again on purpose: one generic lambda for both array types would be
   * one call site, where C2 compiled the float32 rules scalar (docs/BENCHMARKS.md, eighth
   * session).
   */
  Outcome apply(FloatOptimizer optimizer, StepGradient sum, float[] params, float[] into,
      FloatWeightsCopy copy) {
    double inv = 1.0 / sum.weight();
    FloatOptimizer.IntoStep rule = optimizer.beginInto(params, into);
    if (copy != null) copy.invalidate();
    AtomicBoolean badGradient = new AtomicBoolean();
    boolean finite = forEachRange(params.length, (from, to) -> {
      if (!sum.scaleInto(into, inv, from, to)) {
        badGradient.set(true);
        return false;
      }
      rule.apply(into, from, from, to);
      return copy != null ? copy.write(into, from, to) : Finite.all(into, from, to);
    });
    if (!finite) return badGradient.get() ? Outcome.BAD_GRADIENT : Outcome.BAD_WEIGHT;
    if (copy != null) copy.written(into);
    return Outcome.APPLIED;
  }

  @FunctionalInterface
  private interface RangePass {
    /** Processes [from, to); false if it met a value that is not finite. */
    boolean run(int from, int to);
  }

  /** Runs {@code pass} over every range of [0, n) on all threads; true if every range was. */
  private boolean forEachRange(int n, RangePass pass) {
    AtomicInteger nextRange = new AtomicInteger();
    List<Future<Boolean>> others = new ArrayList<>(threads - 1);
    for (int t = 1; t < threads; t++) others.add(helpers.submit(() -> ranges(n, pass, nextRange)));
    boolean ok = ranges(n, pass, nextRange);
    for (Future<Boolean> f : others) ok &= Futures.join(f, "the driver's update");
    return ok;
  }

  /** One thread's share of a pass: ranges taken from {@code nextRange} until none is left. */
  private static boolean ranges(int n, RangePass pass, AtomicInteger nextRange) {
    boolean ok = true;
    for (long from = (long) nextRange.getAndIncrement() * PARAMS_PER_RANGE; from < n;
        from = (long) nextRange.getAndIncrement() * PARAMS_PER_RANGE) {
      ok &= pass.run((int) from, (int) Math.min(n, from + PARAMS_PER_RANGE));
    }
    return ok;
  }

  @Override
  public void close() {
    if (helpers != null) helpers.shutdownNow();
  }
}
