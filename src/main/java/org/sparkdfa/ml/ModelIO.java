package org.sparkdfa.ml;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.io.AtomicWrite;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import scala.Option;

/**
 * Model persistence: params as Spark's JSON metadata ({@code metadata/}), the network as one
 * Parquet row ({@code data/}: format version, architecture, flat weights, gate matrices). The whole
 * folder is written atomically, also on overwrite: a failed save leaves the previous folder as it
 * was ({@link AtomicWriter}). The reader checks the class, the format version and that the data
 * is complete, and says what is wrong otherwise.
 */
final class ModelIO {
  static final int FORMAT_VERSION = 1;

  private ModelIO() {}

  private static StructType schema() {
    return new StructType()
        .add("formatVersion", DataTypes.IntegerType, false)
        .add("layers", DataTypes.createArrayType(DataTypes.IntegerType), false)
        .add("hiddenActivations", DataTypes.createArrayType(DataTypes.StringType), false)
        .add("loss", DataTypes.StringType, false)
        .add("trainable", DataTypes.createArrayType(DataTypes.BooleanType), false)
        .add("gated", DataTypes.createArrayType(DataTypes.BooleanType), false)
        .add("weights", DataTypes.createArrayType(DataTypes.DoubleType), false)
        .add("gates", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)),
            false)
        // Added without a format change: readers look it up by name, older folders lack it.
        .add("huberDelta", DataTypes.DoubleType, false);
  }

  /**
   * An MLWriter whose {@code save} never deletes the target before the new folder is complete:
   * Spark's {@code MLWriter.save} deletes it first when {@code overwrite()} is set, so a failing
   * write would lose the saved folder. Here {@link #saveImpl} fills a temporary sibling, which
   * replaces the target only on success ({@link AtomicWrite#directory}).
   */
  abstract static class AtomicWriter extends MLWriter {
    @Override
    public void save(String path) {
      AtomicWrite.directory(path, sparkSession().sparkContext().hadoopConfiguration(),
          shouldOverwrite(), this::saveImpl);
    }
  }

  static final class Writer extends AtomicWriter {
    private final org.apache.spark.ml.param.Params model;
    private final Network network;
    private final double[] weights;

    Writer(MlpClassificationModel model) {
      this(model, model.network(), model.weightsArray());
    }

    Writer(org.apache.spark.ml.param.Params model, Network network, double[] weights) {
      this.model = model;
      this.network = network;
      this.weights = weights;
    }

    /** Writes the folder's content into {@code path} (a fresh temporary folder, see save). */
    @Override
    public void saveImpl(String path) {
      SparkSession spark = sparkSession();
      DefaultParamsWriter$.MODULE$.saveMetadata(model, path, spark);
      NetworkSpec spec = network.spec();
      List<Object> layers = new ArrayList<>();
      for (int s : spec.layers()) layers.add(s);
      List<Object> hidden = new ArrayList<>();
      List<Object> gated = new ArrayList<>();
      List<Object> gates = new ArrayList<>();
      for (int k = 0; k < spec.numHidden(); k++) {
        hidden.add(spec.hiddenActivation(k).paramName());
        gated.add(spec.gated(k));
        gates.add(toList(spec.gated(k) ? network.gate(k) : new double[0]));
      }
      List<Object> trainable = new ArrayList<>();
      for (int l = 0; l < spec.numWeightLayers(); l++) trainable.add(spec.trainable(l));
      Row row = RowFactory.create(FORMAT_VERSION, seq(layers), seq(hidden),
          spec.loss().paramName(), seq(trainable), seq(gated), toList(weights),
          seq(gates), spec.huberDelta());
      // The writer's options (e.g. option("compression", "zstd")) go to the Parquet writer.
      spark.createDataFrame(Collections.singletonList(row), schema()).repartition(1)
          .write().options(optionMap()).parquet(path + "/data");
    }
  }

  /**
   * The metadata of the saved folder {@code path}, checked: the folder exists, is complete and
   * holds an instance of {@code expected}; otherwise an IllegalArgumentException says which class
   * it holds, or what is missing, and how to load it.
   */
  static DefaultParamsReader.Metadata metadata(String path, SparkSession spark,
      Class<?> expected) {
    try {
      Path folder = new Path(path);
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(folder)) {
        String aside = movedAside(fs, folder);
        throw new IllegalArgumentException("Nothing is saved at " + path + ": the folder does not "
            + "exist; check the path (saved models and estimators are folders written by "
            + "write().save(..))" + (aside == null ? "" : "; an interrupted overwrite left the "
            + "previous folder complete at " + aside + " — rename it back to " + path));
      }
      if (!fs.exists(new Path(folder, "metadata"))) {
        throw new IllegalArgumentException("The folder " + path + " is incomplete (needs "
            + "metadata/); it was truncated or is not a saved model or estimator — save it again");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the folder " + path + ": "
          + e.getMessage(), e);
    }
    DefaultParamsReader.Metadata metadata;
    try {
      metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, spark, "");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("The metadata in " + path + " is unreadable ("
          + e.getMessage() + "); the folder is truncated or corrupt — save it again", e);
    }
    if (!expected.getName().equals(metadata.className())) {
      String held = metadata.className();
      String simple = held.substring(held.lastIndexOf('.') + 1);
      throw new IllegalArgumentException("The folder " + path + " holds a " + held
          + (held.endsWith("Model") ? " (a fitted model)" : "") + ", not a "
          + expected.getName() + "; load it with " + simple + ".load(\"" + path + "\")");
    }
    return metadata;
  }

  /** A complete previous folder left by an overwrite interrupted between its renames. */
  private static String movedAside(FileSystem fs, Path folder) throws IOException {
    Path parent = folder.getParent();
    if (parent == null || !fs.exists(parent)) return null;
    org.apache.hadoop.fs.FileStatus[] aside = fs.globStatus(
        new Path(parent, "." + folder.getName() + ".old-*"));
    return aside == null || aside.length == 0 ? null : aside[0].getPath().toString();
  }

  /** Builds a model from its uid, network and weights. */
  interface ModelFactory<M> {
    M create(String uid, Network network, double[] weights);
  }

  static final class Reader<M extends org.apache.spark.ml.param.Params> extends MLReader<M> {
    private final Class<M> type;
    private final ModelFactory<M> factory;

    Reader(Class<M> type, ModelFactory<M> factory) {
      this.type = type;
      this.factory = factory;
    }

    @Override
    public M load(String path) {
      SparkSession spark = sparkSession();
      DefaultParamsReader.Metadata metadata = metadata(path, spark, type);
      try {
        if (!new Path(path, "data").getFileSystem(spark.sparkContext().hadoopConfiguration())
            .exists(new Path(path, "data"))) {
          throw new IllegalArgumentException("The model folder " + path + " is incomplete (needs "
              + "metadata/ and data/); it was truncated — save the model again");
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot read the model folder " + path + ": "
            + e.getMessage(), e);
      }
      Row row;
      try {
        Dataset<Row> data = spark.read().parquet(path + "/data");
        List<Row> rows = data.collectAsList();
        if (rows.size() != 1) throw new IllegalStateException(rows.size() + " data rows");
        row = rows.get(0);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("The model data in " + path + "/data is unreadable ("
            + e.getMessage() + "); the folder is truncated or corrupt — save the model again", e);
      }
      int version = row.getInt(row.fieldIndex("formatVersion"));
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("The model in " + path + " has format version "
            + version + "; this sparkdfa reads version " + FORMAT_VERSION);
      }
      List<Integer> layerList = row.getList(row.fieldIndex("layers"));
      int[] layers = layerList.stream().mapToInt(Integer::intValue).toArray();
      List<String> hiddenNames = row.getList(row.fieldIndex("hiddenActivations"));
      Activation[] hidden = new Activation[hiddenNames.size()];
      for (int k = 0; k < hidden.length; k++) {
        hidden[k] = Activation.valueOf(hiddenNames.get(k).toUpperCase(java.util.Locale.ROOT));
      }
      List<Boolean> trainableList = row.getList(row.fieldIndex("trainable"));
      boolean[] trainable = new boolean[trainableList.size()];
      for (int i = 0; i < trainable.length; i++) trainable[i] = trainableList.get(i);
      List<Boolean> gatedList = row.getList(row.fieldIndex("gated"));
      boolean[] gated = new boolean[gatedList.size()];
      for (int i = 0; i < gated.length; i++) gated[i] = gatedList.get(i);
      NetworkSpec spec = new NetworkSpec(layers, hidden,
          Loss.fromName(row.getString(row.fieldIndex("loss"))), trainable, gated);
      if (java.util.Arrays.asList(row.schema().fieldNames()).contains("huberDelta")) {
        spec = spec.withHuberDelta(row.getDouble(row.fieldIndex("huberDelta")));
      }
      // Inner arrays of a nested array column come back as Scala Seqs, not java.util.Lists.
      List<scala.collection.Seq<Double>> gateLists = row.getList(row.fieldIndex("gates"));
      double[][] gates = new double[spec.numHidden()][];
      for (int k = 0; k < gates.length; k++) {
        gates[k] = gated[k]
            ? toArray(scala.jdk.javaapi.CollectionConverters.asJava(gateLists.get(k))) : null;
      }
      double[] weights = toArray(row.getList(row.fieldIndex("weights")));
      M model = factory.create(metadata.uid(), new Network(spec, gates), weights);
      metadata.getAndSetParams(model, Option.empty());
      return model;
    }
  }

  private static scala.collection.immutable.Seq<Object> seq(List<Object> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }

  private static scala.collection.immutable.Seq<Object> toList(double[] values) {
    List<Object> list = new ArrayList<>(values.length);
    for (double v : values) list.add(v);
    return seq(list);
  }

  private static double[] toArray(List<Double> list) {
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) out[i] = list.get(i);
    return out;
  }
}
