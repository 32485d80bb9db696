package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.train.steps.StepGradient;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * The driver's part of a step once the shares are summed: check the gradient, average it, apply
 * the optimizer rule out of place, check every new weight and write the tasks' copy of the
 * weights for the next step. These are memory-bound passes over several parameter-sized arrays
 * and the next step's tasks wait for them (see {@link StepRunner}), so after a read-only check
 * of the summed gradient everything else is one pass, range by range: a range's averaged
 * gradient goes into a small per-thread buffer, the rule reads it and the weights and writes the
 * new weights, and the new weights are checked and copied while that range is still in cache.
 * The rule writes into a second weights array, so the weights before the step stay as they were
 * (the last good ones, if a weight became NaN) without a copy of their own. The ranges are
 * shared between the calling thread and a helper per further driver core (up to four in all):
 * while the tasks wait, those cores are idle. Every step is element-wise, so the bits do not
 * depend on how the ranges are split or ordered.
 */
final class StepUpdate implements AutoCloseable {
  /** What happened to the weights. */
  enum Outcome {
    /** The step was applied: the new weights are in {@code into}. */
    APPLIED,
    /** The averaged gradient holds NaN or infinity: nothing was changed. */
    BAD_GRADIENT,
    /** A new weight is NaN or infinite: {@code params} still holds the last good weights. */
    BAD_WEIGHT
  }

  /**
   * Parameters per range of the pass: the arrays one range touches (the summed gradient, its
   * averaged buffer, the weights before and after, up to two optimizer slots, the tasks' copy),
   * 64 KB or less each, stay in L2 from one loop over the range to the next.
   */
  static final int PARAMS_PER_RANGE = 1 << 13;
  private static final int MAX_THREADS = 4;
  /** Below this many parameters per thread, handing ranges to a helper costs more than it saves. */
  private static final int MIN_PARAMS_PER_THREAD = 1 << 17;

  private final int threads;
  private final ExecutorService helpers;
  /** One averaged-gradient buffer per thread of the pass (index 0: the caller's). */
  private final double[][] buffers;

  /** For vectors of {@code numParams}; small ones the caller updates alone. */
  StepUpdate(int numParams) {
    int cores = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    this.threads = Math.max(1, Math.min(cores, numParams / MIN_PARAMS_PER_THREAD));
    this.buffers = new double[threads][Math.min(numParams, PARAMS_PER_RANGE)];
    this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "sparkdfa-step-update");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Applies {@code optimizer} to {@code params} with the average of {@code sum}, writing the new
   * weights to {@code into} (and, when not null, the tasks' copy of them to {@code copy});
   * {@code params} is left as it was. The optimizer is not touched if the gradient is not
   * finite.
   */
  Outcome apply(Optimizer optimizer, StepGradient sum, double[] params, double[] into,
      WeightsCopy copy) {
    double inv = 1.0 / sum.weight();
    int n = params.length;
    if (!forEachRange(n, (thread, from, to) -> sum.finite(inv, from, to))) {
      return Outcome.BAD_GRADIENT;
    }
    Optimizer.IntoStep rule = optimizer.beginInto(params, into);
    if (copy != null) copy.invalidate();
    boolean finite = forEachRange(n, (thread, from, to) -> {
      double[] g = buffers[thread];
      sum.scaleTo(g, 0, inv, from, to);
      rule.apply(g, 0, from, to);
      boolean ok = allFinite(into, from, to);
      if (copy != null) copy.write(into, from, to);
      return ok;
    });
    if (!finite) return Outcome.BAD_WEIGHT;
    if (copy != null) copy.written(into);
    return Outcome.APPLIED;
  }

  /** Whether every entry of v[from, to) is finite. */
  static boolean allFinite(double[] v, int from, int to) {
    boolean finite = true;
    for (int i = from; i < to; i++) finite &= Double.isFinite(v[i]);
    return finite;
  }

  @FunctionalInterface
  private interface RangePass {
    /** Processes [from, to) on thread {@code thread}; false if it met a value not finite. */
    boolean run(int thread, int from, int to);
  }

  /** Runs {@code pass} over every range of [0, n) on all threads; true if every range was. */
  private boolean forEachRange(int n, RangePass pass) {
    AtomicInteger nextRange = new AtomicInteger();
    List<Future<Boolean>> others = new ArrayList<>(threads - 1);
    for (int t = 1; t < threads; t++) {
      int thread = t;
      others.add(helpers.submit(() -> ranges(n, pass, thread, nextRange)));
    }
    boolean ok = ranges(n, pass, 0, nextRange);
    for (Future<Boolean> f : others) ok &= Futures.join(f, "the driver's update");
    return ok;
  }

  /** One thread's share of a pass: ranges taken from {@code nextRange} until none is left. */
  private static boolean ranges(int n, RangePass pass, int thread, AtomicInteger nextRange) {
    boolean ok = true;
    for (long from = (long) nextRange.getAndIncrement() * PARAMS_PER_RANGE; from < n;
        from = (long) nextRange.getAndIncrement() * PARAMS_PER_RANGE) {
      ok &= pass.run(thread, (int) from, (int) Math.min(n, from + PARAMS_PER_RANGE));
    }
    return ok;
  }

  @Override
  public void close() {
    if (helpers != null) helpers.shutdownNow();
  }
}
