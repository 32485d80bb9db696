package org.sparkdfa.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a directory through the Hadoop FileSystem API (local paths and any URI Hadoop knows) so
 * that readers see either nothing or the whole result: everything goes into a hidden temporary
 * sibling, which is renamed into place at the end and deleted if anything fails.
 */
public final class AtomicDirectory {
  private AtomicDirectory() {}

  /** Something that fills a directory. */
  @FunctionalInterface
  public interface Filler {
    void fill(String tmpPath) throws IOException;
  }

  public static void write(String path, Configuration conf, Filler filler) {
    Path target = new Path(path);
    Path tmp = new Path(target.getParent() == null ? new Path(".") : target.getParent(),
        "." + target.getName() + ".tmp-" + UUID.randomUUID());
    FileSystem fs;
    try {
      fs = target.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + path, e);
    }
    boolean done = false;
    try {
      filler.fill(fs.makeQualified(tmp).toString());
      if (fs.exists(target)) {
        throw new IOException("Path " + path + " already exists; choose another path or "
            + "overwrite (writer.overwrite())");
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + " failed: " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          fs.delete(tmp, true);
        } catch (IOException ignored) {
          // The original failure matters more than a leftover hidden temp directory.
        }
      }
    }
  }
}
