package org.sparkdfa.train.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;

/**
 * Hands a step's weights to its tasks and their gradients back to the driver by reference when
 * the driver and every executor are one JVM (Spark's {@code local} master). Spark serializes a
 * task's closure and result even then: a 1.2M-parameter network would copy 9.6 MB out and
 * 2 × 9.6 MB back through serializers every step, each copy a humongous allocation for G1.
 * Here the transported objects carry only an id into this JVM-wide registry instead.
 *
 * <p>Every entry belongs to a {@link Scope}: a fit opens one ({@link #open}), each step or epoch
 * a child of it, and closing a scope drops its entries and its children's. A closed scope takes
 * nothing more, so a killed task that finishes after its step or fit ended cannot leave an array
 * behind ({@link Scope#put} returns 0). An id that is not here means the object crossed a JVM
 * boundary, which a local master never does; the error says how to switch the exchange off.
 */
public final class LocalExchange {
  /**
   * {@code false} ships weights and gradients as bytes even on a local master: a Spark conf key,
   * or a local property of the thread that calls fit (which wins).
   */
  public static final String CONF_KEY = "spark.sparkdfa.localExchange";

  private static final AtomicLong NEXT_ID = new AtomicLong(1);
  private static final ConcurrentHashMap<Long, Object> ENTRIES = new ConcurrentHashMap<>();
  private static final Set<Scope> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicLong PARKED = new AtomicLong();

  private LocalExchange() {}

  /** True when the driver's tasks run in its own JVM and the user has not opted out. */
  public static boolean usable(SparkContext sc) {
    if (!sc.isLocal()) return false;
    String local = sc.getLocalProperty(CONF_KEY);
    return local != null ? Boolean.parseBoolean(local.trim())
        : sc.getConf().getBoolean(CONF_KEY, true);
  }

  /** A new top-level scope (one fit's). */
  public static Scope open() {
    Scope s = new Scope(null);
    OPEN.add(s);
    return s;
  }

  /** The value parked under {@code id}, left in place (read by many tasks). */
  public static Object get(long id) {
    Object v = ENTRIES.get(id);
    if (v == null) throw missing(id);
    return v;
  }

  /** The value parked under {@code id}, or null if it is gone (its scope closed). */
  public static Object find(long id) {
    return ENTRIES.get(id);
  }

  /** Whether {@code id} is still parked. */
  public static boolean contains(long id) {
    return ENTRIES.containsKey(id);
  }

  /** Objects parked since the JVM started (tests: which way a fit's steps travelled). */
  public static long parkedTotal() {
    return PARKED.get();
  }

  /** Entries currently parked (tests: nothing may outlive its step). */
  public static int size() {
    return ENTRIES.size();
  }

  /** Scopes not yet closed (tests: nothing may outlive its fit). */
  public static int openOwners() {
    return OPEN.size();
  }

  private static IllegalStateException missing(long id) {
    return new IllegalStateException("step object " + id + " is not in this JVM: the in-process"
        + " weight/gradient exchange only works when the tasks run inside the driver (a local"
        + " master). Set --conf " + CONF_KEY + "=false to ship them as bytes.");
  }

  /** Entries that live and die together; see the class comment. */
  public static final class Scope implements AutoCloseable {
    private final Scope parent;
    private final Set<Long> ids = ConcurrentHashMap.newKeySet();
    private final List<Scope> children = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) {
      this.parent = parent;
    }

    /** A scope inside this one, closed with it at the latest. */
    public synchronized Scope child() {
      Scope c = new Scope(this);
      if (closed) {
        c.closed = true;
      } else {
        children.add(c);
        OPEN.add(c);
      }
      return c;
    }

    /** Parks {@code value} under a new id; 0, parking nothing, once this scope is closed. */
    public synchronized long put(Object value) {
      if (closed) return 0;
      long id = NEXT_ID.getAndIncrement();
      ENTRIES.put(id, value);
      ids.add(id);
      PARKED.incrementAndGet();
      return id;
    }

    /** The value parked under {@code id} in this scope, removed (read once, by the driver). */
    public Object take(long id) {
      Object v = ENTRIES.remove(id);
      if (v == null) throw missing(id);
      ids.remove(id);
      return v;
    }

    /** Drops every entry of this scope and of its children; it parks nothing more. */
    @Override
    public void close() {
      List<Scope> open;
      synchronized (this) {
        if (closed) return;
        closed = true;
        open = new ArrayList<>(children);
        children.clear();
        for (Long id : ids) ENTRIES.remove(id);
        ids.clear();
      }
      for (Scope c : open) c.close();
      OPEN.remove(this);
      if (parent != null) parent.forget(this);
    }

    private synchronized void forget(Scope child) {
      children.remove(child);
    }
  }
}
