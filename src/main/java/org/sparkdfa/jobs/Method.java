package org.sparkdfa.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The methods the parity experiment compares; {@link Methods} builds their estimators. */
public enum Method {
  BP("bp", "BP", "MLP trained by backpropagation"),
  DFA("dfa", "DFA", "MLP trained by direct feedback alignment"),
  FA("fa", "FA", "MLP trained by feedback alignment (equal to DFA with one hidden layer)"),
  GALU("galu", "GaLU", "gated linear units with frozen random gates (NTK regime)"),
  RF_GAUSSIAN("rf-gaussian", "RF gaussian", "random Fourier features cos(Wx + b), output trained"),
  RF_RELU("rf-relu", "RF relu", "random ReLU features, output trained"),
  RF_LINEAR("rf-linear", "RF linear", "random linear features, output trained");

  private final String id;
  private final String display;
  private final String description;

  Method(String id, String display, String description) {
    this.id = id;
    this.display = display;
    this.description = description;
  }

  /** The name used in configs, metrics and file names. */
  public String id() {
    return id;
  }

  /** The name used in tables and plot legends. */
  public String display() {
    return display;
  }

  public String description() {
    return description;
  }

  /** True for BP, DFA and FA, whose every layer learns (they get t-SNE pictures). */
  public boolean trainsAllLayers() {
    return this == BP || this == DFA || this == FA;
  }

  /**
   * True for BP, DFA and FA, whose alignment diagnostics measure the rule's update against the
   * true gradient (for BP: DFA's rule with a random B, the control).
   */
  public boolean measuresAlignment() {
    return this == BP || this == DFA || this == FA;
  }

  public static String validNames() {
    return Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", "));
  }

  public static Method parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Method m : values()) {
      if (m.id.equals(n)) return m;
    }
    throw new ParityConfig.BadConfigException("unknown method '" + name + "' in experiment.methods;"
        + " valid methods: " + validNames());
  }
}
