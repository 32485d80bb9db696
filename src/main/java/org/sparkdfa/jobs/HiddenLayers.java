package org.sparkdfa.jobs;

import org.sparkdfa.ml.MlpClassificationModel;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/** Hidden-layer activations of a trained plain MLP (BP or DFA), computed on the driver. */
final class HiddenLayers {
  private HiddenLayers() {}

  /**
   * The last hidden layer's outputs for each row of {@code x} (rows × features): one array of
   * h values per row.
   */
  static double[][] lastHidden(MlpClassificationModel model, double[][] x) {
    NetworkSpec spec = model.spec();
    if (spec.numHidden() < 1) {
      throw new IllegalArgumentException("model " + spec + " has no hidden layer");
    }
    for (int k = 0; k < spec.numHidden(); k++) {
      if (spec.gated(k)) {
        throw new IllegalArgumentException("gated networks need their gates; only plain MLPs here");
      }
    }
    int m = x.length;
    int d = spec.inputs();
    double[] block = new double[d * m];
    for (int i = 0; i < m; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, the "
            + "model expects " + d);
      }
      System.arraycopy(x[i], 0, block, i * d, d);
    }
    Network net = new Network(spec);
    Workspace ws = net.newWorkspace(Math.max(1, m));
    net.forward(model.weights().toArray(), block, m, ws);
    int last = spec.numHidden() - 1;
    int h = spec.size(last + 1);
    double[] z = ws.output(last);
    double[][] out = new double[m][h];
    for (int i = 0; i < m; i++) System.arraycopy(z, i * h, out[i], 0, h);
    return out;
  }
}
