package org.sparkdfa.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the driver-side helper threads' work, with their failures rethrown unwrapped. */
public final class Futures {
  private Futures() {}

  /**
   * The value of {@code f}; its task's unchecked exception or error as thrown, anything else as
   * an IllegalStateException saying {@code what} failed.
   */
  public static <T> T join(Future<T> f, String what) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) throw re;
      if (c instanceof Error err) throw err;
      throw new IllegalStateException(what + " failed: " + c, c);
    }
  }
}
