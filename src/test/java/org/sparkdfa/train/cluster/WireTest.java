package org.sparkdfa.train.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.sparkdfa.train.steps.Flat;

/** The weights' wire bytes from float32 master weights. */
class WireTest {

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void float32MasterWeightsAreTheirEncodingAndStepsAlternateBuffers() {
    float[] step1 = {1.5f, -0f, Float.MIN_VALUE, 3.25e7f, -2f};
    float[] step2 = {7f, 8f, 9f, 10f, 11f};
    Wire.Weights wire = new Wire.Weights(Flat.F32, step1.length);
    ByteBuffer first = wire.of(step1);
    byte[] firstBytes = bytes(first);
    assertArrayEquals(Flat.F32.encode(step1), firstBytes);
    ByteBuffer second = wire.of(step2);
    assertArrayEquals(Flat.F32.encode(step2), bytes(second));
    // A writer still sending step 1 to a task keeps reading step 1's bytes.
    assertArrayEquals(firstBytes, bytes(first), "the next step rewrote the bytes in flight");
    assertEquals(step1.length * Float.BYTES, first.remaining());
  }

  @Test
  void bytesTheUpdateWroteRangeByRangeAreSentAsTheyAre() {
    float[] params = {1f, 2f, 3f, 4f, 5f, 6f, 7f};
    Wire.Weights wire = new Wire.Weights(Flat.F32, params.length);
    wire.invalidate();
    assertTrue(wire.write(params, 4, 7));
    assertTrue(wire.write(params, 0, 4));
    wire.written(params);
    byte[] expected = Flat.F32.encode(params);
    params[2] = 99f; // not read again: of() sends the bytes the update wrote
    assertArrayEquals(expected, bytes(wire.of(params)));
    params[2] = Float.NaN;
    wire.invalidate();
    assertFalse(wire.write(params, 0, 7), "the update's check of its new weights");
  }

  @Test
  void float32MasterWeightsCannotGoToAFloat64Wire() {
    Wire.Weights wire = new Wire.Weights(Flat.F64, 3);
    assertThrows(IllegalStateException.class, () -> wire.of(new float[3]));
  }
}
