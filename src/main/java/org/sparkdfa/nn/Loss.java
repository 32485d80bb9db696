package org.sparkdfa.nn;

import java.util.Locale;

/**
 * Output layer + loss, as one unit: the output layer is affine, and the loss includes the output
 * nonlinearity, so the error e = ∂loss/∂a_L is simple and stable (BCE from logits, softmax through
 * log-sum-exp). Per-example losses are multiplied by the row weight; {@link #lossAndError} returns
 * sums, never means, so partition results add up exactly.
 */
public enum Loss {
  /** Sigmoid + binary cross-entropy; 1 output, labels 0/1. ℓ = softplus(a) − y·a. */
  BCE("bce") {
    @Override double lossAndError(double[] out, int c, int col, double y, double w, double[] e,
        double delta) {
      double a = out[col];
      e[col] = w * (Losses.sigmoid(a) - y);
      return w * (Losses.softplus(a) - y * a);
    }
  },
  /** Softmax + cross-entropy; c ≥ 2 outputs, labels 0..c−1. ℓ = logsumexp(a) − a_y. */
  CROSS_ENTROPY("cross_entropy") {
    @Override double lossAndError(double[] out, int c, int col, double y, double w, double[] e,
        double delta) {
      int off = col * c;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) max = Math.max(max, out[off + j]);
      double sum = 0;
      for (int j = 0; j < c; j++) {
        double ex = Math.exp(out[off + j] - max);
        e[off + j] = ex;
        sum += ex;
      }
      int label = (int) y;
      for (int j = 0; j < c; j++) {
        e[off + j] = w * (e[off + j] / sum - (j == label ? 1.0 : 0.0));
      }
      return w * (max + Math.log(sum) - out[off + label]);
    }
  },
  /**
   * Identity output + squared error ½‖a − t‖²; the target t is the label itself with 1 output and
   * the one-hot label with c ≥ 2 outputs.
   */
  MSE("mse") {
    @Override double lossAndError(double[] out, int c, int col, double y, double w, double[] e,
        double delta) {
      int off = col * c;
      double loss = 0;
      for (int j = 0; j < c; j++) {
        double t = c == 1 ? y : (j == (int) y ? 1.0 : 0.0);
        double r = out[off + j] - t;
        e[off + j] = w * r;
        loss += r * r;
      }
      return 0.5 * w * loss;
    }
  },
  /**
   * Identity output + Huber loss on one output (regression): ½r² for |r| ≤ δ, δ(|r| − ½δ)
   * beyond, with r = a − y; the error is r clipped to [−δ, δ], so outliers pull with at most δ.
   */
  HUBER("huber") {
    @Override double lossAndError(double[] out, int c, int col, double y, double w, double[] e,
        double delta) {
      double r = out[col] - y;
      double a = Math.abs(r);
      e[col] = w * Math.max(-delta, Math.min(delta, r));
      return w * (a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta));
    }
  },
  /** Hinge on one output; labels 0/1 mapped to ∓1. ℓ = max(0, 1 − s·a). */
  HINGE("hinge") {
    @Override double lossAndError(double[] out, int c, int col, double y, double w, double[] e,
        double delta) {
      double s = y > 0.5 ? 1.0 : -1.0;
      double margin = 1.0 - s * out[col];
      e[col] = margin > 0 ? -w * s : 0.0;
      return margin > 0 ? w * margin : 0.0;
    }
  };

  private final String paramName;

  Loss(String paramName) {
    this.paramName = paramName;
  }

  public String paramName() {
    return paramName;
  }

  /**
   * Loss of column {@code col} of the c × m output block {@code out} (pre-activation), weighted by
   * w; writes w·∂ℓ/∂a into the same column of {@code e}.
   */
  abstract double lossAndError(double[] out, int c, int col, double y, double w, double[] e,
      double delta);

  /** Huber's δ when none is given. */
  public static final double DEFAULT_HUBER_DELTA = 1.0;

  /** Sum of weighted losses over the first m columns; e receives the weighted errors. */
  public double lossAndError(double[] out, int c, int m, double[] labels, double[] weights,
      double[] e) {
    return lossAndError(out, c, m, labels, weights, e, DEFAULT_HUBER_DELTA);
  }

  /** As above, with Huber's δ (the other losses ignore it). */
  public double lossAndError(double[] out, int c, int m, double[] labels, double[] weights,
      double[] e, double delta) {
    double total = 0;
    for (int col = 0; col < m; col++) {
      total += lossAndError(out, c, col, labels[col], weights == null ? 1.0 : weights[col], e,
          delta);
    }
    return total;
  }

  /** Whether this loss can sit on an output layer of {@code outputs} units; null when fine. */
  public String outputSizeProblem(int outputs) {
    switch (this) {
      case BCE:
      case HINGE:
        return outputs == 1 ? null : "loss '" + paramName + "' needs exactly 1 output unit (binary "
            + "labels 0/1), but layers ends with " + outputs + "; set the last layer size to 1";
      case HUBER:
        return outputs == 1 ? null : "loss 'huber' needs exactly 1 output unit (one regression "
            + "target), but layers ends with " + outputs + "; set the last layer size to 1";
      case CROSS_ENTROPY:
        return outputs >= 2 ? null : "loss 'cross_entropy' needs at least 2 output units (one per "
            + "class), but layers ends with " + outputs + "; use bce for a single output";
      default:
        return outputs >= 1 ? null : "the output layer needs at least 1 unit";
    }
  }

  /** Number of classes predicted with {@code outputs} units: 2 for single-output losses. */
  public int numClasses(int outputs) {
    return outputs == 1 ? 2 : outputs;
  }

  /** Whether label y is in this loss's domain for the given output size; null when fine. */
  public String labelProblem(double y, int outputs) {
    int classes = numClasses(outputs);
    if (Double.isNaN(y) || y != Math.rint(y) || y < 0 || y >= classes) {
      if ((this == MSE || this == HUBER) && outputs == 1) {
        return Double.isFinite(y) ? null : "label " + y + " is not finite";
      }
      return "label " + y + " is outside the domain of loss '" + paramName + "' with " + outputs
          + " output(s): expected an integer class in 0.." + (classes - 1);
    }
    return null;
  }

  public static final String[] NAMES = {"bce", "cross_entropy", "mse", "hinge", "huber"};

  /** Whether this loss regresses a real-valued target (identity output). */
  public boolean isRegression() {
    return this == MSE || this == HUBER;
  }

  public static Loss fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Loss l : values()) {
      if (l.paramName.equals(n)) return l;
    }
    throw new IllegalArgumentException("Unknown loss '" + name + "'; use one of "
        + String.join(", ", NAMES));
  }
}
