package org.sparkdfa.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The project's one write-to-temp-then-rename, over the Hadoop FileSystem API (local paths and
 * any URI Hadoop knows: {@code file:}, {@code hdfs://}, …). Readers see the previous file or
 * folder or the whole new one, never a half-written one: everything goes into a hidden
 * temporary sibling {@code .<name>.tmp-<uuid>}, which takes the target's name only when complete.
 * A failed write deletes the temporary and leaves the target as it was.
 *
 * <p>Replacing: a local file is replaced by one atomic rename. Elsewhere (a folder, or a file
 * system without atomic replace such as HDFS) the existing target is first renamed to a hidden
 * {@code .<name>.old-<uuid>} sibling and deleted only after the new one is in place, and put
 * back if that rename fails; a crash exactly between the two renames leaves the previous
 * content complete under its {@code .old-} name.
 */
public final class AtomicWrite {
  private AtomicWrite() {}

  /** Writes a file's bytes to the stream it is given. */
  @FunctionalInterface
  public interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** Fills a folder at the (temporary, fully qualified) path it is given. */
  @FunctionalInterface
  public interface Filler {
    void fill(String tmpPath) throws IOException;
  }

  /**
   * The file system of {@code path}; for a local path the raw one, so plain files get no
   * {@code .crc} sidecar (checkpoints, which want Hadoop's checksums, use
   * {@link Path#getFileSystem} instead).
   */
  public static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** {@link #file(FileSystem, Path, Body)} on a local file; failures are unchecked. */
  public static void file(java.nio.file.Path file, byte[] bytes) {
    try {
      file(file, out -> out.write(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@link #file(FileSystem, Path, Body)} on a local file. */
  public static void file(java.nio.file.Path file, Body body) throws IOException {
    Path target = new Path(file.toAbsolutePath().toUri());
    file(fileSystem(target, new Configuration()), target, body);
  }

  /**
   * Writes a file whole or not at all, replacing an existing one (creating missing parent
   * folders). The temporary name is unique, so concurrent writers never share one.
   */
  public static void file(FileSystem fs, Path target, Body body) throws IOException {
    Path parent = parentOf(target);
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
    boolean done = false;
    try {
      fs.mkdirs(parent);
      try (OutputStream out = fs.create(tmp, false)) {
        body.write(out);
      }
      moveIntoPlace(fs, tmp, target, true);
      done = true;
    } finally {
      if (!done) deleteQuietly(fs, tmp);
    }
  }

  /**
   * Writes a folder at {@code path}, whole or not at all. Without {@code overwrite} an existing
   * target is refused before {@code filler} runs; with it the target is replaced only once the
   * new folder is complete.
   */
  public static void directory(String path, Configuration conf, boolean overwrite,
      Filler filler) {
    Path target = new Path(path);
    Path tmp = new Path(parentOf(target), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    FileSystem fs;
    try {
      fs = target.getFileSystem(conf);
      if (!overwrite && fs.exists(target)) throw exists(path); // fail before any work
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + " failed: " + e.getMessage(), e);
    }
    boolean done = false;
    try {
      filler.fill(fs.makeQualified(tmp).toString());
      moveIntoPlace(fs, tmp, target, overwrite);
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + " failed: " + e.getMessage()
          + (overwrite ? "; the previous content of " + path + " is unchanged" : ""), e);
    } finally {
      if (!done) deleteQuietly(fs, tmp);
    }
  }

  /**
   * Renames the complete {@code tmp} to {@code target}, replacing an existing target when
   * {@code overwrite} is set (see the class comment), refusing it otherwise.
   */
  static void moveIntoPlace(FileSystem fs, Path tmp, Path target, boolean overwrite)
      throws IOException {
    if (!fs.exists(target)) {
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
      return;
    }
    if (!overwrite) throw exists(target.toString());
    if (fs instanceof RawLocalFileSystem local && fs.getFileStatus(tmp).isFile()) {
      try {
        Files.move(local.pathToFile(tmp).toPath(), local.pathToFile(target).toPath(),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(local.pathToFile(tmp).toPath(), local.pathToFile(target).toPath(),
            StandardCopyOption.REPLACE_EXISTING);
      }
      return;
    }
    Path old = new Path(parentOf(target), "." + target.getName() + ".old-" + UUID.randomUUID());
    if (!fs.rename(target, old)) {
      throw new IOException("could not move the previous " + target + " aside to " + old);
    }
    if (!fs.rename(tmp, target)) {
      if (!fs.exists(target)) fs.rename(old, target); // put the previous one back
      throw new IOException("could not rename " + tmp + " to " + target);
    }
    fs.delete(old, true);
  }

  private static Path parentOf(Path target) {
    return target.getParent() == null ? new Path(".") : target.getParent();
  }

  private static void deleteQuietly(FileSystem fs, Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException ignored) {
      // The write's own failure is the one to report.
    }
  }

  private static IOException exists(String path) {
    return new IOException("Path " + path + " already exists; choose another path or "
        + "overwrite (writer.overwrite())");
  }
}
