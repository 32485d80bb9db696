package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkdfa.optim.FloatOptimizer;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.optim.Optimizers;
import org.sparkdfa.train.steps.Finite;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.FloatWeightsCopy;
import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.PackedSum;
import org.sparkdfa.train.steps.PairSum;
import org.sparkdfa.train.steps.StepGradient;
import org.sparkdfa.train.steps.WeightsCopy;


/**
 * The driver's ranged, multi-threaded, out-of-place update is the plain sequential one, bit for
 * bit, and writes the tasks' float copy of exactly the new weights.
 */
class StepUpdateTest {
  // several ranges per thread and a ragged end
  private static final int N = 37 * StepUpdate.PARAMS_PER_RANGE + 123;

  private static double[] random(long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[N];
    for (int i = 0; i < N; i++) v[i] = r.nextDouble(-scale, scale);
    return v;
  }

  private static Optimizer adam() {
    return Optimizers.create(OptimizerConfig.defaults("adam", 1e-3), N, null);
  }

  /** A float copy as the pool keeps it, recording the calls. */
  private static final class Copy implements WeightsCopy {
    final float[] values = new float[N];
    double[] writtenFrom;

    @Override public void invalidate() {
      writtenFrom = null;
    }

    @Override public boolean write(double[] params, int from, int to) {
      return Flat.F32.copyChecked(params, values, from, to);
    }

    @Override public void written(double[] params) {
      writtenFrom = params;
    }
  }

  @Test
  void matchesAverageThenWholeStep() {
    double[] params = random(1, 1);
    double[] into = new double[N];
    double[] reference = params.clone();
    Optimizer ranged = adam();
    Optimizer whole = adam();
    Copy copy = new Copy();
    try (StepUpdate update = new StepUpdate(N)) {
      for (int step = 0; step < 3; step++) {
        double[] summed = random(10 + step, 50);
        StepGradient sum = step == 1 // the bytes form as well as the array in hand
            ? PackedSum.of(GradientSum.of(Flat.F64, summed.clone(), 1.0, 64, 64))
            : GradientSum.of(Flat.F64, summed.clone(), 1.0, 64, 64);
        double[] expectedBefore = params.clone();
        assertEquals(StepUpdate.Outcome.APPLIED, update.apply(ranged, sum, params, into, copy));
        assertArrayEquals(expectedBefore, params, 0.0, "the weights before the step are kept");
        double[] avg = new double[N];
        for (int i = 0; i < N; i++) avg[i] = summed[i] * (1.0 / 64);
        whole.step(reference, avg);
        assertArrayEquals(reference, into, 0.0, "step " + (step + 1));
        assertSame(into, copy.writtenFrom);
        assertArrayEquals(Flat.F32.fromParams(into, null), copy.values, 0f);
        double[] t = params;
        params = into;
        into = t;
      }
    }
  }

