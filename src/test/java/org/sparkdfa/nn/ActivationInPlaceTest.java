package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The public in-place entry points of {@link Activation} (what the kernel benchmark calls): the
 * same values as the hand-computed definitions, only the first len entries touched, and lengths
 * past the arrays refused with a message naming the fix.
 */
class ActivationInPlaceTest {

  @Test
  void reluAndItsDerivativeFromTheOutput() {
    double[] z = {-2.0, -0.0, 0.0, 3.5, -1.0};
    Activation.RELU.applyInPlace(z, 4);
    assertArrayEquals(new double[] {0.0, 0.0, 0.0, 3.5, -1.0}, z, 0.0,
        "max(a, 0) on the first 4 entries, the fifth untouched");
    double[] delta = {5.0, 6.0, 7.0, 8.0, 9.0};
    Activation.RELU.multiplyDerivativeInPlace(z, delta, 4);
    assertArrayEquals(new double[] {0.0, 0.0, 0.0, 8.0, 9.0}, delta, 0.0,
        "1[z > 0] on the first 4 entries, the fifth untouched");
  }

  @Test
  void reluDerivativeIsOneForTheSmallestPositiveOutput() {
    double[] z = {Double.MIN_VALUE, 1e300};
    double[] delta = {2.0, 3.0};
    Activation.RELU.multiplyDerivativeInPlace(z, delta, 2);
    assertArrayEquals(new double[] {2.0, 3.0}, delta, 0.0);
  }

  @Test
  void sigmoidAndTanhDerivativesComeFromTheOutput() {
    double[] z = {0.0, 2.0};
    Activation.SIGMOID.applyInPlace(z, 2);
    double s2 = 1.0 / (1.0 + Math.exp(-2.0));
    assertArrayEquals(new double[] {0.5, s2}, z, 1e-15);
    double[] delta = {1.0, 2.0};
    Activation.SIGMOID.multiplyDerivativeInPlace(z, delta, 2);
    assertArrayEquals(new double[] {0.25, 2.0 * s2 * (1 - s2)}, delta, 1e-15);

    double[] t = {0.5};
    Activation.TANH.applyInPlace(t, 1);
    double[] dt = {3.0};
    Activation.TANH.multiplyDerivativeInPlace(t, dt, 1);
    assertArrayEquals(new double[] {3.0 * (1 - Math.tanh(0.5) * Math.tanh(0.5))}, dt, 1e-15);
  }

  @Test
  void lengthsPastTheArraysAndCosDerivativesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Activation.RELU.applyInPlace(new double[3], 4));
    assertTrue(e.getMessage().contains("len 4") && e.getMessage().contains("z of length 3"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Activation.RELU.multiplyDerivativeInPlace(new double[4], new double[2], 4));
    assertTrue(e.getMessage().contains("delta of length 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Activation.TANH.applyInPlace(new double[2], -1));
    assertThrows(UnsupportedOperationException.class,
        () -> Activation.COS.multiplyDerivativeInPlace(new double[1], new double[1], 1));
  }
}
