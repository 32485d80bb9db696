package org.sparkdfa.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/**
 * What the kernel benchmarks ({@link KernelBench}, {@link KernelBreakdown}) measure on: a d-h-1
 * ReLU/BCE network, its Glorot weights, one block of m random {0,1} examples and labels, the
 * gradient vector and workspace of a step, DFA's feedback matrix and the bare gemm reference of
 * the same shapes. Allocated and filled once per trial, untimed (JMHSample_03_States); random
 * data held in fields, so the JIT cannot fold it (JMHSample_10_ConstantFold).
 */
@State(Scope.Thread)
public class KernelState {

  /** Layer sizes d,h,1. */
  @Param("2352,512,1")
  public String layers;

  /** Examples per block (m). */
  @Param("1024")
  public int block;

  NetworkSpec spec;
  Network net;
  double[] params;
  double[] x;
  double[] labels;
  double[] grad;
  Workspace ws;
  Feedback dfa;
  GemmReference ref;

  @Setup(Level.Trial)
  public void setUp() {
    spec = spec(layers);
    net = new Network(spec);
    params = Init.GLOROT_UNIFORM.initialize(spec, 1);
    SplittableRandom r = new SplittableRandom(42);
    // ReLU sees a realistic mix of signs, as on the trainer benchmark's data.
    x = new double[spec.inputs() * block];
    for (int i = 0; i < x.length; i++) x[i] = r.nextInt(2);
    labels = new double[block];
    for (int i = 0; i < block; i++) labels[i] = r.nextInt(2);
    grad = new double[spec.numParams()];
    ws = net.newWorkspace(block);
    dfa = DirectFeedback.random(spec, "uniform", 1.0, 7);
    ref = new GemmReference(spec.size(1), spec.inputs(), block, 5);
  }

  /** The reference's accumulators back to zero, so their magnitudes stay bounded (untimed). */
  @Setup(Level.Iteration)
  public void resetReference() {
    ref.reset();
  }

  /** One training step as the trainer runs it: a zeroed gradient vector, then the kernel. */
  double step(Feedback fb) {
    Arrays.fill(grad, 0.0);
    return net.gradient(params, x, labels, null, block, fb, grad, ws);
  }

  /** The network of a "d,h,1" spec: one hidden ReLU layer, BCE. */
  static NetworkSpec spec(String layers) {
    String[] f = layers.split(",");
    int[] sizes = new int[f.length];
    for (int i = 0; i < f.length; i++) sizes[i] = Integer.parseInt(f[i].trim());
    if (sizes.length != 3 || sizes[2] != 1) {
      throw new IllegalArgumentException("--layers " + layers
          + ": must be d,h,1 (one hidden ReLU layer, BCE), e.g. 2352,512,1");
    }
    return NetworkSpec.mlp(sizes, Activation.RELU, Loss.BCE);
  }
}
