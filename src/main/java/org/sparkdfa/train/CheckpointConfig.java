package org.sparkdfa.train;

import java.io.Serializable;

/**
 * Where and how often the trainer checkpoints.
 *
 * @param dir      a folder: a local path or any URI the Hadoop FileSystem API supports; each fit
 *                 checkpoints into its own sub-folder of it, keyed by its fingerprint
 *                 ({@link Checkpoint#folderFor})
 * @param interval write after every {@code interval} epochs (and after the last one)
 * @param columns  which input columns the data came from (part of the fingerprint), or ""
 */
public record CheckpointConfig(String dir, int interval, String columns) implements Serializable {
  public CheckpointConfig {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("checkpointDir must be a non-empty path or URI");
    }
    if (interval < 1) {
      throw new IllegalArgumentException("checkpointInterval must be >= 1, got " + interval);
    }
    columns = columns == null ? "" : columns;
  }

  public CheckpointConfig(String dir, int interval) {
    this(dir, interval, "");
  }
}
