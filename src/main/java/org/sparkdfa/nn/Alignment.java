package org.sparkdfa.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Alignment diagnostics: how closely a feedback rule's hidden signals follow backpropagation's on
 * one fixed block of examples (the probe). For every hidden layer k whose incoming weight layer is
 * trainable, two figures compare the rule's delta δ̃_k = (B_k e) ⊙ f'(a_k) with BP's true delta
 * δ_k = (W_{k+1}ᵀ δ_{k+1}) ⊙ f'(a_k), both at the same weights and on the same forward pass:
 * <ul>
 *   <li>the cosine between the two delta vectors of each example (a column of the h_k × m delta
 *       block), as mean and standard deviation over the examples. An example whose delta is all
 *       zero under either rule (a zero error, a zero row weight, every ReLU of the layer off) has
 *       no direction: it is skipped and counted in {@link LayerAlignment#skippedRows};</li>
 *   <li>the angle in degrees between the layer's gradient under the rule and under BP: the
 *       weights and bias of weight layer k as one vector, summed over the probe examples (the
 *       direction of the update the rule would make, before the optimizer and any L2 term).</li>
 * </ul>
 * Both come from two calls of {@link Network#gradient}, one per rule. Nothing here knows about
 * Spark.
 */
public final class Alignment {
  private Alignment() {}

  /**
   * The alignment of one hidden layer.
   *
   * @param hiddenLayer 1-based hidden layer index (1 = the layer after the input)
   * @param cosMean     mean per-example cosine between the rule's delta and BP's (NaN when every
   *                    example was skipped)
   * @param cosStd      population standard deviation of those cosines (NaN when every example
   *                    was skipped)
   * @param rows        examples whose cosine entered the mean
   * @param skippedRows examples skipped because a delta was all zero
   * @param angleDeg    angle in [0, 180] degrees between the layer's summed gradient (weights and
   *                    bias) under the rule and under BP; NaN when either gradient is zero
   */
  public record LayerAlignment(int hiddenLayer, double cosMean, double cosStd, int rows,
      int skippedRows, double angleDeg) {}

  /**
   * Whether hidden layer k (0-based) can be measured: its incoming weight layer is trained, so it
   * has a delta and a gradient (random features freeze the first layer: nothing to align there).
   */
  public static boolean measurable(NetworkSpec spec, int k) {
    return k >= 0 && k < spec.numHidden() && spec.trainable(k);
  }

  /** Whether any hidden layer of the spec can be measured. */
  public static boolean anyMeasurable(NetworkSpec spec) {
    for (int k = 0; k < spec.numHidden(); k++) {
      if (measurable(spec, k)) return true;
    }
    return false;
  }

  /**
   * Compares {@code feedback} with backpropagation on the first m columns of the probe block.
   *
   * @param x       features, d × m column-major
   * @param labels  m labels
   * @param weights m row weights, or null for all ones
   * @return one entry per {@linkplain #measurable measurable} hidden layer, lowest first (empty
   *         when there is none)
   */
  public static List<LayerAlignment> measure(Network network, double[] params, double[] x,
      double[] labels, double[] weights, int m, Feedback feedback) {
    NetworkSpec spec = network.spec();
    List<LayerAlignment> out = new ArrayList<>();
    if (!anyMeasurable(spec) || m <= 0) return out;
    Workspace bp = network.newWorkspace(m);
    Workspace rule = network.newWorkspace(m);
    double[] gradBp = new double[spec.numParams()];
    double[] gradRule = new double[spec.numParams()];
    network.gradient(params, x, labels, weights, m, Feedback.BACKPROP, gradBp, bp);
    network.gradient(params, x, labels, weights, m, feedback, gradRule, rule);
    for (int k = 0; k < spec.numHidden(); k++) {
      if (!measurable(spec, k)) continue;
      int h = spec.size(k + 1);
      double[] a = rule.delta(k);
      double[] b = bp.delta(k);
      double sum = 0;
      double sumSq = 0;
      int used = 0;
      for (int col = 0; col < m; col++) {
        double c = cosine(a, b, col * h, col * h + h);
        if (Double.isNaN(c)) continue;
        sum += c;
        sumSq += c * c;
        used++;
      }
      double mean = used > 0 ? sum / used : Double.NaN;
      double std = used > 0 ? Math.sqrt(Math.max(0, sumSq / used - mean * mean)) : Double.NaN;
      int from = spec.weightOffset(k);
      int to = spec.biasOffset(k) + h;
      double angle = angleDegrees(gradRule, gradBp, from, to);
      out.add(new LayerAlignment(k + 1, mean, std, used, m - used, angle));
    }
    return out;
  }

  /**
   * Cosine between a[from..to) and b[from..to), clamped to [−1, 1]; NaN when either slice is all
   * zero.
   */
  static double cosine(double[] a, double[] b, int from, int to) {
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = from; i < to; i++) {
      dot += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    if (aa == 0 || bb == 0) return Double.NaN;
    // sqrt(aa·bb) rather than sqrt(aa)·sqrt(bb): identical vectors give exactly 1.
    double norm = Math.sqrt(aa * bb);
    if (!(norm > 0) || Double.isInfinite(norm)) norm = Math.sqrt(aa) * Math.sqrt(bb);
    return Math.max(-1.0, Math.min(1.0, dot / norm));
  }

  /** Angle in degrees between a[from..to) and b[from..to); NaN when either is all zero. */
  static double angleDegrees(double[] a, double[] b, int from, int to) {
    double c = cosine(a, b, from, to);
    return Double.isNaN(c) ? Double.NaN : Math.toDegrees(Math.acos(c));
  }
}
