package org.sparkdfa.ml;

import java.util.Arrays;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Workspace;

/**
 * A trained network, whichever estimator trained it (BP, DFA, GaLU, random features): the
 * architecture, the flat weights and any fixed gate matrices. Columns follow Spark's contract:
 * {@code rawPrediction} (for one output [−a, a], like LogisticRegression's margins — [1 − a, a]
 * for mse, whose boundary is 0.5; otherwise the c outputs), {@code probability} (sigmoid / softmax; for mse the clipped outputs renormalized; for
 * hinge the sigmoid of the margin, uncalibrated) and {@code prediction}.
 */
public class MlpClassificationModel
    extends ProbabilisticClassificationModel<Vector, MlpClassificationModel>
    implements NeuralParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final NeuralParamSet params;
  private final Network network;
  private final double[] weights;
  /** Not shipped with the model to tasks (it holds data frames); not saved. */
  private transient MlpClassificationTrainingSummary summary;
  private transient ThreadLocal<Workspace> workspace;

  public MlpClassificationModel(String uid, Network network, double[] weights) {
    this(Uids.pending(uid), network, weights, true);
  }

  /** The uid is already pending when Spark's constructors run (see {@link Uids}). */
  private MlpClassificationModel(String uid, Network network, double[] weights, boolean marker) {
    super();
    this.uid = uid;
    Uids.done();
    this.params = new NeuralParamSet(this);
    params.setDefaults(this);
    if (weights.length != network.spec().numParams()) {
      throw new IllegalArgumentException("model weights have " + weights.length + " values, the "
          + "network " + network.spec() + " needs " + network.spec().numParams());
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

  /** The architecture (layer sizes, activations, loss, frozen/gated layers). */
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
  public int numClasses() {
    return network.spec().loss().numClasses(network.spec().outputs());
  }

  @Override
  public int numFeatures() {
    return network.spec().inputs();
  }

  /** Output layer values (logits) for one example. */
  public double[] outputs(Vector features) {
    if (features.size() != numFeatures()) {
      throw new IllegalArgumentException("Column '" + getFeaturesCol() + "' holds a vector of size "
          + features.size() + " but the model expects " + numFeatures() + " features");
    }
    if (workspace == null) {
      synchronized (this) {
        if (workspace == null) workspace = ThreadLocal.withInitial(() -> network.newWorkspace(1));
      }
    }
    double[] out = network.forward(weights, features.toArray(), 1, workspace.get());
    return Arrays.copyOf(out, network.spec().outputs());
  }

  @Override
  public Vector predictRaw(Vector features) {
    double[] out = outputs(features);
    if (out.length == 1) {
      // Spark predicts argmax(raw): the margins must cross at the loss's decision boundary
      // (0 for bce/hinge, 0.5 for an mse output regressing 0/1).
      double a = out[0];
      return network.spec().loss() == Loss.MSE ? Vectors.dense(1 - a, a) : Vectors.dense(-a, a);
    }
    return Vectors.dense(out);
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] v = ((DenseVector) rawPrediction).values();
    Loss loss = network.spec().loss();
    if (network.spec().outputs() == 1) {
      double a = v[1];
      double p1 = loss == Loss.MSE ? Math.min(1, Math.max(0, a)) : 1.0 / (1.0 + Math.exp(-a));
      v[0] = 1 - p1;
      v[1] = p1;
    } else if (loss == Loss.MSE) {
      double sum = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = Math.max(0, v[i]);
        sum += v[i];
      }
      for (int i = 0; i < v.length; i++) v[i] = sum > 0 ? v[i] / sum : 1.0 / v.length;
    } else {
      double max = Double.NEGATIVE_INFINITY;
      for (double x : v) max = Math.max(max, x);
      double sum = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = Math.exp(v[i] - max);
        sum += v[i];
      }
      for (int i = 0; i < v.length; i++) v[i] /= sum;
    }
    return rawPrediction;
  }

  /**
   * Spark declares this in both ClassificationModel and ProbabilisticClassificationModel with
   * different generic returns, which javac cannot reconcile; the raw override delegates to the
   * probabilistic one, as Scala's linearization does.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public MlpClassificationModel copy(ParamMap extra) {
    MlpClassificationModel copied = new MlpClassificationModel(uid, network, weights);
    copyValues(copied, extra);
    copied.summary = summary;
    return copied.setParent(parent());
  }

  /** Sets the training summary: metrics on {@code trainRows}, computed when first asked for. */
  void setTrainingSummary(org.sparkdfa.train.TrainingResult result, Dataset<Row> trainRows) {
    TrainingHistory history = new TrainingHistory(result);
    MlpClassificationModel m = withSummaryColumns();
    Dataset<Row> predictions = m.transform(trainRows);
    this.summary = numClasses() == 2
        ? new MlpBinaryClassificationTrainingSummary(predictions, m.getPredictionCol(),
            getLabelCol(), weightColName(), m.getRawPredictionCol(), history)
        : new MlpClassificationTrainingSummary(predictions, m.getPredictionCol(), getLabelCol(),
            weightColName(), history);
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The training summary: Spark's classification metrics on the training rows, {@code
   * objectiveHistory}, {@code totalIterations} and the per-epoch history. For two classes it is
   * a {@link MlpBinaryClassificationTrainingSummary} (see {@link #binarySummary}). Absent on
   * models loaded from disk.
   */
  public MlpClassificationTrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("No training summary available for model " + uid
          + " (summaries are not saved; models loaded from disk have none — use evaluate(df))");
    }
    return summary;
  }

  /** The training summary of a two-class model, with ROC, AUC and PR. */
  public MlpBinaryClassificationTrainingSummary binarySummary() {
    if (summary() instanceof MlpBinaryClassificationTrainingSummary b) return b;
    throw new IllegalStateException("Model " + uid + " has " + numClasses() + " classes; a "
        + "binary summary needs 2 — use summary()");
  }

  /**
   * Spark's classification metrics of this model on {@code dataset} (which needs the features
   * and label columns, and the weight column if weightCol is set): a {@link
   * MlpBinaryClassificationSummary} for two classes. Computed when first asked for.
   */
  public MlpClassificationSummary evaluate(Dataset<?> dataset) {
    MlpClassificationModel m = withSummaryColumns();
    Dataset<Row> predictions = m.transform(dataset);
    return numClasses() == 2
        ? new MlpBinaryClassificationSummary(predictions, m.getPredictionCol(), getLabelCol(),
            weightColName(), m.getRawPredictionCol())
        : new MlpClassificationSummary(predictions, m.getPredictionCol(), getLabelCol(),
            weightColName());
  }

  /** This model, or a copy that writes the prediction and raw columns a summary reads. */
  private MlpClassificationModel withSummaryColumns() {
    if (!getPredictionCol().isEmpty() && !getRawPredictionCol().isEmpty()) return this;
    MlpClassificationModel m = copy(ParamMap.empty());
    String tag = java.util.UUID.randomUUID().toString();
    if (m.getPredictionCol().isEmpty()) m.setPredictionCol("prediction_" + tag);
    if (m.getRawPredictionCol().isEmpty()) m.setRawPredictionCol("rawPrediction_" + tag);
    return m;
  }

  private String weightColName() {
    return isDefined(weightCol()) ? getOrDefault(weightCol()) : "";
  }

  @Override
  public MLWriter write() {
    return new ModelIO.Writer(this);
  }

  public static MLReader<MlpClassificationModel> read() {
    return new ModelIO.Reader<>(MlpClassificationModel.class, MlpClassificationModel::new);
  }

  public static MlpClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "MlpClassificationModel: uid=" + uid + ", layers=" + Arrays.toString(spec().layers())
        + ", loss=" + spec().loss().paramName();
  }
}
