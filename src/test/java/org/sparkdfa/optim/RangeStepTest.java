package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An update applied range by range, in shuffled order, gives the same bits as the whole-vector
 * step: the trainer splits the driver's update over threads this way.
 */
class RangeStepTest {
  private static final int N = 1000;

  @ParameterizedTest
  @CsvSource({"sgd, 0", "momentum, 0.01", "nesterov, 0.01", "adagrad, 0", "adadelta, 0.01",
      "rmsprop, 0.01", "adam, 0", "adam, 0.01"})
  void rangesInAnyOrderMatchTheWholeStep(String rule, double regParam) {
    Optimizer whole = create(rule, regParam);
    Optimizer ranged = create(rule, regParam);
    SplittableRandom r = new SplittableRandom(9);
    double[] a = uniform(r);
    double[] b = a.clone();
    for (int step = 0; step < 4; step++) {
      double[] g = uniform(r);
      whole.step(a, g);
      Optimizer.RangeStep st = ranged.begin(b, g);
      for (int[] p : shuffledRanges(r, step)) st.apply(p[0], p[1]);
      assertArrayEquals(a, b, 0.0, rule + " step " + (step + 1));
    }
    assertEquals(whole.steps(), ranged.steps());
  }

  @ParameterizedTest
  @CsvSource({"sgd, 0", "momentum, 0.01", "nesterov, 0.01", "adagrad, 0", "adadelta, 0.01",
      "rmsprop, 0.01", "adam, 0", "adam, 0.01"})
  void outOfPlaceRangesFromSmallBuffersMatchTheWholeStep(String rule, double regParam) {
    Optimizer whole = create(rule, regParam);
    Optimizer ranged = create(rule, regParam);
    SplittableRandom r = new SplittableRandom(11);
    double[] a = uniform(r);
    double[] b = a.clone();
    double[] into = new double[N];
    for (int step = 0; step < 4; step++) {
      double[] g = uniform(r);
      double[] before = b.clone();
      whole.step(a, g);
      Optimizer.IntoStep st = ranged.beginInto(b, into);
      for (int[] p : shuffledRanges(r, step)) {
        int offset = 1 + r.nextInt(5); // the range's gradient somewhere inside a small buffer
        double[] buffer = new double[offset + p[1] - p[0] + 3];
        System.arraycopy(g, p[0], buffer, offset, p[1] - p[0]);
        st.apply(buffer, offset, p[0], p[1]);
      }
      assertArrayEquals(a, into, 0.0, rule + " step " + (step + 1));
      assertArrayEquals(before, b, 0.0, "params are only read");
      double[] t = b;
      b = into;
      into = t;
    }
    assertEquals(whole.steps(), ranged.steps());
  }

  @ParameterizedTest
  @CsvSource({"sgd, 0", "momentum, 0.01", "nesterov, 0.01", "adagrad, 0", "adadelta, 0.01",
      "rmsprop, 0.01", "adam, 0", "adam, 0.01"})
  void float32RangesOutOfPlaceMatchTheWholeStep(String rule, double regParam) {
    FloatOptimizer whole = createFloat32(rule, regParam);
    FloatOptimizer ranged = createFloat32(rule, regParam);
    SplittableRandom r = new SplittableRandom(13);
    float[] a = FloatRulesTest.toFloat(uniform(r));
    float[] b = a.clone();
    float[] into = new float[N];
    for (int step = 0; step < 4; step++) {
      float[] g = FloatRulesTest.toFloat(uniform(r));
      float[] before = b.clone();
      whole.step(a, g);
      FloatOptimizer.IntoStep st = ranged.beginInto(b, into);
      for (int[] p : shuffledRanges(r, step)) st.apply(g, p[0], p[0], p[1]);
      assertArrayEquals(a, into, 0f, rule + " float32 step " + (step + 1));
      assertArrayEquals(before, b, 0f, "params are only read");
      float[] t = b;
      b = into;
      into = t;
    }
    assertEquals(whole.steps(), ranged.steps());
  }

