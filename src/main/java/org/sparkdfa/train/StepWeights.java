package org.sparkdfa.train;

import java.io.Serializable;
import org.sparkdfa.nn.Precision;

/**
 * One step's weights as broadcast to the tasks: {@link Wire} bytes (float32 ships floats, half
 * the bytes, which is what sgemm reads), plus the decoded array the tasks compute with. The
 * driver builds both; in local mode its tasks read the driver's own instance and decode nothing,
 * while an executor JVM decodes once per broadcast, not once per task.
 */
final class StepWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] wire;
  private final boolean single;
  private transient volatile Object values;

  /** A snapshot of {@code params} in the given precision (later changes to params do not leak in). */
  StepWeights(double[] params, Precision precision) {
    this.single = precision == Precision.FLOAT32;
    Object v = inPrecision(params, precision);
    if (v instanceof float[] f) {
      this.values = f;
      this.wire = Wire.encode(f);
    } else {
      this.values = params.clone();
      this.wire = Wire.encode(params);
    }
  }

  /** The weights as the math core takes them: params itself in float64, a float copy in float32. */
  static Object inPrecision(double[] params, Precision precision) {
    if (precision != Precision.FLOAT32) return params;
    float[] f = new float[params.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) params[i];
    return f;
  }

  /** double[] in float64, float[] in float32: what {@link StepContext} computes with. */
  Object values() {
    Object v = values;
    if (v == null) {
      synchronized (this) {
        if (values == null) values = single ? Wire.decodeFloats(wire) : Wire.decodeDoubles(wire);
        v = values;
      }
    }
    return v;
  }
}
