package org.sparkdfa.ml;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.train.EpochListener;
import org.sparkdfa.train.Trainer;
import org.sparkdfa.train.TrainingConfig;
import org.sparkdfa.train.TrainingResult;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.TrainingData;

/**
 * One fit of a neural estimator, classifier or regressor alike: the checks that run before any
 * Spark job, the sizes left to the data, the packing, the trainer run. The estimator supplies its
 * params and the hooks (architecture, initial weights, feedback rule); the model is its own.
 */
abstract class NeuralFit {

  /** What a fit produced: the network, its trained weights, the run and the rows trained on. */
  record Fitted(Network network, TrainingResult result, Dataset<Row> trainRows) {}

  private final NeuralParams p;

  NeuralFit(NeuralParams params) {
    this.p = params;
  }

  // ---- hooks: the estimator's choices ----

  abstract NetworkSpec resolveSpec(StructType schema);

  abstract boolean derivesInputSizeFromData();

  abstract boolean derivesClassesFromData();

  abstract Network buildNetwork(NetworkSpec spec);

  abstract double[] initialize(NetworkSpec spec);

  abstract Feedback feedback(NetworkSpec spec);

  abstract String jobLabel();

  abstract List<EpochListener> epochListeners();

  // ---- shared architecture rules ----

  /**
   * {@code layers} if set (agreeing with {@code hiddenLayers} and with the features' declared
   * size), else the declared input size, {@code hiddenLayers} and {@code outputs}.
   */
  static int[] resolveLayers(NeuralParams p, StructType schema,
      java.util.function.IntSupplier outputs) {
    int declared = FeatureSize.declared(schema, p.getFeaturesCol());
    if (p.isDefined(p.layers())) {
      int[] layers = p.getLayers();
      if (p.isDefined(p.hiddenLayers())) {
        int[] hidden = p.getHiddenLayers();
        int[] inLayers = Arrays.copyOfRange(layers, 1, Math.max(1, layers.length - 1));
        if (!Arrays.equals(hidden, inLayers)) {
          throw new IllegalArgumentException("Param hiddenLayers " + Arrays.toString(hidden)
              + " conflicts with layers " + Arrays.toString(layers) + " (whose hidden sizes are "
              + Arrays.toString(inLayers) + "); set only hiddenLayers (input and output sizes "
              + "then come from the data) or make them agree");
        }
      }
      // An architecture too large to exist is reported as such by NetworkSpec, first.
      if (declared > 0 && layers.length > 0 && declared != layers[0]
          && NetworkSpec.parameterCount(layers) <= NetworkSpec.MAX_PARAMS) {
        throw new IllegalArgumentException("Column '" + p.getFeaturesCol() + "' (param "
            + "featuresCol) declares vectors of size " + declared + " but layers[0] = "
            + layers[0] + " in layers " + Arrays.toString(layers) + "; set layers[0] to "
            + declared + ", or set hiddenLayers instead of layers so the sizes come from the "
            + "data");
      }
      return layers;
    }
    if (!p.isDefined(p.hiddenLayers())) {
      throw new IllegalArgumentException("Params hiddenLayers and layers are not set; set "
          + "hiddenLayers to the hidden sizes, e.g. setHiddenLayers(64) (the input and output "
          + "sizes then come from the data and the loss), or layers to every size from input to "
          + "output, e.g. setLayers(new int[] {numFeatures, 64, 1})");
    }
    if (declared <= 0) {
      throw new IllegalArgumentException("Param layers is not set and the features column '"
          + p.getFeaturesCol() + "' declares no vector size in its ML attribute metadata (fit "
          + "reads it from the data; a schema alone cannot tell); set layers to every size from "
          + "input to output");
    }
    int[] hidden = p.getHiddenLayers();
    int[] layers = new int[hidden.length + 2];
    layers[0] = declared;
    System.arraycopy(hidden, 0, layers, 1, hidden.length);
    layers[layers.length - 1] = outputs.getAsInt();
    return layers;
  }

  /** A plain MLP: every layer trainable, nothing gated, the params' hidden activations. */
  static NetworkSpec plainSpec(NeuralParams p, int[] layers, Loss loss) {
    boolean[] trainable = new boolean[Math.max(0, layers.length - 1)];
    Arrays.fill(trainable, true);
    return new NetworkSpec(layers, hiddenActivations(p, layers), loss, trainable,
        new boolean[Math.max(0, layers.length - 2)]);
  }

