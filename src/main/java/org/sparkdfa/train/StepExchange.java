package org.sparkdfa.train;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkdfa.nn.Precision;

/**
 * How one step's weights reach the tasks and their gradients come back. On a local master the
 * tasks run in the driver's JVM, so both travel by reference through {@link LocalExchange};
 * otherwise the weights are broadcast as {@link Wire} bytes and each task returns its gradient
 * as bytes. Either way the tasks compute the same numbers: the choice moves bytes, not math.
 * Closing the exchange (after the job) destroys the broadcast or drops the parked objects.
 */
final class StepExchange implements AutoCloseable {
  private final Ticket ticket;
  private final Broadcast<StepWeights> broadcast;
  /** The gate of weights published after the job was submitted; null when given at once. */
  private final WeightsGate gate;
  private final Precision precision;
  private final StepBuffers buffers;

  private StepExchange(Ticket ticket, Broadcast<StepWeights> broadcast, WeightsGate gate,
      Precision precision, StepBuffers buffers) {
    this.ticket = ticket;
    this.broadcast = broadcast;
    this.gate = gate;
    this.precision = precision;
    this.buffers = buffers;
  }

  /**
   * Sends {@code params} out for one job, by reference when {@code buffers} are (a local
   * master), as a broadcast otherwise. A lent array must not change until {@link #close()}.
   */
  static StepExchange open(JavaSparkContext jsc, double[] params, Precision precision,
      StepBuffers buffers) {
    if (buffers.byReference()) return lend(params, precision, buffers);
    Broadcast<StepWeights> b = jsc.broadcast(StepWeights.shipped(params, precision));
    return new StepExchange(new Ticket(b, null, 0, 0), b, null, precision, buffers);
  }

  /**
   * Lends {@code params} (in float32 the buffers' float copy) to tasks of this JVM through the
   * LocalExchange; their gradients come back parked in arrays of {@code buffers}.
   */
  static StepExchange lend(double[] params, Precision precision, StepBuffers buffers) {
    long owner = LocalExchange.newOwner();
    StepWeights lent = StepWeights.lent(buffers.weights(params, precision), owner);
    return new StepExchange(new Ticket(null, lent, owner, buffers.id()), null, null, precision,
        buffers);
  }

  /**
   * Like {@link #lend}, for weights that do not exist yet: the tasks wait at a gate until
   * {@link #publish} (or return empty shares after {@link #abandon}). Local master only.
   */
  static StepExchange gated(Precision precision, StepBuffers buffers) {
    if (!buffers.byReference()) {
      throw new IllegalStateException("gated weights need tasks in the driver's JVM");
    }
    long owner = LocalExchange.newOwner();
    WeightsGate gate = new WeightsGate();
    StepWeights w = StepWeights.gated(gate, owner, precision == Precision.FLOAT32);
    return new StepExchange(new Ticket(null, w, owner, buffers.id()), null, gate, precision,
        buffers);
  }

  /**
   * Opens the gate with {@code params} (lent as by {@link #lend}: unchanged until this exchange
   * is closed).
   */
  void publish(double[] params) {
    gate.publish(buffers.weights(params, precision));
  }

  /** Opens the gate without weights: the step's tasks return empty shares. */
  void abandon() {
    if (gate != null) gate.abandon();
  }

  /** True when weights and gradients travel by reference (tasks in the driver's JVM). */
  boolean byReference() {
    return broadcast == null;
  }

  /** What the job's closure captures: small whichever way the weights travel. */
  Ticket ticket() {
    return ticket;
  }

  @Override
  public void close() {
    abandon(); // a no-op once published; never leaves a task waiting for weights
    if (broadcast != null) {
      broadcast.destroy();
    } else {
      LocalExchange.release(ticket.owner);
    }
  }

  /** The task side: where to read the weights and how to hand a gradient back. */
  static final class Ticket implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<StepWeights> broadcast;
    private final StepWeights parked;
    /** The LocalExchange owner of this step's objects; 0 when they travel as bytes. */
    private final long owner;
    /** The exchange id of the fit's {@link StepBuffers}; 0 when gradients travel as bytes. */
    private final long buffers;

    private Ticket(Broadcast<StepWeights> broadcast, StepWeights parked, long owner,
        long buffers) {
      this.broadcast = broadcast;
      this.parked = parked;
      this.owner = owner;
      this.buffers = buffers;
    }

    /** The weights in the context's precision (double[] or float[]). */
    Object weights() {
      return (parked != null ? parked : broadcast.value()).values();
    }

    /**
     * Partition p's share of the step, ready to leave the task: parked by reference in an array
     * of the fit's StepBuffers (the driver hands it back once summed), or packed as bytes from
     * the task's pooled scratch.
     */
    GradientSum share(StepContext ctx, PartitionData p, int epoch, int step, int stepsPerEpoch) {
      if (owner != 0) {
        return ctx.shareGradientInto(p, this::weights, epoch, step, stepsPerEpoch,
            StepBuffers.zeroed(buffers)).parked(owner, buffers);
      }
      return ctx.shareGradientPacked(p, this::weights, epoch, step, stepsPerEpoch);
    }
  }
}
