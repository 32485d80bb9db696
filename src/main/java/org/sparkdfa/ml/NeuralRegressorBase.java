package org.sparkdfa.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;

/**
 * What the MLP regressors share: the same params, checks and trainer as the classifiers, with one
 * identity output and loss {@code mse} (the default) or {@code huber} (with {@code huberDelta}).
 * Give {@code hiddenLayers} and the input size comes from the data, the output is 1.
 *
 * <p>Labels are used as they are: the network learns fastest when they are near unit scale (a
 * label column cannot go through {@code StandardScaler}, which takes vectors — standardize it in
 * SQL, {@code (y - mean) / std}, and undo it on the predictions). A fit warns when the labels'
 * mean or spread is far from that.
 *
 * @param <E> the concrete estimator (Spark's self type)
 */
public abstract class NeuralRegressorBase<E extends NeuralRegressorBase<E>>
    extends Regressor<Vector, E, MlpRegressionModel> implements NeuralSetters<E>, MLWritable {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(NeuralRegressorBase.class);

  /** Labels whose |mean| or standard deviation exceeds this draw the scale warning. */
  static final double FAR_FROM_UNIT_SCALE = 10.0;

  private final String uid;
  private final NeuralParamSet params;
  private final DoubleParam huberDelta;
  private transient java.util.List<org.sparkdfa.train.EpochListener> epochListeners;

  /** Call as {@code super(Uids.pending(uid))} so Spark's params see the uid (see {@link Uids}). */
  protected NeuralRegressorBase(String uid) {
    super();
    this.uid = uid;
    Uids.done();
    this.params = new NeuralParamSet(this);
    params.setDefaults(this);
    this.huberDelta = NeuralParamSet.huberDelta(this);
  }

  @Override
  public String uid() {
    return Uids.current(uid);
  }

  @Override
  public NeuralParamSet paramSet() {
    return params;
  }

  /** Huber's δ: residuals beyond it count linearly (> 0; default 1). */
  public DoubleParam huberDelta() {
    return huberDelta;
  }

  public double getHuberDelta() {
    return (Double) getOrDefault(huberDelta);
  }

  @SuppressWarnings("unchecked")
  public E setHuberDelta(double value) {
    set(huberDelta, value);
    return (E) this;
  }

  /** Saves the params atomically: a failed overwrite keeps the previous folder. */
  @Override
  public MLWriter write() {
    return new EstimatorIO.Writer(this);
  }

  /** The architecture this estimator would train on data of the given schema (no Spark job). */
  public NetworkSpec resolveSpec(StructType schema) {
    int[] layers = NeuralFit.resolveLayers(this, schema, () -> 1);
    String name = getLoss();
    Loss loss = NeuralParamSet.AUTO_LOSS.equals(name) ? Loss.MSE : Loss.fromName(name);
    if (!loss.isRegression()) {
      throw new IllegalArgumentException("Param loss '" + name + "' is a classification loss; "
          + "a regressor takes mse (the default) or huber");
    }
    if (layers[layers.length - 1] != 1) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " predicts one value, "
          + "but layers " + java.util.Arrays.toString(layers) + " ends with "
          + layers[layers.length - 1] + " outputs; set the last size to 1, or set hiddenLayers "
          + "instead");
    }
    return NeuralFit.plainSpec(this, layers, loss).withHuberDelta(getHuberDelta());
  }

  /** Fresh initial parameters (before any warm start). */
  protected double[] initialize(NetworkSpec spec) {
    return Init.fromName(getWeightInit()).initialize(spec, getSeed());
  }

  /** The feedback rule: BP unless a subclass says otherwise. */
  protected Feedback feedback(NetworkSpec spec) {
    return Feedback.BACKPROP;
  }

  /** Adds a listener called on the driver after every epoch of the next fits (not persisted). */
  public E addEpochListener(org.sparkdfa.train.EpochListener listener) {
    if (epochListeners == null) epochListeners = new java.util.ArrayList<>();
    epochListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    @SuppressWarnings("unchecked") E self = (E) this;
    return self;
  }

  @Override
  public StructType validateAndTransformSchema(StructType schema, boolean fitting,
      DataType featuresDataType) {
    if (fitting) fit().checkSchema(schema);
    return super.validateAndTransformSchema(schema, fitting, featuresDataType);
  }

  @Override
  public MlpRegressionModel train(Dataset<?> dataset) {
    Dataset<Row> df = dataset.toDF();
    warnIfFarFromUnitScale(df);
    NeuralFit.Fitted fitted = fit().train(df);
    MlpRegressionModel model = new MlpRegressionModel(uid(), fitted.network(),
        fitted.result().params());
    copyValues(model, extractParamMap());
    if (!model.isSet(model.layers())) model.set(model.layers(), fitted.network().spec().layers());
    model.setParent(this);
    model.setTrainingSummary(fitted.result(), fitted.trainRows());
    return model;
  }

  /** One small job: the labels' mean and standard deviation, and a warning when far from 1. */
  private void warnIfFarFromUnitScale(Dataset<Row> df) {
    Row stats = df.agg(functions.avg(functions.col(getLabelCol()).cast("double")),
        functions.stddev_pop(functions.col(getLabelCol()).cast("double"))).head();
    if (stats.isNullAt(0) || stats.isNullAt(1)) return; // empty: the packing pass says so
    String warning = labelScaleWarning(getLabelCol(), stats.getDouble(0), stats.getDouble(1));
    if (warning != null) LOG.warn(warning);
  }

  /** The warning for labels of this mean and standard deviation, or null when near unit scale. */
  static String labelScaleWarning(String labelCol, double mean, double std) {
    if (Math.abs(mean) <= FAR_FROM_UNIT_SCALE && std <= FAR_FROM_UNIT_SCALE
        && !(std > 0 && std < 1 / FAR_FROM_UNIT_SCALE)) {
      return null;
    }
    return "Column '" + labelCol + "' (param labelCol) has mean " + mean + " and standard "
        + "deviation " + std + ", far from unit scale; the regressor learns faster and more "
        + "reliably on standardized labels: train on (" + labelCol + " - " + mean + ") / "
        + (std == 0 ? 1.0 : std) + " and map the predictions back";
  }

  private NeuralFit fit() {
    NeuralRegressorBase<E> est = this;
    return new NeuralFit(this) {
      @Override NetworkSpec resolveSpec(StructType schema) { return est.resolveSpec(schema); }
      @Override boolean derivesInputSizeFromData() { return !est.isDefined(est.layers()); }
      @Override boolean derivesClassesFromData() { return false; }
      @Override Network buildNetwork(NetworkSpec spec) { return new Network(spec); }
      @Override double[] initialize(NetworkSpec spec) { return est.initialize(spec); }
      @Override Feedback feedback(NetworkSpec spec) { return est.feedback(spec); }
      @Override String jobLabel() { return est.getClass().getSimpleName() + "[" + est.uid() + "]"; }
      @Override java.util.List<org.sparkdfa.train.EpochListener> epochListeners() {
        return est.epochListeners == null ? java.util.List.of() : est.epochListeners;
      }
    };
  }
}
