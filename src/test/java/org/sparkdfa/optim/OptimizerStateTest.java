package org.sparkdfa.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OptimizerStateTest {

  private static final int N = 7;

  private static OptimizerConfig config(OptimizerKind k) {
    // regParam > 0 with a mask so the round trip also covers the L2 path.
    OptimizerConfig d = OptimizerConfig.defaults(k.canonicalName(), 0.05);
    return new OptimizerConfig(d.name(), d.stepSize(), d.momentum(), d.beta1(), d.beta2(),
        d.epsilon(), d.rho(), 0.01);
  }

  private static BitSet mask() {
    BitSet b = new BitSet();
    b.set(1, 4);
    b.set(5);
    return b;
  }

  /** Deterministic pseudo-gradients per step; the values only need to be varied. */
  private static double[] grad(int step) {
    Random r = new Random(1000 + step);
    double[] g = new double[N];
    for (int i = 0; i < N; i++) {
      g[i] = r.nextGaussian();
    }
    g[2] = 0.0;
    return g;
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void saveRestoreContinuesBitIdentically(OptimizerKind k) throws Exception {
    Optimizer a = Optimizers.create(config(k), N, mask());
    double[] theta = {1, -2, 0.5, 3, -0.25, 0.75, 2};
    for (int s = 0; s < 5; s++) {
      a.step(theta, grad(s));
    }
    OptimizerState saved = a.state();
    double[] thetaSaved = theta.clone();
    assertEquals(5, saved.step());

    // Continue the original for 5 more steps.
    double[][] expected = new double[5][];
    for (int s = 5; s < 10; s++) {
      a.step(theta, grad(s));
      expected[s - 5] = theta.clone();
    }

    // A fresh optimizer restored from a serialized copy of the snapshot must match exactly.
    OptimizerState roundTripped = serializeRoundTrip(saved);
    assertEquals(saved, roundTripped);
    Optimizer b = Optimizers.create(config(k), N, mask());
    b.restore(roundTripped);
    assertEquals(5, b.steps());
    double[] theta2 = thetaSaved.clone();
    for (int s = 5; s < 10; s++) {
      b.step(theta2, grad(s));
      assertArrayEquals(expected[s - 5], theta2, 0.0, k + " step " + (s + 1));
    }
    assertEquals(a.state(), b.state());
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void snapshotsNeverAliasLiveArrays(OptimizerKind k) {
    Optimizer a = Optimizers.create(config(k), N, null);
    double[] theta = new double[N];
    a.step(theta, grad(0));
    OptimizerState s1 = a.state();
    // Mutating the snapshot must not reach the optimizer ...
    for (double[] slot : s1.slots().values()) {
      Arrays.fill(slot, 123.0);
    }
    OptimizerState s2 = a.state();
    for (double[] slot : s2.slots().values()) {
      assertTrue(slot[0] != 123.0);
    }
    // ... nor mutating a state after it was restored.
    Optimizer b = Optimizers.create(config(k), N, null);
    b.restore(s2);
    OptimizerState before = b.state();
    for (double[] slot : s2.slots().values()) {
      Arrays.fill(slot, -7.0);
    }
    assertEquals(before, b.state());
    for (Map.Entry<String, double[]> e : before.slots().entrySet()) {
      assertNotSame(e.getValue(), s2.slots().get(e.getKey()));
    }
  }

  @Test
  void slotNamesPerRule() {
    assertEquals(Set.of(), slots("sgd"));
    assertEquals(Set.of("velocity"), slots("momentum"));
    assertEquals(Set.of("velocity"), slots("nesterov"));
    assertEquals(Set.of("sumSquaredGrad"), slots("adagrad"));
    assertEquals(Set.of("meanSquaredGrad", "meanSquaredDelta"), slots("adadelta"));
    assertEquals(Set.of("meanSquaredGrad"), slots("rmsprop"));
    assertEquals(Set.of("firstMoment", "secondMoment"), slots("adam"));
  }

  private static Set<String> slots(String name) {
    return Optimizers.create(OptimizerConfig.defaults(name, 0.1), 3, null).state().slots()
        .keySet();
  }

  @Test
  void restoreRejectsOtherRule() {
    OptimizerState s = Optimizers.create(OptimizerConfig.defaults("rmsprop", 0.1), 3, null)
        .state();
    Optimizer adagrad = Optimizers.create(OptimizerConfig.defaults("adagrad", 0.1), 3, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> adagrad.restore(s));
    assertTrue(e.getMessage().contains("'rmsprop'") && e.getMessage().contains("'adagrad'"),
        e.getMessage());
  }

  @Test
  void restoreRejectsWrongLengthAndLeavesOptimizerUntouched() {
    Optimizer adam = Optimizers.create(OptimizerConfig.defaults("adam", 0.1), 3, null);
    adam.step(new double[3], new double[] {1, 2, 3});
    OptimizerState before = adam.state();
    OptimizerState bad = new OptimizerState("adam", 9,
        Map.of("firstMoment", new double[3], "secondMoment", new double[4]));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> adam.restore(bad));
    assertTrue(e.getMessage().contains("secondMoment") && e.getMessage().contains("length 4")
        && e.getMessage().contains("3"), e.getMessage());
    assertEquals(before, adam.state());
    assertEquals(1, adam.steps());
  }

  @Test
  void restoreRejectsMissingSlot() {
    Optimizer adam = Optimizers.create(OptimizerConfig.defaults("adam", 0.1), 3, null);
    OptimizerState bad = new OptimizerState("adam", 1, Map.of("firstMoment", new double[3]));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> adam.restore(bad));
    assertTrue(e.getMessage().contains("[firstMoment]")
        && e.getMessage().contains("secondMoment"), e.getMessage());
  }

  @Test
  void stateValidatesItsOwnFields() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OptimizerState("sgd", -1, Map.of()));
    assertTrue(e.getMessage().contains("step") && e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void toStringShowsShapesNotValues() {
    OptimizerState s = new OptimizerState("adam", 3,
        Map.of("secondMoment", new double[5], "firstMoment", new double[5]));
    assertEquals("OptimizerState[name=adam, step=3, slots={firstMoment: double[5], "
        + "secondMoment: double[5]}]", s.toString());
  }

  private static OptimizerState serializeRoundTrip(OptimizerState s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (OptimizerState) in.readObject();
    }
  }
}
