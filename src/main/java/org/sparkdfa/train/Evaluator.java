package org.sparkdfa.train;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;

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
  private Broadcast<StepContext> context;

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
      if (context != null) context.destroy();
      context = jsc.broadcast(new StepContext(net, Feedback.BACKPROP, 0, data.numPartitions(),
          Precision.FLOAT64));
      lastNetwork = net;
    }
    StepContext.Evaluation e = Trainer.evaluate(data, context, params, jsc);
    return new Result(e.loss / e.weight, e.correctWeight / e.weight, e.count);
  }

  @Override
  public void close() {
    data.close();
    if (context != null) context.destroy();
  }
}
