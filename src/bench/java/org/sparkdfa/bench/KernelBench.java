package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Blas;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/**
 * The math core's training step in one thread: forward, backward and gradient of a d-h-1
 * ReLU/BCE network ({@code Network.gradient}) over one block of m examples, with BP and with DFA,
 * against the bare dgemm pair the step cannot avoid (see {@link GemmReference}), all measured in
 * the same JVMs, interleaved.
 *
 * <p>A "step" is what the trainer does per block: zero the gradient vector (the trainer allocates
 * a fresh one per step, which the JVM zeroes) and call {@code Network.gradient}. Run
 * single-threaded with {@code OPENBLAS_NUM_THREADS=1}, as every Spark task runs it.
 *
 * <pre>
 *   jobs/bench.sh kernel [--layers 2352,512,1] [--block 1024] [--warmup 5] [--iterations 10]
 *                        [--forks 3] [--no-breakdown]
 * </pre>
 *
 * Last line: {@code RESULT kernel_bp_ratio=<x> kernel_dfa_ratio=<y>}.
 */
public final class KernelBench {

  private static final String NN = "dgemm NN";
  private static final String NT = "dgemm NT";
  private static final String BP = "BP step";
  private static final String DFA = "DFA step";

  private final NetworkSpec spec;
  private final int m;

