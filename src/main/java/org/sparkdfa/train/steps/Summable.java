package org.sparkdfa.train.steps;

/** A value {@link OrderedSum} can add: {@code plus} adds {@code right} into this, returns this. */
public interface Summable<T> {
  T plus(T right);
}
