package org.sparkdfa.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one write-to-temp-then-rename: whole or not at all, for files and folders. */
class AtomicWriteTest {
  @TempDir
  java.nio.file.Path tmp;

  private List<String> names(java.nio.file.Path dir) throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFailedRewriteLeavesTheFileAsItWasAndNoTemporary() throws IOException {
    java.nio.file.Path file = tmp.resolve("sub/report.md");
    AtomicWrite.file(file, "first".getBytes(StandardCharsets.UTF_8));
    AtomicWrite.file(file, "second".getBytes(StandardCharsets.UTF_8));
    assertEquals("second", Files.readString(file));
    assertThrows(IOException.class, () -> AtomicWrite.file(file, out -> {
      out.write("half of a th".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    }));
    assertEquals("second", Files.readString(file));
    assertEquals(List.of("report.md"), names(tmp.resolve("sub")), "no temporary, no .crc");
  }

  @Test
  void aFileUnderAHadoopUriIsWrittenThroughItsFileSystem() throws IOException {
    Path target = new Path(tmp.toUri().toString() + "out/metrics.csv");
    FileSystem fs = AtomicWrite.fileSystem(target, new Configuration());
    AtomicWrite.file(fs, target, out -> out.write("a,b\n".getBytes(StandardCharsets.UTF_8)));
    AtomicWrite.file(fs, target, out -> out.write("c,d\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("c,d\n", Files.readString(tmp.resolve("out/metrics.csv")));
    assertEquals(List.of("metrics.csv"), names(tmp.resolve("out")));
  }

  @Test
  void aFolderIsReplacedOnlyWhenTheNewOneIsComplete() throws IOException {
    String dir = tmp.resolve("model").toString();
    Configuration conf = new Configuration();
    AtomicWrite.directory(dir, conf, false, t -> Files.writeString(Files.createDirectories(
        java.nio.file.Path.of(new Path(t).toUri())).resolve("a"), "v1"));
    UncheckedIOException failed = assertThrows(UncheckedIOException.class,
        () -> AtomicWrite.directory(dir, conf, true, t -> {
          java.nio.file.Path d = Files.createDirectories(java.nio.file.Path.of(new Path(t).toUri()));
          Files.writeString(d.resolve("a"), "v2, half");
          throw new IOException("codec missing");
        }));
    assertTrue(failed.getMessage().contains("previous content of " + dir + " is unchanged"),
        failed.getMessage());
    assertEquals("v1", Files.readString(tmp.resolve("model/a")));
    assertEquals(List.of("model"), names(tmp));

    AtomicBoolean ran = new AtomicBoolean();
    UncheckedIOException exists = assertThrows(UncheckedIOException.class,
        () -> AtomicWrite.directory(dir, conf, false, t -> ran.set(true)));
    assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    assertFalse(ran.get(), "refused before any work");

    AtomicWrite.directory(dir, conf, true, t -> {
      java.nio.file.Path d = Files.createDirectories(java.nio.file.Path.of(new Path(t).toUri()));
      Files.writeString(d.resolve("b"), "v3");
    });
    assertEquals(List.of("b"), names(tmp.resolve("model")));
    assertEquals(List.of("model"), names(tmp), "the previous folder, moved aside, is gone");
  }
}
