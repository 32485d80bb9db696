package org.sparkdfa.train;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.sparkdfa.nn.Alignment;
import org.sparkdfa.nn.DirectFeedback;
import org.sparkdfa.nn.Feedback;
import org.sparkdfa.nn.FeedbackAlignment;
import org.sparkdfa.nn.Network;
import org.sparkdfa.train.blocks.BlockPacker;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * Alignment diagnostics as an {@link EpochListener}: after every epoch, compares the signal of a
 * random-feedback rule — DFA's (B_k e) ⊙ f'(a_k) or FA's (B_{k+1} δ_{k+1}) ⊙ f'(a_k) — with the
 * true BP delta on a fixed probe batch held on the driver (see {@link Alignment}) and reports,
 * for each measurable hidden layer k = 1..numHidden,
 * <ul>
 *   <li>{@code alignment.layer<k>.cos_mean} and {@code alignment.layer<k>.cos_std}: mean and
 *       standard deviation over the probe rows of the per-row cosine between the two deltas;</li>
 *   <li>{@code alignment.layer<k>.angle_deg}: the angle in degrees between the layer's DFA update
 *       and its BP gradient, summed over the probe rows;</li>
 *   <li>{@code alignment.layer<k>.norm_ratio}: ‖rule's delta‖ / ‖BP's delta‖ over the probe;</li>
 *   <li>{@code alignment.layer<k>.weight_angle_deg}: the angle between the feedback matrix and
 *       the forward weights it stands in for ({@link Alignment#weightAngles}; no probe
 *       needed).</li>
 * </ul>
 * For a DFA or FA run B is the training feedback itself; for a BP run it is a random B drawn the
 * same way as DFA's, which serves as a control (what alignment looks like without the rule's
 * training dynamics).
 * Hidden layers whose incoming weights are frozen are not reported.
 */
public final class AlignmentListener implements EpochListener {
  private static final long serialVersionUID = 1L;

  /** Common prefix of every metric this listener records. */
  public static final String PREFIX = "alignment.";

  private final Network network;
  private final Feedback feedback;
  private final double[] x;
  private final double[] labels;
  private final double[] weights;
  private final int m;

  /**
   * @param x       probe features, d × m column-major
   * @param labels  the m probe labels
   * @param weights the m probe row weights, or null for all ones
   */
  public AlignmentListener(Network network, Feedback feedback, double[] x, double[] labels,
      double[] weights, int m) {
    int d = network.spec().inputs();
    if (m <= 0) {
      throw new IllegalArgumentException("the alignment probe needs at least one row, got " + m);
    }
    if (x.length < (long) d * m || labels.length < m || (weights != null && weights.length < m)) {
      throw new IllegalArgumentException("probe block too small for " + m + " rows of " + d
          + " features");
    }
    int matrices = feedback instanceof DirectFeedback dfa ? dfa.numMatrices()
        : feedback instanceof FeedbackAlignment fa ? fa.numMatrices() : -1;
    if (matrices < 0) {
      throw new IllegalArgumentException("alignment diagnostics need a random-feedback rule (DFA "
          + "or FA) to compare with BP, got " + feedback);
    }
    if (matrices != network.spec().numHidden()) {
      throw new IllegalArgumentException("feedback has " + matrices
          + " matrices, the network " + network.spec().numHidden() + " hidden layers");
    }
    this.network = network;
    this.feedback = feedback;
    this.x = x.clone();
    this.labels = labels.clone();
    this.weights = weights == null ? null : weights.clone();
    this.m = m;
  }

  /**
   * Collects the probe on the driver: the first {@code rows} rows of {@code df} in partition order
   * ({@code limit(rows)}, deterministic for a deterministic DataFrame), checked and packed as the
   * trainer packs its blocks. Fewer rows are used when the data has fewer. Runs one Spark job.
   */
  public static AlignmentListener fromRows(Network network, Feedback feedback,
      Dataset<Row> df, BlockPacker.Columns cols, int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("alignmentProbeRows must be >= 1, got " + rows);
    }
    boolean weighted = cols.weight() != null && !cols.weight().isEmpty();
    Column weight = weighted ? functions.col(cols.weight()).cast("double")
        : functions.lit(null).cast("double");
    List<Row> collected = df.select(functions.col(cols.features()),
        functions.col(cols.label()).cast("double"), weight).limit(rows).collectAsList();
    // The probe is measured in float64 whatever precision training uses.
    BlockPacker.Columns probeCols = new BlockPacker.Columns(cols.features(), cols.label(),
        cols.weight(), cols.inputs(), cols.loss(), cols.outputs(),
        org.sparkdfa.nn.Precision.FLOAT64);
    PartitionData probe = BlockPacker.packPartition(0, collected.iterator(), probeCols, weighted);
    int m = probe.rows();
    if (m == 0) {
      throw new InvalidInputException("The alignment probe is empty: the training set has no rows");
    }
    int d = cols.inputs();
    double[] x = new double[d * m];
    double[] y = new double[m];
    double[] w = weighted ? new double[m] : null;
    for (int r = 0; r < m; r++) probe.gather(r, x, y, w, r);
    return new AlignmentListener(network, feedback, x, y, w, m);
  }

  /** Rows in the probe batch. */
  public int probeRows() {
    return m;
  }

  public static String cosMeanKey(int hiddenLayer) {
    return PREFIX + "layer" + hiddenLayer + ".cos_mean";
  }

  public static String cosStdKey(int hiddenLayer) {
    return PREFIX + "layer" + hiddenLayer + ".cos_std";
  }

  public static String angleKey(int hiddenLayer) {
    return PREFIX + "layer" + hiddenLayer + ".angle_deg";
  }

  public static String normRatioKey(int hiddenLayer) {
    return PREFIX + "layer" + hiddenLayer + ".norm_ratio";
  }

  public static String weightAngleKey(int hiddenLayer) {
    return PREFIX + "layer" + hiddenLayer + ".weight_angle_deg";
  }

  @Override
  public Map<String, Double> onEpochEnd(int epoch, double[] params) {
    Map<String, Double> out = new TreeMap<>();
    double[] weightAngles = Alignment.weightAngles(network.spec(), params, feedback);
    for (Alignment.LayerAlignment a : Alignment.measure(network, params, x, labels, weights, m,
        feedback)) {
      out.put(cosMeanKey(a.hiddenLayer()), a.cosMean());
      out.put(cosStdKey(a.hiddenLayer()), a.cosStd());
      out.put(angleKey(a.hiddenLayer()), a.angleDeg());
      out.put(normRatioKey(a.hiddenLayer()), a.normRatio());
      out.put(weightAngleKey(a.hiddenLayer()), weightAngles[a.hiddenLayer() - 1]);
    }
    return out;
  }
}
