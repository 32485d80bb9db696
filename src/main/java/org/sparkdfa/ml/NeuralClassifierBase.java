package org.sparkdfa.ml;

import java.util.Arrays;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.train.BlockPacker;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.TrainingConfig;
import org.sparkdfa.train.TrainingData;
import org.sparkdfa.train.TrainingResult;

/**
 * What every neural estimator shares: the params, the checks that run before any Spark job, the
 * packing of the data, the trainer run and the model with its summary. Subclasses choose the
 * architecture ({@link #buildNetwork}), the initial weights and the feedback rule.
 *
 * @param <E> the concrete estimator (Spark's self type)
 */
public abstract class NeuralClassifierBase<E extends NeuralClassifierBase<E>>
    extends ProbabilisticClassifier<Vector, E, MlpClassificationModel>
    implements NeuralParams, MLWritable {
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

  public E setLayers(int[] value) { set(layers(), value); return self(); }
  /** The hidden sizes only, e.g. {@code setHiddenLayers(512, 512)}; see param hiddenLayers. */
  public E setHiddenLayers(int... value) { set(hiddenLayers(), value); return self(); }
  public E setHiddenActivation(String value) { set(hiddenActivation(), value); return self(); }
  /** One activation per hidden layer, e.g. {@code setHiddenActivations("relu", "tanh")}. */
  public E setHiddenActivations(String... value) {
    set(hiddenActivations(), value);
    return self();
  }
  public E setLoss(String value) { set(loss(), value); return self(); }
  public E setOptimizer(String value) { set(optimizer(), value); return self(); }
  public E setStepSize(double value) { set(stepSize(), value); return self(); }
  public E setMomentum(double value) { set(momentum(), value); return self(); }
  public E setBeta1(double value) { set(beta1(), value); return self(); }
  public E setBeta2(double value) { set(beta2(), value); return self(); }
  public E setEpsilon(double value) { set(epsilon(), value); return self(); }
  public E setRho(double value) { set(rho(), value); return self(); }
  public E setRegParam(double value) { set(regParam(), value); return self(); }
  public E setBatchSize(int value) { set(batchSize(), value); return self(); }
  public E setMaxIter(int value) { set(maxIter(), value); return self(); }
  public E setTol(double value) { set(tol(), value); return self(); }
  public E setSeed(long value) { set(seed(), value); return self(); }
  public E setInitialWeights(Vector value) { set(initialWeights(), value); return self(); }
  public E setAggregationDepth(int value) { set(aggregationDepth(), value); return self(); }
  public E setWeightCol(String value) { set(weightCol(), value); return self(); }
  public E setValidationIndicatorCol(String value) {
    set(validationIndicatorCol(), value);
    return self();
  }
  public E setEarlyStoppingPatience(int value) {
    set(earlyStoppingPatience(), value);
    return self();
  }
  public E setWeightInit(String value) { set(weightInit(), value); return self(); }
  public E setCheckpointDir(String value) { set(checkpointDir(), value); return self(); }
  public E setCheckpointInterval(int value) { set(checkpointInterval(), value); return self(); }
  public E setPrecision(String value) { set(precision(), value); return self(); }
  public E setAlignmentDiagnostics(boolean value) {
    set(alignmentDiagnostics(), value);
    return self();
  }
  public E setAlignmentProbeRows(int value) { set(alignmentProbeRows(), value); return self(); }

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
    int declared = FeatureSize.declared(schema, getFeaturesCol());
    if (isDefined(layers())) {
      int[] layers = getLayers();
      if (isDefined(hiddenLayers())) {
        int[] hidden = getHiddenLayers();
        int[] inLayers = Arrays.copyOfRange(layers, 1, Math.max(1, layers.length - 1));
        if (!Arrays.equals(hidden, inLayers)) {
          throw new IllegalArgumentException("Param hiddenLayers " + Arrays.toString(hidden)
              + " conflicts with layers " + Arrays.toString(layers) + " (whose hidden sizes are "
              + Arrays.toString(inLayers) + "); set only hiddenLayers (input and output sizes "
              + "then come from the data) or make them agree");
        }
      }
      if (declared > 0 && layers.length > 0 && declared != layers[0]) {
        throw new IllegalArgumentException("Column '" + getFeaturesCol() + "' (param "
            + "featuresCol) declares vectors of size " + declared + " but layers[0] = "
            + layers[0] + " in layers " + Arrays.toString(layers) + "; set layers[0] to "
            + declared + ", or set hiddenLayers instead of layers so the sizes come from the "
            + "data");
      }
      return layers;
    }
    if (!isDefined(hiddenLayers())) {
      throw new IllegalArgumentException("Params hiddenLayers and layers are not set; set "
          + "hiddenLayers to the hidden sizes, e.g. setHiddenLayers(64) (the input and output "
          + "sizes then come from the data and the loss), or layers to every size from input to "
          + "output, e.g. setLayers(new int[] {numFeatures, 64, 1})");
    }
    if (declared <= 0) {
      throw new IllegalArgumentException("Param layers is not set and the features column '"
          + getFeaturesCol() + "' declares no vector size in its ML attribute metadata (fit reads "
          + "it from the data; a schema alone cannot tell); set layers to every size from input "
          + "to output");
    }
    int[] hidden = getHiddenLayers();
    int[] layers = new int[hidden.length + 2];
    layers[0] = declared;
    System.arraycopy(hidden, 0, layers, 1, hidden.length);
    layers[layers.length - 1] = outputsFromLabels(schema);
    return layers;
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
    int numHidden = layers.length - 2;
    boolean[] trainable = new boolean[layers.length - 1];
    Arrays.fill(trainable, true);
    return new NetworkSpec(layers, hiddenActivations(layers), loss, trainable,
        new boolean[numHidden]);
  }

  /**
   * One activation per hidden layer: {@code hiddenActivations} when set (one name per hidden
   * layer of {@code layers}), else {@code hiddenActivation} for all.
   */
  protected Activation[] hiddenActivations(int[] layers) {
    int numHidden = Math.max(0, layers.length - 2);
    Activation[] out = new Activation[numHidden];
    if (!isDefined(hiddenActivations())) {
      Arrays.fill(out, Activation.fromName(getHiddenActivation()));
      return out;
    }
    String[] names = getHiddenActivations();
    if (names.length != numHidden) {
      throw new IllegalArgumentException("Param hiddenActivations has " + names.length
          + " name(s) " + Arrays.toString(names) + " but layers " + Arrays.toString(layers)
          + " has " + numHidden + " hidden layer(s); give one name per hidden layer, or set "
          + "hiddenActivation for all of them");
    }
    if (isSet(hiddenActivation())
        && !Arrays.stream(names).allMatch(n -> n.equals(getHiddenActivation()))) {
      throw new IllegalArgumentException("Param hiddenActivation = '" + getHiddenActivation()
          + "' conflicts with hiddenActivations " + Arrays.toString(names) + "; set only one "
          + "of them");
    }
    for (int k = 0; k < numHidden; k++) out[k] = Activation.fromName(names[k]);
    return out;
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
    if (fitting) {
      checkColumn(schema, getFeaturesCol(), "features", new VectorUDT());
      checkNumericColumn(schema, getLabelCol(), "label");
      if (isDefined(weightCol()) && !getWeightColName().isEmpty()) {
        checkNumericColumn(schema, getWeightColName(), "weightCol");
      }
      if (isDefined(validationIndicatorCol())) {
        checkColumn(schema, getValidationIndicatorColName(), "validationIndicatorCol",
            DataTypes.BooleanType);
      }
      resolveSpec(FeatureSize.forValidation(schema, getFeaturesCol(),
          derivesInputSizeFromData(), getLabelCol(), derivesClassesFromData()));
      optimizerConfig();
      if (usesLbfgs()) checkLbfgsParams();
    }
    return super.validateAndTransformSchema(schema, fitting, featuresDataType);
  }

  /**
   * L-BFGS is one Breeze run to convergence: it has no epochs to checkpoint, to report to
   * listeners or to stop early on, so those settings are refused by name rather than ignored.
   */
  private void checkLbfgsParams() {
    String fix = "; unset it or pick a mini-batch optimizer (e.g. adam)";
    if (!"float64".equals(getPrecision())) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' runs in float64 but precision "
          + "is '" + getPrecision() + "'; set precision to float64 or pick a mini-batch "
          + "optimizer");
    }
    if (isDefined(checkpointDir())) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' writes no checkpoints (one "
          + "Breeze run, no epochs to resume from) but checkpointDir is set to '"
          + getOrDefault(checkpointDir()) + "'" + fix);
    }
    if (isDefined(validationIndicatorCol())) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' does no per-epoch validation, "
          + "early stopping or best-weights keeping, but validationIndicatorCol is set to '"
          + getValidationIndicatorColName() + "'" + fix + " (evaluate the model on the "
          + "validation rows after fitting)");
    }
    if (isSet(earlyStoppingPatience()) && getEarlyStoppingPatience() > 0) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' stops by tol only, but "
          + "earlyStoppingPatience is set to " + getEarlyStoppingPatience() + fix);
    }
    if (getAlignmentDiagnostics()) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' has no epochs to record "
          + "alignment on, but alignmentDiagnostics is true; set it to false or pick a "
          + "mini-batch optimizer (e.g. adam)");
    }
  }

  private static void checkColumn(StructType schema, String name, String param, DataType type) {
    StructField f = field(schema, name, param);
    if (!f.dataType().equals(type)) {
      throw new IllegalArgumentException("Column '" + name + "' (param " + param + ") must be of "
          + "type " + type.simpleString() + " but is " + f.dataType().simpleString()
          + (type instanceof VectorUDT ? "; assemble feature columns with VectorAssembler" : ""));
    }
  }

  private static void checkNumericColumn(StructType schema, String name, String param) {
    StructField f = field(schema, name, param);
    if (!(f.dataType() instanceof org.apache.spark.sql.types.NumericType)) {
      throw new IllegalArgumentException("Column '" + name + "' (param " + param + ") must be "
          + "numeric but is " + f.dataType().simpleString()
          + "; index string labels with StringIndexer");
    }
  }

  private static StructField field(StructType schema, String name, String param) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("Column '" + name + "' (param " + param + ") does not "
          + "exist; available columns: " + String.join(", ", schema.fieldNames()));
    }
    return schema.apply(name);
  }

  String getWeightColName() {
    return isDefined(weightCol()) ? getOrDefault(weightCol()) : "";
  }

  String getValidationIndicatorColName() {
    return getOrDefault(validationIndicatorCol());
  }

  boolean usesLbfgs() {
    return "lbfgs".equals(getOptimizer()); // getters return names lower-cased
  }

  /** The optimizer settings (for lbfgs only regParam is used; the rule slot holds sgd). */
  OptimizerConfig optimizerConfig() {
    Double eps = isDefined(epsilon()) ? (Double) getOrDefault(epsilon()) : null;
    Double r = isDefined(rho()) ? (Double) getOrDefault(rho()) : null;
    return new OptimizerConfig(usesLbfgs() ? "sgd" : getOptimizer(), getStepSize(), getMomentum(),
        getBeta1(), getBeta2(), eps, r, getRegParam());
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
    Dataset<Row> first = epochData.apply(0);
    transformSchema(first.schema(), true);
    if (isDefined(validationIndicatorCol())) {
      throw new IllegalArgumentException("fitFreshPerEpoch does not support param "
          + "validationIndicatorCol; unset it or use fit");
    }
    java.util.function.IntFunction<Dataset<Row>> data = e -> e == 0 ? first : epochData.apply(e);
    return trainWith(first.schema(), columns -> TrainingData.freshPerEpoch(data, columns), null,
        null, first);
  }

  @Override
  public MlpClassificationModel train(Dataset<?> dataset) {
    Dataset<Row> df = dataset.toDF();
    if (!isDefined(validationIndicatorCol())) {
      return trainWith(df.schema(), columns -> TrainingData.pack(df, columns), null, null, df);
    }
    String col = getValidationIndicatorColName();
    String named = "column '" + col + "' (param validationIndicatorCol)";
    // A null indicator fails the training set's packing pass (the first one) instead of
    // silently dropping the row from both sets.
    org.apache.spark.sql.Column indicator = functions.udf(
        (org.apache.spark.sql.api.java.UDF1<Boolean, Boolean>) v -> {
          if (v == null) {
            throw new org.sparkdfa.train.InvalidInputException("Column '" + col + "' (param "
                + "validationIndicatorCol) is null in a row, which is then neither training nor "
                + "validation data; set it to false (train) or true (validate) on every row");
          }
          return v;
        }, DataTypes.BooleanType).apply(functions.col(col));
    Dataset<Row> trainRows = df.filter(functions.not(indicator));
    Dataset<Row> validationRows = df.filter(functions.col(col));
    TrainingData.Role trainRole = TrainingData.Role.training("no row has " + named + " false; "
        + "set it to false on the rows to train on");
    TrainingData.Role validationRole = TrainingData.Role.validation("no row has " + named
        + " true; set it to true on the rows to validate on, or unset validationIndicatorCol");
    return trainWith(df.schema(), columns -> TrainingData.pack(trainRows, columns, trainRole),
        validationRows, validationRole, trainRows);
  }

  private MlpClassificationModel trainWith(StructType dataSchema,
      java.util.function.Function<BlockPacker.Columns, TrainingData> trainData,
      Dataset<Row> validationRows, TrainingData.Role validationRole, Dataset<Row> probeRows) {
    StructType schema = FeatureSize.forFit(dataSchema, getFeaturesCol(),
        derivesInputSizeFromData(), getLabelCol(), derivesClassesFromData(), probeRows);
    if (usesLbfgs() && !epochListeners().isEmpty()) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' has no epochs, but "
          + epochListeners().size() + " epoch listener(s) were added with addEpochListener; "
          + "pick a mini-batch optimizer (e.g. adam) or fit without listeners");
    }
    if (isDefined(checkpointDir())) {
      // Before the packing job: an unwritable folder must not cost a pass over the data.
      org.sparkdfa.train.Checkpoint.probe(getOrDefault(checkpointDir()),
          probeRows.sparkSession().sparkContext().hadoopConfiguration());
    }
    NetworkSpec spec = resolveSpec(schema);
    // Before anything parameter-sized is allocated or any job runs (1 partition: a lower bound
    // until packing has counted them; the trainer checks again with the real count).
    org.sparkdfa.train.MemoryPlan.require(probeRows.sparkSession().sparkContext(), spec,
        optimizerConfig(), usesLbfgs(), org.sparkdfa.nn.Precision.fromName(getPrecision()),
        getBatchSize(), 1);
    Network network = buildNetwork(spec);
    Feedback feedback = feedback(spec);
    TrainingConfig config = new TrainingConfig(network, feedback, initialParams(spec),
        optimizerConfig(), usesLbfgs(), getBatchSize(), getMaxIter(), getTol(),
        getEarlyStoppingPatience(), getSeed(), getAggregationDepth(),
        label() + "[" + uid() + "]", epochListeners());
    org.sparkdfa.nn.Precision precision = org.sparkdfa.nn.Precision.fromName(getPrecision());
    config = config.withPrecision(precision);
    if (isDefined(checkpointDir())) {
      config = config.withCheckpoint(new org.sparkdfa.train.CheckpointConfig(
          getOrDefault(checkpointDir()), getCheckpointInterval(), "features=" + getFeaturesCol()
              + ", label=" + getLabelCol() + ", weight=" + getWeightColName()
              + ", validationIndicator=" + (validationRows == null ? ""
                  : getValidationIndicatorColName())));
    }
    BlockPacker.Columns columns = new BlockPacker.Columns(getFeaturesCol(), getLabelCol(),
        getWeightColName(), spec.inputs(), spec.loss(), spec.outputs(), precision);
    TrainingResult result;
    try (TrainingData train = trainData.apply(columns);
        TrainingData validation = validationRows == null ? null
            : TrainingData.pack(validationRows, columns, validationRole)) {
      result = new Trainer(withAlignment(config, feedback, probeRows, columns))
          .train(train, validation);
    }
    MlpClassificationModel model = new MlpClassificationModel(uid(), network, result.params());
    copyValues(model, extractParamMap());
    // The model reports the architecture it has, also when the sizes came from the data.
    if (!model.isSet(model.layers())) model.set(model.layers(), spec.layers());
    model.setSummary(new MlpTrainingSummary(result));
    return model.setParent(this);
  }

  /**
   * The config plus an {@link org.sparkdfa.train.AlignmentListener} when alignmentDiagnostics is
   * on: the probe is the first alignmentProbeRows rows of {@code probeRows} (training rows, epoch 0
   * for fresh-per-epoch data), collected once to the driver after packing has checked the data.
   * The B is the training feedback for DFA, and for BP a control drawn the same way DFA draws it.
   * Nothing is recorded without a measurable hidden layer (none, or frozen) or with lbfgs.
   */
  private TrainingConfig withAlignment(TrainingConfig config, Feedback feedback,
      Dataset<Row> probeRows, BlockPacker.Columns columns) {
    NetworkSpec spec = config.network().spec();
    if (!getAlignmentDiagnostics() || probeRows == null || config.lbfgs()
        || config.maxEpochs() == 0 || !org.sparkdfa.nn.Alignment.anyMeasurable(spec)) {
      return config;
    }
    org.sparkdfa.nn.DirectFeedback b = feedback instanceof org.sparkdfa.nn.DirectFeedback d ? d
        : org.sparkdfa.nn.DirectFeedback.random(spec, getFeedbackDistribution(),
            getFeedbackScale(), getSeed());
    java.util.List<org.sparkdfa.train.EpochListener> listeners =
        new java.util.ArrayList<>(config.listeners());
    listeners.add(org.sparkdfa.train.AlignmentListener.fromRows(config.network(), b, probeRows,
        columns, getAlignmentProbeRows()));
    return config.withListeners(listeners);
  }

  private double[] initialParams(NetworkSpec spec) {
    if (!isDefined(initialWeights())) return initialize(spec);
    double[] w = getOrDefault(initialWeights()).toArray();
    if (w.length != spec.numParams()) {
      throw new IllegalArgumentException("Param initialWeights has " + w.length + " values but "
          + "layers " + Arrays.toString(spec.layers()) + " needs " + spec.numParams()
          + "; pass the weights() of a model with the same layers");
    }
    return w;
  }
}
