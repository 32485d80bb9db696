package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.train.steps.StepGradient;

/**
 * The driver's part of a step once the shares are summed: average the gradient, keep the last
 * good weights, apply the optimizer rule and check every weight. For a large network these are
 * passes over several parameter-sized arrays, and the next step's tasks wait for their result
 * (see {@link StepRunner}), so the passes run chunk by chunk — a chunk's arrays are still in cache
 * from one pass to the next — and the chunks are shared between the calling thread and a helper
 * per further driver core (up to four in all): while the tasks wait, those cores are idle.
 * Every pass is element-wise, so the bits do not depend on how the chunks are split or ordered.
 */
final class StepUpdate implements AutoCloseable {
  /** What happened to the weights. */
  enum Outcome {
    /** The step was applied. */
    APPLIED,
    /** The averaged gradient holds NaN or infinity: nothing was changed. */
    BAD_GRADIENT,
    /** A weight became NaN or infinite: {@code before} holds the last good weights. */
    BAD_WEIGHT
  }

  /** 256 KB of doubles: a few such chunks (weights, gradient, optimizer slots) fit in L2. */
  static final int CHUNK = 1 << 15;
  private static final int MAX_THREADS = 4;

  private final int threads;
  private final ExecutorService helpers;

  /** For vectors of {@code numParams}; below a few chunks per thread the caller works alone. */
  StepUpdate(int numParams) {
    int chunks = (numParams + CHUNK - 1) / CHUNK;
    int cores = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    this.threads = Math.max(1, Math.min(cores, chunks / 4));
    this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "sparkdfa-step-update");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Averages {@code sum} into {@code grad}, then copies {@code params} into {@code before} and
   * applies {@code optimizer}; the optimizer is not touched if the gradient is not finite.
   */
  Outcome apply(Optimizer optimizer, StepGradient sum, double[] params, double[] grad,
      double[] before) {
    double inv = 1.0 / sum.weight();
    if (!forEachChunk(params.length, (from, to) -> sum.scaleInto(grad, inv, from, to))) {
      return Outcome.BAD_GRADIENT;
    }
    Optimizer.RangeStep rule = optimizer.begin(params, grad);
    boolean finite = forEachChunk(params.length, (from, to) -> {
      System.arraycopy(params, from, before, from, to - from);
      rule.apply(from, to);
      return allFinite(params, from, to);
    });
    return finite ? Outcome.APPLIED : Outcome.BAD_WEIGHT;
  }

  /** Whether every entry of v[from, to) is finite. */
  static boolean allFinite(double[] v, int from, int to) {
    boolean finite = true;
    for (int i = from; i < to; i++) finite &= Double.isFinite(v[i]);
    return finite;
  }

  @FunctionalInterface
  private interface ChunkPass {
    /** Processes [from, to); false if it met a value that is not finite. */
    boolean run(int from, int to);
  }

  /** Runs {@code pass} over every chunk of [0, n) on all threads; true if every chunk was. */
  private boolean forEachChunk(int n, ChunkPass pass) {
    AtomicInteger nextChunk = new AtomicInteger();
    BooleanSupplier worker = () -> {
      boolean ok = true;
      for (long from = (long) nextChunk.getAndIncrement() * CHUNK; from < n;
          from = (long) nextChunk.getAndIncrement() * CHUNK) {
        ok &= pass.run((int) from, (int) Math.min(n, from + CHUNK));
      }
      return ok;
    };
    if (helpers == null) return worker.getAsBoolean();
    List<Future<Boolean>> others = new ArrayList<>(threads - 1);
    for (int t = 1; t < threads; t++) others.add(helpers.submit(worker::getAsBoolean));
    boolean ok = worker.getAsBoolean();
    for (Future<Boolean> f : others) ok &= Futures.join(f, "the driver's update");
    return ok;
  }

  @Override
  public void close() {
    if (helpers != null) helpers.shutdownNow();
  }
}
