package org.sparkdfa.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Splits single-stage jobs (a training step is one) into the phases Spark's own events and task
 * metrics can tell apart, in milliseconds (Spark's resolution): job start to stage submission,
 * stage submission to task launch, task deserialization, task run, and the slowest task's end
 * to the stage's completion (result transport and the driver's merge). A step's overhead is
 * read against these, not guessed.
 */
public final class TaskPhases extends SparkListener {
  private final Map<Integer, Long> jobStart = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> stageJob = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> stage = new ConcurrentHashMap<>();
  private final List<double[]> rows = new ArrayList<>();

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    jobStart.put(e.jobId(), e.time());
    e.stageIds().foreach(id -> stageJob.put((Integer) id, e.jobId()));
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted e) {
    long submitted = e.stageInfo().submissionTime().isDefined()
        ? (Long) e.stageInfo().submissionTime().get() : System.currentTimeMillis();
    // submitted, first launch, max deserialize, max run, last task finish
    stage.put(e.stageInfo().stageId(),
        new long[] {submitted, Long.MAX_VALUE, 0, 0, 0});
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    long[] s = stage.get(e.stageId());
    if (s == null || e.taskMetrics() == null) return;
    synchronized (s) {
      s[1] = Math.min(s[1], e.taskInfo().launchTime());
      s[2] = Math.max(s[2], e.taskMetrics().executorDeserializeTime());
      s[3] = Math.max(s[3], e.taskMetrics().executorRunTime());
      s[4] = Math.max(s[4], e.taskInfo().finishTime());
    }
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
    long[] s = stage.remove(e.stageInfo().stageId());
    Integer job = stageJob.remove(e.stageInfo().stageId());
    Long start = job == null ? null : jobStart.remove(job);
    if (s == null || start == null || !e.stageInfo().completionTime().isDefined()) return;
    long done = (Long) e.stageInfo().completionTime().get();
    rows.add(new double[] {s[0] - start, s[1] - s[0], s[2], s[3], done - s[4]});
  }

  /** Forgets what was recorded (call before the fit of interest). */
  public synchronized void clear(SparkContext sc) {
    drained(sc);
    rows.clear();
  }

  /** Medians of the phases over the stages since {@link #clear}, skipping the first {@code skip}. */
  public synchronized String describe(SparkContext sc, int skip) {
    if (!drained(sc)) return "not available (Spark's listener bus still busy after 60 s)";
    if (rows.size() <= skip) return "no stages";
    String[] names = {"job->stage", "stage->launch", "deserialize (max)", "run (max)",
        "last task->stage end"};
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < names.length; k++) {
      double[] v = new double[rows.size() - skip];
      for (int i = skip; i < rows.size(); i++) v[i - skip] = rows.get(i)[k];
      b.append(String.format(Locale.ROOT, "%s%s %.1f", k == 0 ? "" : ", ", names[k],
          new Samples(names[k], v).median()));
    }
    return b.append(" ms (medians of ").append(rows.size() - skip).append(" stages)").toString();
  }

  /**
   * Waits for Spark to deliver the events posted so far (up to a minute: after thousands of
   * short jobs the UI's listener can lag by more than Spark's usual 10 s); false if it did not.
   */
  private static boolean drained(SparkContext sc) {
    try {
      sc.listenerBus().waitUntilEmpty(60_000);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }
}
