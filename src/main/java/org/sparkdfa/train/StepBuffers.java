package org.sparkdfa.train;

import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkdfa.nn.Precision;

/**
 * Parameter-sized arrays reused from step to step of one fit on a local master: the gradient
 * arrays the tasks park in the {@link LocalExchange} come back here once the driver has summed
 * them, and the float32 copy of the weights is rewritten in place. Without it every step
 * allocates two or three multi-megabyte arrays; G1 treats each as a humongous object, and with
 * a large cache in the heap every such allocation starts a concurrent marking cycle that takes
 * CPU from the tasks (hundreds of cycles per benchmark minute were measured).
 *
 * <p>Lives in the exchange under its own owner for the length of the fit; tasks reach it by id.
 * Idle arrays are capped at what two steps in flight use: two per partition, plus one.
 */
final class StepBuffers implements AutoCloseable {
  private final long owner;
  private final long id;
  private final Pool pool;
  private float[] weights32;

  private StepBuffers(long owner, long id, Pool pool) {
    this.owner = owner;
    this.id = id;
    this.pool = pool;
  }

  /**
   * Buffers for one fit on a local master, or {@link #NONE} when the tasks run in other JVMs
   * (or the user switched the exchange off): this is where the transport is decided.
   */
  static StepBuffers open(JavaSparkContext jsc, int numParams, Precision precision,
      int partitions) {
    if (!LocalExchange.usable(jsc.sc())) return NONE;
    // Two steps' shares can be out at once (StepJobs runs the next step's job ahead), one array
    // per partition each; a smaller cap would drop and reallocate arrays every step.
    return local(numParams, precision, 2 * Math.max(1, partitions) + 1);
  }

  /** Buffers registered in this JVM's exchange, keeping at most {@code maxIdle} idle arrays. */
  static StepBuffers local(int numParams, Precision precision, int maxIdle) {
    long owner = LocalExchange.newOwner();
    Pool pool = new Pool(numParams, precision == Precision.FLOAT32, maxIdle);
    return new StepBuffers(owner, LocalExchange.put(owner, pool), pool);
  }

  /** Idle arrays waiting for the next step (tests). */
  int idle() {
    return pool == null ? 0 : pool.idle.size();
  }

  /** Tasks run in other JVMs: weights are broadcast and gradients travel as bytes. */
  static final StepBuffers NONE = new StepBuffers(0, 0, null);

  /** Whether the fit's weights and gradients travel by reference (decided once per fit). */
  boolean byReference() {
    return pool != null;
  }

  /** The pool's exchange id (0 for NONE), carried by the step's ticket. */
  long id() {
    return id;
  }

  /**
   * The weights as the step's tasks read them: {@code params} itself in float64; in float32 a
   * float copy rewritten in place each step (the previous step's tasks are done with it).
   */
  Object weights(double[] params, Precision precision) {
    if (precision != Precision.FLOAT32) return params;
    if (weights32 == null || weights32.length != params.length) {
      weights32 = new float[params.length];
    }
    for (int i = 0; i < params.length; i++) weights32[i] = (float) params[i];
    return weights32;
  }

  @Override
  public void close() {
    if (pool != null) LocalExchange.release(owner);
  }

  /** A zeroed gradient array from the pool with exchange id {@code id}. */
  static Object zeroed(long id) {
    return ((Pool) LocalExchange.get(id)).zeroed();
  }

  /** Hands {@code array} back to the pool with exchange id {@code id}, if the fit is still on. */
  static void giveBack(long id, Object array) {
    if (id != 0 && array != null && LocalExchange.contains(id)) {
      ((Pool) LocalExchange.get(id)).giveBack(array);
    }
  }

  private static final class Pool {
    private final int length;
    private final boolean single;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();

    Pool(int length, boolean single, int maxIdle) {
      this.length = length;
      this.single = single;
      this.maxIdle = maxIdle;
    }

    Object zeroed() {
      Object a = idle.pollFirst();
      if (a == null) return single ? new float[length] : new double[length];
      if (a instanceof float[] f) {
        java.util.Arrays.fill(f, 0f);
      } else {
        java.util.Arrays.fill((double[]) a, 0.0);
      }
      return a;
    }

    void giveBack(Object a) {
      if (idle.size() < maxIdle) idle.offerFirst(a);
    }
  }
}
