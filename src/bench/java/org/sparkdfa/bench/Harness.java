package org.sparkdfa.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small measurement harness written to the rules of the JMH samples (the pom has no JMH
 * annotation processor, so the benchmarks cannot use JMH itself):
 *
 * <ul>
 *   <li><b>State and fixtures</b> (JMHSample_03_States, _06_FixtureLevel): inputs are allocated
 *       and filled by the caller before measuring; a case's {@link Case#prepare} runs before every
 *       invocation and is <em>not</em> timed — the per-invocation setup of JMHSample_38, used to
 *       restore state an in-place kernel changed.
 *   <li><b>No repeat loops</b> (JMHSample_11_Loops): every invocation is timed on its own with
 *       {@code System.nanoTime} (kernels take milliseconds, the timer resolves tens of
 *       nanoseconds), so the JIT cannot hoist or merge work across repetitions, and the
 *       distribution of single invocations is kept instead of an average.
 *   <li><b>Dead code</b> (JMHSample_08, _09): each invocation returns a value that goes into a
 *       {@link Sink}.
 *   <li><b>Warm-up</b>: the first {@code warmup} rounds run the same code but are discarded, so
 *       measured rounds see compiled code and touched memory.
 *   <li><b>Interleaving</b>: cases run round-robin (with a rotating start) instead of one after
 *       the other, so a slow phase of a shared machine hits every case alike and ratios measured
 *       in one run stay meaningful. Forking is left to the callers (see {@link Forks}).
 *   <li><b>GC</b>: collections during measured rounds are counted and reported; an
 *       allocation-free kernel should show none.
 *   <li><b>Shared machines</b>: besides wall time, each invocation's CPU time of the calling
 *       thread is recorded (one OpenBLAS thread computes in the caller). Wall time is the figure
 *       reported; CPU time shows what it would be without time slices lost to other processes,
 *       and wall/CPU well above 1 marks a contended measurement.
 * </ul>
 */
public final class Harness {

  /** One benchmark case: an untimed preparation and a timed operation that returns a result. */
  public interface Case {
    String name();

    /** Untimed, before every invocation (restores state changed by the previous one). */
    default void prepare() {}

    /** The timed work; its result is sunk. */
    double run() throws Exception;
  }

  /** A case from a name and a lambda (no preparation). */
  public static Case of(String name, ThrowingOp op) {
    return of(name, () -> {}, op);
  }

  /** A case from a name, an untimed preparation and a lambda. */
  public static Case of(String name, Runnable prepare, ThrowingOp op) {
    return new Case() {
      @Override public String name() {
        return name;
      }

      @Override public void prepare() {
        prepare.run();
      }

      @Override public double run() throws Exception {
        return op.run();
      }
    };
  }

  /** The timed body of a case. */
  @FunctionalInterface
  public interface ThrowingOp {
    double run() throws Exception;
  }

  /**
   * Measured samples per case (wall time and the calling thread's CPU time), plus GC activity
   * during the measured rounds.
   */
  public record Result(Map<String, Samples> samples, Map<String, Samples> cpu, long gcCount,
      long gcMillis) {
    public Samples get(String name) {
      Samples s = samples.get(name);
      if (s == null) throw new IllegalArgumentException("no case named " + name);
      return s;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU time of the current thread in ns, or -1 when the JVM cannot measure it. */
  static long threadCpuNanos() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  private final Sink sink;

  public Harness(Sink sink) {
    this.sink = sink;
  }

  /** Runs {@code warmup + iterations} rounds over every case, interleaved; returns the timings. */
  public Result run(List<Case> cases, int warmup, int iterations) throws Exception {
    int n = cases.size();
    List<List<Double>> times = new ArrayList<>();
    List<List<Double>> cpuTimes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      times.add(new ArrayList<>());
      cpuTimes.add(new ArrayList<>());
    }
    long gc0 = 0;
    long gcMs0 = 0;
    for (int round = 0; round < warmup + iterations; round++) {
      if (round == warmup) {
        gc0 = gcCount();
        gcMs0 = gcMillis();
      }
      for (int j = 0; j < n; j++) {
        int idx = (round + j) % n;
        Case c = cases.get(idx);
        c.prepare();
        long c0 = threadCpuNanos();
        long t0 = System.nanoTime();
        double v = c.run();
        long t1 = System.nanoTime();
        long c1 = threadCpuNanos();
        sink.consume(v);
        if (round >= warmup) {
          times.get(idx).add((t1 - t0) / 1e9);
          cpuTimes.get(idx).add((c1 - c0) / 1e9);
        }
      }
    }
    Map<String, Samples> out = new LinkedHashMap<>();
    Map<String, Samples> cpu = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String name = cases.get(i).name();
      out.put(name, new Samples(name, times.get(i).stream().mapToDouble(Double::doubleValue)
          .toArray()));
      cpu.put(name, new Samples(name, cpuTimes.get(i).stream().mapToDouble(Double::doubleValue)
          .toArray()));
    }
    return new Result(out, cpu, gcCount() - gc0, gcMillis() - gcMs0);
  }

  static long gcCount() {
    long c = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      c += Math.max(0, b.getCollectionCount());
    }
    return c;
  }

  static long gcMillis() {
    long c = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      c += Math.max(0, b.getCollectionTime());
    }
    return c;
  }
}
