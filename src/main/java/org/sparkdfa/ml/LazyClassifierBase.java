package org.sparkdfa.ml;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.nn.Activation;

/**
 * What the "lazy" baselines ({@link GatedLinearClassifier}, {@link RandomFeaturesClassifier})
 * share: exactly one hidden layer of {@code width} units, whose sizes may be left to the data.
 *
 * <p>When {@code layers} is unset the architecture is {@code [d, width, 1]}, with d read from the
 * features column's ML attribute metadata (the generators in {@code org.sparkdfa.data} and
 * {@code VectorAssembler.transform} write it) or, where none is declared (as in a Pipeline's schema
 * check), from the first row at fit ({@link FeatureSize}); this needs a one-output loss (auto,
 * bce or hinge). When
 * {@code layers} is set it must have exactly one hidden layer, and {@code width}, if set too, must
 * agree with it.
 *
 * <p>The hidden nonlinearity is fixed by the baseline, so {@code hiddenActivation} may only be
 * left unset or set to the activation the baseline uses; anything else is rejected rather than
 * silently ignored.
 *
 * @param <E> the concrete estimator (Spark's self type)
 */
public abstract class LazyClassifierBase<E extends LazyClassifierBase<E>>
    extends NeuralClassifierBase<E> {
  private static final long serialVersionUID = 1L;

  /** Hidden units when {@code layers} is unset. */
  public static final int DEFAULT_WIDTH = 512;

  private final IntParam width;

  /** Call as {@code super(Uids.pending(uid))}, like every neural estimator. */
  protected LazyClassifierBase(String uid) {
    super(uid);
    // Created after super(..) returned, so the uid is in place (see Uids).
    width = new IntParam(this, "width", "hidden units of the random or gated layer, used when "
        + "layers is unset (then layers = [numFeatures, width, 1]) (> 0)",
        Validators.positive("width"));
    setDefault(width, DEFAULT_WIDTH);
  }

  public IntParam width() {
    return width;
  }

  public int getWidth() {
    return (Integer) getOrDefault(width);
  }

  @SuppressWarnings("unchecked")
  public E setWidth(int value) {
    set(width, value);
    return (E) this;
  }

  /** The activation of the hidden layer, fixed by the baseline (and its other params). */
  protected abstract Activation hiddenLayerActivation();

  @Override
  protected int[] resolveLayers(StructType schema) {
    checkHiddenActivation();
    String name = getClass().getSimpleName();
    if (isDefined(layers())) {
      int[] layers = getLayers();
      if (layers.length != 3) {
        throw new IllegalArgumentException(name + " has exactly one hidden layer: layers must be "
            + "[numFeatures, width, outputs], got " + Arrays.toString(layers));
      }
      if (isSet(width) && getWidth() != layers[1]) {
        throw new IllegalArgumentException("Param width = " + getWidth() + " conflicts with "
            + "layers " + Arrays.toString(layers) + "; set only one of them (width is used only "
            + "when layers is unset)");
      }
      return layers;
    }
    String loss = getLoss().trim().toLowerCase(Locale.ROOT);
    if (!(NeuralParamSet.AUTO_LOSS.equals(loss) || "bce".equals(loss) || "hinge".equals(loss))) {
      throw new IllegalArgumentException("Param layers is not set and loss '" + loss + "' needs "
          + "one output per class; set layers to [numFeatures, " + getWidth()
          + ", numClasses]");
    }
    int d = FeatureSize.declared(schema, getFeaturesCol());
    if (d <= 0) {
      throw new IllegalArgumentException("Param layers is not set and the features column '"
          + getFeaturesCol() + "' declares no vector size in its ML attribute metadata (fit reads "
          + "it from the data; a schema alone cannot tell); set layers to [numFeatures, "
          + getWidth() + ", 1]");
    }
    return new int[] {d, getWidth(), 1};
  }

  /** The output layer has one unit whatever the labels: the loss must be single-output. */
  @Override
  protected boolean derivesClassesFromData() {
    return false;
  }

  private void checkHiddenActivation() {
    if (isDefined(hiddenLayers())) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " has exactly one hidden "
          + "layer of width units, but hiddenLayers is set to "
          + Arrays.toString(getHiddenLayers()) + "; unset it and set width");
    }
    if (isDefined(hiddenActivations())) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " fixes its hidden "
          + "activation (here '" + hiddenLayerActivation().paramName() + "'), but "
          + "hiddenActivations is set to " + Arrays.toString(getHiddenActivations())
          + "; leave it unset");
    }
    if (!isSet(hiddenActivation())) return;
    Activation used = hiddenLayerActivation();
    if (!used.paramName().equals(getHiddenActivation().trim().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " fixes its hidden "
          + "activation (here '" + used.paramName() + "'), but hiddenActivation is set to '"
          + getHiddenActivation() + "'; leave hiddenActivation unset"
          + (this instanceof RandomFeaturesClassifier ? " and choose the features with "
          + "featureType" : ""));
    }
  }

}
