package org.sparkdfa.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Input distributions of {@link SparseParity}. */
public enum ParityDistribution {
  /** Every bit uniform and independent. */
  UNIFORM("uniform"),
  /**
   * Daniely &amp; Malach (NeurIPS 2020): with probability 1/2 uniform; with probability 1/2 the k
   * secret coordinates share one random sign and the other coordinates are uniform.
   */
  MIXTURE("mixture");

  private final String id;

  ParityDistribution(String id) {
    this.id = id;
  }

  /** The name used in options and metadata. */
  public String id() {
    return id;
  }

  /** Valid names, comma separated. */
  public static String validNames() {
    return Arrays.stream(values()).map(ParityDistribution::id).collect(Collectors.joining(", "));
  }

  /** Parses a name (case-insensitive); unknown names are rejected with the list of valid ones. */
  public static ParityDistribution parse(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "distribution must be one of [" + validNames() + "], got " + (name == null ? "null" : "'" + name + "'"));
    }
    String s = name.trim().toLowerCase(Locale.ROOT);
    for (ParityDistribution d : values()) {
      if (d.id.equals(s)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown distribution '" + name + "'; valid distributions: " + validNames());
  }

  @Override
  public String toString() {
    return id;
  }
}
