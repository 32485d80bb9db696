package org.sparkdfa.train;

import java.io.Serializable;
import org.sparkdfa.nn.Precision;

/**
 * One step's weights as the tasks read them: a snapshot of the driver's parameters in the
 * step's precision, either shipped as {@link Wire} bytes (float32 ships floats, half the bytes,
 * which is what sgemm reads; an executor JVM decodes once per broadcast, not once per task) or
 * lent through the driver's {@link LocalExchange} when the tasks share its JVM (nothing is
 * copied or encoded, and the object serializes to an id).
 */
final class StepWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The snapshot as bytes; null when parked. */
  private final byte[] wire;
  /** The LocalExchange id of the snapshot; 0 when shipped as bytes. */
  private final long ref;
  private final boolean single;
  private transient volatile Object values;

  private StepWeights(byte[] wire, long ref, boolean single, Object values) {
    this.wire = wire;
    this.ref = ref;
    this.single = single;
    this.values = values;
  }

  /** A snapshot of {@code params} that travels as bytes (later changes to params do not leak in). */
  static StepWeights shipped(double[] params, Precision precision) {
    Object v = snapshot(params, precision);
    return new StepWeights(v instanceof float[] f ? Wire.encode(f) : Wire.encode((double[]) v), 0,
        v instanceof float[], v);
  }

  /**
   * {@code values} (double[] or float[], the step's precision) parked in the LocalExchange under
   * {@code owner} without a copy: the caller lends the array and must not change it until the
   * step's exchange is closed (the trainer updates the weights only after its job has ended).
   */
  static StepWeights lent(Object values, long owner) {
    return new StepWeights(null, LocalExchange.put(owner, values), values instanceof float[],
        values);
  }

  private static Object snapshot(double[] params, Precision precision) {
    Object v = inPrecision(params, precision);
    return v == params ? params.clone() : v;
  }

  /** The weights as the math core takes them: params itself in float64, a float copy in float32. */
  static Object inPrecision(double[] params, Precision precision) {
    if (precision != Precision.FLOAT32) return params;
    float[] f = new float[params.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) params[i];
    return f;
  }

  /**
   * A gate parked in the LocalExchange under {@code owner}: the weights of a step whose job is
   * submitted before they exist; tasks wait in {@link #values()} until the driver opens it.
   */
  static StepWeights gated(WeightsGate gate, long owner, boolean single) {
    return new StepWeights(null, LocalExchange.put(owner, gate), single, null);
  }

  /**
   * double[] in float64, float[] in float32: what {@link StepContext} computes with. For gated
   * weights this waits for the driver to publish them, and is null if the step was abandoned.
   */
  Object values() {
    Object v = values;
    if (v != null) return v;
    if (ref != 0) {
      Object parked = LocalExchange.get(ref);
      if (parked instanceof WeightsGate gate) return gate.await(); // not cached: may be null
      values = parked;
      return parked;
    }
    synchronized (this) { // decode once per executor JVM, however many tasks ask
      if (values == null) values = single ? Wire.decodeFloats(wire) : Wire.decodeDoubles(wire);
      return values;
    }
  }
}
