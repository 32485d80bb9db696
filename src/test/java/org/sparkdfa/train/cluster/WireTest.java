package org.sparkdfa.train.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sparkdfa.train.steps.Flat;

/** The weights' wire bytes from float32 master weights; values through a socket, chunk by chunk. */
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

  /** A connected pair of loopback channels: [0] writes, [1] reads. */
  private static SocketChannel[] pair() throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      SocketChannel out = SocketChannel.open(server.getLocalAddress());
      return new SocketChannel[] {out, server.accept()};
    }
  }

  /** Values over several chunks, the last one partial, with every bit pattern class. */
  private static float[] floats(int n) {
    float[] v = new float[n];
    Random r = new Random(7);
    for (int i = 0; i < n; i++) v[i] = Float.intBitsToFloat(r.nextInt());
    v[1] = -0f;
    v[n - 1] = Float.MIN_VALUE;
    return v;
  }

  @Test
  void valuesSentChunkByChunkAreTheBytesOfTheirEncodingAndComeBackBitForBit() throws Exception {
    int n = 2 * Wire.CHUNK_BYTES / Float.BYTES + 13;
    float[] sent = floats(n);
    double[] sent64 = new double[n / 2 + 1];
    for (int i = 0; i < sent64.length; i++) sent64[i] = sent[i] * 1e-3 + i;
    SocketChannel[] ch = pair();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> written = writer.submit(() -> {
        ByteBuffer chunk = Wire.chunk();
        Wire.send(ch[0], ByteBuffer.wrap(new byte[] {42}), Flat.F32, sent, chunk);
        Wire.send(ch[0], ByteBuffer.allocate(0), Flat.F64, sent64, chunk);
        Wire.send(ch[0], ByteBuffer.allocate(0), Flat.F32, sent, chunk);
        return null;
      });
      ByteBuffer head = ByteBuffer.allocate(1);
      StepFrames.fill(ch[1], head);
      assertEquals(42, head.get(0), "the head goes first");
      float[] got = new float[n];
      ByteBuffer chunk = Wire.chunk();
      Wire.receive(ch[1], n * Float.BYTES, Flat.F32, got, chunk);
      assertArrayEquals(sent, got);
      double[] got64 = new double[sent64.length];
      Wire.receive(ch[1], got64.length * Double.BYTES, Flat.F64, got64, chunk);
      assertArrayEquals(sent64, got64);
      ByteBuffer raw = ByteBuffer.allocate(n * Float.BYTES);
      StepFrames.fill(ch[1], raw);
      assertArrayEquals(Flat.F32.encode(sent), raw.array(), "the wire bytes of Flat.encode");
      written.get(30, TimeUnit.SECONDS);
    } finally {
      writer.shutdownNow();
      ch[0].close();
      ch[1].close();
    }
  }

  @Test
  void aPayloadOfAnotherLengthThanTheArrayIsRefusedBeforeAnythingIsRead() throws Exception {
    SocketChannel[] ch = pair();
    try {
      IOException e = assertThrows(IOException.class,
          () -> Wire.receive(ch[1], 12, Flat.F32, new float[4], Wire.chunk()));
      assertTrue(e.getMessage().contains("12 bytes for 4 values"), e.getMessage());
    } finally {
      ch[0].close();
      ch[1].close();
    }
  }

  @Test
  void float32MasterWeightsCannotGoToAFloat64Wire() {
    Wire.Weights wire = new Wire.Weights(Flat.F64, 3);
    assertThrows(IllegalStateException.class, () -> wire.of(new float[3]));
  }
}
