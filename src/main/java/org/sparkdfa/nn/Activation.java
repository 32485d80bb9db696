package org.sparkdfa.nn;

import java.util.Locale;

/**
 * Hidden-layer nonlinearities. Each works in place on a column-major block and computes its
 * derivative from the layer's <em>output</em> z = f(a), so the forward pass keeps one buffer per
 * layer. {@link #COS} (random Fourier features) is the exception: its derivative needs the input,
 * so it is allowed only where no delta has to flow through it (a frozen first layer).
 */
public enum Activation {
  // Branch-free loops: C2 vectorizes Math.max/min but not the if-forms, which took 2.3 ms per
  // 512 × 1024 block each against 0.08 / 0.26 ms (docs/BENCHMARKS.md, kernel breakdown).
  // The derivative maps z > 0 to 1 and z ≤ 0 to 0 by scaling z past the smallest subnormal
  // (2^-1074 · 2^1074 = 1) and clamping at 1.
  RELU("relu") {
    @Override void apply(double[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = Math.max(z[i], 0.0);
    }
    @Override void multiplyDerivative(double[] z, double[] delta, int len) {
      for (int i = 0; i < len; i++) {
        delta[i] *= Math.min(Math.max(z[i], 0.0) * TWO_1023 * TWO_51, 1.0);
      }
    }
    @Override void apply(float[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = Math.max(z[i], 0f);
    }
    @Override void multiplyDerivative(float[] z, float[] delta, int len) {
      for (int i = 0; i < len; i++) {
        delta[i] *= Math.min(Math.max(z[i], 0f) * TWO_127F * TWO_22F, 1f);
      }
    }
  },
  SIGMOID("sigmoid") {
    @Override void apply(double[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = Losses.sigmoid(z[i]);
    }
    @Override void multiplyDerivative(double[] z, double[] delta, int len) {
      for (int i = 0; i < len; i++) delta[i] *= z[i] * (1 - z[i]);
    }
    @Override void apply(float[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = (float) Losses.sigmoid(z[i]);
    }
    @Override void multiplyDerivative(float[] z, float[] delta, int len) {
      for (int i = 0; i < len; i++) delta[i] *= z[i] * (1 - z[i]);
    }
  },
  TANH("tanh") {
    @Override void apply(double[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = Math.tanh(z[i]);
    }
    @Override void multiplyDerivative(double[] z, double[] delta, int len) {
      for (int i = 0; i < len; i++) delta[i] *= 1 - z[i] * z[i];
    }
    @Override void apply(float[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = (float) Math.tanh(z[i]);
    }
    @Override void multiplyDerivative(float[] z, float[] delta, int len) {
      for (int i = 0; i < len; i++) delta[i] *= 1 - z[i] * z[i];
    }
  },
  IDENTITY("identity") {
    @Override void apply(double[] z, int len) {}
    @Override void multiplyDerivative(double[] z, double[] delta, int len) {}
    @Override void apply(float[] z, int len) {}
    @Override void multiplyDerivative(float[] z, float[] delta, int len) {}
  },
  /** cos(a): random Fourier features (Rahimi &amp; Recht 2007). Forward only. */
  COS("cos") {
    @Override void apply(double[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = Math.cos(z[i]);
    }
    @Override boolean hasDerivativeFromOutput() {
      return false;
    }
    @Override void multiplyDerivative(double[] z, double[] delta, int len) {
      throw new UnsupportedOperationException(
          "cos has no derivative from its output; use it only in a frozen first layer");
    }
    @Override void apply(float[] z, int len) {
      for (int i = 0; i < len; i++) z[i] = (float) Math.cos(z[i]);
    }
    @Override void multiplyDerivative(float[] z, float[] delta, int len) {
      throw new UnsupportedOperationException(
          "cos has no derivative from its output; use it only in a frozen first layer");
    }
  };

  private final String paramName;

  Activation(String paramName) {
    this.paramName = paramName;
  }

  /** The lower-case name used in params and configs. */
  public String paramName() {
    return paramName;
  }

  private static final double TWO_1023 = 0x1p1023;
  private static final double TWO_51 = 0x1p51;
  private static final float TWO_127F = 0x1p127f;
  private static final float TWO_22F = 0x1p22f;

  /** z[0..len) = f(z[0..len)), in place. */
  abstract void apply(double[] z, int len);

  /** delta[i] *= f'(a_i), with f' expressed through z = f(a). */
  abstract void multiplyDerivative(double[] z, double[] delta, int len);

  /** Single-precision twin of {@link #apply(double[], int)}. */
  abstract void apply(float[] z, int len);

  /** Single-precision twin of {@link #multiplyDerivative(double[], double[], int)}. */
  abstract void multiplyDerivative(float[] z, float[] delta, int len);

  /**
   * z[0..len) = f(z[0..len)) in place: the loop the forward pass runs, for callers outside the
   * package (the kernel benchmark times it on its own).
   */
  public void applyInPlace(double[] z, int len) {
    checkLength("z", z, len);
    apply(z, len);
  }

  /**
   * delta[i] *= f'(a_i) for i &lt; len, f' taken from the layer's output z = f(a): the loop the
   * backward pass runs, for callers outside the package. Refused for {@link #COS}.
   */
  public void multiplyDerivativeInPlace(double[] z, double[] delta, int len) {
    checkLength("z", z, len);
    checkLength("delta", delta, len);
    multiplyDerivative(z, delta, len);
  }

  private void checkLength(String name, double[] a, int len) {
    if (len < 0 || len > a.length) {
      throw new IllegalArgumentException(paramName + ": len " + len + " is outside " + name
          + " of length " + a.length + "; pass 0 <= len <= " + name + ".length");
    }
  }

  boolean hasDerivativeFromOutput() {
    return true;
  }

  /** Names accepted by {@link #fromName}: the hidden activations users may choose. */
  public static final String[] HIDDEN_NAMES = {"relu", "sigmoid", "tanh", "identity"};

  /** Parses a user-facing hidden activation name; the error lists the valid ones. */
  public static Activation fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Activation a : values()) {
      if (a != COS && a.paramName.equals(n)) return a;
    }
    throw new IllegalArgumentException("Unknown hidden activation '" + name
        + "'; use one of " + String.join(", ", HIDDEN_NAMES));
  }
}
