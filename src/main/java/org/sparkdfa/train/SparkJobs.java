package org.sparkdfa.train;

import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import scala.Function0;
import scala.collection.Iterator;
import scala.collection.immutable.Range;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Submits the runners' jobs with {@code SparkContext.submitJob} and named function
 * classes. Spark's ClosureCleaner reads and parses (with ASM) the class file that declares every
 * lambda it is given, on every job: for treeAggregate or fold that is Spark's RDD class, for the
 * short runJob overloads SparkContext's own wrapper lambda. Profiled, that was nearly all of the
 * driver's CPU time per step. Named classes are skipped.
 */
public final class SparkJobs {
  private SparkJobs() {}

  /**
   * Runs {@code task} on every partition of {@code rdd} without waiting; element i of the
   * future's value is partition i's result.
   */
  public static <T, R> SimpleFutureAction<R[]> submit(JavaRDD<T> rdd,
      AbstractFunction1<Iterator<T>, R> task, R[] results) {
    int n = rdd.getNumPartitions();
    Collect<R> collect = new Collect<>(results);
    return rdd.context().submitJob(rdd.rdd(), task, new Range.Exclusive(0, n, 1), collect,
        collect);
  }

  /**
   * Waits for a submitted job; a failure is rethrown as {@code runJob} throws it (Spark's
   * SparkException, unchecked here as in Scala).
   */
  public static <R> R await(SimpleFutureAction<R> action) {
    try {
      scala.concurrent.Await.ready(action, scala.concurrent.duration.Duration.Inf());
    } catch (InterruptedException e) {
      action.cancel();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a step's job", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e); // cannot happen: the wait is unbounded
    }
    scala.util.Try<R> outcome = action.value().get();
    if (outcome.isFailure()) throw SparkJobs.<RuntimeException>sneaky(outcome.failed().get());
    return outcome.get();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** Keeps each partition's result and hands them over when the job ends (on the driver). */
  private static final class Collect<R> extends AbstractFunction2<Object, R, BoxedUnit>
      implements Function0<R[]> {
    private final R[] results;

    Collect(R[] results) {
      this.results = results;
    }

    @Override
    public BoxedUnit apply(Object index, R result) {
      results[(Integer) index] = result;
      return BoxedUnit.UNIT;
    }

    @Override
    public R[] apply() {
      return results;
    }
  }
}
