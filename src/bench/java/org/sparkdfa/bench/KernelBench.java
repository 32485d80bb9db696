package org.sparkdfa.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.sparkdfa.nn.Blas;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.NetworkSpec;

/**
 * The math core's training step in one thread, on JMH: forward, backward and gradient of a d-h-1
 * ReLU/BCE network ({@code Network.gradient}) over one block of m examples, with BP and with DFA,
 * against the bare dgemm pair the step cannot avoid ({@link GemmReference}), all in one JMH run;
 * then, unless {@code --no-breakdown}, the step's pieces ({@link KernelBreakdown}).
 *
 * <p>Every invocation is sampled (mode SampleTime, one step takes tens of ms) and the figures are
 * medians over all rounds. JMH runs one benchmark after another, so a slow period of a shared
 * machine would hit one case and not the others; the run is therefore split into
 * {@code --rounds} (3) JMH runs of all four benchmarks, one fork each, which spreads every case
 * over the whole run, and the ratio of each round is printed beside the pooled one. A "step" is what the trainer does per block: zero the gradient vector
 * and call {@code Network.gradient}. Run single-threaded with {@code OPENBLAS_NUM_THREADS=1}, as
 * every Spark task runs it.
 *
 * <pre>
 *   jobs/bench.sh kernel [--layers 2352,512,1] [--block 1024] [--rounds 3] [--warmup 5]
 *                        [--iterations 10] [--time-ms 500] [--out target/bench/kernel]
 *                        [--no-breakdown] [--verbose]
 * </pre>
 *
 * JMH's results go to {@code <out>/jmh-kernel-round<r>.json} (and {@code jmh-breakdown.json});
 * {@code --forks} sets JMH's forks per round. JMH's own
 * per-iteration report is printed with {@code --verbose} only. The last line is {@code RESULT kernel_bp_ratio=<x> kernel_dfa_ratio=<y>}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class KernelBench {

  static final String NN = "dgemmNN";
  static final String NT = "dgemmNT";
  static final String BP = "bpStep";
  static final String DFA = "dfaStep";

  @Benchmark
  public void dgemmNN(KernelState s, Blackhole bh) {
    bh.consume(s.ref.forward());
  }

  @Benchmark
  public void dgemmNT(KernelState s, Blackhole bh) {
    bh.consume(s.ref.gradient());
  }

  @Benchmark
  public void bpStep(KernelState s, Blackhole bh) {
    bh.consume(s.step(Feedback.BACKPROP));
    bh.consume(s.grad);
  }

  @Benchmark
  public void dfaStep(KernelState s, Blackhole bh) {
    bh.consume(s.step(s.dfa));
    bh.consume(s.grad);
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, "no-breakdown", "verbose");
    String layers = args.string("layers", "2352,512,1");
    int m = args.integer("block", 1024);
    NetworkSpec spec = KernelState.spec(layers);
    Path out = Path.of(args.string("out", "target/bench/kernel"));
    Files.createDirectories(out);
    Provenance.print("kernel", String.format(Locale.ROOT, "network %s, block m=%d, one thread; "
        + "JMH %s, SampleTime; forks/warm-up/iterations as annotated unless given (%s)", spec, m,
        org.openjdk.jmh.util.Version.getPlainVersion(), String.join(" ", args.raw())));
    KernelReport report = new KernelReport(spec, m);
    report.printFlops();

    int rounds = args.integer("rounds", 3);
    if (rounds < 1) throw new IllegalArgumentException("--rounds " + rounds + ": must be >= 1");
    List<Map<String, RunResult>> main = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      main.add(run(options(args, KernelBench.class, layers, m,
          out.resolve("jmh-kernel-round" + r + ".json"))));
    }
    double[] ratios = report.printMain(main);
    System.out.println("BLAS core type: " + Blas.coreType() + (Blas.isNative() ? ""
        : " -- Java fallback, NOT native"));
    if (!args.flag("no-breakdown")) {
      Map<String, RunResult> pieces = run(options(args, KernelBreakdown.class, layers, m,
          out.resolve("jmh-breakdown.json")));
      report.printBreakdown(pieces, KernelReport.pooled(main, BP));
    }
    System.out.println("load average at the end " + Provenance.loadAverage()
        + "; JMH results in " + out);
    System.out.println();
    System.out.printf(Locale.ROOT, "RESULT kernel_bp_ratio=%.3f kernel_dfa_ratio=%.3f%n",
        ratios[0], ratios[1]);
  }

  /** JMH options for the benchmarks of {@code type}: its annotations, unless overridden. */
  private static ChainedOptionsBuilder options(Args args, Class<?> type, String layers, int m,
      Path json) {
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include("^" + Pattern.quote(type.getName()) + "\\.")
        .param("layers", layers).param("block", String.valueOf(m))
        .resultFormat(ResultFormatType.JSON).result(json.toString())
        .shouldFailOnError(true)
        .verbosity(args.flag("verbose") ? VerboseMode.NORMAL : VerboseMode.SILENT);
    if (args.has("forks")) o.forks(args.integer("forks", 1));
    if (args.has("warmup")) o.warmupIterations(args.integer("warmup", 5));
    if (args.has("iterations")) o.measurementIterations(args.integer("iterations", 10));
    if (args.has("time-ms")) {
      TimeValue t = TimeValue.milliseconds(args.integer("time-ms", 500));
      o.warmupTime(t).measurementTime(t);
    }
    return o;
  }

  /** Runs JMH; the results by benchmark method name. */
  private static Map<String, RunResult> run(ChainedOptionsBuilder o) throws Exception {
    Options built = o.build();
    System.out.println("running JMH: " + built.getIncludes() + " (load average now "
        + Provenance.loadAverage() + ")");
    Collection<RunResult> results = new Runner(built).run();
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult r : results) {
      String b = r.getParams().getBenchmark();
      byName.put(b.substring(b.lastIndexOf('.') + 1), r);
    }
    return byName;
  }
}
