package org.sparkdfa.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
import org.sparkdfa.io.AtomicWrite;
import org.sparkdfa.optim.OptimizerState;

/**
 * Everything needed to continue a training run exactly where it stopped after an epoch: weights,
 * optimizer state, the next epoch (which, with the seed, fixes every later permutation — the RNG
 * position), the early-stopping state and the history. Resuming from it ends with the same bits as
 * a run that never stopped.
 *
 * <p>On disk: {@code <checkpointDir>/fit-<key>/checkpoint-<epoch>.bin} (one sub-folder per fit,
 * see {@link #folderFor}) = magic, format version, SHA-256 of the payload, payload (Java
 * serialization). Written to a temporary name and renamed, so a crash leaves the previous
 * checkpoint intact; a truncated or altered file fails its checksum with a clear error.
 *
 * @param fingerprint what must match to resume (architecture, rule, optimizer, batch, seed,
 *                    partitioning, rows, input columns, digests of the training and validation
 *                    data)
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

  /**
   * Writes atomically as {@code dir/checkpoint-<epochsDone>.bin} ({@link AtomicWrite}: a
   * temporary file of a unique name, so concurrent fits never share one), then drops older
   * epochs' files. The previous checkpoint is deleted only after the new one is in place: a
   * failed write leaves it loadable.
   */
  public void write(String dir, Configuration conf) {
    Path folder = new Path(dir);
    Path target = new Path(folder, String.format("%s%06d.bin", PREFIX, epochsDone));
    try {
      FileSystem fs = folder.getFileSystem(conf); // checksummed: a damaged file fails to read
      byte[] payload = serialize();
      AtomicWrite.file(fs, target, stream -> {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.write(sha256(payload));
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
      });
      for (FileStatus st : fs.listStatus(folder)) {
        String name = st.getPath().getName();
        if (name.startsWith(PREFIX) && name.endsWith(".bin")
            && name.compareTo(target.getName()) < 0) {
          fs.delete(st.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Could not write a checkpoint to " + dir + ": "
          + e.getMessage() + "; check that checkpointDir is writable (the previous checkpoint "
          + "is kept)", e);
    }
  }

  /**
   * The sub-folder of {@code checkpointDir} that belongs to the fit with this fingerprint:
   * {@code fit-<first 16 hex digits of SHA-256(fingerprint)>}. Distinct setups or data (the folds
   * and grid points of a CrossValidator) get distinct folders; rerunning the same fit on the same
   * data finds its folder again.
   */
  public static String folderFor(String checkpointDir, String fingerprint) {
    byte[] h = sha256(fingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder key = new StringBuilder("fit-");
    for (int i = 0; i < 8; i++) key.append(String.format("%02x", h[i]));
    return new Path(new Path(checkpointDir), key.toString()).toString();
  }

  /**
   * Checks that {@code dir} can be written — creates it if missing, then creates and deletes a
   * probe file through the Hadoop FileSystem — so an unusable checkpointDir is refused before any
   * Spark job rather than after the first epoch. Folders it had to create are removed again, so a
   * fit that fails later on bad input leaves nothing behind.
   */
  public static void probe(String dir, Configuration conf) {
    Path folder = new Path(dir);
    Path probe = new Path(folder, ".sparkdfa-probe-" + java.util.UUID.randomUUID());
    try {
      FileSystem fs = folder.getFileSystem(conf);
      if (fs.exists(folder) && !fs.getFileStatus(folder).isDirectory()) {
        throw new IOException("it is a file, not a folder");
      }
      List<Path> created = new java.util.ArrayList<>(); // the missing folders, deepest first
      for (Path p = folder; p != null && !fs.exists(p); p = p.getParent()) created.add(p);
      if (!fs.mkdirs(folder)) throw new IOException("the folder cannot be created");
      try (FSDataOutputStream out = fs.create(probe, false)) {
        out.writeInt(MAGIC);
      }
      if (!fs.delete(probe, false)) throw new IOException("a probe file cannot be deleted");
      removeEmpty(fs, created);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Param checkpointDir '" + dir + "' cannot be written ("
          + e.getMessage() + "); point it to a folder this job can create files in, or unset it",
          e);
    }
  }

  /**
   * Deletes the given folders, deepest first, non-recursively: one that is not empty (a
   * concurrent fit probing or checkpointing there) is left alone, and so are its parents.
   */
  private static void removeEmpty(FileSystem fs, List<Path> folders) {
    for (Path p : folders) {
      try {
        if (!fs.delete(p, false)) return;
      } catch (IOException notEmpty) {
        return;
      }
    }
  }

  /**
   * What differs between a checkpoint's fingerprint and this run's, one clause per differing
   * field; the data fields say so in words ("the training data differs ...").
   */
  public static String describeMismatch(String saved, String current) {
    java.util.Map<String, String> a = fields(saved);
    java.util.Map<String, String> b = fields(current);
    java.util.Set<String> keys = new java.util.LinkedHashSet<>(b.keySet());
    keys.addAll(a.keySet());
    List<String> out = new java.util.ArrayList<>();
    for (String k : keys) {
      String x = a.getOrDefault(k, "(none)");
      String y = b.getOrDefault(k, "(none)");
      if (x.equals(y)) continue;
      if (k.equals("data") || k.equals("validation")) {
        out.add("the " + (k.equals("data") ? "training" : "validation") + " data differs from "
            + "the checkpoint's (digest " + x + " there, " + y + " now)");
      } else {
        out.add(k + " is " + x + " in the checkpoint, " + y + " now");
      }
    }
    return out.isEmpty() ? "the fingerprints differ" : String.join("; ", out);
  }

  private static java.util.Map<String, String> fields(String fingerprint) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String part : fingerprint.split("; ")) {
      int eq = part.indexOf('=');
      if (eq > 0) m.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return m;
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
