package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A seed means the same weights and feedback matrices on every JVM: every stream is
 * {@link SplitMix64}, whose output this code alone fixes (the JDK's SplittableRandom is not
 * promised to stay the same). Pinned values; a change here changes every seeded result.
 */
class StableStreamsTest {
  private final NetworkSpec spec =
      NetworkSpec.mlp(new int[] {3, 4, 2}, Activation.RELU, Loss.CROSS_ENTROPY);

  @Test
  void weightsOfASeedArePinned() {
    double[] g = Init.GLOROT_UNIFORM.initialize(spec, 42);
    assertEquals(0.4887193706881845, g[0], 0.0);
    assertEquals(0.397125117700329, g[1], 0.0);
    assertEquals(0.9326193653740489, g[spec.weightOffset(1)], 0.0);
    double[] h = Init.HE_NORMAL.initialize(spec, 42);
    assertEquals(-0.30714195992703414, h[0], 0.0);
    assertEquals(-0.8362298781082154, h[1], 0.0);
  }

  @Test
  void feedbackMatricesOfASeedArePinned() {
    double[] u = DirectFeedback.random(spec, "uniform", 1.0, 42).matrix(0);
    assertEquals(-0.3255788604482359, u[0], 0.0);
    assertEquals(-0.14968155649375303, u[1], 0.0);
    assertEquals(-0.46680406082675274,
        DirectFeedback.random(spec, "gaussian", 1.0, 42).matrix(0)[0], 0.0);
  }

  @Test
  void theDrawsThemselvesArePinned() {
    SplitMix64 r = new SplitMix64(7);
    assertEquals(-0.22034050321745702, r.nextDouble(-1, 1), 0.0);
    assertEquals(2, r.nextInt(10));
    assertEquals(-1.8642558067312274, Seeds.gaussian(r), 0.0);
  }
}
