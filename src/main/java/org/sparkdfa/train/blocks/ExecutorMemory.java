package org.sparkdfa.train.blocks;

import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.sparkdfa.nn.Precision;

/**
 * An executor running out of heap while it packs or trains on a partition, said as what did not
 * fit and how to make it fit. Without this a user sees a lost executor, a rejected task or a
 * stack trace in a log; the OutOfMemoryError itself is buried in the executor's stderr. Tasks run
 * their work through {@link #guard}, which turns the error into a {@link Exhausted} (and so keeps
 * the executor alive: its partition's arrays are garbage once the task has failed); the driver
 * finds it in Spark's failure ({@link #find}) or, when an executor died of it anyway (exit code
 * 52), says so ({@link #explain}).
 */
public final class ExecutorMemory {
  /** Spark's exit code of an executor killed by an OutOfMemoryError (SparkExitCode.OOM). */
  static final String OOM_EXIT = "exited with code 52";

  private ExecutorMemory() {}

  /** The error a task raises instead of the OutOfMemoryError; its message is the whole story. */
  public static final class Exhausted extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public Exhausted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What a task was doing when memory ran out, asked only then. */
  public interface Doing {
    String describe();
  }

  /**
   * The ways to make a partition fit, for data packed in {@code precision}: fewer rows per
   * partition, half the bytes per row (if not float32 already), no second copy of the input
   * in memory, or more heap.
   */
  static String fixes(Precision precision) {
    return "Fixes: more partitions (df.repartition(n) before fit, so each holds fewer rows)"
        + (precision == Precision.FLOAT32 ? "" : ", precision=float32 (half the bytes per row)")
        + ", an input DataFrame cached on disk only (persist(StorageLevel.DISK_ONLY()): the fit"
        + " keeps its own packed copy in memory), or a larger spark.executor.memory"
        + " (--executor-memory).";
  }

  /**
   * Runs {@code body} on rows packed in {@code precision}; an OutOfMemoryError in it becomes an
   * {@link Exhausted} naming doing.
   */
  public static <T> T guard(Doing doing, Precision precision, Supplier<T> body) {
    try {
      return body.get();
    } catch (OutOfMemoryError e) {
      // Not chained as the cause: an executor kills itself for a fatal error anywhere in the
      // first spark.executor.killOnFatalError.depth causes of a task's failure.
      throw new Exhausted("An executor ran out of memory (" + e + ") " + doing.describe()
          + "; " + heap() + ". " + fixes(precision), null);
    }
  }

  /** The executor's heap, and the setting that sized it. */
  static String heap() {
    SparkEnv env = SparkEnv.get();
    // On a local master the executor is the driver's JVM, sized by spark.driver.memory, or by
    // the JVM's own -Xmx when the driver is the user's program (not spark-submit).
    boolean onDriver = env != null && "driver".equals(env.executorId());
    String key = onDriver ? "spark.driver.memory" : "spark.executor.memory";
    String unset = onDriver ? "not set: this JVM's -Xmx" : "1g (default)";
    String setting = env == null ? "unknown" : env.conf().get(key, unset);
    return String.format(Locale.ROOT, "its heap holds %s (%s = %s)",
        mb(Runtime.getRuntime().maxMemory()), key, setting);
  }

  public static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** The first {@link Exhausted} in a cause chain (Spark wraps task failures), or null. */
  public static Exhausted find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Exhausted x) return x;
      if (c.getCause() == c) break;
    }
    return null;
  }

  /**
   * A clear error for a job failure that an executor's lack of memory caused, or null: an
   * {@link Exhausted} from a task, or an executor that died of an OutOfMemoryError elsewhere
   * (Spark's own code, exit code 52) while {@code doing} (e.g. "packing the training data into
   * 2 partitions of 2352 float32 inputs per row").
   */
  public static RuntimeException explain(Throwable failure, String doing, Precision precision,
      SparkConf conf) {
    Exhausted x = find(failure);
    if (x != null) return new Exhausted(x.getMessage(), failure);
    String m = String.valueOf(failure.getMessage());
    if (m.contains(OOM_EXIT) || m.contains("OutOfMemoryError")) {
      return new Exhausted("An executor ran out of memory (it died of an OutOfMemoryError) while "
          + doing + "; spark.executor.memory = " + conf.get("spark.executor.memory",
          "1g (default)") + ". " + fixes(precision), failure);
    }
    return null;
  }
}
