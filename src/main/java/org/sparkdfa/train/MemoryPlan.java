package org.sparkdfa.train;

import java.util.Arrays;
import java.util.BitSet;
import org.apache.spark.SparkContext;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.optim.OptimizerConfig;
import org.sparkdfa.optim.Optimizers;
import org.sparkdfa.train.blocks.PartitionData;

/**
 * The memory a fit certainly needs, counted from the spec before anything is allocated, so that
 * a network that cannot fit is refused with the sizes instead of failing with an
 * OutOfMemoryError in the middle of a run (or of the first allocation). A lower bound, on
 * purpose: only the arrays the trainer must hold at once — the parameter-sized vectors of the
 * driver (weights and the array the update writes the next ones into, the initial and the best
 * weights, the optimizer's slots; with float32 master weights the weights and slots in float32
 * and a widened view of the weights), the gradients of one step in flight, the weights and
 * gradient one executor holds, and one task's row blocks. The data cache spills to disk and is
 * not counted.
 *
 * @param driverBytes   what the driver's heap must hold (on a local master its tasks too, as
 *                      they run in its JVM)
 * @param executorBytes what one executor's heap must hold; 0 on a local master
 */
public record MemoryPlan(long driverBytes, long executorBytes) {

  /** L-BFGS keeps this many correction pairs (LbfgsSolver's MLlib memory). */
  private static final int LBFGS_VECTORS = 2 * 10 + 4;

  /**
   * The plan for training {@code spec}.
   *
   * @param master     the precision of the driver's weights and optimizer slots
   *                   ({@link TrainingConfig#masterPrecision})
   * @param partitions the training data's partitions (1 when not known yet: a lower bound)
   * @param local      whether the tasks run in the driver's JVM (a local master)
   * @param executorCores tasks one executor runs at once (1 when not known)
   */
  public static MemoryPlan of(NetworkSpec spec, OptimizerConfig optimizer, boolean lbfgs,
      Precision precision, Precision master, int batchSize, int partitions, boolean local,
      int executorCores) {
    long p = spec.numParams();
    long pb = precision == Precision.FLOAT32 ? 4 : 8;
    long driver = driverVectorBytes(optimizer, lbfgs, master, p);
    long task = taskBlockBytes(spec, pb, lbfgs ? PartitionData.CHUNK_ROWS : batchSize);
    if (local) {
      // Every partition's gradient of a step is parked until the step is summed; the tasks run
      // here (at least one at a time), and a float32 fit with float64 master weights keeps a
      // float copy of them for the tasks.
      boolean floatCopy = pb == 4 && master == Precision.FLOAT64;
      driver += partitions * pb * p + task + (floatCopy ? 4 * p : 0);
      return new MemoryPlan(driver, 0);
    }
    // The weights leave as bytes (and Spark's broadcast copy of them); the sum comes back as
    // bytes and is decoded.
    driver += 4 * pb * p;
    // An executor holds the broadcast bytes and their decoded weights; each task its gradient,
    // its packed copy and its blocks.
    long executor = 2 * pb * p + Math.max(1, executorCores) * (2 * pb * p + task);
    return new MemoryPlan(driver, executor);
  }

  /**
   * The driver's parameter-sized vectors: the weights and the next ones, the initial and best
   * weights and the rule's slots in float64; with float32 master weights the weights, the next
   * ones and the slots in float32, the initial, best and widened weights in float64.
   */
  private static long driverVectorBytes(OptimizerConfig optimizer, boolean lbfgs,
      Precision master, long p) {
    if (lbfgs) return LBFGS_VECTORS * 8 * p;
    long slots = Optimizers.create(optimizer, 0, new BitSet()).state().slots().size();
    if (master == Precision.FLOAT32) return 3 * 8 * p + (2 + slots) * 4 * p;
    return (4 + slots) * 8 * p;
  }

  /**
   * One task's row blocks: the larger of packing (a chunk's rows as doubles plus its stacked
   * copy) and a step's share (gathered rows and the workspace for up to one chunk of columns).
   */
  static long taskBlockBytes(NetworkSpec spec, long pb, int batchSize) {
    long d = spec.inputs();
    long packing = (8 + pb) * d * PartitionData.CHUNK_ROWS;
    long cols = Math.max(1, Math.min(batchSize, PartitionData.CHUNK_ROWS));
    long units = 0;
    for (int l = 1; l < spec.layers().length; l++) units += spec.size(l);
    long share = pb * cols * (d + 2 * units); // rows, then z and delta per layer
    return Math.max(packing, share);
  }

  /**
   * Refuses the fit, before any job, when the plan does not fit the driver's heap (this JVM's
   * maximum) or an executor's ({@code spark.executor.memory}): says how much is needed and how
   * much there is.
   */
  public void requireFits(SparkContext sc, NetworkSpec spec) {
    long driverHeap = Runtime.getRuntime().maxMemory();
    String what = "Param layers " + Arrays.toString(spec.layers()) + " makes "
        + spec.numParams() + " parameters";
    if (driverBytes > driverHeap) {
      throw new IllegalArgumentException(what + ": the driver needs at least " + mib(driverBytes)
          + " of heap for its parameter vectors, optimizer state, gradients and task blocks, but"
          + " has " + mib(driverHeap) + "; use a smaller network or raise spark.driver.memory"
          + " (-Xmx when the driver is your own JVM)");
    }
    if (executorBytes > 0) {
      long executorHeap = sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
      if (executorBytes > executorHeap) {
        throw new IllegalArgumentException(what + ": each executor needs at least "
            + mib(executorBytes) + " of heap for the weights, its tasks' gradients and row"
            + " blocks, but spark.executor.memory is " + mib(executorHeap) + "; use a smaller"
            + " network, fewer spark.executor.cores or more spark.executor.memory");
      }
    }
  }

  /**
   * Checks the fit of {@code spec} on {@code sc} (see {@link #of}); the executor cores come from
   * {@code spark.executor.cores} (1 when unset).
   */
  public static void require(SparkContext sc, NetworkSpec spec, OptimizerConfig optimizer,
      boolean lbfgs, Precision precision, Precision master, int batchSize, int partitions) {
    int cores = sc.getConf().getInt("spark.executor.cores", 1);
    of(spec, optimizer, lbfgs, precision, master, batchSize, partitions, sc.isLocal(), cores)
        .requireFits(sc, spec);
  }

  private static String mib(long bytes) {
    return ((bytes + (1 << 20) - 1) >> 20) + " MiB";
  }
}
