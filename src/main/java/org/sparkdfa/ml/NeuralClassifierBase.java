package org.sparkdfa.ml;

import java.util.Arrays;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;

/**
 * What every neural classifier shares: the params, the sizes left to the data and the labels,
 * and the model with its summary; the fit itself (checks before any job, packing, the trainer
 * run) is {@link NeuralFit}'s, shared with the regressors. Subclasses choose the architecture
 * ({@link #buildNetwork}), the initial weights and the feedback rule.
 *
 * @param <E> the concrete estimator (Spark's self type)
 */
public abstract class NeuralClassifierBase<E extends NeuralClassifierBase<E>>
    extends ProbabilisticClassifier<Vector, E, MlpClassificationModel>
    implements NeuralSetters<E>, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final NeuralParamSet params;
  private transient java.util.List<org.sparkdfa.train.EpochListener> epochListeners;

  /** Call as {@code super(Uids.pending(uid))} so Spark's params see the uid (see {@link Uids}). */
  protected NeuralClassifierBase(String uid) {
    super();
    this.uid = uid;
    Uids.done();
    this.params = new NeuralParamSet(this);
    params.setDefaults(this);
  }

  @Override
  public String uid() {
    return Uids.current(uid);
  }

  @Override
  public NeuralParamSet paramSet() {
    return params;
  }

  @SuppressWarnings("unchecked")
  protected final E self() {
    return (E) this;
  }

  /** Saves the params atomically: a failed overwrite keeps the previous folder. */
  @Override
  public MLWriter write() {
    return new EstimatorIO.Writer(this);
  }

  /**
   * Whether the input layer's size comes from the data (the features' metadata, else the first
   * row) rather than from {@code layers}: whenever {@code layers} is unset.
   */
  protected boolean derivesInputSizeFromData() {
    return !isDefined(layers());
  }

  /**
   * Whether the output layer's size comes from the labels (their metadata, else the largest
   * label): when {@code layers} is unset and the loss has one output per class.
   */
  protected boolean derivesClassesFromData() {
    if (isDefined(layers())) return false;
    String loss = getLoss();
    return !("bce".equals(loss) || "hinge".equals(loss));
  }

  /**
   * The layer sizes to train, checked: {@code layers} if set (agreeing with {@code hiddenLayers}
   * and with the features' declared size), else the input size, {@code hiddenLayers} and the
   * output size the loss and the labels call for. Subclasses may derive them otherwise.
   */
  protected int[] resolveLayers(StructType schema) {
    return NeuralFit.resolveLayers(this, schema, () -> outputsFromLabels(schema));
  }

  /** The output size for the loss and the number of classes the label column declares. */
  protected int outputsFromLabels(StructType schema) {
    String loss = getLoss();
    if ("bce".equals(loss) || "hinge".equals(loss)) return 1;
    int classes = FeatureSize.declaredClasses(schema, getLabelCol());
    if (classes <= 0) {
      throw new IllegalArgumentException("Param layers is not set and the label column '"
          + getLabelCol() + "' declares no number of classes in its ML attribute metadata (fit "
          + "counts them in the data; a schema alone cannot tell); set layers to every size "
          + "from input to output");
    }
    if ("cross_entropy".equals(loss)) return Math.max(2, classes);
    return classes <= 2 ? 1 : classes; // auto and mse: one output for two classes
  }

  /** The architecture trained by this estimator, for the resolved layers and loss. */
  protected NetworkSpec buildSpec(int[] layers, Loss loss) {
    return NeuralFit.plainSpec(this, layers, loss);
  }

  /** The network (spec plus any fixed gates) trained by this estimator. */
  protected Network buildNetwork(NetworkSpec spec) {
    return new Network(spec);
  }

  /** Fresh initial parameters (before any warm start). */
  protected double[] initialize(NetworkSpec spec) {
    return Init.fromName(getWeightInit()).initialize(spec, getSeed());
  }

  /** The feedback rule: BP unless a subclass says otherwise. */
  protected Feedback feedback(NetworkSpec spec) {
    return Feedback.BACKPROP;
  }

  /** Short name for Spark job descriptions and logs. */
  protected String label() {
    return getClass().getSimpleName();
  }

  /** The architecture this estimator would train on data of the given schema (no Spark job). */
  public NetworkSpec resolveSpec(StructType schema) {
    int[] layers = resolveLayers(schema);
    if (layers.length < 2) {
      throw new IllegalArgumentException("Param layers needs at least 2 sizes, got "
          + Arrays.toString(layers));
    }
    Loss loss = resolvedLoss(layers[layers.length - 1]);
    if (loss == Loss.HUBER) {
      throw new IllegalArgumentException("Param loss 'huber' is a regression loss; use "
          + "BpMlpRegressor or DfaMlpRegressor, or a classification loss (bce, cross_entropy, "
          + "mse, hinge)");
    }
    return buildSpec(layers, loss);
  }

  /**
   * The network (architecture plus any fixed gates) this estimator would train on data of the
   * given schema, e.g. to evaluate intermediate weights from an epoch listener (no Spark job).
   */
  public Network resolveNetwork(StructType schema) {
    return buildNetwork(resolveSpec(schema));
  }

  @Override
  public StructType validateAndTransformSchema(StructType schema, boolean fitting,
      DataType featuresDataType) {
    if (fitting) fit().checkSchema(schema);
    return super.validateAndTransformSchema(schema, fitting, featuresDataType);
  }

  /**
   * Adds a listener called on the driver after every epoch of the next fits (not persisted, not
   * copied): e.g. test-set accuracy per epoch. Its metrics go into the epoch's summary record.
   */
  public E addEpochListener(org.sparkdfa.train.EpochListener listener) {
    if (epochListeners == null) epochListeners = new java.util.ArrayList<>();
    epochListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return self();
  }

  /** The listeners added with {@link #addEpochListener} (empty if none). */
  protected java.util.List<org.sparkdfa.train.EpochListener> epochListeners() {
    return epochListeners == null ? java.util.List.of() : epochListeners;
  }

  /**
   * Trains on examples drawn afresh every epoch: epoch e trains on {@code epochData.apply(e)},
   * packed when the epoch starts, which must be a pure function of e (for instance a generator's
   * rows of epoch e) so that the same seed and partitioning still give the same weights. Same
   * checks, params and model as {@link #fit}; a validation indicator column is not supported.
   */
  public MlpClassificationModel fitFreshPerEpoch(
      java.util.function.IntFunction<Dataset<Row>> epochData) {
    java.util.function.IntFunction<Dataset<Row>> once = new java.util.function.IntFunction<>() {
      private Dataset<Row> first;

      @Override
      public Dataset<Row> apply(int e) {
        if (e != 0) return epochData.apply(e);
        if (first == null) first = epochData.apply(0);
        return first;
      }
    };
    return model(fit().freshPerEpoch(once,
        () -> transformSchema(once.apply(0).schema(), true)));
  }

  /**
   * {@link #fitFreshPerEpoch(java.util.function.IntFunction)} on rows 0..rowsPerEpoch-1 of
   * {@code generator}'s epoch e in {@code numPartitions} partitions, generated straight into the
   * packed blocks each epoch instead of through a DataFrame (its rows, partitions and so its
   * weights are those of {@code e -> generator.generate(spark, rowsPerEpoch, e, numPartitions)}).
   * The features and label columns of this estimator are those the generator's DataFrame names
   * ({@code features}, {@code label}).
   */
  public MlpClassificationModel fitFreshPerEpoch(org.sparkdfa.data.ExampleGenerator generator,
      long rowsPerEpoch, int numPartitions) {
    return model(fit().generated(generator, rowsPerEpoch, numPartitions,
        schema -> transformSchema(schema, true)));
  }

  @Override
  public MlpClassificationModel train(Dataset<?> dataset) {
    return model(fit().train(dataset.toDF()));
  }

  private MlpClassificationModel model(NeuralFit.Fitted fitted) {
    MlpClassificationModel model = new MlpClassificationModel(uid(), fitted.network(),
        fitted.result().params());
    copyValues(model, extractParamMap());
    // The model reports the architecture it has, also when the sizes came from the data.
    if (!model.isSet(model.layers())) model.set(model.layers(), fitted.network().spec().layers());
    model.setParent(this);
    model.setTrainingSummary(fitted.result(), fitted.trainRows());
    return model;
  }

  /** This fit's shared machinery, with this estimator's hooks. */
  private NeuralFit fit() {
    NeuralClassifierBase<E> est = this;
    return new NeuralFit(this) {
      @Override NetworkSpec resolveSpec(StructType schema) { return est.resolveSpec(schema); }
      @Override boolean derivesInputSizeFromData() { return est.derivesInputSizeFromData(); }
      @Override boolean derivesClassesFromData() { return est.derivesClassesFromData(); }
      @Override Network buildNetwork(NetworkSpec spec) { return est.buildNetwork(spec); }
      @Override double[] initialize(NetworkSpec spec) { return est.initialize(spec); }
      @Override Feedback feedback(NetworkSpec spec) { return est.feedback(spec); }
      @Override String jobLabel() { return est.label() + "[" + est.uid() + "]"; }
      @Override java.util.List<org.sparkdfa.train.EpochListener> epochListeners() {
        return est.epochListeners();
      }
    };
  }
}
