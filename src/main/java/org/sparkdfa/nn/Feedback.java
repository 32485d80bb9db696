package org.sparkdfa.nn;

/**
 * The one seam between backpropagation and direct feedback alignment: the signal that reaches
 * hidden layer k before it is multiplied by f'(a_k). BP sends W_{k+1}ᵀ δ_{k+1}; DFA sends B_k e.
 * Everything else (forward, output error, weight gradients) is shared.
 */
public interface Feedback extends java.io.Serializable {

  /**
   * Writes into {@code out} (size(k+1) × m, column-major) the signal for hidden layer k.
   *
   * @param deltaAbove δ of weight layer k+1 (already final)
   * @param error      e = ∂loss/∂a_L of the output layer (c × m)
   */
  <A> void signal(Numeric<A> num, NetworkSpec spec, A params, int k, A deltaAbove, A error,
      int m, A out);

  /** Whether hidden layer k's signal needs the delta of the layer above (BP) or only e (DFA). */
  boolean needsDeltaAbove();

  /** Backpropagation: δ_k = (W_{k+1}ᵀ δ_{k+1}) ⊙ f'(a_k). */
  Feedback BACKPROP = Backprop.INSTANCE;
}
