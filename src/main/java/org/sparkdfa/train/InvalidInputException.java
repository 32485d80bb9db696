package org.sparkdfa.train;

/**
 * Bad training data found while packing the blocks: the message names the column, the bad value
 * and the fix. Thrown inside Spark tasks and unwrapped again on the driver, so users see this
 * sentence rather than a task-failure stack trace.
 */
public final class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  /** The first InvalidInputException in a cause chain (Spark wraps task failures), or null. */
  public static InvalidInputException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InvalidInputException) return (InvalidInputException) c;
      if (c.getCause() == c) break;
    }
    return null;
  }
}
