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
 * Both come from two calls of {@link Network#gradient}, one per rule, as does the ratio of the two
 * deltas' norms. {@link #weightAngles} measures the mechanism instead of its effect: how far the
 * forward weights have turned towards the fixed feedback matrices. Nothing here knows about
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
   * @param normRatio   ‖δ̃_k‖ / ‖δ_k‖ over the whole probe block (Frobenius norms): how large the
   *                    rule's signal is against BP's delta; NaN when BP's delta is all zero
   */
  public record LayerAlignment(int hiddenLayer, double cosMean, double cosStd, int rows,
      int skippedRows, double angleDeg, double normRatio) {}

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
      double bpNorm = norm(b, 0, h * m);
      double ratio = bpNorm > 0 ? norm(a, 0, h * m) / bpNorm : Double.NaN;
      out.add(new LayerAlignment(k + 1, mean, std, used, m - used, angle, ratio));
    }
    return out;
  }

  /**
   * Weight alignment of every hidden layer: the angle in degrees between the fixed feedback matrix
   * the rule uses in place of the transposed forward weights and those weights at {@code params},
   * each matrix taken as one vector (Frobenius inner product).
   * <ul>
   *   <li>DFA ({@link DirectFeedback}): hidden layer k receives B_k e where BP sends
   *       W_{k+1}ᵀ⋯W_Lᵀ e (ignoring the activation derivatives in between), so the angle is
   *       between B_k (h_k × c) and the product W_{k+1}ᵀ⋯W_Lᵀ — for the last hidden layer
   *       W_Lᵀ;</li>
   *   <li>FA ({@link FeedbackAlignment}): hidden layer k receives B_{k+1} δ_{k+1} where BP uses
   *       W_{k+1}ᵀ δ_{k+1}, so the angle is between B_{k+1} and W_{k+1}ᵀ.</li>
   * </ul>
   * 0° means the feedback is what BP would send; a random matrix is near 90° from any fixed
   * one in high dimension. Entry k (0-based hidden layer) is NaN for a layer that is not
   * {@linkplain #measurable measurable}, for a zero matrix, and for any other rule (BP has no
   * feedback matrix).
   */
  public static double[] weightAngles(NetworkSpec spec, double[] params, Feedback feedback) {
    int hidden = spec.numHidden();
    double[] out = new double[hidden];
    java.util.Arrays.fill(out, Double.NaN);
    if (feedback instanceof DirectFeedback dfa) {
      int c = spec.outputs();
      // P_k = W_{k+1}ᵀ P_{k+1}, h_k × c, built from the top: P_{L-1} = W_Lᵀ.
      double[] p = null;
      for (int k = hidden - 1; k >= 0; k--) {
        p = k == hidden - 1 ? transposedWeights(spec, params, k + 1)
            : multiplyTransposed(spec, params, k + 1, p, c);
        if (measurable(spec, k)) {
          out[k] = angleDegrees(dfa.matrix(k), p, 0, p.length);
        }
      }
    } else if (feedback instanceof FeedbackAlignment fa) {
      for (int k = 0; k < hidden; k++) {
        if (!measurable(spec, k)) continue;
        // B_{k+1} is stored shaped like W_{k+1}: the angle to W_{k+1} is the one to W_{k+1}ᵀ.
        int from = spec.weightOffset(k + 1);
        int len = spec.size(k + 2) * spec.size(k + 1);
        double[] w = java.util.Arrays.copyOfRange(params, from, from + len);
        out[k] = angleDegrees(fa.matrix(k), w, 0, len);
      }
    }
    return out;
  }

  /** W_jᵀ of weight layer j (0-based; W_j is size(j+1) × size(j)), size(j) × size(j+1). */
  private static double[] transposedWeights(NetworkSpec spec, double[] params, int j) {
    int rows = spec.size(j + 1);
    int cols = spec.size(j);
    int off = spec.weightOffset(j);
    double[] t = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int col = 0; col < cols; col++) t[col + cols * i] = params[off + i + rows * col];
    }
    return t;
  }

  /** W_jᵀ P for P of size(j+1) × c (column-major): size(j) × c. */
  private static double[] multiplyTransposed(NetworkSpec spec, double[] params, int j, double[] p,
      int c) {
    int rows = spec.size(j + 1);
    int cols = spec.size(j);
    int off = spec.weightOffset(j);
    double[] out = new double[cols * c];
    for (int o = 0; o < c; o++) {
      for (int col = 0; col < cols; col++) {
        double s = 0;
        int w = off + rows * col;
        for (int i = 0; i < rows; i++) s += params[w + i] * p[i + rows * o];
        out[col + cols * o] = s;
      }
    }
    return out;
  }

  /** Euclidean norm of a[from..to). */
  static double norm(double[] a, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) s += a[i] * a[i];
    return Math.sqrt(s);
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