  /**
   * One activation per hidden layer: {@code hiddenActivations} when set (one name per hidden
   * layer of {@code layers}), else {@code hiddenActivation} for all.
   */
  static Activation[] hiddenActivations(NeuralParams p, int[] layers) {
    int numHidden = Math.max(0, layers.length - 2);
    Activation[] out = new Activation[numHidden];
    if (!p.isDefined(p.hiddenActivations())) {
      Arrays.fill(out, Activation.fromName(p.getHiddenActivation()));
      return out;
    }
    String[] names = p.getHiddenActivations();
    if (names.length != numHidden) {
      throw new IllegalArgumentException("Param hiddenActivations has " + names.length
          + " name(s) " + Arrays.toString(names) + " but layers " + Arrays.toString(layers)
          + " has " + numHidden + " hidden layer(s); give one name per hidden layer, or set "
          + "hiddenActivation for all of them");
    }
    if (p.isSet(p.hiddenActivation())
        && !Arrays.stream(names).allMatch(n -> n.equals(p.getHiddenActivation()))) {
      throw new IllegalArgumentException("Param hiddenActivation = '" + p.getHiddenActivation()
          + "' conflicts with hiddenActivations " + Arrays.toString(names) + "; set only one "
          + "of them");
    }
    for (int k = 0; k < numHidden; k++) out[k] = Activation.fromName(names[k]);
    return out;
  }

  // ---- checks before any job ----

  /** The checks of {@code transformSchema} when fitting: columns, architecture, optimizer. */
  void checkSchema(StructType schema) {
    checkColumn(schema, p.getFeaturesCol(), "features", new VectorUDT());
    checkNumericColumn(schema, p.getLabelCol(), "label");
    if (p.isDefined(p.weightCol()) && !weightColName().isEmpty()) {
      checkNumericColumn(schema, weightColName(), "weightCol");
    }
    if (p.isDefined(p.validationIndicatorCol())) {
      checkColumn(schema, validationIndicatorColName(), "validationIndicatorCol",
          DataTypes.BooleanType);
    }
    resolveSpec(FeatureSize.forValidation(schema, p.getFeaturesCol(),
        derivesInputSizeFromData(), p.getLabelCol(), derivesClassesFromData()));
    OptimizerConfig optimizer = optimizerConfig();
    if (usesLbfgs()) checkLbfgsParams();
    TrainingConfig.requireLocalStepsFit(localSgd(), usesLbfgs(), optimizer);
    org.sparkdfa.nn.Precision update = updatePrecision();
    if (update != null) {
      TrainingConfig.requireUpdatePrecision(update, Precision.fromName(p.getPrecision()),
          "Param updatePrecision", "precision");
    }
  }

  /** updatePrecision as the trainer takes it: null for auto (follows precision). */
  private org.sparkdfa.nn.Precision updatePrecision() {
    String v = p.getUpdatePrecision();
    return v.equals("auto") ? null : Precision.fromName(v);
  }

  /** The localSteps / outer* params as the trainer takes them. */
  private org.sparkdfa.train.LocalSgd localSgd() {
    return org.sparkdfa.train.LocalSgd.of(p.getLocalSteps(), p.getOuterOptimizer(),
        p.getOuterStepSize(), p.getOuterMomentum());
  }

