package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs jobs/fault-injection.sh: on the standalone cluster, a checkpointing training ends with the
 * same weights undisturbed, with an executor killed mid-training, and when its driver is killed
 * and the job rerun with the same checkpoint directory. Tagged {@code cluster} (a few minutes);
 * needs the app jar, which jobs/test.sh builds before the tests.
 */
@Tag("cluster")
class FaultInjectionTest {

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void killedExecutorsAndDriversLoseNothing() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Process p = new ProcessBuilder("bash", "jobs/fault-injection.sh").directory(root.toFile())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    assertEquals(0, exit, "jobs/fault-injection.sh failed:\n" + tail(output));
    assertTrue(output.contains("RESULT faults=passed"), tail(output));
  }

  private static String tail(String s) {
    return s.length() <= 8000 ? s : s.substring(s.length() - 8000);
  }
}
