package org.sparkdfa.train.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.train.blocks.ExecutorMemory;
import org.sparkdfa.train.blocks.PartitionData;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.PartitionGradient;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * One partition's part of an epoch job on a cluster ({@link StreamSteps}): every step of the
 * epoch in one task on its executor, over one connection to the driver's {@link StepServer}.
 * Per step it gathers its first block of rows, then reads the step's weights (the read is the
 * wait for the driver's update, so gathering overlaps it), computes its share and writes it back
 * as bytes ({@link StepFrames}). After the epoch's last step it waits for the driver: the
 * weights of the next epoch's first step go on in the same task (the partition's rows are the
 * same every epoch), an {@link StepFrames#END} frame ends it quietly, at any step. A connection
 * that cannot be made or breaks fails the task with the address and what to check. A named
 * function class ({@code SparkJobs}).
 */
final class EpochStreamTask<A> extends AbstractFunction1<Iterator<PartitionData>, BoxedUnit>
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** How long a task tries to reach the driver before it fails. */
  static final int CONNECT_TIMEOUT_MS = 20_000;

  private final Broadcast<PartitionGradient<A>> context;
  private final String host;
  private final int port;
  private final byte[] token;
  private final int epoch;
  private final int firstStep;
  private final int stepsPerEpoch;

  EpochStreamTask(Broadcast<PartitionGradient<A>> context, StepServer server, int epoch,
      int firstStep, int stepsPerEpoch) {
    this.context = context;
    this.host = server.host();
    this.port = server.port();
    this.token = server.token();
    this.epoch = epoch;
    this.firstStep = firstStep;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public BoxedUnit apply(Iterator<PartitionData> partition) {
    if (!partition.hasNext()) return BoxedUnit.UNIT;
    PartitionData p = partition.next(); // one PartitionData per partition
    try (SocketChannel ch = connect(host, port)) {
      StepFrames.hello(ch, token, epoch, p.partition());
      run(ch, p);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("the epoch job's task for partition " + p.partition()
          + " lost its connection to the driver at " + host + ":" + port + " in epoch "
          + (epoch + 1) + ": " + e.getMessage(), e);
    }
    return BoxedUnit.UNIT;
  }

  private void run(SocketChannel ch, PartitionData p) throws IOException {
    PartitionGradient<A> ctx = context.value();
    Flat<A> flat = ctx.flat();
    int n = ctx.network().spec().numParams();
    // One small buffer for every frame's values, in and out (the task reads the weights and
    // sends its share in turn), and one gradient array for the whole job: each share is sent
    // before the next is summed, and the array is zeroed again after it went out.
    ByteBuffer chunk = Wire.chunk();
    Weights<A> weights = new Weights<>(ch, ctx, n, chunk);
    A grad = flat.alloc(n);
    for (int e = epoch, first = firstStep; e >= 0; e = weights.nextEpoch(e), first = 0) {
      int ep = e;
      for (int step = first; step < stepsPerEpoch; step++) {
        int s = step;
        GradientSum<A> share = ExecutorMemory.guard(() -> String.format(Locale.ROOT, "computing "
            + "step %d of epoch %d on partition %d (%d rows, %s packed)", s, ep, p.partition(),
            p.rows(), ExecutorMemory.mb(p.packedBytes())), flat.precision(),
            () -> ctx.share(p, () -> weights.of(ep, s), ep, s, stepsPerEpoch, grad, null));
        if (weights.ended) return; // the driver wants nothing more
        StepFrames.share(ch, ep, step, share, weights.readNanos, flat,
            share.isEmpty() ? null : share.array(), chunk);
        if (!share.isEmpty()) flat.zero(grad);
      }
    }
  }

  /**
   * Connects to the driver's step server, failing with where it tried and what to check.
   */
  static SocketChannel connect(String host, int port) {
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.socket().setTcpNoDelay(true);
      ch.socket().connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return ch;
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // the connection failed anyway
        }
      }
      throw new IllegalStateException("An epoch job's task could not connect to the driver's "
          + "step server at " + host + ":" + port + " (" + e + "). Check that executors can "
          + "reach the driver on that address (spark.driver.host, spark.driver.bindAddress) "
          + "and that no firewall blocks the driver's ephemeral ports; or run one Spark job "
          + "per step instead (--conf spark.sparkdfa.epochJobs=false).", e);
    }
  }

  /**
   * Reads weights frames for the task's steps, skipping those of steps whose share was empty; a
   * frame read ahead (the next epoch's first) is kept for the step it belongs to. A frame's
   * values are decoded as they arrive, straight into the one array the steps compute with: a
   * frame is read only once the previous step is done with them.
   */
  private static final class Weights<A> {
    private final SocketChannel ch;
    private final Flat<A> flat;
    private final int maxPayload;
    private final ByteBuffer chunk;
    private final A values;
    boolean ended;
    /** The time reading and decoding the last frame's payload. */
    long readNanos;
    /** A weights frame read but not yet used (its values in {@link #values}), or null. */
    private StepFrames.Frame ahead;

    Weights(SocketChannel ch, PartitionGradient<A> ctx, int n, ByteBuffer chunk) {
      this.ch = ch;
      this.chunk = chunk;
      this.flat = ctx.flat();
      this.values = flat.alloc(n);
      this.maxPayload = Wire.bytes(flat, n);
    }

    /** The weights of step {@code step} of {@code epoch}; null once the driver ended the job. */
    A of(int epoch, int step) {
      StepFrames.Frame f = next(epoch, step);
      if (f == null) return null;
      if (f.epoch() != epoch || f.step() != step) {
        throw new UncheckedIOException(new IOException("unexpected weights of step "
            + f.step() + " of epoch " + f.epoch() + " while waiting for step " + step
            + " of epoch " + epoch));
      }
      ahead = null;
      return values;
    }

    /**
     * After epoch {@code epoch}'s last step: the epoch the driver goes on with in this task
     * (its first weights kept for their step), or -1 once the driver ended the job.
     */
    int nextEpoch(int epoch) {
      StepFrames.Frame f = next(epoch + 1, -1);
      return f == null ? -1 : f.epoch();
    }

    /**
     * The first weights frame at or after step {@code step} of {@code epoch} (a step of -1: any
     * of that epoch or later), frames of earlier steps skipped; null (and {@link #ended}) on an
     * {@link StepFrames#END}.
     */
    private StepFrames.Frame next(int epoch, int step) {
      try {
        while (true) {
          StepFrames.Frame f = ahead != null ? ahead : read();
          ahead = f;
          if (f.kind() == StepFrames.END) {
            ended = true;
            return null;
          }
          if (f.epoch() > epoch || (f.epoch() == epoch && f.step() >= step)) return f;
          ahead = null; // a step whose share was empty
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The next frame: {@link StepFrames#END}, or weights, their values read into the array. */
    private StepFrames.Frame read() throws IOException {
      StepFrames.Frame f = StepFrames.header(ch, maxPayload);
      if (f.kind() == StepFrames.WEIGHTS) {
        long t0 = System.nanoTime();
        Wire.receive(ch, f.length(), flat, values, chunk);
        readNanos = System.nanoTime() - t0;
      } else if (f.kind() != StepFrames.END || f.length() != 0) {
        throw new IOException("unexpected frame of kind " + f.kind() + " (" + f.length()
            + " bytes) while waiting for weights");
      }
      return f;
    }
  }
}
