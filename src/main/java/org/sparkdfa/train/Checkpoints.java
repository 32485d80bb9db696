package org.sparkdfa.train;

import org.apache.hadoop.conf.Configuration;
import org.sparkdfa.train.blocks.TrainingData;

/**
 * One fit's checkpoint folder: where it is, what a checkpoint must match to be resumed, and
 * when one is written. The folder is named after the fingerprint, which covers the setup
 * ({@link TrainingConfig#fingerprint}), the input columns and what the data is — the digests of
 * the packed training and validation rows — so a rerun on corrected data of the same size
 * trains afresh instead of returning the old weights.
 */
final class Checkpoints {
  private final CheckpointConfig ckpt;
  private final String fingerprint;
  private final String folder;
  private final Configuration hadoop;

  private Checkpoints(CheckpointConfig ckpt, String fingerprint, Configuration hadoop) {
    this.ckpt = ckpt;
    this.fingerprint = fingerprint;
    this.folder = Checkpoint.folderFor(ckpt.dir(), fingerprint);
    this.hadoop = hadoop;
  }

  /** The fit's checkpoints, or null when the config asks for none. */
  static Checkpoints of(TrainingConfig config, TrainingData train, TrainingData validation) {
    CheckpointConfig ckpt = config.checkpoint();
    if (ckpt == null) return null;
    String fingerprint = config.fingerprint(train.rows(), train.partitionRows()) + "; columns="
        + ckpt.columns() + "; data=" + train.digest() + "; validation="
        + (validation == null ? "none" : validation.digest() + " over " + validation.rows()
            + " rows");
    return new Checkpoints(ckpt, fingerprint, train.sparkContext().hadoopConfiguration());
  }

  /** The latest checkpoint of this fit, or null to start afresh. */
  Checkpoint latest() {
    Checkpoint resumed = Checkpoint.readLatest(folder, hadoop);
    if (resumed != null && !resumed.fingerprint().equals(fingerprint)) {
      // a copied folder or a key collision
      throw new IllegalArgumentException("The checkpoint in " + folder + " was written "
          + "by a different training setup and cannot be resumed: "
          + Checkpoint.describeMismatch(resumed.fingerprint(), fingerprint)
          + ".\nUse another checkpointDir, or delete that folder to start afresh.");
    }
    return resumed;
  }

  String fingerprint() {
    return fingerprint;
  }

  String folder() {
    return folder;
  }

  /** Whether a checkpoint is due after {@code epochsDone} epochs ({@code last}: the final one). */
  boolean due(int epochsDone, boolean last) {
    return epochsDone % ckpt.interval() == 0 || last;
  }

  void write(Checkpoint c) {
    c.write(folder, hadoop);
  }
}
