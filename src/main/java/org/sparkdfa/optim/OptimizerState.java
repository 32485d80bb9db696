package org.sparkdfa.optim;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Snapshot of an optimizer: its canonical name, step count and named per-parameter slots (e.g.
 * Adam's {@code "firstMoment"} and {@code "secondMoment"}).
 *
 * <p>The canonical constructor deep-copies {@code slots} into an unmodifiable, name-sorted map, so
 * a snapshot never aliases an optimizer's live arrays. Java deserialization of records also runs
 * the canonical constructor, so a state read back from a checkpoint is validated and copied the
 * same way. The arrays returned by {@link #slots()} belong to this snapshot and are not copied
 * again on access (they can be large); do not modify them if the snapshot is shared.
 *
 * <p>{@code equals}/{@code hashCode} compare slot contents, not array identity, so two snapshots
 * taken from identical optimizers are equal.
 */
public record OptimizerState(String name, long step, Map<String, double[]> slots)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public OptimizerState {
    Objects.requireNonNull(name, "OptimizerState.name must not be null");
    Objects.requireNonNull(slots, "OptimizerState.slots must not be null");
    if (step < 0) {
      throw new IllegalArgumentException(
          "OptimizerState.step = " + step + " is invalid: must be >= 0");
    }
    Map<String, double[]> copy = new TreeMap<>();
    for (Map.Entry<String, double[]> e : slots.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "OptimizerState.slots must not contain null names or arrays, got slot '"
                + e.getKey() + "' = " + (e.getValue() == null ? "null" : "array"));
      }
      copy.put(e.getKey(), e.getValue().clone());
    }
    slots = Collections.unmodifiableMap(copy);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OptimizerState other)) {
      return false;
    }
    if (step != other.step || !name.equals(other.name)
        || !slots.keySet().equals(other.slots.keySet())) {
      return false;
    }
    for (Map.Entry<String, double[]> e : slots.entrySet()) {
      if (!Arrays.equals(e.getValue(), other.slots.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(name, step);
    for (Map.Entry<String, double[]> e : slots.entrySet()) {
      h = 31 * h + e.getKey().hashCode() + 17 * Arrays.hashCode(e.getValue());
    }
    return h;
  }

  /** Names and lengths only: printing a million doubles into a log helps nobody. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("OptimizerState[name=").append(name)
        .append(", step=").append(step).append(", slots={");
    String sep = "";
    for (Map.Entry<String, double[]> e : slots.entrySet()) {
      sb.append(sep).append(e.getKey()).append(": double[").append(e.getValue().length)
          .append(']');
      sep = ", ";
    }
    return sb.append("}]").toString();
  }
}
