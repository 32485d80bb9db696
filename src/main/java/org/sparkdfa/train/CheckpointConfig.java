package org.sparkdfa.train;

import java.io.Serializable;

/**
 * Where and how often the trainer checkpoints.
 *
 * @param dir      a folder: a local path or any URI the Hadoop FileSystem API supports
 * @param interval write after every {@code interval} epochs (and after the last one)
 */
public record CheckpointConfig(String dir, int interval) implements Serializable {
  public CheckpointConfig {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("checkpointDir must be a non-empty path or URI");
    }
    if (interval < 1) {
      throw new IllegalArgumentException("checkpointInterval must be >= 1, got " + interval);
    }
  }
}
