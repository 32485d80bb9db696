package org.sparkdfa.train;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.Evaluation;
import org.sparkdfa.train.steps.PartitionGradient;

/**
 * Loss and accuracy of arbitrary weights on a fixed data set, packed and cached once per
 * precision asked for: what an {@link EpochListener} needs to report per-epoch test accuracy
 * without touching the training contract (unlike a validation set, it drives neither early
 * stopping nor the kept weights). A model trained in float32 is evaluated in float32, as it
 * predicts, at sgemm's speed. Each {@link #evaluate} is one Spark job over the cached blocks.
 */
public final class Evaluator implements AutoCloseable {

  /** Mean weighted loss and accuracy over the data set's rows. */
  public record Result(double loss, double accuracy, long rows) implements Serializable {}

  private final Dataset<Row> df;
  private final BlockPacker.Columns columns;
  private final Map<Precision, TrainingData> packed = new EnumMap<>(Precision.class);
  private final Map<Precision, Broadcast<? extends PartitionGradient<?>>> contexts = new EnumMap<>(Precision.class);
  private final JavaSparkContext jsc;
  private Network lastNetwork;

  private Evaluator(Dataset<Row> df, BlockPacker.Columns columns, TrainingData first) {
    this.df = df;
    this.columns = columns;
    this.jsc = first.sparkContext();
    packed.put(columns.precision(), first);
  }

  /**
   * Packs {@code df}'s features and label columns for networks of {@code spec}'s input size and
   * loss (one Spark job, which also checks the rows as training does), in float64; another
   * precision is packed when first asked for.
   */
  public static Evaluator of(Dataset<Row> df, String featuresCol, String labelCol,
      NetworkSpec spec) {
    return of(df, featuresCol, labelCol, spec, Precision.FLOAT64);
  }

  /** {@link #of(Dataset, String, String, NetworkSpec)} packed first in {@code precision}. */
  public static Evaluator of(Dataset<Row> df, String featuresCol, String labelCol,
      NetworkSpec spec, Precision precision) {
    BlockPacker.Columns cols = new BlockPacker.Columns(featuresCol, labelCol, "", spec.inputs(),
        spec.loss(), spec.outputs(), precision);
    return new Evaluator(df, cols, TrainingData.pack(df, cols));
  }

  public long rows() {
    return packed.values().iterator().next().rows();
  }

  /** {@link #evaluate(Network, double[], Precision)} in float64. */
  public Result evaluate(Network net, double[] params) {
    return evaluate(net, params, Precision.FLOAT64);
  }

  /**
   * Loss and accuracy of {@code params} for {@code network} on every row, computed in
   * {@code precision}. The network is broadcast once for as long as the same instance is
   * passed; the weights once per call.
   */
  public Result evaluate(Network net, double[] params, Precision precision) {
    if (net != lastNetwork) {
      contexts.values().forEach(Broadcast::destroy);
      contexts.clear();
      lastNetwork = net;
    }
    TrainingData data = packed.computeIfAbsent(precision, p -> TrainingData.pack(df,
        new BlockPacker.Columns(columns.features(), columns.label(), columns.weight(),
            columns.inputs(), columns.loss(), columns.outputs(), p)));
    Broadcast<? extends PartitionGradient<?>> context = contexts.computeIfAbsent(precision,
        p -> jsc.broadcast(PartitionGradient.create(net, Feedback.BACKPROP, 0,
            data.numPartitions(), p)));
    Evaluation e = evaluate(data, context, params);
    return new Result(e.meanLoss(), e.accuracy(), e.count());
  }

  @SuppressWarnings("unchecked")
  private static <A> Evaluation evaluate(TrainingData data,
      Broadcast<? extends PartitionGradient<?>> context, double[] params) {
    return Trainer.evaluate(data, (Broadcast<PartitionGradient<A>>) context, params);
  }

  @Override
  public void close() {
    packed.values().forEach(TrainingData::close);
    contexts.values().forEach(Broadcast::destroy);
  }
}