  KernelBench(int[] layers, int m) {
    this.spec = NetworkSpec.mlp(layers, Activation.RELU, Loss.BCE);
    this.m = m;
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, "child", "no-breakdown");
    int[] layers = args.ints("layers", new int[] {2352, 512, 1});
    int m = args.integer("block", 1024);
    int warmup = args.integer("warmup", 5);
    int iterations = args.integer("iterations", 10);
    int forks = args.integer("forks", 3);
    if (layers.length != 3 || layers[2] != 1) {
      throw new IllegalArgumentException("--layers must be d,h,1 (one hidden ReLU layer, BCE)");
    }
    KernelBench bench = new KernelBench(layers, m);
    if (args.flag("child")) {
      bench.child(warmup, iterations);
      return;
    }
    Provenance.print("kernel", String.format(Locale.ROOT, "network %s, block m=%d, one thread; "
        + "%d warm-up + %d timed rounds per fork, %d fork(s)", bench.spec, m, warmup, iterations,
        forks));
    bench.parent(args, warmup, iterations, forks);
  }

  /** Network, data, parameters, buffers: allocated once, untimed (JMHSample_03 state). */
  final class State {
    final Network net = new Network(spec);
    final double[] params = Init.GLOROT_UNIFORM.initialize(spec, 1);
    final double[] x;
    final double[] labels;
    final double[] grad = new double[spec.numParams()];
    final Workspace ws = net.newWorkspace(m);
    final Feedback dfa = DirectFeedback.random(spec, "uniform", 1.0, 7);

    State() {
      SplittableRandom r = new SplittableRandom(42);
      // Random {0,1} inputs and labels, like the trainer benchmark's data: not constants the JIT
      // could fold (JMHSample_10_ConstantFold), and ReLU sees a realistic mix of signs.
      x = new double[spec.inputs() * m];
      for (int i = 0; i < x.length; i++) x[i] = r.nextInt(2);
      labels = new double[m];
      for (int i = 0; i < m; i++) labels[i] = r.nextInt(2);
    }

    /** One training step as the trainer runs it: a zero gradient vector, then the kernel. */
    double step(Feedback fb) {
      Arrays.fill(grad, 0.0);
      double loss = net.gradient(params, x, labels, null, m, fb, grad, ws);
      return loss + grad[0] + grad[grad.length - 1];
    }
  }

  List<Harness.Case> cases(State s, GemmReference ref) {
    List<Harness.Case> cases = new ArrayList<>();
    cases.add(Harness.of(NN, ref::reset, ref::forward));
    cases.add(Harness.of(NT, ref::reset, ref::gradient));
    cases.add(Harness.of(BP, () -> s.step(Feedback.BACKPROP)));
    cases.add(Harness.of(DFA, () -> s.step(s.dfa)));
    return cases;
  }

  /** In a fork: measure and report samples for the parent. */
  void child(int warmup, int iterations) throws Exception {
    Sink sink = new Sink();
    State s = new State();
    GemmReference ref = new GemmReference(spec.size(1), spec.inputs(), m, 5);
    Harness.Result r = new Harness(sink).run(cases(s, ref), warmup, iterations);
    Forks.emit(r);
    Forks.note("sink " + sink.value());
  }

  void parent(Args args, int warmup, int iterations, int forks) throws Exception {
    double flopsBp = Flops.trainingStep(spec, m, false);
    double flopsDfa = Flops.trainingStep(spec, m, true);
    int h = spec.size(1);
    int d = spec.inputs();
    double flopsNn = Flops.gemm(h, m, d);
    double flopsNt = Flops.gemm(h, d, m);
    System.out.printf(Locale.ROOT, "counted FLOPs per step: BP %.4e, DFA %.4e; bare dgemm pair "
        + "%.4e (NN %dx%dx%d + NT %dx%dx%d)%n", flopsBp, flopsDfa, flopsNn + flopsNt, h, m, d, h, d,
        m);

    Map<String, List<Samples>> perCase = new LinkedHashMap<>();
    Map<String, List<Samples>> perCaseCpu = new LinkedHashMap<>();
    List<double[]> forkRatios = new ArrayList<>();
    long gc = 0;
    int runs = Math.max(1, forks);
    for (int f = 0; f < runs; f++) {
      Map<String, Samples> got;
      Map<String, Samples> gotCpu;
      if (forks > 0) {
        Forks.ForkResult fr = Forks.run(KernelBench.class, args.raw());
        got = fr.samples();
        gotCpu = fr.cpu();
        gc += fr.gcCount();
      } else {
        Sink sink = new Sink();
        Harness.Result r = new Harness(sink).run(cases(new State(),
            new GemmReference(h, d, m, 5)), warmup, iterations);
        got = r.samples();
        gotCpu = r.cpu();
        gc += r.gcCount();
        System.out.println("sink " + sink.value());
      }
      double[] ratios = ratios(got, flopsBp, flopsDfa, flopsNn, flopsNt);
      forkRatios.add(ratios);
      System.out.printf(Locale.ROOT, "%s %d: NN %.2f ms, NT %.2f ms, BP %.2f ms, DFA %.2f ms "
          + "-> ratio BP %.3f, DFA %.3f (wall/CPU of BP %.2f)%n", forks > 0 ? "fork" : "run",
          f + 1, got.get(NN).median() * 1e3, got.get(NT).median() * 1e3,
          got.get(BP).median() * 1e3, got.get(DFA).median() * 1e3, ratios[0], ratios[1],
          got.get(BP).median() / gotCpu.get(BP).median());
      for (Samples smp : got.values()) {
        perCase.computeIfAbsent(smp.name(), k -> new ArrayList<>()).add(smp);
      }
      for (Samples smp : gotCpu.values()) {
        perCaseCpu.computeIfAbsent(smp.name(), k -> new ArrayList<>()).add(smp);
      }
    }

    Map<String, Samples> pooled = pool(perCase);
    Map<String, Samples> pooledCpu = pool(perCaseCpu);
    double tNn = pooled.get(NN).median();
    double tNt = pooled.get(NT).median();
    double refRate = (flopsNn + flopsNt) / (tNn + tNt);
    System.out.println();
    System.out.println("pooled over " + runs + " run(s); GC collections during timed rounds: "
        + gc + "; load average now " + Provenance.loadAverage());
    System.out.printf(Locale.ROOT, "  %-46s %-62s %s%n", "case (wall time)", "",
        "GFLOP/s (wall, CPU) wall/CPU");
    row(String.format(Locale.ROOT, "dgemm NN %dx%dx%d (forward shape)", h, m, d),
        pooled.get(NN), pooledCpu.get(NN), flopsNn);
    row(String.format(Locale.ROOT, "dgemm NT %dx%dx%d (gradient shape)", h, d, m),
        pooled.get(NT), pooledCpu.get(NT), flopsNt);
    double refCpuRate = (flopsNn + flopsNt) / (pooledCpu.get(NN).median()
        + pooledCpu.get(NT).median());
    System.out.printf(Locale.ROOT, "  %-46s median %9.3f ms %51s %7.2f %7.2f%n",
        "reference: bare dgemm pair NN+NT", (tNn + tNt) * 1e3, "", refRate / 1e9,
        refCpuRate / 1e9);
    row("BP step (zero grad + Network.gradient)", pooled.get(BP), pooledCpu.get(BP), flopsBp);
    row("DFA step (zero grad + Network.gradient)", pooled.get(DFA), pooledCpu.get(DFA),
        flopsDfa);
    double[] wallRatios = ratios(pooled, flopsBp, flopsDfa, flopsNn, flopsNt);
    double[] cpuRatios = ratios(pooledCpu, flopsBp, flopsDfa, flopsNn, flopsNt);
    // Wall time is the figure of record; on a contended machine (another process took time
    // slices from the benchmark thread: wall/CPU above 1.05 for some case) the CPU-time ratio is
    // the faithful one, and the RESULT line says which basis it used.
    double contention = 0;
    for (String c : List.of(NN, NT, BP, DFA)) {
      contention = Math.max(contention, pooled.get(c).median() / pooledCpu.get(c).median());
    }
    boolean contended = contention > 1.05;
    double bpRatio = contended ? cpuRatios[0] : wallRatios[0];
    double dfaRatio = contended ? cpuRatios[1] : wallRatios[1];
    double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE};
    double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE};
    for (double[] r : forkRatios) {
      for (int i = 0; i < 2; i++) {
        lo[i] = Math.min(lo[i], r[i]);
        hi[i] = Math.max(hi[i], r[i]);
      }
    }
    System.out.printf(Locale.ROOT, "GFLOP/s ratio to the dgemm pair (wall): BP %.3f (per run "
        + "%.3f..%.3f), DFA %.3f (per run %.3f..%.3f); targets BP >= 0.8, DFA >= BP%n",
        wallRatios[0], lo[0], hi[0], wallRatios[1], lo[1], hi[1]);
    System.out.printf(Locale.ROOT, "same ratios from thread CPU time (immune to lost time "
        + "slices): BP %.3f, DFA %.3f%n", cpuRatios[0], cpuRatios[1]);
    System.out.printf(Locale.ROOT, "largest wall/CPU %.2f -> RESULT uses %s%n", contention,
        contended ? "the CPU-time ratios (machine contended: other processes took time slices)"
            : "the wall-time ratios (uncontended)");
    System.out.println("BLAS core type: " + Blas.coreType() + (Blas.isNative() ? ""
        : " -- Java fallback, NOT native"));

    if (!args.flag("no-breakdown")) {
      System.out.println();
      breakdown(warmup, iterations);
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "RESULT kernel_bp_ratio=%.3f kernel_dfa_ratio=%.3f%n", bpRatio,
        dfaRatio);
  }

  private static void row(String label, Samples s, Samples cpu, double flops) {
    System.out.printf(Locale.ROOT, "  %-46s %-62s %7.2f %7.2f  %5.2f%n", label,
        s.describeMillis(), flops / s.median() / 1e9, flops / cpu.median() / 1e9,
        s.median() / cpu.median());
  }

  /** {BP ratio, DFA ratio} to the reference pair, from medians. */
  private static double[] ratios(Map<String, Samples> t, double flopsBp, double flopsDfa,
      double flopsNn, double flopsNt) {
    double ref = (flopsNn + flopsNt) / (t.get(NN).median() + t.get(NT).median());
    return new double[] {flopsBp / t.get(BP).median() / ref,
        flopsDfa / t.get(DFA).median() / ref};
  }

  private static Map<String, Samples> pool(Map<String, List<Samples>> perCase) {
    Map<String, Samples> pooled = new LinkedHashMap<>();
    for (Map.Entry<String, List<Samples>> e : perCase.entrySet()) {
      pooled.put(e.getKey(), Samples.pool(e.getKey(), e.getValue()));
    }
    return pooled;
  }

  /**
   * Where a BP step's time goes: each piece of {@code Network.gradient} replayed on its own, on
   * the buffers a real step leaves behind (in this JVM, interleaved). The Java loops of the
   * package-private {@code Activation} are replicated verbatim; alternative loop forms are
   * measured next to them as candidates for a fix.
   */
  void breakdown(int warmup, int iterations) throws Exception {
    State s = new State();
    s.step(Feedback.BACKPROP);
    int h = spec.size(1);
    int d = spec.inputs();
    int len = h * m;
    double[] p = s.params;
    int w0 = spec.weightOffset(0);
    int b0 = spec.biasOffset(0);
    int w1 = spec.weightOffset(1);
    int b1 = spec.biasOffset(1);
    // The pre-activation of layer 1 and a BP signal, to restore before each in-place piece.
    double[] preAct = new double[len];
    for (int col = 0; col < m; col++) System.arraycopy(p, b0, preAct, col * h, h);
    Blas.get().dgemm("N", "N", h, m, d, 1.0, p, w0, h, s.x, 0, d, 1.0, preAct, 0, h);
    double[] z = new double[len];
    double[] z0 = new double[len];
    System.arraycopy(preAct, 0, z0, 0, len);
    for (int i = 0; i < len; i++) if (z0[i] < 0) z0[i] = 0;
    double[] logits = new double[m];
    double[] err = new double[m];
    double[] signal = new double[len];
    double[] delta = new double[len];
    double[] grad = s.grad;
    Blas.get().dgemm("T", "N", h, m, 1, 1.0, p, w1, 1, s.labels, 0, 1, 0.0, signal, 0, h);

    List<Harness.Case> cases = new ArrayList<>();
    cases.add(Harness.of("zero gradient vector (" + spec.numParams() + " doubles)",
        () -> {
          Arrays.fill(grad, 0.0);
          return grad[0];
        }));
    cases.add(Harness.of("bias broadcast layer 1", () -> {
      for (int col = 0; col < m; col++) System.arraycopy(p, b0, z, col * h, h);
      return z[len - 1];
    }));
    cases.add(Harness.of("gemm forward layer 1", () -> {
      Blas.get().dgemm("N", "N", h, m, d, 1.0, p, w0, h, s.x, 0, d, 1.0, z, 0, h);
      return z[len - 1];
    }));
    cases.add(Harness.of("relu (as Activation.RELU.apply)",
        () -> System.arraycopy(preAct, 0, z, 0, len), () -> {
          for (int i = 0; i < len; i++) {
            if (z[i] < 0) z[i] = 0;
          }
          return z[len - 1];
        }));
    cases.add(Harness.of("relu, branch-free variant (Math.max)",
        () -> System.arraycopy(preAct, 0, z, 0, len), () -> {
          for (int i = 0; i < len; i++) z[i] = Math.max(z[i], 0.0);
          return z[len - 1];
        }));
    cases.add(Harness.of("sigmoid instead of relu (as SIGMOID.apply)",
        () -> System.arraycopy(preAct, 0, z, 0, len), () -> {
          for (int i = 0; i < len; i++) {
            double a = z[i];
            if (a >= 0) {
              z[i] = 1.0 / (1.0 + Math.exp(-a));
            } else {
              double e = Math.exp(a);
              z[i] = e / (1.0 + e);
            }
          }
          return z[len - 1];
        }));
    cases.add(Harness.of("forward layer 2 (bias + gemm)", () -> {
      for (int col = 0; col < m; col++) logits[col] = p[b1];
      Blas.get().dgemm("N", "N", 1, m, h, 1.0, p, w1, 1, z0, 0, h, 1.0, logits, 0, 1);
      return logits[m - 1];
    }));
    cases.add(Harness.of("loss + output error (BCE)",
        () -> Loss.BCE.lossAndError(logits, 1, m, s.labels, null, err)));
    cases.add(Harness.of("BP signal W2^T e (gemm)", () -> {
      Blas.get().dgemm("T", "N", h, m, 1, 1.0, p, w1, 1, err, 0, 1, 0.0, delta, 0, h);
      return delta[len - 1];
    }));
    double[] bFeedback = ((DirectFeedback) s.dfa).matrix(0);
    cases.add(Harness.of("DFA signal B e (gemm), instead of BP's", () -> {
      Blas.get().dgemm("N", "N", h, m, 1, 1.0, bFeedback, 0, h, err, 0, 1, 0.0, delta, 0, h);
      return delta[len - 1];
    }));
    cases.add(Harness.of("relu derivative (as multiplyDerivative)",
        () -> System.arraycopy(signal, 0, delta, 0, len), () -> {
          for (int i = 0; i < len; i++) {
            if (z0[i] <= 0) delta[i] = 0;
          }
          return delta[len - 1];
        }));
    cases.add(Harness.of("relu derivative, variant ternary",
        () -> System.arraycopy(signal, 0, delta, 0, len), () -> {
          for (int i = 0; i < len; i++) delta[i] = z0[i] > 0 ? delta[i] : 0.0;
          return delta[len - 1];
        }));
    cases.add(Harness.of("relu derivative, variant *signum(z)",
        () -> System.arraycopy(signal, 0, delta, 0, len), () -> {
          // z = relu(a) >= 0, so signum(z) is exactly 1 or 0 (−0 for z = −0).
          for (int i = 0; i < len; i++) delta[i] *= Math.signum(z0[i]);
          return delta[len - 1];
        }));
    cases.add(Harness.of("relu derivative, variant min(z*2^1074,1)",
        () -> System.arraycopy(signal, 0, delta, 0, len), () -> {
          // z >= 0: the smallest positive double times 2^1074 is 1, so this is 1[z > 0] exactly.
          for (int i = 0; i < len; i++) {
            delta[i] *= Math.min(z0[i] * 0x1p1023 * 0x1p51, 1.0);
          }
          return delta[len - 1];
        }));
    cases.add(Harness.of("gradient layer 2 (gemm + bias sum)", () -> {
      Blas.get().dgemm("N", "T", 1, h, m, 1.0, err, 0, 1, z0, 0, h, 1.0, grad, w1, 1);
      for (int col = 0; col < m; col++) grad[b1] += err[col];
      return grad[b1];
    }));
    cases.add(Harness.of("gemm weight gradient layer 1 (NT)", () -> {
      Blas.get().dgemm("N", "T", h, d, m, 1.0, signal, 0, h, s.x, 0, d, 1.0, grad, w0, h);
      return grad[w0];
    }));
    cases.add(Harness.of("bias gradient layer 1 (row sums)", () -> {
      for (int col = 0; col < m; col++) {
        int base = col * h;
        for (int i = 0; i < h; i++) grad[b0 + i] += signal[base + i];
      }
      return grad[b0];
    }));
    cases.add(Harness.of("BP step (zero grad + Network.gradient)",
        () -> s.step(Feedback.BACKPROP)));

    Sink sink = new Sink();
    Harness.Result r = new Harness(sink).run(cases, warmup, iterations);
    System.out.println("breakdown of a BP step (in this JVM, each piece replayed on its own; "
        + "variants are alternatives, not part of the sum; last column: median thread CPU "
        + "time):");
    double sum = 0;
    Samples whole = null;
    for (Samples smp : r.samples().values()) {
      boolean variant = smp.name().contains("variant") || smp.name().contains("instead");
      boolean isWhole = smp.name().startsWith("BP step");
      if (isWhole) {
        whole = smp;
        continue;
      }
      if (!variant) sum += smp.median();
      System.out.printf(Locale.ROOT, "  %-46s %-62s cpu %8.3f ms%s%n", smp.name(),
          smp.describeMillis(), r.cpu().get(smp.name()).median() * 1e3,
          variant ? "  (alternative)" : "");
    }
    System.out.printf(Locale.ROOT, "  %-46s median %9.3f ms%n", "sum of the pieces", sum * 1e3);
    System.out.printf(Locale.ROOT, "  %-46s %-62s cpu %8.3f ms%n", whole.name(),
        whole.describeMillis(), r.cpu().get(whole.name()).median() * 1e3);
    System.out.println("  (sink " + sink.value() + ", GC during timed rounds: " + r.gcCount()
        + ")");
  }
}
