package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Records the duration of every Spark job (from the scheduler's job start and end events) so
 * that a fit can be broken into its jobs: MLPC's gd and ours at full batch run one job per
 * iteration, next to set-up jobs such as packing the data.
 */
public final class JobTimes extends SparkListener {
  private final Map<Integer, Long> starts = new ConcurrentHashMap<>();
  private final List<double[]> finished = new ArrayList<>();

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    starts.put(e.jobId(), e.time());
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    Long s = starts.remove(e.jobId());
    if (s != null) finished.add(new double[] {e.jobId(), (e.time() - s) / 1e3});
  }

  /** Forgets what was recorded (call before the fit of interest). */
  public synchronized void clear(SparkContext sc) throws TimeoutException {
    sc.listenerBus().waitUntilEmpty(60_000); // the UI listener can lag after many jobs
    finished.clear();
  }

  /** Durations in seconds of the jobs finished since {@link #clear}, in job order. */
  public synchronized double[] durations(SparkContext sc) throws TimeoutException {
    sc.listenerBus().waitUntilEmpty(60_000); // the UI listener can lag after many jobs
    finished.sort((a, b) -> Double.compare(a[0], b[0]));
    double[] d = new double[finished.size()];
    for (int i = 0; i < d.length; i++) d[i] = finished.get(i)[1];
    return d;
  }
}