  /**
   * L-BFGS is one Breeze run to convergence: it has no epochs to checkpoint, to report to
   * listeners or to stop early on, so those settings are refused by name rather than ignored.
   */
  private void checkLbfgsParams() {
    String fix = "; unset it or pick a mini-batch optimizer (e.g. adam)";
    TrainingConfig.requireLbfgsPrecision(Precision.fromName(p.getPrecision()),
        "Param precision");
    if (p.getUpdatePrecision().equals("float32")) {
      TrainingConfig.requireLbfgsPrecision(Precision.FLOAT32, "Param updatePrecision");
    }
    if (p.isDefined(p.checkpointDir())) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' writes no checkpoints (one "
          + "Breeze run, no epochs to resume from) but checkpointDir is set to '"
          + p.getOrDefault(p.checkpointDir()) + "'" + fix);
    }
    if (p.isDefined(p.validationIndicatorCol())) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' does no per-epoch validation, "
          + "early stopping or best-weights keeping, but validationIndicatorCol is set to '"
          + validationIndicatorColName() + "'" + fix + " (evaluate the model on the "
          + "validation rows after fitting)");
    }
    if (p.isSet(p.earlyStoppingPatience()) && p.getEarlyStoppingPatience() > 0) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' stops by tol only, but "
          + "earlyStoppingPatience is set to " + p.getEarlyStoppingPatience() + fix);
    }
    if (p.getAlignmentDiagnostics()) {
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

  String weightColName() {
    return p.isDefined(p.weightCol()) ? p.getOrDefault(p.weightCol()) : "";
  }

  String validationIndicatorColName() {
    return p.getOrDefault(p.validationIndicatorCol());
  }

  boolean usesLbfgs() {
    return "lbfgs".equals(p.getOptimizer()); // getters return names lower-cased
  }

  /** The optimizer settings (for lbfgs only regParam is used; the rule slot holds sgd). */
  OptimizerConfig optimizerConfig() {
    Double eps = p.isDefined(p.epsilon()) ? (Double) p.getOrDefault(p.epsilon()) : null;
    Double r = p.isDefined(p.rho()) ? (Double) p.getOrDefault(p.rho()) : null;
    String kind = p.getStepSizeSchedule();
    if (p.isSet(p.decayRate()) && !"exponential".equals(kind)) {
      throw new IllegalArgumentException("Param decayRate is set to " + p.getDecayRate()
          + " but stepSizeSchedule is '" + kind + "'; set stepSizeSchedule to exponential or "
          + "unset decayRate");
    }
    if (p.isSet(p.minStepSize()) && !"cosine".equals(kind)) {
      throw new IllegalArgumentException("Param minStepSize is set to " + p.getMinStepSize()
          + " but stepSizeSchedule is '" + kind + "'; set stepSizeSchedule to cosine or unset "
          + "minStepSize");
    }
    if ("cosine".equals(kind) && p.getMinStepSize() > p.getStepSize()) {
      throw new IllegalArgumentException("Param minStepSize = " + p.getMinStepSize() + " is "
          + "above stepSize = " + p.getStepSize() + "; the cosine schedule decays from stepSize "
          + "to minStepSize, so set minStepSize <= stepSize");
    }
    org.sparkdfa.optim.StepSizeSchedule schedule = new org.sparkdfa.optim.StepSizeSchedule(
        kind, p.getDecayRate(), p.getMinStepSize(), Math.max(1, p.getMaxIter()),
        p.getWarmupSteps());
    if (usesLbfgs() && !schedule.isConstant()) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' chooses its own step lengths, "
          + "but stepSizeSchedule is '" + kind + "' with warmupSteps = " + p.getWarmupSteps()
          + "; leave them at constant and 0, or pick a mini-batch optimizer (e.g. adam)");
    }
    return new OptimizerConfig(usesLbfgs() ? "sgd" : p.getOptimizer(), p.getStepSize(),
        p.getMomentum(), p.getBeta1(), p.getBeta2(), eps, r, p.getRegParam(),
        usesLbfgs() ? null : schedule);
  }

  // ---- the fit ----

  /**
   * Trains on examples drawn afresh every epoch: epoch e trains on {@code epochData.apply(e)},
   * packed when the epoch starts (see the estimators' {@code fitFreshPerEpoch}).
   */
  Fitted freshPerEpoch(IntFunction<Dataset<Row>> epochData, Runnable schemaCheck) {
    Dataset<Row> first = epochData.apply(0);
    schemaCheck.run();
    if (p.isDefined(p.validationIndicatorCol())) {
      throw new IllegalArgumentException("fitFreshPerEpoch does not support param "
          + "validationIndicatorCol; unset it or use fit");
    }
    IntFunction<Dataset<Row>> data = e -> e == 0 ? first : epochData.apply(e);
    return trainWith(first.schema(), columns -> TrainingData.freshPerEpoch(data, columns), null,
        null, first);
  }

  /**
   * Trains on rows 0..rowsPerEpoch-1 of {@code generator}'s epoch e, generated straight into
   * packed blocks when the epoch starts (see the estimators' {@code fitFreshPerEpoch}).
   */
  Fitted generated(org.sparkdfa.data.ExampleGenerator generator, long rowsPerEpoch,
      int numPartitions, java.util.function.Consumer<StructType> schemaCheck) {
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.active();
    Dataset<Row> first = generator.generate(spark, rowsPerEpoch, 0, numPartitions);
    schemaCheck.accept(first.schema());
    if (p.isDefined(p.validationIndicatorCol())) {
      throw new IllegalArgumentException("fitFreshPerEpoch does not support param "
          + "validationIndicatorCol; unset it or use fit");
    }
    if (p.isDefined(p.weightCol()) && !p.getOrDefault(p.weightCol()).isEmpty()) {
      throw new IllegalArgumentException("param weightCol = '" + p.getOrDefault(p.weightCol())
          + "' names no column of a generator's rows; unset it for "
          + "fitFreshPerEpoch(generator, ...)");
    }
    org.apache.spark.api.java.JavaSparkContext jsc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    return trainWith(first.schema(), columns -> TrainingData.generated(jsc, generator,
        rowsPerEpoch, numPartitions, columns), null, null, first);
  }

  /** Trains on {@code df}, split by the validation indicator column when one is set. */
  Fitted train(Dataset<Row> df) {
    if (!p.isDefined(p.validationIndicatorCol())) {
      return trainWith(df.schema(), columns -> TrainingData.pack(df, columns), null, null, df);
    }
    String col = validationIndicatorColName();
    String named = "column '" + col + "' (param validationIndicatorCol)";
    // A null indicator fails the training set's packing pass (the first one) instead of
    // silently dropping the row from both sets.
    Column indicator = functions.udf(
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

  private Fitted trainWith(StructType dataSchema,
      Function<BlockPacker.Columns, TrainingData> trainData,
      Dataset<Row> validationRows, TrainingData.Role validationRole, Dataset<Row> probeRows) {
    if (usesLbfgs() && !epochListeners().isEmpty()) {
      throw new IllegalArgumentException("Param optimizer 'lbfgs' has no epochs, but "
          + epochListeners().size() + " epoch listener(s) were added with addEpochListener; "
          + "pick a mini-batch optimizer (e.g. adam) or fit without listeners");
    }
    if (p.isDefined(p.checkpointDir())) {
      // Before the packing job: an unwritable folder must not cost a pass over the data.
      org.sparkdfa.train.Checkpoint.probe(p.getOrDefault(p.checkpointDir()),
          probeRows.sparkSession().sparkContext().hadoopConfiguration());
    }
    StructType schema = FeatureSize.forFit(dataSchema, p.getFeaturesCol(),
        derivesInputSizeFromData(), p.getLabelCol(), derivesClassesFromData(), probeRows);
    NetworkSpec spec = resolveSpec(schema);
    org.sparkdfa.nn.Precision precision = org.sparkdfa.nn.Precision.fromName(p.getPrecision());
    // Before anything parameter-sized is allocated or any job runs (1 partition: a lower bound
    // until packing has counted them; the trainer checks again with the real count).
    org.sparkdfa.train.MemoryPlan.require(probeRows.sparkSession().sparkContext(), spec,
        optimizerConfig(), usesLbfgs(), precision,
        TrainingConfig.masterPrecision(usesLbfgs(), updatePrecision(), precision),
        p.getBatchSize(), 1);
    Network network = buildNetwork(spec);
    Feedback feedback = feedback(spec);
    TrainingConfig config = new TrainingConfig(network, feedback, initialParams(spec),
        optimizerConfig(), usesLbfgs(), p.getBatchSize(), p.getMaxIter(), p.getTol(),
        p.getEarlyStoppingPatience(), p.getSeed(), p.getAggregationDepth(), jobLabel(),
        epochListeners());
    config = config.withPrecision(precision).withLocalSgd(localSgd())
        .withUpdatePrecision(updatePrecision());
    if (p.isDefined(p.checkpointDir())) {
      config = config.withCheckpoint(new org.sparkdfa.train.CheckpointConfig(
          p.getOrDefault(p.checkpointDir()), p.getCheckpointInterval(), "features="
              + p.getFeaturesCol() + ", label=" + p.getLabelCol() + ", weight=" + weightColName()
              + ", validationIndicator=" + (validationRows == null ? ""
                  : validationIndicatorColName())));
    }
    BlockPacker.Columns columns = new BlockPacker.Columns(p.getFeaturesCol(), p.getLabelCol(),
        weightColName(), spec.inputs(), spec.loss(), spec.outputs(), precision);
    TrainingResult result;
    try (TrainingData train = trainData.apply(columns);
        TrainingData validation = validationRows == null ? null
            : TrainingData.pack(validationRows, columns, validationRole)) {
      result = new Trainer(withAlignment(config, feedback, probeRows, columns))
          .train(train, validation);
    }
    return new Fitted(network, result, probeRows);
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
    if (!p.getAlignmentDiagnostics() || probeRows == null || config.lbfgs()
        || config.maxEpochs() == 0 || !org.sparkdfa.nn.Alignment.anyMeasurable(spec)) {
      return config;
    }
    // DFA and FA are measured with their own matrices; anything else (BP) against DFA's.
    Feedback b = feedback instanceof org.sparkdfa.nn.DirectFeedback
        || feedback instanceof org.sparkdfa.nn.FeedbackAlignment ? feedback
        : org.sparkdfa.nn.DirectFeedback.random(spec, p.getFeedbackDistribution(),
            p.getFeedbackNormalization(), p.getFeedbackScale(), p.getSeed());
    List<EpochListener> listeners = new java.util.ArrayList<>(config.listeners());
    listeners.add(org.sparkdfa.train.AlignmentListener.fromRows(config.network(), b, probeRows,
        columns, p.getAlignmentProbeRows()));
    return config.withListeners(listeners);
  }

  private double[] initialParams(NetworkSpec spec) {
    if (!p.isDefined(p.initialWeights())) return initialize(spec);
    double[] w = p.getOrDefault(p.initialWeights()).toArray();
    if (w.length != spec.numParams()) {
      throw new IllegalArgumentException("Param initialWeights has " + w.length + " values but "
          + "layers " + Arrays.toString(spec.layers()) + " needs " + spec.numParams()
          + "; pass the weights() of a model with the same layers");
    }
    return w;
  }
}
