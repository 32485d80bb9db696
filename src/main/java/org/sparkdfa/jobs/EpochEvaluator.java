package org.sparkdfa.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.EpochListener;
import org.sparkdfa.train.Evaluator;

/**
 * The experiment's epoch listener: after every epoch, train accuracy/loss and the accuracy of
 * every test set, measured on packed, cached data (one Spark job each) with the epoch's weights.
 * The figures go into the epoch's summary record under {@code eval.*} and to a progress callback.
 * Unlike a validation set this changes nothing about training, except for the early exit: with a
 * target accuracy, training ends once the first (primary) test set has been at or above it for
 * {@code stopEpochs} consecutive epochs. Lives on the driver only.
 */
final class EpochEvaluator implements EpochListener {
  private static final long serialVersionUID = 1L;

  static final String TRAIN_LOSS = "eval.train_loss";
  static final String TRAIN_ACCURACY = "eval.train_accuracy";
  static final String TEST_ACCURACY = "eval.test_accuracy.";
  static final String TEST_LOSS = "eval.test_loss.";

  private final transient Network network;
  private final transient Evaluator train;
  private final transient Map<String, Evaluator> tests;
  private final transient Consumer<Map<String, Double>> onEpoch;
  private final transient IntConsumer onStep;
  private final Precision precision;
  private final double stopAccuracy;
  private final int stopEpochs;
  /** Consecutive epochs, up to this one, with the primary test accuracy >= stopAccuracy. */
  private int streak;

  /**
   * Evaluates in {@code precision} (the model's); {@code onEpoch} gets each epoch's figures,
   * {@code onStep} each step's number in its epoch.
   *
   * @param stopAccuracy the early exit's target on the first test set (0: no early exit)
   * @param stopEpochs   consecutive epochs at or above the target that end training (>= 1)
   */
  EpochEvaluator(Network network, Precision precision, Evaluator train,
      Map<String, Evaluator> tests, Consumer<Map<String, Double>> onEpoch, IntConsumer onStep,
      double stopAccuracy, int stopEpochs) {
    if (!(stopAccuracy >= 0 && stopAccuracy <= 1) || stopEpochs < 1) {
      throw new IllegalArgumentException("early exit needs an accuracy in [0, 1] and >= 1 "
          + "epochs, got " + stopAccuracy + " and " + stopEpochs);
    }
    this.network = network;
    this.precision = precision;
    this.train = train;
    this.tests = new LinkedHashMap<>(tests);
    this.onEpoch = onEpoch;
    this.onStep = onStep;
    this.stopAccuracy = stopAccuracy;
    this.stopEpochs = stopEpochs;
  }

  @Override
  public void onStep(int epoch, int step, int stepsPerEpoch) {
    onStep.accept(step);
  }

  @Override
  public Map<String, Double> onEpochEnd(int epoch, double[] params) {
    Map<String, Double> m = new TreeMap<>();
    Evaluator.Result tr = train.evaluate(network, params, precision);
    m.put(TRAIN_LOSS, tr.loss());
    m.put(TRAIN_ACCURACY, tr.accuracy());
    for (Map.Entry<String, Evaluator> t : tests.entrySet()) {
      Evaluator.Result r = t.getValue().evaluate(network, params, precision);
      m.put(TEST_ACCURACY + t.getKey(), r.accuracy());
      m.put(TEST_LOSS + t.getKey(), r.loss());
    }
    Map<String, Double> report = new LinkedHashMap<>();
    report.put("epoch", (double) epoch);
    report.put(TRAIN_LOSS, tr.loss());
    report.put(TRAIN_ACCURACY, tr.accuracy());
    for (String t : tests.keySet()) report.put(TEST_ACCURACY + t, m.get(TEST_ACCURACY + t));
    if (stopAccuracy > 0 && !tests.isEmpty()) {
      double primary = m.get(TEST_ACCURACY + tests.keySet().iterator().next());
      streak = primary >= stopAccuracy ? streak + 1 : 0;
    }
    onEpoch.accept(report);
    return m;
  }

  @Override
  public boolean stopRequested() {
    return stopAccuracy > 0 && streak >= stopEpochs;
  }

  @Override
  public String toString() {
    return stopAccuracy > 0 ? String.format(java.util.Locale.ROOT, "test accuracy >= %s on %s "
        + "for %d consecutive epochs", stopAccuracy, tests.keySet().iterator().next(), stopEpochs)
        : "epoch evaluator";
  }
}
