package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OptimizerConfigTest {

  private static void assertMessage(Executable e, String... fragments) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f),
          "message '" + ex.getMessage() + "' should contain '" + f + "'");
    }
  }

  private static OptimizerConfig cfg(String name, double stepSize, double momentum, double beta1,
      double beta2, Double epsilon, Double rho, double regParam) {
    return new OptimizerConfig(name, stepSize, momentum, beta1, beta2, epsilon, rho, regParam);
  }

  @Test
  void defaultsComeFromTheKind() {
    OptimizerConfig adam = OptimizerConfig.defaults("adam", 0.001);
    assertEquals(0.9, adam.beta1());
    assertEquals(0.999, adam.beta2());
    assertNull(adam.epsilon());
    assertEquals(1e-8, adam.effectiveEpsilon());
    assertEquals(0.0, adam.regParam());

    assertEquals(0.9, OptimizerConfig.defaults("momentum", 0.1).momentum());
    assertEquals(0.9, OptimizerConfig.defaults("nesterov", 0.1).momentum());
    assertEquals(0.0, OptimizerConfig.defaults("sgd", 0.1).momentum());
    assertEquals(1e-8, OptimizerConfig.defaults("adagrad", 0.1).effectiveEpsilon());
    assertEquals(0.95, OptimizerConfig.defaults("adadelta", 1.0).effectiveRho());
    assertEquals(1e-6, OptimizerConfig.defaults("adadelta", 1.0).effectiveEpsilon());
    assertEquals(0.9, OptimizerConfig.defaults("rmsprop", 0.01).effectiveRho());
    assertEquals(1e-8, OptimizerConfig.defaults("rmsprop", 0.01).effectiveEpsilon());
  }

  @Test
  void explicitEpsilonAndRhoOverrideDefaults() {
    OptimizerConfig c = cfg("rmsprop", 0.01, 0, 0, 0, 1e-5, 0.5, 0);
    assertEquals(1e-5, c.effectiveEpsilon());
    assertEquals(0.5, c.effectiveRho());
  }

  @Test
  void nameIsCaseInsensitiveAndCanonicalized() {
    assertEquals("rmsprop", OptimizerConfig.defaults("RMSProp", 0.01).name());
    assertEquals("adam", OptimizerConfig.defaults("ADAM", 0.01).name());
    assertEquals(OptimizerKind.NESTEROV, OptimizerConfig.defaults("Nesterov", 0.01).kind());
  }

  @Test
  void unknownNameListsValidNames() {
    assertMessage(() -> OptimizerConfig.defaults("adamw", 0.1),
        "'adamw'", "sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam");
    assertMessage(() -> cfg(null, 0.1, 0, 0, 0, null, null, 0), "null", "sgd");
  }

  @Test
  void badStepSize() {
    assertMessage(() -> OptimizerConfig.defaults("sgd", 0.0), "stepSize", "0.0", "(0, +inf)");
    assertMessage(() -> OptimizerConfig.defaults("sgd", -1.0), "stepSize", "-1.0");
    assertMessage(() -> OptimizerConfig.defaults("sgd", Double.NaN), "stepSize", "NaN");
    assertMessage(() -> OptimizerConfig.defaults("sgd", Double.POSITIVE_INFINITY),
        "stepSize", "Infinity", "finite");
  }

  @Test
  void badDecayRates() {
    assertMessage(() -> cfg("momentum", 0.1, 1.0, 0, 0, null, null, 0),
        "momentum", "1.0", "[0, 1)");
    assertMessage(() -> cfg("momentum", 0.1, -0.1, 0, 0, null, null, 0), "momentum", "-0.1");
    assertMessage(() -> cfg("adam", 0.1, 0, 1.5, 0.999, null, null, 0), "beta1", "1.5", "[0, 1)");
    assertMessage(() -> cfg("adam", 0.1, 0, 0.9, -0.5, null, null, 0), "beta2", "-0.5", "[0, 1)");
    assertMessage(() -> cfg("adam", 0.1, 0, 0.9, Double.NaN, null, null, 0), "beta2", "NaN");
    assertMessage(() -> cfg("rmsprop", 0.1, 0, 0, 0, null, 1.0, 0), "rho", "1.0", "[0, 1)");
  }

  @Test
  void badEpsilonAndRegParam() {
    assertMessage(() -> cfg("adam", 0.1, 0, 0.9, 0.999, 0.0, null, 0),
        "epsilon", "0.0", "(0, +inf)");
    assertMessage(() -> cfg("adam", 0.1, 0, 0.9, 0.999, -1e-8, null, 0), "epsilon", "-1.0E-8");
    assertMessage(() -> cfg("sgd", 0.1, 0, 0, 0, null, null, -0.01),
        "regParam", "-0.01", "[0, +inf)");
    assertMessage(() -> cfg("sgd", 0.1, 0, 0, 0, null, null, Double.NaN), "regParam", "NaN");
  }

  @Test
  void kindDefaultsMarkUnusedHyperparameters() {
    for (OptimizerKind k : OptimizerKind.values()) {
      assertEquals(k.usesEpsilon(), k != OptimizerKind.SGD && k != OptimizerKind.MOMENTUM
          && k != OptimizerKind.NESTEROV, k.name());
      assertEquals(k, OptimizerKind.fromName(k.canonicalName()));
    }
    assertTrue(OptimizerKind.ADAM.usesBetas());
    assertTrue(Double.isNaN(OptimizerKind.SGD.defaultMomentum()));
  }
}
