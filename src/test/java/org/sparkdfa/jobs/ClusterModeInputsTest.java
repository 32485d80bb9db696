package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.data.DigitPool;

/**
 * A driver in cluster deploy mode (as spark-submit marks it: spark.submit.deployMode=cluster)
 * takes the configs and digits from the app jar, writes to a Hadoop URI and refuses a relative
 * output folder, all checked before Spark starts (dry runs).
 */
class ClusterModeInputsTest {
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void clusterMode() {
    System.setProperty("spark.submit.deployMode", "cluster");
    stderr = System.err;
    System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void clientMode() {
    System.clearProperty("spark.submit.deployMode");
    System.clearProperty(DigitPool.DIR_PROPERTY);
    System.setErr(stderr);
  }

  private int run(String... args) {
    return ParityJob.run(args, new PrintStream(console, true, StandardCharsets.UTF_8), null);
  }

  @Test
  void configsAndDigitsComeFromTheJarAndTheOutputMayBeAHadoopUri(@TempDir Path tmp) {
    String out = tmp.resolve("results").toUri().toString();
    assertEquals(0, run("--dry-run", "--config", "paper/mnist-k1", "--out", out),
        errors.toString(StandardCharsets.UTF_8));
    String printed = console.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("from the app jar"), printed);
    assertTrue(printed.contains("sparkdfa-jar-conf-"), printed); // the config's source
    assertTrue(printed.contains("output folder would be " + tmp.resolve("results")),
        printed);
    String digits = System.getProperty(DigitPool.DIR_PROPERTY);
    assertTrue(digits != null && digits.contains("sparkdfa-jar-mnist-"), digits);
    assertTrue(Files.isRegularFile(Path.of(digits, "train-images-idx3-ubyte.gz")), digits);
  }

  @Test
  void aRelativeOutputFolderIsRefused() {
    assertEquals(2, run("--dry-run", "--out", "out/run1"));
    String err = errors.toString(StandardCharsets.UTF_8);
    assertTrue(err.contains("'out/run1' is relative") && err.contains("hdfs://"), err);
  }
}
