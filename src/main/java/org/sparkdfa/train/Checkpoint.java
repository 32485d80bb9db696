package org.sparkdfa.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkdfa.optim.OptimizerState;

/**
 * Everything needed to continue a training run exactly where it stopped after an epoch: weights,
 * optimizer state, the next epoch (which, with the seed, fixes every later permutation — the RNG
 * position), the early-stopping state and the history. Resuming from it ends with the same bits as
 * a run that never stopped.
 *
 * <p>On disk: {@code checkpoint-<epoch>.bin} = magic, format version, SHA-256 of the payload,
 * payload (Java serialization). Written to a temporary name and renamed, so a crash leaves the
 * previous checkpoint intact; a truncated or altered file fails its checksum with a clear error.
 *
 * @param fingerprint what must match to resume (architecture, rule, optimizer, batch, seed,
 *                    partitioning, rows)
 */
public record Checkpoint(String fingerprint, int epochsDone, double[] params,
    OptimizerState optimizerState, List<EpochRecord> history, long steps, double bestLoss,
    double[] bestParams, int staleEpochs) implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x53444641; // "SDFA"
  private static final int VERSION = 1;
  private static final String PREFIX = "checkpoint-";

  public Checkpoint {
    history = List.copyOf(history);
  }

  /** Writes atomically as {@code dir/checkpoint-<epochsDone>.bin}, then drops older ones. */
  public void write(String dir, Configuration conf) {
    Path folder = new Path(dir);
    Path target = new Path(folder, String.format("%s%06d.bin", PREFIX, epochsDone));
    Path tmp = new Path(folder, "." + target.getName() + ".tmp");
    try {
      FileSystem fs = folder.getFileSystem(conf);
      fs.mkdirs(folder);
      byte[] payload = serialize();
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.write(sha256(payload));
        out.writeInt(payload.length);
        out.write(payload);
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
      for (FileStatus st : fs.listStatus(folder)) {
        String name = st.getPath().getName();
        if (name.startsWith(PREFIX) && name.endsWith(".bin") && !name.equals(target.getName())) {
          fs.delete(st.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Could not write a checkpoint to " + dir + ": "
          + e.getMessage() + "; check that checkpointDir is writable", e);
    }
  }

  /** The newest checkpoint in {@code dir}, or null when there is none. */
  public static Checkpoint readLatest(String dir, Configuration conf) {
    Path folder = new Path(dir);
    try {
      FileSystem fs = folder.getFileSystem(conf);
      if (!fs.exists(folder)) return null;
      Path latest = null;
      for (FileStatus st : fs.listStatus(folder)) {
        String name = st.getPath().getName();
        if (name.startsWith(PREFIX) && name.endsWith(".bin")
            && (latest == null || name.compareTo(latest.getName()) > 0)) {
          latest = st.getPath();
        }
      }
      return latest == null ? null : read(fs, latest);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Could not read checkpoints in " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static Checkpoint read(FileSystem fs, Path file) throws IOException {
    String fix = "; delete it (or point checkpointDir elsewhere) to start afresh";
    byte[] all;
    try (FSDataInputStream in = fs.open(file)) {
      all = in.readAllBytes();
    } catch (org.apache.hadoop.fs.ChecksumException e) {
      throw new IllegalStateException("Checkpoint " + file + " is corrupt or truncated (the file "
          + "system's checksum does not match)" + fix, e);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
      if (all.length < 44 || in.readInt() != MAGIC) {
        throw new IllegalStateException("Checkpoint " + file + " is not a sparkdfa checkpoint"
            + " (bad header)" + fix);
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalStateException("Checkpoint " + file + " has format version " + version
            + ", this sparkdfa reads " + VERSION + fix);
      }
      byte[] digest = in.readNBytes(32);
      int length = in.readInt();
      byte[] payload = in.readNBytes(Math.max(0, length));
      if (payload.length != length || !Arrays.equals(digest, sha256(payload))) {
        throw new IllegalStateException("Checkpoint " + file + " is corrupt or truncated "
            + "(checksum mismatch)" + fix);
      }
      try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(payload))) {
        return (Checkpoint) ois.readObject();
      } catch (ClassNotFoundException | ClassCastException e) {
        throw new IllegalStateException("Checkpoint " + file + " holds no sparkdfa state" + fix, e);
      }
    }
  }

  private byte[] serialize() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(this);
    }
    return bytes.toByteArray();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
