package org.sparkdfa.train;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands a step's weights to its tasks and their gradients back to the driver by reference when
 * the driver and every executor are one JVM (Spark's {@code local} master). Spark serializes a
 * task's result and every broadcast even then: a 1.2M-parameter network would copy 9.6 MB out
 * and 2 × 9.6 MB back through serializers every step, each copy a humongous allocation for G1.
 * Here the transported objects carry only an id into this registry instead.
 *
 * <p>Every entry belongs to one step (its owner token) and is released when that step's job has
 * ended, whatever happened to its tasks: a retried task leaves nothing behind. A failed or
 * cancelled job ends before its killed tasks do, so a task may still try to park its gradient
 * after the release: a released owner takes nothing more ({@link #put} returns 0 and the array is
 * left to the garbage collector). An id that is not here means the object crossed a JVM
 * boundary, which a local master never does; the error says how to switch the exchange off.
 */
final class LocalExchange {
  /**
   * {@code false} ships weights and gradients as bytes even on a local master: a Spark conf key,
   * or a local property of the thread that calls fit (which wins).
   */
  static final String CONF_KEY = "spark.sparkdfa.localExchange";

  private static final AtomicLong NEXT_ID = new AtomicLong(1);
  private static final ConcurrentHashMap<Long, Entry> ENTRIES = new ConcurrentHashMap<>();
  /** Owners not yet released: only these may park. */
  private static final ConcurrentHashMap<Long, Boolean> OPEN = new ConcurrentHashMap<>();
  private static final AtomicLong PARKED = new AtomicLong();

  private record Entry(long owner, Object value) {}

  private LocalExchange() {}

  /** True when the driver's tasks run in its own JVM and the user has not opted out. */
  static boolean usable(org.apache.spark.SparkContext sc) {
    if (!sc.isLocal()) return false;
    String local = sc.getLocalProperty(CONF_KEY);
    return local != null ? Boolean.parseBoolean(local.trim()) : sc.getConf().getBoolean(CONF_KEY,
        true);
  }

  /** A fresh owner token for one step's entries. */
  static long newOwner() {
    long owner = NEXT_ID.getAndIncrement();
    OPEN.put(owner, Boolean.TRUE);
    return owner;
  }

  /**
   * Parks {@code value} under a new id owned by {@code owner}; returns 0 and parks nothing once
   * the owner is released (a killed task finishing after its step ended).
   */
  static long put(long owner, Object value) {
    long id = NEXT_ID.getAndIncrement();
    // Atomic with release's removal of the owner: either parked before it (and dropped by it)
    // or refused.
    boolean parked = OPEN.computeIfPresent(owner, (k, open) -> {
      ENTRIES.put(id, new Entry(owner, value));
      return open;
    }) != null;
    if (!parked) return 0;
    PARKED.incrementAndGet();
    return id;
  }

  /** The value parked under {@code id}, left in place (read by many tasks). */
  static Object get(long id) {
    Entry e = ENTRIES.get(id);
    if (e == null) throw missing(id);
    return e.value;
  }

  /** Whether {@code id} is still parked. */
  static boolean contains(long id) {
    return ENTRIES.containsKey(id);
  }

  /** The value parked under {@code id}, removed (read once, by the driver). */
  static Object take(long id) {
    Entry e = ENTRIES.remove(id);
    if (e == null) throw missing(id);
    return e.value;
  }

  /** Drops every entry of {@code owner} (the step is over); the owner parks nothing more. */
  static void release(long owner) {
    OPEN.remove(owner);
    ENTRIES.values().removeIf(e -> e.owner == owner);
  }

  /** Objects parked since the JVM started (tests: which way a fit's steps travelled). */
  static long parkedTotal() {
    return PARKED.get();
  }

  /** Entries currently parked (tests: nothing may outlive its step). */
  static int size() {
    return ENTRIES.size();
  }

  /** Owners not yet released (tests: nothing may outlive its fit). */
  static int openOwners() {
    return OPEN.size();
  }

  private static IllegalStateException missing(long id) {
    return new IllegalStateException("step object " + id + " is not in this JVM: the in-process"
        + " weight/gradient exchange only works when the tasks run inside the driver (a local"
        + " master). Set --conf " + CONF_KEY + "=false to ship them as bytes.");
  }
}
