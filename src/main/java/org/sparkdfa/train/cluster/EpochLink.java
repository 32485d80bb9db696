package org.sparkdfa.train.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sparkdfa.train.steps.GradientSum;

/**
 * One epoch job's connections on the driver ({@link StreamSteps}), one per partition's task,
 * for as many epochs as the job's tasks run ({@link #advance}): the driver publishes each step's
 * weights here (written to every connection by a writer thread
 * of its own, so a slow reader delays only itself) and takes the step's P shares once all are
 * in; each connection's thread ({@link StepServer}) reads its task's shares. A task may run
 * ahead only through steps whose share is empty, so shares are kept per step. A broken
 * connection, or the job ending before it delivered, is rethrown to the waiting driver, which
 * polls the job every {@link #POLL_MS} ms, so the driver never waits for a task that is gone.
 */
final class EpochLink<A> implements AutoCloseable {
  static final long POLL_MS = 20;
  /**
   * The parts of a step timed on the links, each the slowest link's: the driver writing the
   * weights, a task reading and decoding them, and a share's encoding, transfer and decoding
   * into an array (from its header's arrival on the driver).
   */
  static final String[] PARTS = {"weights_write", "weights_read_decode", "share_transfer"};

  /** The epoch job as the waiting driver watches it. */
  interface Job {
    /** True once every task has ended; throws the job's failure if it failed. */
    boolean ended();

    /** Stops the job's tasks (the waiting driver was interrupted). */
    void cancel();
  }

