package org.sparkdfa.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark mains' options, parsed by picocli. */
class ArgsTest {

  @Test
  void valuesFlagsAndDefaults() {
    Args a = new Args(new String[] {"--rows", "60_000", "--quick", "--widths=256,512",
        "--name", "x", "--name", "y"}, "quick", "child");
    assertEquals(60_000, a.integer("rows", 1));
    assertTrue(a.flag("quick"));
    assertFalse(a.flag("child"));
    assertArrayEquals(new int[] {256, 512}, a.ints("widths", null));
    assertEquals("y", a.string("name", "?"), "the last one wins");
    assertEquals(2.5, a.real("step", 2.5));
    assertEquals(8, a.raw().size());
  }

  @Test
  void anOptionWithoutItsValueIsRefusedNotFedTheNextOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Args(new String[] {"--rows", "--quick"}, "quick"));
    assertTrue(e.getMessage().contains("--rows"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Args(new String[] {"stray"}));
  }
}
