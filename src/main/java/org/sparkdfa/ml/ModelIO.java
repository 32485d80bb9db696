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
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import scala.Option;

/**
 * Model persistence: params as Spark's JSON metadata ({@code metadata/}), the network as one
 * Parquet row ({@code data/}: format version, architecture, flat weights, gate matrices). The whole
 * folder is written atomically. The reader checks the class, the format version and that the data
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
            false);
  }

  static final class Writer extends MLWriter {
    private final MlpClassificationModel model;

    Writer(MlpClassificationModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      SparkSession spark = sparkSession();
      AtomicDirectory.write(path, spark.sparkContext().hadoopConfiguration(), tmp -> {
        DefaultParamsWriter$.MODULE$.saveMetadata(model, tmp, spark);
        NetworkSpec spec = model.spec();
        List<Object> layers = new ArrayList<>();
        for (int s : spec.layers()) layers.add(s);
        List<Object> hidden = new ArrayList<>();
        List<Object> gated = new ArrayList<>();
        List<Object> gates = new ArrayList<>();
        for (int k = 0; k < spec.numHidden(); k++) {
          hidden.add(spec.hiddenActivation(k).paramName());
          gated.add(spec.gated(k));
          gates.add(toList(spec.gated(k) ? model.network().gate(k) : new double[0]));
        }
        List<Object> trainable = new ArrayList<>();
        for (int l = 0; l < spec.numWeightLayers(); l++) trainable.add(spec.trainable(l));
        Row row = RowFactory.create(FORMAT_VERSION, seq(layers), seq(hidden),
            spec.loss().paramName(), seq(trainable), seq(gated), toList(model.weightsArray()),
            seq(gates));
        spark.createDataFrame(Collections.singletonList(row), schema()).repartition(1)
            .write().parquet(tmp + "/data");
      });
    }
  }

  static final class Reader extends MLReader<MlpClassificationModel> {
    @Override
    public MlpClassificationModel load(String path) {
      SparkSession spark = sparkSession();
      String className = MlpClassificationModel.class.getName();
      try {
        FileSystem fs = new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(new Path(path))) {
          throw new IllegalArgumentException("No model at " + path + ": the folder does not "
              + "exist; check the path (models are folders written by model.write().save(..))");
        }
        if (!fs.exists(new Path(path, "metadata"))) {
          throw new IllegalArgumentException("The model folder " + path + " is incomplete (needs "
              + "metadata/ and data/); it was truncated or is not a saved model — save it again");
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot read the model folder " + path + ": "
            + e.getMessage(), e);
      }
      DefaultParamsReader.Metadata metadata;
      try {
        metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, spark, "");
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("The model metadata in " + path + " is unreadable ("
            + e.getMessage() + "); the folder is truncated or corrupt — save the model again", e);
      }
      if (!className.equals(metadata.className())) {
        throw new IllegalArgumentException("The folder " + path + " holds a " + metadata.className()
            + ", not a " + className + "; load it with " + metadata.className() + ".load(..)");
      }
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
      // Inner arrays of a nested array column come back as Scala Seqs, not java.util.Lists.
      List<scala.collection.Seq<Double>> gateLists = row.getList(row.fieldIndex("gates"));
      double[][] gates = new double[spec.numHidden()][];
      for (int k = 0; k < gates.length; k++) {
        gates[k] = gated[k]
            ? toArray(scala.jdk.javaapi.CollectionConverters.asJava(gateLists.get(k))) : null;
      }
      double[] weights = toArray(row.getList(row.fieldIndex("weights")));
      MlpClassificationModel model = new MlpClassificationModel(metadata.uid(),
          new Network(spec, gates), weights);
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
