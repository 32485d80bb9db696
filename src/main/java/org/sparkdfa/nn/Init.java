package org.sparkdfa.nn;

import java.util.Locale;

/** Seeded weight initialization schemes; biases start at zero. */
public enum Init {
  /** U(−r, r), r = √(6 / (in + out)) — Glorot &amp; Bengio 2010. */
  GLOROT_UNIFORM("glorot_uniform"),
  /** N(0, 2 / in) — He et al. 2015, suited to ReLU. */
  HE_NORMAL("he_normal");

  private final String paramName;

  Init(String paramName) {
    this.paramName = paramName;
  }

  public String paramName() {
    return paramName;
  }

  /** Fresh parameters for the spec; layer l's stream comes from (seed, l). */
  public double[] initialize(NetworkSpec spec, long seed) {
    double[] params = new double[spec.numParams()];
    for (int l = 0; l < spec.numWeightLayers(); l++) {
      fillLayer(spec, params, l, new SplitMix64(Seeds.mix(seed, 0x1417, l)));
    }
    return params;
  }

  /** Fills weight layer l's matrix with this scheme; its bias stays as it is. */
  public void fillLayer(NetworkSpec spec, double[] params, int l, SplitMix64 rng) {
    int in = spec.size(l);
    int out = spec.size(l + 1);
    int off = spec.weightOffset(l);
    int n = in * out;
    if (this == GLOROT_UNIFORM) {
      double r = Math.sqrt(6.0 / (in + out));
      for (int i = 0; i < n; i++) params[off + i] = rng.nextDouble(-r, r);
    } else {
      double sigma = Math.sqrt(2.0 / in);
      for (int i = 0; i < n; i++) params[off + i] = sigma * Seeds.gaussian(rng);
    }
  }

  public static final String[] NAMES = {"glorot_uniform", "he_normal"};

  public static Init fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Init i : values()) {
      if (i.paramName.equals(n)) return i;
    }
    throw new IllegalArgumentException("Unknown weight init '" + name + "'; use one of "
        + String.join(", ", NAMES));
  }
}
