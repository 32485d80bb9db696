package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.OptimizerConfig;

/**
 * The update precision is chosen and refused in one place, and float32 master weights take
 * back only what they can hold exactly: a float64 checkpoint is refused, a float32 one restored
 * bit for bit.
 */
class MasterWeightsTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.mlp(new int[] {6, 5, 1}, Activation.RELU, Loss.BCE);

  private static TrainingConfig config(Precision precision) {
    return new TrainingConfig(new Network(SPEC), Feedback.BACKPROP,
        Init.GLOROT_UNIFORM.initialize(SPEC, 3), OptimizerConfig.defaults("adam", 0.01), false,
        16, 1, 0, 0, 3, 2, "t").withPrecision(precision);
  }

  @Test
  void theUpdatePrecisionFollowsPrecisionUnlessSetAndFloat32NeedsFloat32Steps() {
    assertEquals(Precision.FLOAT64, config(Precision.FLOAT64).masterPrecision());
    assertEquals(Precision.FLOAT32, config(Precision.FLOAT32).masterPrecision());
    assertEquals(Precision.FLOAT64, config(Precision.FLOAT32)
        .withUpdatePrecision(Precision.FLOAT64).masterPrecision());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config(Precision.FLOAT64).withUpdatePrecision(Precision.FLOAT32));
    assertTrue(e.getMessage().contains("updatePrecision is 'float32'")
        && e.getMessage().contains("precision is 'float64'")
        && e.getMessage().contains("set precision to float32"), e.getMessage());
    assertTrue(!config(Precision.FLOAT32).fingerprint(1, new long[] {1}).equals(
        config(Precision.FLOAT32).withUpdatePrecision(Precision.FLOAT64)
            .fingerprint(1, new long[] {1})), "checkpoints of the two are different fits");
  }

  @Test
  void float32MasterWeightsRefuseValuesTheyCannotHoldAndRestoreFloatsExactly() {
    MasterWeights master = MasterWeights.of(config(Precision.FLOAT32));
    double[] start = master.params().clone();
    for (double w : start) assertEquals(w, (double) (float) w, 0.0);
    double[] wide = Init.GLOROT_UNIFORM.initialize(SPEC, 9); // float64 values
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> master.restore(wide, null));
    assertTrue(e.getMessage().contains("updatePrecision float64"), e.getMessage());
    assertArrayEquals(start, master.params(), 0.0, "nothing changed");
    double[] floats = new double[wide.length];
    for (int i = 0; i < wide.length; i++) floats[i] = (float) wide[i];
    master.restore(floats, master.state());
    assertArrayEquals(floats, master.params(), 0.0);
    assertEquals("float32", master.describe());
  }
}
