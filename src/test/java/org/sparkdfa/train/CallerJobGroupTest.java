package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.data.SparseParity;
import org.sparkdfa.ml.BpMlpClassifier;
import org.sparkdfa.train.local.LocalExchange;


/**
 * A user who runs fit under their own job group keeps it: the fit's jobs run in it, the group is
 * still set afterwards, and cancelling it stops the fit with nothing left behind.
 */
class CallerJobGroupTest extends SparkTestBase {

  private static final SparseParity PARITY =
      SparseParity.builder().n(10).k(2).distribution("uniform").seed(5).build();

  private static final String GROUP = "spark.jobGroup.id";

  /** Records the job group of every job that starts while it is registered. */
  private static final class Groups extends SparkListener {
    final List<String> groups = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      groups.add(String.valueOf(start.properties().getProperty(GROUP)));
    }
  }

  private static BpMlpClassifier fit(int epochs) {
    return new BpMlpClassifier().setLayers(new int[] {10, 16, 1}).setBatchSize(10)
        .setMaxIter(epochs);
  }

  @Test
  void aFitRunsInTheCallersGroupAndLeavesItSet() throws Exception {
    SparkContext sc = spark().sparkContext();
    Dataset<Row> data = PARITY.generate(spark(), 200, 2);
    Groups seen = new Groups();
    sc.addSparkListener(seen);
    sc.setJobGroup("mine", "a user's work", false);
    try {
      fit(2).fit(data);
      assertEquals("mine", sc.getLocalProperty(GROUP), "the caller's group was replaced");
      assertEquals("a user's work", sc.getLocalProperty("spark.job.description"));
    } finally {
      sc.clearJobGroup();
    }
    sc.listenerBus().waitUntilEmpty();
    sc.removeSparkListener(seen);
    assertTrue(seen.groups.size() >= 2, "2 epochs, a job each at least: " + seen.groups.size());
    for (String g : seen.groups) assertEquals("mine", g, "every job of the fit: " + seen.groups);
  }

  @Test
  void cancellingTheCallersGroupStopsTheFitAndLeavesNothingBehind() throws Exception {
    SparkContext sc = spark().sparkContext();
    Dataset<Row> data = PARITY.generate(spark(), 400, 2).cache();
    data.count();
    int cachedBefore = sc.getPersistentRDDs().size();
    int ownersBefore = LocalExchange.openOwners();
    AtomicInteger jobs = new AtomicInteger();
    SparkListener counter = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    sc.addSparkListener(counter);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      // 50 epochs of 40 steps: far longer than the wait for its first jobs.
      Future<String[]> outcome = caller.submit(() -> {
        sc.setJobGroup("mine", "a user's fit", false);
        String result;
        try {
          fit(50).fit(data);
          result = "finished";
        } catch (Exception e) {
          result = String.valueOf(e.getMessage());
        }
        String group = sc.getLocalProperty(GROUP);
        sc.clearJobGroup();
        return new String[] {result, group};
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (jobs.get() < 12 && !outcome.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      sc.cancelJobGroup("mine");
      String[] ended = outcome.get(60, TimeUnit.SECONDS);
      assertTrue(ended[0].contains("cancelled"), "the fit went on: " + ended[0]);
      assertEquals("mine", ended[1], "the caller's group was replaced");
    } finally {
      caller.shutdownNow();
      sc.removeSparkListener(counter);
    }
    // Spark completes a cancelled job's future just before it posts the job's end, and the
    // status tracker learns of the end from the listener bus: both lag under load. A job left
    // running would wait on a gate forever, so a bounded wait still fails.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sc.statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    int[] active = sc.statusTracker().getActiveJobIds();
    StringBuilder which = new StringBuilder();
    for (int id : active) {
      sc.statusTracker().getJobInfo(id).foreach(info -> which.append(" job ").append(id)
          .append(' ').append(info.status()).append(" stages ")
          .append(java.util.Arrays.toString(info.stageIds())));
    }
    assertEquals(0, active.length, "a job of the fit still runs:" + which);
    assertEquals(cachedBefore, sc.getPersistentRDDs().size(), "the fit's blocks stayed cached");
    // Killed tasks may still finish after the fit has thrown; whatever they park is refused.
    Thread.sleep(500);
    assertEquals(0, LocalExchange.size(), "a parked array outlived the cancelled fit");
    assertEquals(ownersBefore, LocalExchange.openOwners(), "a step of the fit was never released");
    data.unpersist();
  }
}