  @Test
  void averagesFloatSumsInDoubleAsTheWholeStepDoes() {
    SplittableRandom r = new SplittableRandom(5);
    float[] summed = new float[N];
    for (int i = 0; i < N; i++) summed[i] = (float) r.nextDouble(-20, 20);
    double[] params = random(6, 1);
    double[] reference = params.clone();
    double[] into = new double[N];
    Optimizer ranged = adam();
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.APPLIED, update.apply(ranged,
          GradientSum.of(Flat.F32, summed.clone(), 1.0, 3, 3), params, into, null));
    }
    double[] avg = new double[N];
    for (int i = 0; i < N; i++) avg[i] = summed[i] * (1.0 / 3);
    adam().step(reference, avg);
    assertArrayEquals(reference, into, 0.0);
  }

  @Test
  void aGradientThatIsNotFiniteLeavesTheWeights() {
    double[] params = random(2, 1);
    double[] original = params.clone();
    double[] summed = random(3, 1);
    summed[N - 5] = Double.NaN;
    Optimizer opt = adam();
    Copy copy = new Copy();
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.BAD_GRADIENT, update.apply(opt,
          GradientSum.of(Flat.F64, summed, 1.0, 8, 8), params, new double[N], copy));
    }
    assertArrayEquals(original, params, 0.0);
    assertNull(copy.writtenFrom, "a copy of a step that failed must not count as written");
  }

  @Test
  void aGradientThatOverflowsWhenAveragedLeavesTheWeights() {
    double[] params = random(7, 1);
    double[] original = params.clone();
    double[] summed = new double[N];
    summed[3] = 1e300;
    Optimizer opt = adam();
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.BAD_GRADIENT, update.apply(opt,
          GradientSum.of(Flat.F64, summed, 1.0, 1e-10, 1), params, new double[N], null));
    }
    assertArrayEquals(original, params, 0.0);
  }

  @Test
  void aWeightThatOverflowsLeavesTheLastGoodWeightsInParams() {
    double[] params = random(4, 1);
    params[7] = Double.MAX_VALUE; // sgd with a large step pushes it past the largest double
    double[] original = params.clone();
    double[] summed = new double[N];
    summed[7] = -1;
    Optimizer sgd = Optimizers.create(OptimizerConfig.defaults("sgd", 1e300), N, null);
    Copy copy = new Copy();
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.BAD_WEIGHT, update.apply(sgd,
          GradientSum.of(Flat.F64, summed, 1.0, 1, 1), params, new double[N], copy));
    }
    assertArrayEquals(original, params, 0.0);
    assertNull(copy.writtenFrom, "a copy of bad weights must not count as written");
  }

  // ---- float32 master weights (updatePrecision float32) ----

  /** A copy of float32 master weights (as a cluster's wire bytes), recording the calls. */
  private static final class Copy32 implements FloatWeightsCopy {
    final float[] values = new float[N];
    float[] writtenFrom;

    @Override public void invalidate() {
      writtenFrom = null;
    }

    @Override public boolean write(float[] params, int from, int to) {
      System.arraycopy(params, from, values, from, to - from);
      return Finite.all(params, from, to);
    }

    @Override public void written(float[] params) {
      writtenFrom = params;
    }
  }

  private static float[] randomFloat(long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[N];
    for (int i = 0; i < N; i++) v[i] = (float) r.nextDouble(-scale, scale);
    return v;
  }

  private static FloatOptimizer adam32() {
    return Optimizers.createFloat32(OptimizerConfig.defaults("adam", 1e-3), N, null);
  }

  @Test
  void float32MatchesTheRoundedAverageThenTheWholeFloat32Step() {
    float[] params = randomFloat(21, 1);
    float[] into = new float[N];
    float[] reference = params.clone();
    FloatOptimizer ranged = adam32();
    FloatOptimizer whole = adam32();
    Copy32 copy32 = new Copy32();
    try (StepUpdate update = new StepUpdate(N)) {
      for (int step = 0; step < 3; step++) {
        float[] a = randomFloat(30 + step, 50);
        float[] b = randomFloat(40 + step, 50);
        GradientSum<float[]> left = GradientSum.of(Flat.F32, a.clone(), 1.0, 32, 32);
        GradientSum<float[]> right = GradientSum.of(Flat.F32, b.clone(), 1.0, 32, 32);
        @SuppressWarnings("unchecked")
        StepGradient sum = step == 1 // the bytes form, and the pair whose root the update adds
            ? PackedSum.of(GradientSum.of(Flat.F32, a.clone(), 1.0, 64, 64))
            : PairSum.of(Flat.F32, new GradientSum[] {left, right});
        float[] expectedBefore = params.clone();
        assertEquals(StepUpdate.Outcome.APPLIED, update.apply(ranged, sum, params, into, copy32));
        assertArrayEquals(expectedBefore, params, 0f, "the weights before the step are kept");
        float[] avg = new float[N];
        for (int i = 0; i < N; i++) {
          float summed = step == 1 ? a[i] : a[i] + b[i];
          avg[i] = (float) (summed * (1.0 / 64));
        }
        whole.step(reference, avg);
        assertArrayEquals(reference, into, 0f, "step " + (step + 1));
        assertSame(into, copy32.writtenFrom);
        assertArrayEquals(into, copy32.values, 0f, "the copy holds the new weights");
        float[] t = params;
        params = into;
        into = t;
      }
    }
  }

  @Test
  void float32AGradientThatIsNotFiniteLeavesTheWeights() {
    float[] params = randomFloat(22, 1);
    float[] original = params.clone();
    float[] summed = randomFloat(23, 1);
    summed[N - 5] = Float.NaN;
    FloatOptimizer opt = adam32();
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.BAD_GRADIENT, update.apply(opt,
          GradientSum.of(Flat.F32, summed, 1.0, 8, 8), params, new float[N], null));
      // Finite in double, but past the largest float once averaged: not finite in float32.
      double[] big = new double[N];
      big[3] = 1e39;
      assertEquals(StepUpdate.Outcome.BAD_GRADIENT, update.apply(opt,
          GradientSum.of(Flat.F64, big, 1.0, 1, 1), params, new float[N], null));
    }
    assertArrayEquals(original, params, 0f);
  }

  @Test
  void float32AWeightThatOverflowsLeavesTheLastGoodWeightsInParams() {
    float[] params = randomFloat(24, 1);
    params[7] = Float.MAX_VALUE;
    float[] original = params.clone();
    float[] summed = new float[N];
    summed[7] = -1;
    FloatOptimizer sgd = Optimizers.createFloat32(OptimizerConfig.defaults("sgd", 1e38), N,
        null);
    Copy32 copy = new Copy32();
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.BAD_WEIGHT, update.apply(sgd,
          GradientSum.of(Flat.F32, summed, 1.0, 1, 1), params, new float[N], copy));
    }
    assertNull(copy.writtenFrom, "a copy of bad weights must not count as written");
    assertArrayEquals(original, params, 0f);
  }
}
