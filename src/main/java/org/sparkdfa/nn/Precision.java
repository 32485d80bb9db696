package org.sparkdfa.nn;

import java.util.Locale;

/**
 * Arithmetic precision of the blocks, the weights in a step and the gemm: float64 (dgemm) or
 * float32 (sgemm, twice the flops per cycle and half the memory traffic). The driver's master
 * weights and optimizer state follow the fit's update precision (TrainingConfig.masterPrecision).
 */
public enum Precision {
  FLOAT64("float64", 8),
  FLOAT32("float32", 4);

  private final String paramName;
  private final int bytes;

  Precision(String paramName, int bytes) {
    this.paramName = paramName;
    this.bytes = bytes;
  }

  public String paramName() {
    return paramName;
  }

  /** Bytes per value. */
  public int bytes() {
    return bytes;
  }

  public static final String[] NAMES = {"float64", "float32"};

  public static Precision fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Precision p : values()) {
      if (p.paramName.equals(n)) return p;
    }
    throw new IllegalArgumentException("Unknown precision '" + name + "'; use one of "
        + String.join(", ", NAMES));
  }
}
