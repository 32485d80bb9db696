package org.sparkdfa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

  @Test
  void matchesReferenceSplitMix64() {
    // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    SplitMix64 r = new SplitMix64(0);
    assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
    assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
    assertEquals(0x06C45D188009454FL, r.nextLong());
  }

  @Test
  void deriveIsPureAndOrderSensitive() {
    assertEquals(SplitMix64.derive(1, 2, 3), SplitMix64.derive(1, 2, 3));
    assertNotEquals(SplitMix64.derive(1, 2, 3), SplitMix64.derive(1, 3, 2));
    assertNotEquals(SplitMix64.derive(1, 2, 3), SplitMix64.derive(1, 2, 4));
    assertNotEquals(SplitMix64.derive(0), SplitMix64.derive(0, 0));
  }

  @Test
  void nextIntIsInRangeAndRoughlyUniform() {
    SplitMix64 r = new SplitMix64(42);
    int[] counts = new int[7];
    int n = 70_000;
    for (int i = 0; i < n; i++) {
      int v = r.nextInt(7);
      assertTrue(v >= 0 && v < 7);
      counts[v]++;
    }
    for (int c : counts) {
      double sd = Math.sqrt(n * (1.0 / 7) * (6.0 / 7));
      assertTrue(Math.abs(c - n / 7.0) <= 5 * sd, "bucket count " + c);
    }
    assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    double d = r.nextDouble();
    assertTrue(d >= 0 && d < 1);
  }
}
