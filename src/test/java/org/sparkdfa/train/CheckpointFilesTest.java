package org.sparkdfa.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.optim.OptimizerState;

/** The checkpoint folder's layout and failure behaviour, on the local Hadoop file system. */
class CheckpointFilesTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path tmp;

  private static Checkpoint checkpoint(String fingerprint, int epoch, double w) {
    return new Checkpoint(fingerprint, epoch, new double[] {w, -w},
        new OptimizerState("sgd", epoch, Map.of()), List.of(), epoch, Double.POSITIVE_INFINITY,
        null, 0);
  }

  @Test
  void rewritingAnEpochReplacesItWithoutDeletingFirstAndDropsOnlyOlderEpochs() throws Exception {
    String dir = tmp.resolve("fit").toString();
    checkpoint("f", 1, 1.0).write(dir, CONF);
    checkpoint("f", 3, 3.0).write(dir, CONF);
    checkpoint("f", 3, 4.0).write(dir, CONF); // the same epoch again: swapped in
    assertArrayEquals(new double[] {4.0, -4.0}, Checkpoint.readLatest(dir, CONF).params());
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      assertEquals(List.of("checkpoint-000003.bin"), files.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).toList(), "no temp or moved-aside file left");
    }
  }

  @Test
  void anUnwritableFolderIsRefusedByTheProbe() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    for (Path bad : new Path[] {file, file.resolve("below")}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Checkpoint.probe(bad.toString(), CONF));
      assertTrue(e.getMessage().contains("checkpointDir '" + bad + "' cannot be written"),
          e.getMessage());
    }
    Checkpoint.probe(tmp.resolve("new/ck").toString(), CONF);
    assertTrue(!Files.exists(tmp.resolve("new")), "the folders the probe created are removed");
    Path existing = Files.createDirectory(tmp.resolve("existing"));
    Checkpoint.probe(existing.toString(), CONF);
    try (Stream<Path> files = Files.list(existing)) {
      assertEquals(0, files.count(), "the probe file is deleted");
    }
  }

  @Test
  void eachFingerprintOwnsAStableSubFolder() {
    String a = Checkpoint.folderFor("/ck", "spec=x; data=0123");
    assertEquals(a, Checkpoint.folderFor("/ck", "spec=x; data=0123"));
    assertNotEquals(a, Checkpoint.folderFor("/ck", "spec=x; data=0124"));
    assertTrue(a.matches("/ck/fit-[0-9a-f]{16}"), a);
  }

  @Test
  void aMismatchSaysWhatDiffers() {
    String saved = "spec=[2, 1] bce; seed=1; data=00aa; validation=none";
    String now = "spec=[2, 1] bce; seed=2; data=00bb; validation=none";
    String m = Checkpoint.describeMismatch(saved, now);
    assertTrue(m.contains("the training data differs from the checkpoint's (digest 00aa there, "
        + "00bb now)") && m.contains("seed is 1 in the checkpoint, 2 now")
        && !m.contains("spec"), m);
  }
}
