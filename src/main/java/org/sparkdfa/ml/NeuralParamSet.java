package org.sparkdfa.ml;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.sparkdfa.nn.Activation;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Init;
import org.sparkdfa.nn.Loss;
import org.sparkdfa.optim.OptimizerKind;

/**
 * Every param of the neural estimators and their model, declared once with its doc, validator and
 * default. Estimator and model each build one for themselves (params belong to one owner's uid),
 * which is how the estimator's settings travel to the model through {@code copyValues}.
 */
final class NeuralParamSet implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String AUTO_LOSS = "auto";

  final IntArrayParam layers;
  final IntArrayParam hiddenLayers;
  final Param<String> hiddenActivation;
  final StringArrayParam hiddenActivations;
  final Param<String> loss;
  final Param<String> optimizer;
  final DoubleParam stepSize;
  final Param<String> stepSizeSchedule;
  final DoubleParam decayRate;
  final DoubleParam minStepSize;
  final IntParam warmupSteps;
  final DoubleParam momentum;
  final DoubleParam beta1;
  final DoubleParam beta2;
  final DoubleParam epsilon;
  final DoubleParam rho;
  final DoubleParam regParam;
  final IntParam batchSize;
  final IntParam maxIter;
  final DoubleParam tol;
  final LongParam seed;
  final Param<Vector> initialWeights;
  final IntParam aggregationDepth;
  final Param<String> weightCol;
  final Param<String> validationIndicatorCol;
  final IntParam earlyStoppingPatience;
  final Param<String> weightInit;
  final Param<String> feedbackDistribution;
  final DoubleParam feedbackScale;
  final Param<String> feedbackNormalization;
  final Param<String> checkpointDir;
  final Param<String> precision;
  final Param<String> updatePrecision;
  final IntParam checkpointInterval;
  final IntParam localSteps;
  final Param<String> outerOptimizer;
  final DoubleParam outerStepSize;
  final DoubleParam outerMomentum;
  final BooleanParam alignmentDiagnostics;
  final IntParam alignmentProbeRows;

  /** Values of updatePrecision: auto follows precision. */
  static final String[] UPDATE_PRECISIONS = {"auto", "float64", "float32"};

  NeuralParamSet(Params owner) {
    layers = new IntArrayParam(owner, "layers", "sizes of all layers from input to output, e.g. "
        + "[784, 512, 1]; 1 output = binary (bce/hinge), c >= 2 outputs = c classes",
        Validators.require("layers", (int[] a) -> a.length >= 2
            && java.util.Arrays.stream(a).allMatch(s -> s > 0),
            "needs at least 2 positive sizes (inputs ... outputs)"));
    hiddenLayers = new IntArrayParam(owner, "hiddenLayers", "sizes of the hidden layers only, "
        + "e.g. [512, 512] (may be empty): the input size then comes from the features (their "
        + "metadata, else the data at fit) and the output size from the loss and the labels "
        + "(bce/hinge: 1; cross_entropy: one per class; auto/mse: 1 for two classes, else one per "
        + "class); if layers is set too, its hidden sizes must equal these",
        Validators.require("hiddenLayers", (int[] a) -> java.util.Arrays.stream(a)
            .allMatch(s -> s > 0), "needs positive sizes"));
    hiddenActivation = new Param<>(owner, "hiddenActivation", "activation of every hidden layer: "
        + String.join(", ", Activation.HIDDEN_NAMES),
        Validators.oneOf("hiddenActivation", Activation.HIDDEN_NAMES));
    hiddenActivations = new StringArrayParam(owner, "hiddenActivations", "one activation per "
        + "hidden layer, from the first: " + String.join(", ", Activation.HIDDEN_NAMES)
        + "; unset = hiddenActivation for every hidden layer",
        Validators.require("hiddenActivations", (String[] a) -> java.util.Arrays.stream(a)
            .allMatch(n -> n != null && java.util.Arrays.asList(Activation.HIDDEN_NAMES)
                .contains(n.trim().toLowerCase(java.util.Locale.ROOT))),
            "must name one of " + String.join(", ", Activation.HIDDEN_NAMES) + " per layer"));
    String[] losses = new String[Loss.NAMES.length + 1];
    losses[0] = AUTO_LOSS;
    System.arraycopy(Loss.NAMES, 0, losses, 1, Loss.NAMES.length);
    loss = new Param<>(owner, "loss", "output layer + loss: bce (1 output, sigmoid), cross_entropy "
        + "(>= 2 outputs, softmax), mse (identity), hinge (1 output), huber (identity, regressors "
        + "only); auto = bce for 1 output, cross_entropy otherwise; regressors: auto = mse", Validators.oneOf("loss", losses));
    String[] optimizers = new String[OptimizerKind.values().length + 1];
    for (int i = 0; i < OptimizerKind.values().length; i++) {
      optimizers[i] = OptimizerKind.values()[i].canonicalName();
    }
    optimizers[optimizers.length - 1] = "lbfgs";
    optimizer = new Param<>(owner, "optimizer", "update rule: " + String.join(", ", optimizers)
        + " (lbfgs = full-batch L-BFGS through Breeze, as MLlib's MLPC)",
        Validators.oneOf("optimizer", optimizers));
    stepSize = new DoubleParam(owner, "stepSize", "learning rate η (> 0)",
        Validators.positive("stepSize"));
    stepSizeSchedule = new Param<>(owner, "stepSizeSchedule", "how stepSize changes over the "
        + "run: constant, exponential (times decayRate each epoch) or cosine (from stepSize to "
        + "minStepSize over maxIter epochs); any of them after warmupSteps of linear warm-up",
        Validators.oneOf("stepSizeSchedule", org.sparkdfa.optim.StepSizeSchedule.KINDS));
    decayRate = new DoubleParam(owner, "decayRate", "factor per epoch of the exponential "
        + "schedule, in (0, 1]", Validators.require("decayRate", v -> ((Double) v) > 0
            && ((Double) v) <= 1, "must be in (0, 1]"));
    minStepSize = new DoubleParam(owner, "minStepSize", "final step size of the cosine schedule "
        + "(>= 0, at most stepSize)", Validators.atLeast("minStepSize", 0));
    warmupSteps = new IntParam(owner, "warmupSteps", "optimizer steps of linear warm-up from 0 "
        + "to the schedule's step size (>= 0; 0 = none)", Validators.atLeast("warmupSteps", 0));
    momentum = new DoubleParam(owner, "momentum", "momentum γ of momentum/nesterov, in [0, 1)",
        Validators.inUnitInterval("momentum", false));
    beta1 = new DoubleParam(owner, "beta1", "Adam's first-moment decay β1, in [0, 1)",
        Validators.inUnitInterval("beta1", false));
    beta2 = new DoubleParam(owner, "beta2", "Adam's second-moment decay β2, in [0, 1)",
        Validators.inUnitInterval("beta2", false));
    epsilon = new DoubleParam(owner, "epsilon", "smoothing ε of adagrad/adadelta/rmsprop/adam "
        + "(> 0; unset = the optimizer's default: adadelta 1e-6, the others 1e-8)",
        Validators.positive("epsilon"));
    rho = new DoubleParam(owner, "rho", "decay ρ of adadelta/rmsprop, in [0, 1) (unset = the "
        + "optimizer's default: adadelta 0.95, rmsprop 0.9)", Validators.inUnitInterval("rho", false));
    regParam = new DoubleParam(owner, "regParam", "L2 regularization on the weight matrices "
        + "(>= 0; biases are not regularized)", Validators.atLeast("regParam", 0));
    batchSize = new IntParam(owner, "batchSize", "global mini-batch: rows per optimizer step "
        + "across all partitions (> 0)", Validators.positive("batchSize"));
    maxIter = new IntParam(owner, "maxIter", "maximum number of epochs (L-BFGS: iterations) (>= 0)",
        Validators.atLeast("maxIter", 0));
    tol = new DoubleParam(owner, "tol", "least improvement of the monitored loss (validation loss "
        + "if a validation set is given, else training loss) that counts as progress (>= 0)",
        Validators.atLeast("tol", 0));
    seed = new LongParam(owner, "seed", "random seed: weights, feedback matrices, permutations");
    initialWeights = new Param<>(owner, "initialWeights", "warm start: the flat parameter vector "
        + "(e.g. a model's weights()); unset = fresh initialization from seed");
    aggregationDepth = new IntParam(owner, "aggregationDepth", "suggested depth for "
        + "treeAggregate (>= 1)", Validators.atLeast("aggregationDepth", 1));
    weightCol = new Param<>(owner, "weightCol", "column of row weights (>= 0); unset = all 1");
    validationIndicatorCol = new Param<>(owner, "validationIndicatorCol", "boolean column: true "
        + "rows form the validation set (per-epoch validation loss/accuracy, early stopping, best "
        + "weights kept); unset = no validation");
    earlyStoppingPatience = new IntParam(owner, "earlyStoppingPatience", "epochs without "
        + "improvement by more than tol before stopping (0 = never stop early)",
        Validators.atLeast("earlyStoppingPatience", 0));
    weightInit = new Param<>(owner, "weightInit", "weight initialization: "
        + String.join(", ", Init.NAMES), Validators.oneOf("weightInit", Init.NAMES));
    feedbackDistribution = new Param<>(owner, "feedbackDistribution", "distribution of DFA's fixed "
        + "random feedback matrices B_k: " + String.join(", ", DirectFeedback.DISTRIBUTIONS),
        Validators.oneOf("feedbackDistribution", DirectFeedback.DISTRIBUTIONS));
    feedbackScale = new DoubleParam(owner, "feedbackScale", "scale of B_k relative to the Glorot "
        + "magnitude of an h_k x c layer (> 0)", Validators.positive("feedbackScale"));
    feedbackNormalization = new Param<>(owner, "feedbackNormalization", "how the variance of "
        + "the feedback matrices follows their shape (h_k units receiving a signal of size c): "
        + "glorot 2/(h_k + c), fan-in 1/c (scale prop. to 1/sqrt(c)), fan-out 1/h_k (prop. to "
        + "1/sqrt(h)); times feedbackScale^2", Validators.oneOf("feedbackNormalization",
            DirectFeedback.NORMALIZATIONS));
    alignmentDiagnostics = new BooleanParam(owner, "alignmentDiagnostics", "record per-epoch "
        + "alignment between the DFA/FA signal and the true BP delta on a fixed probe batch, and of "
        + "the feedback matrices with the forward weights (summary metrics alignment.layer<k>."
        + "cos_mean/cos_std/angle_deg/norm_ratio/weight_angle_deg); for BP runs a random B drawn "
        + "like DFA's serves as a control. Mini-batch optimizers only (lbfgs records no epochs' "
        + "metrics)");
    alignmentProbeRows = new IntParam(owner, "alignmentProbeRows", "rows of the alignment probe "
        + "batch: the first n training rows, collected once to the driver (>= 1)",
        Validators.atLeast("alignmentProbeRows", 1));
    precision = new Param<>(owner, "precision", "arithmetic of the blocks, the weights in a "
        + "step and the gemm: float64 (dgemm) or float32 (sgemm; the driver's master weights "
        + "and optimizer state follow updatePrecision)",
        Validators.oneOf("precision", org.sparkdfa.nn.Precision.NAMES));
    updatePrecision = new Param<>(owner, "updatePrecision", "the driver's master weights and "
        + "optimizer state (moments, velocities): auto (the same as precision: float32 fits "
        + "keep them in float32, as PyTorch keeps a float32 model's, and the tasks read the "
        + "master weights themselves), float64, or float32 (needs precision float32); "
        + "L-BFGS always float64", Validators.oneOf("updatePrecision", UPDATE_PRECISIONS));
    checkpointDir = new Param<>(owner, "checkpointDir", "folder (local path or any Hadoop URI) "
        + "for checkpoints: weights, optimizer state, epoch and RNG position, in the fit's own "
        + "sub-folder fit-<key> (key: a hash of the setup and a digest of the data); rerunning the "
        + "same fit on the same data resumes from it and ends with the same weights; not with "
        + "lbfgs; unset = none");
    checkpointInterval = new IntParam(owner, "checkpointInterval", "checkpoint every this many "
        + "epochs (>= 1; the last epoch is always checkpointed)",
        Validators.atLeast("checkpointInterval", 1));
    localSteps = new IntParam(owner, "localSteps", "local SGD: mini-batch steps each partition "
        + "runs on its own (from the same weights, with a fresh copy of the optimizer) before "
        + "the driver averages the partitions' weight deltas and applies outerOptimizer (>= 1; "
        + "1 = a synchronous step per mini-batch)", Validators.atLeast("localSteps", 1));
    outerOptimizer = new Param<>(owner, "outerOptimizer", "with localSteps > 1, the driver's "
        + "rule for the row-weighted mean weight delta: average (SGD with outerStepSize; 1 = "
        + "plain model averaging) or nesterov (with outerMomentum, as DiLoCo)",
        Validators.oneOf("outerOptimizer", org.sparkdfa.train.LocalSgd.OUTER_RULES));
    outerStepSize = new DoubleParam(owner, "outerStepSize", "outer step size η (> 0)",
        Validators.positive("outerStepSize"));
    outerMomentum = new DoubleParam(owner, "outerMomentum", "outer Nesterov momentum μ, in "
        + "[0, 1)", Validators.inUnitInterval("outerMomentum", false));
  }

  /** The regressors' Huber δ (regressor and regression model each own one), default 1. */
  static DoubleParam huberDelta(Params owner) {
    DoubleParam p = new DoubleParam(owner, "huberDelta", "Huber's δ for loss huber: residuals "
        + "up to δ count quadratically, beyond it linearly (> 0)",
        Validators.positive("huberDelta"));
    owner.setDefault(p, Loss.DEFAULT_HUBER_DELTA);
    return p;
  }

  /** Registers the defaults on the owner (Spark stores defaults per instance). */
  void setDefaults(Params owner) {
    owner.setDefault(hiddenActivation, "relu");
    owner.setDefault(loss, AUTO_LOSS);
    owner.setDefault(optimizer, OptimizerKind.ADAM.canonicalName());
    owner.setDefault(stepSize, 0.001);
    owner.setDefault(stepSizeSchedule, "constant");
    owner.setDefault(decayRate, 0.95);
    owner.setDefault(minStepSize, 0.0);
    owner.setDefault(warmupSteps, 0);
    owner.setDefault(momentum, OptimizerKind.MOMENTUM.defaultMomentum());
    owner.setDefault(beta1, OptimizerKind.ADAM.defaultBeta1());
    owner.setDefault(beta2, OptimizerKind.ADAM.defaultBeta2());
    owner.setDefault(regParam, 0.0);
    owner.setDefault(batchSize, 128);
    owner.setDefault(maxIter, 20);
    owner.setDefault(tol, 1e-6);
    owner.setDefault(seed, (long) owner.getClass().getName().hashCode());
    owner.setDefault(aggregationDepth, 2);
    owner.setDefault(earlyStoppingPatience, 5);
    owner.setDefault(weightInit, Init.GLOROT_UNIFORM.paramName());
    owner.setDefault(feedbackDistribution, "uniform");
    owner.setDefault(feedbackScale, 1.0);
    owner.setDefault(feedbackNormalization, "glorot");
    owner.setDefault(checkpointInterval, 1);
    owner.setDefault(localSteps, 1);
    owner.setDefault(outerOptimizer, "average");
    owner.setDefault(outerStepSize, 1.0);
    owner.setDefault(outerMomentum, 0.9);
    owner.setDefault(precision, "float64");
    owner.setDefault(updatePrecision, "auto");
    owner.setDefault(alignmentDiagnostics, false);
    owner.setDefault(alignmentProbeRows, 256);
  }
}
