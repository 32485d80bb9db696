package org.sparkdfa.nn;

import java.io.Serializable;

/**
 * Feedback alignment (Lillicrap et al. 2016): hidden layer k receives the delta of the layer
 * above through a fixed random matrix in place of that layer's transposed weights,
 * δ_k = (B_{k+1} δ_{k+1}) ⊙ f'(a_k). The output layer keeps its true gradient.
 *
 * <p>Each matrix is stored shaped like the weights it stands in for, W_{k+1} (size(k+2) ×
 * size(k+1), column-major), and applied transposed — exactly the product BP computes with
 * W_{k+1}, so FA with B_{k+1} = W_{k+1}ᵀ is BP bit for bit. Its entries are drawn as
 * {@link DirectFeedback} draws a size(k+1) × size(k+2) matrix from (seed, k), then transposed:
 * with one hidden layer (size(k+2) = c) FA's matrix is DFA's, and the two rules coincide.
 */
public final class FeedbackAlignment implements Feedback, Serializable {
  private static final long serialVersionUID = 1L;

  private final FeedbackMatrices matrices;

  /** Uses the given matrices; {@code matrices[k]} is shaped like W_{k+1}, column-major. */
  public FeedbackAlignment(NetworkSpec spec, double[][] matrices) {
    if (matrices.length != spec.numHidden()) {
      throw new IllegalArgumentException("FA needs one feedback matrix per hidden layer ("
          + spec.numHidden() + "), got " + matrices.length);
    }
    for (int k = 0; k < matrices.length; k++) {
      int expected = spec.size(k + 2) * spec.size(k + 1);
      if (matrices[k].length != expected) {
        throw new IllegalArgumentException("feedback matrix " + k + " must be shaped like "
            + "weight layer " + (k + 1) + " (" + spec.size(k + 2) + " × " + spec.size(k + 1)
            + " = " + expected + " entries), got " + matrices[k].length);
      }
    }
    this.matrices = new FeedbackMatrices(matrices);
  }

  /** Draws every matrix from (seed, k); same distributions and scale as DFA. */
  public static FeedbackAlignment random(NetworkSpec spec, String distribution, double scale,
      long seed) {
    return random(spec, distribution, "glorot", scale, seed);
  }

  /**
   * Draws every matrix from (seed, k) with the given normalization of
   * {@link DirectFeedback#NORMALIZATIONS} (fan-in: ∝ 1/√ of the size of the layer above, whose
   * delta is fed back; fan-out: ∝ 1/√h_k).
   */
  public static FeedbackAlignment random(NetworkSpec spec, String distribution,
      String normalization, double scale, long seed) {
    double[][] b = new double[spec.numHidden()][];
    for (int k = 0; k < b.length; k++) {
      int h = spec.size(k + 1);
      int above = spec.size(k + 2);
      b[k] = transpose(DirectFeedback.draw(distribution, normalization, scale, seed, k, h, above),
          h, above);
    }
    return new FeedbackAlignment(spec, b);
  }

  /** FA whose matrices are the given weights' own (B_{k+1} = W_{k+1}ᵀ): backpropagation. */
  public static FeedbackAlignment ofWeights(NetworkSpec spec, double[] params) {
    double[][] b = new double[spec.numHidden()][];
    for (int k = 0; k < b.length; k++) {
      int from = spec.weightOffset(k + 1);
      b[k] = java.util.Arrays.copyOfRange(params, from, from + spec.size(k + 2) * spec.size(k + 1));
    }
    return new FeedbackAlignment(spec, b);
  }

  /** A copy of the matrix standing in for W_{k+1} (shaped like it, column-major). */
  public double[] matrix(int k) {
    return matrices.copy(k);
  }

  public int numMatrices() {
    return matrices.size();
  }

  @Override
  public <A> void signal(Numeric<A> num, NetworkSpec spec, A params, int k, A deltaAbove,
      A error, int m, A out) {
    int rows = spec.size(k + 1);
    int above = spec.size(k + 2);
    A b = matrices.get(num, k);
    num.gemm("T", "N", rows, m, above, b, 0, above, deltaAbove, 0, above, 0.0, out, 0, rows);
  }


  @Override
  public boolean needsDeltaAbove() {
    return true;
  }

  /** Names the rule and fingerprints the matrices (checkpoints must resume with the same B). */
  @Override
  public String toString() {
    return "fa(B#" + matrices.fingerprint() + ")";
  }

  /** The cols × rows transpose of a rows × cols column-major matrix. */
  private static double[] transpose(double[] a, int rows, int cols) {
    double[] t = new double[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) t[j + cols * i] = a[i + rows * j];
    }
    return t;
  }
}
