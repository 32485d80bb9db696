package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkdfa.optim.Optimizer;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.optim.Optimizers;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.GradientSum;


/** The driver's chunked, multi-threaded update is the plain sequential one, bit for bit. */
class StepUpdateTest {
  private static final int N = 9 * StepUpdate.CHUNK + 123; // several chunks and a ragged end

  private static double[] random(long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[N];
    for (int i = 0; i < N; i++) v[i] = r.nextDouble(-scale, scale);
    return v;
  }

  private static Optimizer adam() {
    return Optimizers.create(OptimizerConfig.defaults("adam", 1e-3), N, null);
  }

  @Test
  void matchesAverageThenWholeStep() {
    double[] params = random(1, 1);
    double[] reference = params.clone();
    Optimizer chunked = adam();
    Optimizer whole = adam();
    double[] grad = new double[N];
    double[] before = new double[N];
    try (StepUpdate update = new StepUpdate(N)) {
      for (int step = 0; step < 3; step++) {
        double[] summed = random(10 + step, 50);
        GradientSum sum = GradientSum.of(Flat.F64, summed.clone(), 1.0, 64, 64);
        double[] expectedBefore = params.clone();
        assertEquals(StepUpdate.Outcome.APPLIED,
            update.apply(chunked, sum, params, grad, before));
        assertArrayEquals(expectedBefore, before, 0.0);
        double[] avg = new double[N];
        for (int i = 0; i < N; i++) avg[i] = summed[i] * (1.0 / 64);
        whole.step(reference, avg);
        assertArrayEquals(reference, params, 0.0, "step " + (step + 1));
      }
    }
  }

  @Test
  void aGradientThatIsNotFiniteChangesNothing() {
    double[] params = random(2, 1);
    double[] original = params.clone();
    double[] summed = random(3, 1);
    summed[N - 5] = Double.NaN;
    Optimizer opt = adam();
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.BAD_GRADIENT, update.apply(opt,
          GradientSum.of(Flat.F64, summed, 1.0, 8, 8), params, new double[N], new double[N]));
    }
    assertArrayEquals(original, params, 0.0);
    assertEquals(0, opt.steps(), "the optimizer must not have stepped");
  }

  @Test
  void aWeightThatOverflowsLeavesTheLastGoodWeightsInBefore() {
    double[] params = random(4, 1);
    double[] original = params.clone();
    params[7] = Double.MAX_VALUE; // sgd with a large step pushes it past the largest double
    original[7] = Double.MAX_VALUE;
    double[] summed = new double[N];
    summed[7] = -1;
    Optimizer sgd = Optimizers.create(OptimizerConfig.defaults("sgd", 1e300), N, null);
    double[] before = new double[N];
    try (StepUpdate update = new StepUpdate(N)) {
      assertEquals(StepUpdate.Outcome.BAD_WEIGHT, update.apply(sgd,
          GradientSum.of(Flat.F64, summed, 1.0, 1, 1), params, new double[N], before));
    }
    assertArrayEquals(original, before, 0.0);
  }
}
