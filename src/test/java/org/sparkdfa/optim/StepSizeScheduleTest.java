package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Step-size schedules: hand-computed step sizes, and every rule following them. */
class StepSizeScheduleTest {

  private static final double TOL = 1e-15;

  @Test
  void constantIsTheBaseStepSize() {
    StepSizeSchedule s = StepSizeSchedule.CONSTANT;
    assertEquals(0.1, s.stepSize(0.1, 1, 0), 0.0);
    assertEquals(0.1, s.stepSize(0.1, 1000, 7), 0.0);
    assertTrue(s.isConstant());
  }

  @Test
  void exponentialMultipliesByDecayRateEachEpoch() {
    StepSizeSchedule s = new StepSizeSchedule("exponential", 0.5, 0, 1, 0);
    assertEquals(0.1, s.stepSize(0.1, 1, 0), TOL);
    assertEquals(0.05, s.stepSize(0.1, 9, 1), TOL);
    assertEquals(0.025, s.stepSize(0.1, 20, 2), TOL);
    assertEquals(0.1 * Math.pow(0.9, 5), new StepSizeSchedule("exponential", 0.9, 0, 1, 0)
        .stepSize(0.1, 1, 5), TOL);
  }

  @Test
  void cosineGoesFromTheBaseToTheMinimumOverTheEpochs() {
    StepSizeSchedule s = new StepSizeSchedule("cosine", 1, 0.01, 4, 0);
    assertEquals(0.1, s.stepSize(0.1, 1, 0), TOL);
    // epoch 1 of 4: 0.01 + 0.045 (1 + cos(π/4)) = 0.01 + 0.045 · 1.70710678…
    assertEquals(0.01 + 0.045 * (1 + Math.sqrt(0.5)), s.stepSize(0.1, 1, 1), 1e-15);
    assertEquals(0.055, s.stepSize(0.1, 1, 2), TOL);
    assertEquals(0.01, s.stepSize(0.1, 1, 4), TOL);
    assertEquals(0.01, s.stepSize(0.1, 1, 9), TOL, "beyond the horizon it stays at the minimum");
  }

  @Test
  void warmupRampsLinearlyOverTheFirstSteps() {
    StepSizeSchedule s = new StepSizeSchedule("constant", 1, 0, 1, 4);
    assertEquals(0.025, s.stepSize(0.1, 1, 0), TOL);
    assertEquals(0.05, s.stepSize(0.1, 2, 0), TOL);
    assertEquals(0.075, s.stepSize(0.1, 3, 0), TOL);
    assertEquals(0.1, s.stepSize(0.1, 4, 0), TOL);
    assertEquals(0.1, s.stepSize(0.1, 5, 1), TOL);
    // Warm-up multiplies whatever the schedule gives: step 2 of 4 in epoch 1 of exponential 0.5.
    assertEquals(0.025, new StepSizeSchedule("exponential", 0.5, 0, 1, 4).stepSize(0.1, 2, 1),
        TOL);
  }

  @Test
  void badSchedulesAreRefusedByName() {
    assertThrows(IllegalArgumentException.class, () -> new StepSizeSchedule("step", 1, 0, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new StepSizeSchedule("exponential", 0, 0, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new StepSizeSchedule("exponential", 1.5, 0, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new StepSizeSchedule("cosine", 1, -1, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new StepSizeSchedule("constant", 1, 0, 1, -2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptimizerConfig.defaults("sgd", 0.01)
            .withSchedule(new StepSizeSchedule("cosine", 1, 0.1, 3, 0)));
    assertTrue(e.getMessage().contains("minStepSize"), e.getMessage());
  }

  /** SGD by hand: θ = 1, g = 1; warm-up 2 steps, then exponential 0.5 from epoch 1. */
  @Test
  void sgdFollowsTheScheduleByHand() {
    Optimizer opt = Optimizers.create(OptimizerConfig.defaults("sgd", 0.1)
        .withSchedule(new StepSizeSchedule("exponential", 0.5, 0, 1, 2)), 1, null);
    double[] p = {1};
    double[] g = {1};
    opt.startEpoch(0);
    opt.step(p, g); // η = 0.1 · 1/2
    assertEquals(0.95, p[0], TOL);
    opt.step(p, g); // η = 0.1
    assertEquals(0.85, p[0], TOL);
    opt.startEpoch(1);
    opt.step(p, g); // η = 0.05
    assertEquals(0.8, p[0], TOL);
    opt.startEpoch(2);
    opt.step(p, g); // η = 0.025
    assertEquals(0.775, p[0], TOL);
  }

  /**
   * Every rule: a run scheduled to η/2 (exponential 0.5, epoch 1) gives the same bits as the
   * rule with η/2 constant, step for step, ranges or not — the schedule only replaces η.
   */
  @Test
  void everyRuleRunsWithTheScheduledStepSize() {
    for (OptimizerKind k : OptimizerKind.values()) {
      String name = k.canonicalName();
      OptimizerConfig base = OptimizerConfig.defaults(name, 0.2);
      Optimizer scheduled = Optimizers.create(base.withSchedule(
          new StepSizeSchedule("exponential", 0.5, 0, 1, 0)), 6, new BitSet());
      Optimizer plain = Optimizers.create(OptimizerConfig.defaults(name, 0.1), 6, new BitSet());
      Optimizer unscheduled = Optimizers.create(base, 6, new BitSet());
      double[] a = {0.5, -1, 2, 0.1, -0.3, 1};
      double[] b = a.clone();
      double[] c = a.clone();
      scheduled.startEpoch(1);
      for (int t = 0; t < 4; t++) {
        double[] g = {0.3 * t - 0.2, 1, -0.5, 0.7, 0.05 * t, -1.5};
        Optimizer.RangeStep step = scheduled.begin(a, g);
        step.apply(3, 6);
        step.apply(0, 3);
        plain.step(b, g);
        unscheduled.step(c, g);
      }
      assertArrayEquals(b, a, 0.0, name);
      assertEquals(4, scheduled.steps(), name);
      assertTrue(!java.util.Arrays.equals(a, c), name + ": the schedule changed the steps");
      assertSame(Optimizers.create(base, 1, null).getClass(), unscheduled.getClass(),
          "a constant schedule leaves the rule unwrapped");
    }
  }
}
