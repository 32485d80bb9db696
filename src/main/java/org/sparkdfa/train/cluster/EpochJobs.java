package org.sparkdfa.train.cluster;

import java.io.Serializable;
import java.util.function.IntSupplier;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * When a cluster's fit may run its steps as one Spark job per epoch ({@link StreamSteps}), and
 * the small pieces that job is made of. {@link #whyNot} gives the reason it may not, for the
 * fit's log line, or null:
 * <ul>
 *   <li>switched off ({@code spark.sparkdfa.epochJobs=false});</li>
 *   <li>Spark's network encryption on ({@code spark.network.crypto.enabled},
 *       {@code spark.ssl.enabled}, {@code spark.ssl.rpc.enabled}): the epoch job's channel is a
 *       plain socket, and the user asked for training data never to cross the network in the
 *       clear. {@code spark.authenticate} alone is no reason: the channel's per-fit token
 *       reaches the tasks only inside their task, through Spark's authenticated RPC, and
 *       Spark's own blocks travel unencrypted in that setting too;</li>
 *   <li>dynamic allocation or speculation on: barrier mode refuses the first, and a
 *       speculative copy of an epoch task would be a second connection for one partition;</li>
 *   <li>fewer free task slots in the cluster (for the default resource profile) than
 *       partitions: a barrier job needs one per partition at once.</li>
 * </ul>
 */
public final class EpochJobs {
  private EpochJobs() {}

  /** Why {@code partitions} partitions cannot train as epoch jobs on {@code sc}, or null. */
  public static String whyNot(SparkContext sc, boolean wanted, int partitions) {
    return whyNot(sc.getConf(), wanted, partitions, () -> slots(sc));
  }

  /** {@link #whyNot(SparkContext, boolean, int)} for {@code conf}, asking slots last. */
  static String whyNot(SparkConf conf, boolean wanted, int partitions, IntSupplier slotsNow) {
    if (!wanted) return "spark.sparkdfa.epochJobs=false";
    for (String key : new String[] {"spark.network.crypto.enabled", "spark.ssl.enabled",
        "spark.ssl.rpc.enabled"}) {
      if (conf.getBoolean(key, false)) {
        return key + "=true: the epoch job's channel is a plain socket, and training data must"
            + " not cross the network unencrypted";
      }
    }
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      return "spark.dynamicAllocation.enabled=true (an epoch job runs in barrier mode, which"
          + " needs a fixed set of executors)";
    }
    if (conf.getBoolean("spark.speculation", false)) {
      return "spark.speculation=true (a speculative copy of an epoch task is not supported)";
    }
    int slots = slotsNow.getAsInt();
    if (slots < partitions) {
      return "the cluster has " + slots + " task slots for " + partitions + " partitions (an"
          + " epoch job runs every partition's task at once: fewer partitions, or more"
          + " executor cores)";
    }
    return null;
  }

  /** Tasks the cluster's executors run at once now, for the default resource profile. */
  static int slots(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }

  /** The address the driver's step server binds to. */
  static String bindAddress(SparkConf conf) {
    return conf.get("spark.driver.bindAddress", host(conf));
  }

  /** The address executors reach the driver at. */
  static String host(SparkConf conf) {
    return conf.get("spark.driver.host", "localhost");
  }

  /**
   * Waits up to {@code millis} for {@code job} to end, whatever its outcome; false if it has
   * not ended (or the wait was interrupted).
   */
  static boolean awaitQuietly(SimpleFutureAction<?> job, long millis) {
    try {
      scala.concurrent.Await.ready(job,
          scala.concurrent.duration.Duration.create(millis, "ms"));
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The barrier stage's function: the partition as it is (the job's task does the work). */
  static final class Same<T> extends AbstractFunction1<Iterator<T>, Iterator<T>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<T> apply(Iterator<T> rows) {
      return rows;
    }
  }
}