  /** A connection broke, or a task sent what no task of ours sends. */
  static final class Broken extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Broken(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The epoch whose steps go through the link now. */
  private int epoch;
  private final int partitions;
  private final int stepsPerEpoch;
  private final ShareArrays<A> arrays;
  private final int maxPayload;
  private final SocketChannel[] links;
  private final ExecutorService[] writers;
  private final Map<Integer, GradientSum<A>[]> shares = new HashMap<>();
  private final Map<Integer, Integer> delivered = new HashMap<>();
  /** Per partition: its task delivered the current epoch's last step. */
  private final boolean[] done;
  private boolean ended;
  /** Per step, the slowest link's nanoseconds in each of {@link #PARTS}. */
  private final Map<Integer, long[]> parts = new HashMap<>();
  private Broken failure;
  private boolean closed;

  EpochLink(int epoch, int partitions, int stepsPerEpoch, ShareArrays<A> arrays) {
    this.epoch = epoch;
    this.partitions = partitions;
    this.stepsPerEpoch = stepsPerEpoch;
    this.arrays = arrays;
    this.maxPayload = arrays.maxPayload();
    this.links = new SocketChannel[partitions];
    this.done = new boolean[partitions];
    this.writers = new ExecutorService[partitions];
    for (int p = 0; p < partitions; p++) {
      int part = p;
      writers[p] = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sparkdfa-step-writer-" + epoch + "-" + part);
        t.setDaemon(true);
        return t;
      });
    }
  }

  /** Takes {@code ch} as partition {@code partition}'s; false if it is not wanted here. */
  synchronized boolean attach(int partition, int epoch, SocketChannel ch) {
    if (closed || epoch != this.epoch || partition < 0 || partition >= partitions
        || links[partition] != null) {
      return false;
    }
    links[partition] = ch;
    notifyAll();
    return true;
  }

  /** Partition {@code partition}'s shares, read on its connection's thread until it ends. */
  void readShares(int partition, SocketChannel ch) {
    try {
      ByteBuffer chunk = arrays.chunk(partition);
      while (true) {
        StepFrames.Frame f = StepFrames.header(ch, maxPayload);
        long t0 = System.nanoTime();
        if (f.kind() != StepFrames.SHARE) {
          throw new IOException("unexpected frame kind " + f.kind());
        }
        if (f.epoch() != epoch()) {
          throw new IOException("a share of epoch " + (f.epoch() + 1) + " in epoch "
              + (epoch() + 1));
        }
        GradientSum<A> share = StepFrames.share(f, ch, arrays, chunk);
        timed(f.step(), 1, f.e());
        timed(f.step(), 2, System.nanoTime() - t0);
        deliver(f.step(), partition, share);
      }
    } catch (IOException e) {
      fail(partition, ch, e);
    }
  }

  @SuppressWarnings("unchecked")
  private synchronized void deliver(int step, int partition, GradientSum<A> share) {
    if (closed) return;
    shares.computeIfAbsent(step, s -> new GradientSum[partitions])[partition] = share;
    delivered.merge(step, 1, Integer::sum);
    if (step + 1 == stepsPerEpoch) done[partition] = true;
    notifyAll();
  }

  /** The epoch whose steps go through the link now. */
  synchronized int epoch() {
    return epoch;
  }

  /**
   * The epoch job's tasks go on with epoch {@code next}: every share of the current epoch has
   * been taken, and its tasks wait for the next frame, which {@link #publish} sends.
   */
  synchronized void advance(int next) {
    if (!shares.isEmpty() || !delivered.isEmpty()) {
      throw new IllegalStateException("epoch " + (epoch + 1) + " has shares not taken");
    }
    epoch = next;
    java.util.Arrays.fill(done, false);
  }

  /** Part {@code part} of step {@code step} ({@link #PARTS}) took {@code nanos} on one link. */
  private synchronized void timed(int step, int part, long nanos) {
    long[] t = parts.computeIfAbsent(step, s -> new long[PARTS.length]);
    t[part] = Math.max(t[part], nanos);
  }

  /**
   * The slowest link's time in each part of step {@code step} (named as {@link #PARTS}), once
   * its shares are taken; zeros if none was timed.
   */
  synchronized long[] parts(int step) {
    long[] t = parts.remove(step);
    return t == null ? new long[PARTS.length] : t;
  }

  /** A connection ended: the task's normal end after its last share, else a failure. */
  private synchronized void fail(int partition, SocketChannel ch, IOException e) {
    if (closed || done[partition] || ended || failure != null) return;
    failure = new Broken("the connection of partition " + partition + "'s task ("
        + StepFrames.peer(ch) + ") broke in epoch " + (epoch + 1) + ": " + e.getMessage(), e);
    notifyAll();
  }

  /**
   * Sends step {@code step}'s weights of the current epoch (encoded once) to every task, each on
   * its writer.
   */
  void publish(int step, ByteBuffer weights) {
    ByteBuffer all = weights.duplicate();
    int e = epoch();
    for (int p = 0; p < partitions; p++) {
      int part = p;
      writers[p].execute(() -> send(part, StepFrames.WEIGHTS, e, step, all.duplicate()));
    }
  }

  /**
   * Tells every task to stop at its next step: the epoch is abandoned, or the job's last epoch
   * is done. Sent once; the tasks end, and their connections' ends are no failure.
   */
  void end() {
    int e;
    synchronized (this) {
      if (ended) return;
      ended = true;
      e = epoch;
    }
    for (int p = 0; p < partitions; p++) {
      int part = p;
      writers[p].execute(() -> send(part, StepFrames.END, e, -1, ByteBuffer.allocate(0)));
    }
  }

  /** True once {@link #end} was called: no task of the link takes another step. */
  synchronized boolean ended() {
    return ended;
  }

  private void send(int partition, int kind, int epoch, int step, ByteBuffer payload) {
    SocketChannel ch = awaitLink(partition);
    if (ch == null) return;
    try {
      long t0 = System.nanoTime();
      StepFrames.write(ch, kind, epoch, step, new long[0], payload);
      if (kind == StepFrames.WEIGHTS) timed(step, 0, System.nanoTime() - t0);
    } catch (IOException e) {
      fail(partition, ch, e);
    }
  }

  private synchronized SocketChannel awaitLink(int partition) {
    try {
      while (links[partition] == null && !closed) wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the link is closing
    }
    return closed ? null : links[partition];
  }

  /**
   * Waits until every partition has delivered step {@code step} and hands the shares over
   * (element i partition i's); a broken connection ({@link Broken}) or the job's failure is
   * thrown instead, and a job that ended without delivering is a bug reported as such.
   */
  synchronized GradientSum<A>[] take(int step, Job job) {
    // A failed (or cancelled) job is thrown even when its tasks, which Spark does not always
    // stop at once, delivered the step anyway.
    job.ended();
    try {
      while (delivered.getOrDefault(step, 0) < partitions) {
        if (failure != null) throw failure;
        if (job.ended()) {
          throw new IllegalStateException("the epoch job's tasks ended without delivering step "
              + (step + 1) + " (" + delivered.getOrDefault(step, 0) + " of " + partitions
              + " shares)");
        }
        wait(POLL_MS);
      }
    } catch (InterruptedException e) {
      job.cancel();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a step's shares", e);
    }
    delivered.remove(step);
    return shares.remove(step);
  }

  /** Closes every connection and stops the writers; tasks still reading see the end. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      shares.clear();
      notifyAll();
    }
    for (ExecutorService w : writers) w.shutdownNow();
    for (SocketChannel ch : links) {
      if (ch == null) continue;
      try {
        ch.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
  }

  /** Test hook: breaks partition {@code partition}'s connection as a network failure would. */
  void dropConnection(int partition) throws IOException {
    SocketChannel ch;
    synchronized (this) {
      ch = links[partition];
    }
    if (ch != null) ch.close();
  }
}
