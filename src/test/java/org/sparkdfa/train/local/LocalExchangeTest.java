package org.sparkdfa.train.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;
import org.sparkdfa.train.steps.Flat;
import org.sparkdfa.train.steps.GradientSum;
import org.sparkdfa.train.steps.TransportFormsTest;
import org.sparkdfa.train.steps.WeightsCopy;

/**
 * The local master's exchange: ids into a JVM-wide registry, owned by scopes that free
 * everything they hold when closed, gradients parked and taken back, pooled arrays reused, and
 * the gate tasks wait at.
 */
class LocalExchangeTest extends SparkTestBase {

  @Test
  void lentWeightsAreFoundAfterSerializationUntilTheirScopeCloses() throws Exception {
    double[] params = TransportFormsTest.random(500, 5);
    LocalExchange.Scope scope = LocalExchange.open();
    long id = TransportFormsTest.javaRoundTrip(scope.put(params)); // only the id travels
    assertSame(params, LocalExchange.get(id), "float64 weights are lent, not copied");
    scope.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LocalExchange.get(id));
    assertTrue(e.getMessage().contains(LocalExchange.CONF_KEY + "=false"), e.getMessage());
  }

  @Test
  void closingAFitScopeFreesItsStepsAndRefusesStragglers() {
    int entries = LocalExchange.size();
    int owners = LocalExchange.openOwners();
    LocalExchange.Scope fit = LocalExchange.open();
    LocalExchange.Scope step = fit.child();
    fit.put(new double[3]);
    long parked = step.put(new double[3]);
    assertTrue(LocalExchange.contains(parked));
    assertEquals(owners + 2, LocalExchange.openOwners());
    fit.close(); // as after a cancelled fit: the step scope was never closed by its job
    assertEquals(entries, LocalExchange.size(), "an entry outlived its fit");
    assertEquals(owners, LocalExchange.openOwners(), "a scope outlived its fit");
    assertEquals(0, step.put(new double[3]), "a task finishing after the fit parks nothing");
    assertEquals(0, fit.child().put(new double[3]));
    assertEquals(entries, LocalExchange.size());
  }

  @Test
  void parkedSharesComeBackAsTheSameSumAndLeaveNothingBehind() throws Exception {
    double[] a = TransportFormsTest.random(777, 6);
    double[] b = TransportFormsTest.random(777, 7);
    int entries = LocalExchange.size();
    try (LocalExchange.Scope fit = LocalExchange.open()) {
      GradientPool<double[]> pool = GradientPool.open(fit, Flat.F64, a.length, 4);
      LocalExchange.Scope step = fit.child();
      ParkedShare left = TransportFormsTest.javaRoundTrip(
          ParkedShare.park(GradientSum.of(Flat.F64, a.clone(), 1.5, 2, 2), step));
      ParkedShare right = TransportFormsTest.javaRoundTrip(
          ParkedShare.park(GradientSum.of(Flat.F64, b.clone(), 2.5, 3, 3), step));
      GradientSum<double[]> sum = left.take(step, pool).plus(right.take(step, pool));
      GradientSum<double[]> direct = GradientSum.of(Flat.F64, a.clone(), 1.5, 2, 2)
          .plus(GradientSum.of(Flat.F64, b.clone(), 2.5, 3, 3));
      assertArrayEquals(direct.gradient(), sum.gradient());
      assertEquals(4.0, sum.loss());
      assertEquals(5, sum.count());
      assertEquals(1, pool.idle(), "the right-hand array went back to the pool");
      ParkedShare.park(GradientSum.of(Flat.F64, a.clone(), 0, 1, 1), step); // never taken
      step.close();
      assertEquals(entries + 1, LocalExchange.size(), "only the pool is left in the fit");
    }
    assertEquals(entries, LocalExchange.size());
  }

  @Test
  void pooledArraysComeBackOnceSummedAndAreZeroedForTheNextStep() {
    try (LocalExchange.Scope fit = LocalExchange.open()) {
      GradientPool<double[]> pool = GradientPool.open(fit, Flat.F64, 3, 4);
      double[] a = pool.zeroed();
      double[] b = pool.zeroed();
      a[0] = 1;
      b[0] = 2;
      GradientSum<double[]> sum = new GradientSum<>(Flat.F64, a, pool)
          .plus(new GradientSum<>(Flat.F64, b, pool));
      assertEquals(1, pool.idle(), "the right-hand array is spent by the sum");
      sum.recycle();
      assertEquals(2, pool.idle(), "the summed array comes back once applied");
      double[] again = pool.zeroed();
      assertTrue(again == a || again == b, "a pooled array is reused");
      assertArrayEquals(new double[3], again, 0.0);
      float[] w32 = GradientPool.open(fit, Flat.F32, 3, 1).weights(new double[] {1, 2, 3});
      assertArrayEquals(new float[] {1, 2, 3}, w32);
    }
  }

  @Test
  void theUpdatesFloatCopyIsHandedOverAsItIsUntilItIsRewritten() {
    try (LocalExchange.Scope fit = LocalExchange.open()) {
      assertNull(GradientPool.open(fit, Flat.F64, 3, 1).weightsCopy(),
          "float64 tasks read the weights themselves");
      GradientPool<float[]> pool = GradientPool.open(fit, Flat.F32, 3, 1);
      double[] a = {1, 2, 3};
      float[] w = pool.weights(a);
      WeightsCopy copy = pool.weightsCopy();
      double[] b = {4, 5, 6};
      copy.invalidate();
      assertTrue(copy.write(b, 0, 2));
      assertTrue(copy.write(b, 2, 3));
      copy.written(b);
      b[0] = 7; // not what a caller may do: shows that the copy is handed over unconverted
      assertSame(w, pool.weights(b));
      assertArrayEquals(new float[] {4, 5, 6}, w);
      copy.invalidate();
      // an update that failed: never written(..)
      assertFalse(copy.write(new double[] {8, Double.NaN, 10}, 0, 2), "the range is checked");
      assertArrayEquals(new float[] {7, 5, 6}, pool.weights(b), "a rewritten copy is redone");
      assertArrayEquals(new float[] {1, 2, 3}, pool.weights(a), "other weights are converted");
    }
  }

  @Test
  void aGateOpensWithItsWeightsOrEmptyWhenAbandoned() throws Exception {
    WeightsGate<double[]> gate = new WeightsGate<>();
    double[] w = {1, 2};
    CompletableFuture<double[]> waiting = CompletableFuture.supplyAsync(gate::await);
    Thread.sleep(2 * WeightsGate.POLL_MS);
    assertTrue(!waiting.isDone(), "a task waits until the driver publishes");
    gate.publish(w);
    assertSame(w, waiting.get(30, TimeUnit.SECONDS));
    WeightsGate<double[]> abandoned = new WeightsGate<>();
    abandoned.abandon();
    assertNull(abandoned.await(), "an abandoned step's tasks get no weights");
    assertThrows(IllegalArgumentException.class, () -> new WeightsGate<double[]>().publish(null));
  }

  static final AtomicInteger AT_THE_GATE = new AtomicInteger();
  static final AtomicInteger LEFT_THE_GATE = new AtomicInteger();

  @Test
  void aCancelledJobsTaskLeavesAGateThatNeverOpens() throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    try (LocalExchange.Scope scope = LocalExchange.open()) {
      long id = scope.put(new WeightsGate<double[]>());
      AT_THE_GATE.set(0);
      LEFT_THE_GATE.set(0);
      JavaFutureAction<Void> job = jsc.parallelize(List.of(1), 1).foreachAsync(x -> {
        AT_THE_GATE.incrementAndGet();
        try {
          ((WeightsGate<?>) LocalExchange.get(id)).await();
        } finally {
          LEFT_THE_GATE.incrementAndGet();
        }
      });
      for (int i = 0; i < 3000 && AT_THE_GATE.get() == 0; i++) Thread.sleep(10);
      assertEquals(1, AT_THE_GATE.get(), "the task reached the gate");
      Thread.sleep(3 * WeightsGate.POLL_MS);
      assertEquals(0, LEFT_THE_GATE.get());
      job.cancel(true);
      for (int i = 0; i < 3000 && LEFT_THE_GATE.get() == 0; i++) Thread.sleep(10);
      assertEquals(1, LEFT_THE_GATE.get(), "the kill flag freed the waiting task");
      assertTrue(job.isCancelled() || job.isDone());
    }
  }
}
