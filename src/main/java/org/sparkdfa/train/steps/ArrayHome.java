package org.sparkdfa.train.steps;

/** Where a gradient array goes back once its step is summed (a fit's pool of arrays). */
@FunctionalInterface
public interface ArrayHome<A> {
  void giveBack(A array);
}
