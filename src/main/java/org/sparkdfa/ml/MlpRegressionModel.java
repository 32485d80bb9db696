package org.sparkdfa.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/**
 * A trained MLP regressor (BP, DFA or FA): the architecture with its one identity output and the
 * flat weights. {@code prediction} is the output itself.
 */
public class MlpRegressionModel extends RegressionModel<Vector, MlpRegressionModel>
    implements NeuralParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final NeuralParamSet params;
  private final DoubleParam huberDelta;
  private final Network network;
  private final double[] weights;
  /** Not shipped with the model to tasks (it holds data frames); not saved. */
  private transient MlpRegressionTrainingSummary summary;
  private transient ThreadLocal<Workspace> workspace;

  public MlpRegressionModel(String uid, Network network, double[] weights) {
    this(Uids.pending(uid), network, weights, true);
  }

  private MlpRegressionModel(String uid, Network network, double[] weights, boolean marker) {
    super();
    this.uid = uid;
    Uids.done();
    this.params = new NeuralParamSet(this);
    params.setDefaults(this);
    this.huberDelta = NeuralParamSet.huberDelta(this);
    if (weights.length != network.spec().numParams()) {
      throw new IllegalArgumentException("model weights have " + weights.length + " values, the "
          + "network " + network.spec() + " needs " + network.spec().numParams());
    }
    if (network.spec().outputs() != 1) {
      throw new IllegalArgumentException("a regression model has one output, the network "
          + network.spec() + " has " + network.spec().outputs());
    }
    this.network = network;
    this.weights = weights.clone();
  }

  @Override
  public String uid() {
    return Uids.current(uid);
  }

  @Override
  public NeuralParamSet paramSet() {
    return params;
  }

  /** Huber's δ the model was trained with (loss huber). */
  public DoubleParam huberDelta() {
    return huberDelta;
  }

  public double getHuberDelta() {
    return (Double) getOrDefault(huberDelta);
  }

  public NetworkSpec spec() {
    return network.spec();
  }

  Network network() {
    return network;
  }

  /** A copy of the flat parameter vector (W_0, b_0, W_1, b_1, …; W column-major out × in). */
  public Vector weights() {
    return Vectors.dense(weights.clone());
  }

  double[] weightsArray() {
    return weights;
  }

  @Override
  public int numFeatures() {
    return network.spec().inputs();
  }

  @Override
  public double predict(Vector features) {
    if (features.size() != numFeatures()) {
      throw new IllegalArgumentException("Column '" + getFeaturesCol() + "' holds a vector of size "
          + features.size() + " but the model expects " + numFeatures() + " features");
    }
    if (workspace == null) {
      synchronized (this) {
        if (workspace == null) workspace = ThreadLocal.withInitial(() -> network.newWorkspace(1));
      }
    }
    return network.forward(weights, features.toArray(), 1, workspace.get())[0];
  }

  @Override
  public MlpRegressionModel copy(ParamMap extra) {
    MlpRegressionModel copied = new MlpRegressionModel(uid, network, weights);
    copyValues(copied, extra);
    copied.summary = summary;
    return copied.setParent(parent());
  }

  void setTrainingSummary(org.sparkdfa.train.TrainingResult result, Dataset<Row> trainRows) {
    MlpRegressionModel m = withPredictionColumn();
    summary = new MlpRegressionTrainingSummary(m.transform(trainRows), m.getPredictionCol(),
        getLabelCol(), weightColName(), new TrainingHistory(result));
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The training summary: Spark's regression metrics ({@code RegressionMetrics}: RMSE, r2, …) on
   * the training rows, {@code objectiveHistory}, {@code totalIterations} and the per-epoch
   * history. Absent on models loaded from disk.
   */
  public MlpRegressionTrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("No training summary available for model " + uid
          + " (summaries are not saved; models loaded from disk have none — use evaluate(df))");
    }
    return summary;
  }

  /** Spark's regression metrics of this model on {@code dataset} (features and label columns). */
  public MlpRegressionSummary evaluate(Dataset<?> dataset) {
    MlpRegressionModel m = withPredictionColumn();
    return new MlpRegressionSummary(m.transform(dataset), m.getPredictionCol(), getLabelCol(),
        weightColName());
  }

  private MlpRegressionModel withPredictionColumn() {
    if (!getPredictionCol().isEmpty()) return this;
    MlpRegressionModel m = copy(ParamMap.empty());
    m.setPredictionCol("prediction_" + java.util.UUID.randomUUID());
    return m;
  }

  private String weightColName() {
    return isDefined(weightCol()) ? getOrDefault(weightCol()) : "";
  }

  @Override
  public MLWriter write() {
    return new ModelIO.Writer(this, network, weights);
  }

  public static MLReader<MlpRegressionModel> read() {
    return new ModelIO.Reader<>(MlpRegressionModel.class, MlpRegressionModel::new);
  }

  public static MlpRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "MlpRegressionModel: uid=" + uid + ", layers=" + Arrays.toString(spec().layers())
        + ", loss=" + spec().loss().paramName();
  }
}
