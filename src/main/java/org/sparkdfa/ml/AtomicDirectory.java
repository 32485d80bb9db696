package org.sparkdfa.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a directory through the Hadoop FileSystem API (local paths and any URI Hadoop knows) so
 * that readers see either the previous folder or the whole new one, never a half-written or a
 * missing one: everything goes into a hidden temporary sibling; only when it is complete does it
 * take the target's name. An existing target (overwrite) is first renamed to a hidden
 * {@code .<name>.old-<uuid>} sibling and deleted only after the new folder is in place; if
 * anything fails, only the temporary folder is deleted and the old one is put back.
 *
 * <p>Hadoop has no atomic replace of a non-empty directory, so between the two renames the target
 * name is briefly absent; a crash exactly there leaves the previous folder complete under its
 * {@code .old-} name (the model reader points to it).
 */
public final class AtomicDirectory {
  private AtomicDirectory() {}

  /** Something that fills a directory. */
  @FunctionalInterface
  public interface Filler {
    void fill(String tmpPath) throws IOException;
  }

  /** Writes a new folder at {@code path}; refuses if something is there already. */
  public static void write(String path, Configuration conf, Filler filler) {
    write(path, conf, false, filler);
  }

  /**
   * Writes a folder at {@code path}, replacing an existing one when {@code overwrite} is set
   * (only after the new one is complete; a failed write leaves the old one as it was).
   */
  public static void write(String path, Configuration conf, boolean overwrite, Filler filler) {
    Path target = new Path(path);
    Path parent = target.getParent() == null ? new Path(".") : target.getParent();
    String id = UUID.randomUUID().toString();
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + id);
    Path old = new Path(parent, "." + target.getName() + ".old-" + id);
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
      boolean replacing = fs.exists(target);
      if (replacing) {
        if (!overwrite) throw exists(path);
        if (!fs.rename(target, old)) {
          throw new IOException("could not move the previous " + target + " aside to " + old);
        }
      }
      if (!fs.rename(tmp, target)) {
        if (replacing && !fs.exists(target)) fs.rename(old, target); // put the old one back
        throw new IOException("could not rename " + tmp + " to " + target);
      }
      done = true;
      if (replacing) fs.delete(old, true);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + " failed: " + e.getMessage()
          + (overwrite ? "; the previous content of " + path + " is unchanged" : ""), e);
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

  /**
   * Saves any Spark ML writable (a {@code PipelineModel}, a {@code CrossValidatorModel}, …) with
   * overwrite semantics, safely: Spark's own writers delete the target before writing anything
   * when {@code overwrite()} is set, so a failing save of a Pipeline loses the saved one; this
   * writes {@code item} to a temporary sibling and swaps it in only when complete.
   */
  public static void overwrite(MLWritable item, String path) {
    Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
    write(path, conf, true, tmp -> item.write().save(tmp));
  }

  private static IOException exists(String path) {
    return new IOException("Path " + path + " already exists; choose another path or "
        + "overwrite (writer.overwrite())");
  }
}
