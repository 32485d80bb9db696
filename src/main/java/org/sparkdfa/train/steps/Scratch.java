package org.sparkdfa.train.steps;

import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Workspace;

/** Buffers for one task at a time: a gathered block, a workspace, a gradient, loss errors. */
final class Scratch<A> {
  final int capacity;
  final A x;
  final double[] y;
  final double[] w;
  final Workspace ws;
  private final Flat<A> flat;
  private final int numParams;
  private A gradient;
  private double[] error;

  Scratch(Network net, int capacity, Flat<A> flat) {
    this.capacity = capacity;
    this.flat = flat;
    this.numParams = net.spec().numParams();
    x = flat.alloc(net.spec().inputs() * capacity);
    y = new double[capacity];
    w = new double[capacity];
    ws = net.newWorkspace(capacity, flat.precision());
  }

  /** This scratch's own gradient array, zeroed (the bytes path sums into it, then encodes). */
  A zeroedGradient() {
    if (gradient == null) {
      gradient = flat.alloc(numParams);
    } else {
      flat.zero(gradient);
    }
    return gradient;
  }

  double[] error(int size) {
    if (error == null || error.length < size) error = new double[size];
    return error;
  }
}
