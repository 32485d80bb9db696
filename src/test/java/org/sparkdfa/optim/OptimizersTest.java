package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OptimizersTest {

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void createsTheNamedRuleAndCountsSteps(OptimizerKind k) {
    Optimizer opt = Optimizers.create(OptimizerConfig.defaults(k.canonicalName(), 0.1), 2, null);
    assertEquals(k.canonicalName(), opt.state().name());
    assertEquals(0, opt.steps());
    double[] g = {1.0, -1.0};
    opt.step(new double[2], g);
    opt.step(new double[2], g);
    assertEquals(2, opt.steps());
    assertEquals(2, opt.state().step());
    assertArrayEquals(new double[] {1.0, -1.0}, g, 0.0, "grad must not be modified");
  }

  @Test
  void rejectsBadSizes() {
    OptimizerConfig c = OptimizerConfig.defaults("adam", 0.1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create(c, -1, null));
    assertTrue(e.getMessage().contains("numParams") && e.getMessage().contains("-1"));

    Optimizer opt = Optimizers.create(c, 3, null);
    e = assertThrows(IllegalArgumentException.class,
        () -> opt.step(new double[3], new double[2]));
    assertTrue(e.getMessage().contains("grad has length 2") && e.getMessage().contains("3"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> opt.step(new double[4], new double[3]));
    assertTrue(e.getMessage().contains("params has length 4"), e.getMessage());
    double[] same = new double[3];
    assertThrows(IllegalArgumentException.class, () -> opt.step(same, same));
    assertEquals(0, opt.steps(), "failed steps must not count");
  }

  @Test
  void emptyParameterVectorIsAllowed() {
    Optimizer opt = Optimizers.create(OptimizerConfig.defaults("adam", 0.1), 0, null);
    opt.step(new double[0], new double[0]);
    assertEquals(1, opt.steps());
  }
}
