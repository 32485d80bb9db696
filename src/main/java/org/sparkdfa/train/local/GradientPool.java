package org.sparkdfa.train.local;

import java.util.concurrent.ConcurrentLinkedDeque;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.steps.ArrayHome;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * Parameter-sized arrays reused from step to step of one fit on a local master: the gradient
 * arrays the tasks sum into come back here once the driver has summed them, and the float32
 * copy of the weights is rewritten in place. Without it every step allocates two or three
 * multi-megabyte arrays; G1 treats each as a humongous object, and with a large cache in the
 * heap every such allocation starts a concurrent marking cycle that takes CPU from the tasks
 * (hundreds of cycles per benchmark minute were measured).
 *
 * <p>In float32 the driver's update writes that copy as it goes ({@link #weightsCopy}), so
 * handing the weights over is no pass of its own.
 *
 * <p>Parked in the fit's {@link LocalExchange.Scope} (tasks reach it by id) and gone with it.
 * Idle arrays are capped at what two steps in flight use.
 */
public final class GradientPool<A> implements ArrayHome<A> {
  private final Flat<A> flat;
  private final int length;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<A> idle = new ConcurrentLinkedDeque<>();
  private final long id;
  private final WeightsCopy copy;
  private A weights;
  /** Float32 master weights as the tasks read them: the master itself, or (float64) widened. */
  private A widened;
  /** The weights array {@link #weights} matches as it is (written by the update); or null. */
  private double[] copied;

  private GradientPool(LocalExchange.Scope scope, Flat<A> flat, int length, int maxIdle) {
    this.flat = flat;
    this.length = length;
    this.maxIdle = maxIdle;
    this.copy = flat.precision() == Precision.FLOAT32 ? new UpdatedCopy() : null;
    this.id = scope.put(this);
  }

  /** A pool in {@code scope} for vectors of {@code numParams}, keeping {@code maxIdle} idle. */
  public static <A> GradientPool<A> open(LocalExchange.Scope scope, Flat<A> flat, int numParams,
      int maxIdle) {
    return new GradientPool<>(scope, flat, numParams, maxIdle);
  }

  /** The pool parked under {@code id} (a task's view of its fit's pool). */
  @SuppressWarnings("unchecked")
  static <A> GradientPool<A> find(long id) {
    return (GradientPool<A>) LocalExchange.get(id);
  }

  /** The pool's exchange id, carried by the tasks' closures. */
  public long id() {
    return id;
  }

  public Flat<A> flat() {
    return flat;
  }

  /** A zeroed gradient array. */
  public A zeroed() {
    A a = idle.pollFirst();
    if (a == null) return flat.alloc(length);
    flat.zero(a);
    return a;
  }

  @Override
  public void giveBack(A array) {
    if (array != null && idle.size() < maxIdle) idle.offerFirst(array);
  }

  /**
   * The weights as the step's tasks read them: {@code params} itself in float64; in float32 a
   * float copy rewritten in place each step (the previous step's tasks are done with it).
   */
  public A weights(double[] params) {
    if (params != copied) {
      copied = null;
      weights = flat.fromParams(params, weights);
    }
    return weights;
  }

  /**
   * The float32 master weights as the step's tasks read them: {@code params} itself in float32
   * (the driver's update wrote them, the previous step's tasks are done with them); widened
   * into a reused array in float64.
   */
  public A weights(float[] params) {
    widened = flat.fromMaster(params, widened);
    return widened;
  }

  /**
   * The float32 copy for the driver's update to write ({@link WeightsCopy}); null in float64,
   * where the tasks read the weights themselves.
   */
  public WeightsCopy weightsCopy() {
    return copy;
  }

  /** The float32 copy as the update writes it. */
  private final class UpdatedCopy implements WeightsCopy {
    @Override
    public void invalidate() {
      copied = null;
      if (weights == null) weights = flat.alloc(length);
    }

    @Override
    public boolean write(double[] params, int from, int to) {
      return flat.copyChecked(params, weights, from, to);
    }

    @Override
    public void written(double[] params) {
      copied = params;
    }
  }

  /** Idle arrays waiting for the next step (tests). */
  public int idle() {
    return idle.size();
  }
}
