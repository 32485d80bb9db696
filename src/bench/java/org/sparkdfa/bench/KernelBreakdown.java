package org.sparkdfa.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Blas;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Loss;

/**
 * Where a BP step's time goes: the pieces of {@code Network.gradient} that are public calls (the
 * layer-1 gemms, the ReLU and its derivative through {@link Activation}, the loss, the feedback
 * gemms of BP and DFA), each timed on its own on buffers shaped as a step leaves them. What is
 * left of the step (bias broadcast and row sums, the 1-unit output layer) is the step's time less
 * their sum, computed by {@link KernelBench}. Kernels that work in place get their input restored
 * before every invocation, untimed (JMHSample_38_PerInvokeSetup: each call takes 0.1 ms or more).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
public class KernelBreakdown {

  /** The step's hidden-layer buffers (h × m) and the output error. */
  @State(Scope.Thread)
  public static class Buffers {
    int h;
    int d;
    int m;
    int len;
    double[] preActivation;
    double[] hidden;
    double[] z;
    double[] signal;
    double[] delta;
    double[] logits;
    double[] err;
    double[] feedback;

    @Setup(Level.Trial)
    public void setUp(KernelState k) {
      h = k.spec.size(1);
      d = k.spec.inputs();
      m = k.block;
      len = h * m;
      logits = k.net.forward(k.params, k.x, m, k.ws).clone();
      hidden = Arrays.copyOf(k.ws.output(0), len);
      SplittableRandom r = new SplittableRandom(3);
      preActivation = new double[len];
      signal = new double[len];
      for (int i = 0; i < len; i++) {
        preActivation[i] = r.nextDouble(-1, 1);
        signal[i] = r.nextDouble(-1, 1);
      }
      z = new double[len];
      delta = new double[len];
      err = new double[m];
      Loss.BCE.lossAndError(logits, 1, m, k.labels, null, err);
      feedback = ((DirectFeedback) k.dfa).matrix(0);
    }

    /** Untimed: ReLU's input and the derivative's signal back before every call. */
    @Setup(Level.Invocation)
    public void restore() {
      System.arraycopy(preActivation, 0, z, 0, len);
      System.arraycopy(signal, 0, delta, 0, len);
    }
  }

  @Benchmark
  public double zeroGradient(KernelState k) {
    Arrays.fill(k.grad, 0.0);
    return k.grad[k.grad.length - 1];
  }

  @Benchmark
  public double forwardGemmLayer1(KernelState k, Buffers b) {
    Blas.get().dgemm("N", "N", b.h, b.m, b.d, 1.0, k.params, k.spec.weightOffset(0), b.h, k.x, 0,
        b.d, 1.0, b.z, 0, b.h);
    return b.z[b.len - 1];
  }

  @Benchmark
  public double relu(Buffers b) {
    Activation.RELU.applyInPlace(b.z, b.len);
    return b.z[b.len - 1];
  }

  @Benchmark
  public double lossAndOutputError(KernelState k, Buffers b) {
    return Loss.BCE.lossAndError(b.logits, 1, b.m, k.labels, null, b.err);
  }

  @Benchmark
  public double bpSignalGemm(KernelState k, Buffers b) {
    Blas.get().dgemm("T", "N", b.h, b.m, 1, 1.0, k.params, k.spec.weightOffset(1), 1, b.err, 0,
        1, 0.0, b.delta, 0, b.h);
    return b.delta[b.len - 1];
  }

  @Benchmark
  public double dfaSignalGemm(Buffers b) {
    Blas.get().dgemm("N", "N", b.h, b.m, 1, 1.0, b.feedback, 0, b.h, b.err, 0, 1, 0.0, b.delta,
        0, b.h);
    return b.delta[b.len - 1];
  }

  @Benchmark
  public double reluDerivative(Buffers b) {
    Activation.RELU.multiplyDerivativeInPlace(b.hidden, b.delta, b.len);
    return b.delta[b.len - 1];
  }

  @Benchmark
  public double weightGradientGemmLayer1(KernelState k, Buffers b) {
    Blas.get().dgemm("N", "T", b.h, b.d, b.m, 1.0, b.signal, 0, b.h, k.x, 0, b.d, 1.0, k.grad,
        k.spec.weightOffset(0), b.h);
    return k.grad[k.spec.weightOffset(0)];
  }
}
