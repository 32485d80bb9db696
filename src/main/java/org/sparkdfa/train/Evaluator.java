package org.sparkdfa.train;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/**
 * Loss and accuracy of arbitrary weights on a fixed data set, packed and cached once: what an
 * {@link EpochListener} needs to report per-epoch test accuracy without touching the training
 * contract (unlike a validation set, it drives neither early stopping nor the kept weights).
 * Each {@link #evaluate} is one Spark job over the cached blocks.
 */
public final class Evaluator implements AutoCloseable {

  /** Mean weighted loss and accuracy over the data set's rows. */
  public record Result(double loss, double accuracy, long rows) implements Serializable {}

  private final TrainingData data;
  private final JavaSparkContext jsc;
  private Network lastNetwork;
  private Broadcast<Network> network;

  private Evaluator(TrainingData data) {
    this.data = data;
    this.jsc = data.sparkContext();
  }

  /**
   * Packs {@code df}'s features and label columns for networks of {@code spec}'s input size and
   * loss (one Spark job, which also checks the rows as training does).
   */
  public static Evaluator of(Dataset<Row> df, String featuresCol, String labelCol,
      NetworkSpec spec) {
    BlockPacker.Columns cols = new BlockPacker.Columns(featuresCol, labelCol, "", spec.inputs(),
        spec.loss(), spec.outputs());
    return new Evaluator(TrainingData.pack(df, cols));
  }

  public long rows() {
    return data.rows();
  }

  /**
   * Loss and accuracy of {@code params} for {@code network} on every row. The network is
   * broadcast once for as long as the same instance is passed; the weights once per call.
   */
  public Result evaluate(Network net, double[] params) {
    if (net != lastNetwork) {
      if (network != null) network.destroy();
      network = jsc.broadcast(net);
      lastNetwork = net;
    }
    Broadcast<double[]> bw = jsc.broadcast(params);
    Broadcast<Network> bn = network;
    try {
      double[] sums = data.blocks(0).map(p -> evaluate(bn.value(), p, bw.value()))
          .reduce(Evaluator::add);
      return new Result(sums[0] / sums[2], sums[1] / sums[2], (long) sums[3]);
    } finally {
      bw.destroy();
    }
  }

  /** {loss, correct weight, weight, count} of one partition. */
  private static double[] evaluate(Network network, PartitionData p, double[] params) {
    double[] out = new double[4];
    if (p.rows == 0) return out;
    Workspace ws = network.newWorkspace(PartitionData.CHUNK_ROWS);
    int c = network.spec().outputs();
    double[] y = new double[PartitionData.CHUNK_ROWS];
    double[] error = new double[c * PartitionData.CHUNK_ROWS];
    for (Chunk ch : p.chunks) {
      ch.unstack(y, null);
      double[] logits = network.forward(params, ch.data, ch.n, ws);
      for (int col = 0; col < ch.n; col++) {
        if (Predictions.predictClass(network.spec().loss(), logits, c, col) == (int) y[col]) {
          out[1] += ch.weight(col);
        }
      }
      out[0] += network.spec().loss().lossAndError(logits, c, ch.n, y, null, error);
      out[2] += ch.totalWeight();
      out[3] += ch.n;
    }
    return out;
  }

  private static double[] add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }

  @Override
  public void close() {
    data.close();
    if (network != null) network.destroy();
  }
}