  /** A partition's inner optimizer, reused from round to round of local steps. */
  @ParameterizedTest
  @CsvSource({"sgd, 0", "momentum, 0.01", "nesterov, 0.01", "adagrad, 0", "adadelta, 0.01",
      "rmsprop, 0.01", "adam, 0", "adam, 0.01"})
  void aResetFloat32OptimizerStepsAsANewOne(String rule, double regParam) {
    FloatOptimizer reused = createFloat32(rule, regParam);
    SplittableRandom r = new SplittableRandom(19);
    float[] w = FloatRulesTest.toFloat(uniform(r));
    for (int step = 0; step < 3; step++) reused.step(w, FloatRulesTest.toFloat(uniform(r)));
    reused.startEpoch(2);
    reused.reset();
    FloatOptimizer fresh = createFloat32(rule, regParam);
    assertEquals(fresh.state(), reused.state());
    float[] a = FloatRulesTest.toFloat(uniform(r));
    float[] b = a.clone();
    for (int step = 0; step < 3; step++) {
      float[] g = FloatRulesTest.toFloat(uniform(r));
      fresh.step(a, g);
      reused.step(b, g);
      assertArrayEquals(a, b, 0f, rule + " step " + (step + 1) + " after the reset");
    }
  }

  /** The driver's update: each range's gradient is first written where its new weights go. */
  @ParameterizedTest
  @CsvSource({"sgd, 0", "momentum, 0.01", "nesterov, 0.01", "adagrad, 0", "adadelta, 0.01",
      "rmsprop, 0.01", "adam, 0", "adam, 0.01"})
  void theGradientInTheNewWeightsArrayMatchesTheWholeStep(String rule, double regParam) {
    Optimizer whole = create(rule, regParam);
    Optimizer ranged = create(rule, regParam);
    FloatOptimizer whole32 = createFloat32(rule, regParam);
    FloatOptimizer ranged32 = createFloat32(rule, regParam);
    SplittableRandom r = new SplittableRandom(17);
    double[] a = uniform(r);
    double[] b = a.clone();
    double[] into = new double[N];
    float[] a32 = FloatRulesTest.toFloat(uniform(r));
    float[] b32 = a32.clone();
    float[] into32 = new float[N];
    for (int step = 0; step < 4; step++) {
      double[] g = uniform(r);
      float[] g32 = FloatRulesTest.toFloat(g);
      whole.step(a, g);
      whole32.step(a32, g32);
      Optimizer.IntoStep st = ranged.beginInto(b, into);
      FloatOptimizer.IntoStep st32 = ranged32.beginInto(b32, into32);
      for (int[] p : shuffledRanges(r, step)) {
        System.arraycopy(g, p[0], into, p[0], p[1] - p[0]);
        st.apply(into, p[0], p[0], p[1]);
        System.arraycopy(g32, p[0], into32, p[0], p[1] - p[0]);
        st32.apply(into32, p[0], p[0], p[1]);
      }
      assertArrayEquals(a, into, 0.0, rule + " step " + (step + 1));
      assertArrayEquals(a32, into32, 0f, rule + " float32 step " + (step + 1));
      double[] t = b;
      b = into;
      into = t;
      float[] t32 = b32;
      b32 = into32;
      into32 = t32;
    }
  }

  private static FloatOptimizer createFloat32(String rule, double regParam) {
    return Optimizers.createFloat32(config(rule, regParam), N, regularized());
  }

  /** The rule with two regularized runs and unregularized indices around them. */
  private static Optimizer create(String rule, double regParam) {
    return Optimizers.create(config(rule, regParam), N, regularized());
  }

  private static OptimizerConfig config(String rule, double regParam) {
    OptimizerConfig d = OptimizerConfig.defaults(rule, 0.05);
    return new OptimizerConfig(d.name(), d.stepSize(), d.momentum(), d.beta1(), d.beta2(),
        d.epsilon(), d.rho(), regParam);
  }

  private static BitSet regularized() {
    BitSet mask = new BitSet();
    mask.set(100, 400);
    mask.set(650, 990);
    return mask;
  }

  private static double[] uniform(SplittableRandom r) {
    double[] v = new double[N];
    for (int i = 0; i < N; i++) v[i] = r.nextDouble(-1, 1);
    return v;
  }

  /** [0, N) cut into random ranges of 1 to 170, in a shuffled order. */
  private static List<int[]> shuffledRanges(SplittableRandom r, int step) {
    List<int[]> pieces = new ArrayList<>();
    for (int from = 0; from < N; ) {
      int to = Math.min(N, from + 1 + r.nextInt(170));
      pieces.add(new int[] {from, to});
      from = to;
    }
    Collections.shuffle(pieces, new java.util.Random(step));
    return pieces;
  }
}
