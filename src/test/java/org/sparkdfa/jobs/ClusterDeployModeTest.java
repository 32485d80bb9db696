package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/parity.sh with {@code --deploy-mode cluster} on the standalone cluster of jobs/cluster.sh:
 * the driver runs on a worker, in its own folder, takes the config and the shipped MNIST digits
 * from the app jar, and writes the report where {@code --out} (a {@code file:} URI) says; the launcher waits for the driver, so its
 * exit code is the job's. Starts the cluster unless it is running and stops what it started.
 * Tagged {@code cluster} (a few minutes); needs the app jar, which jobs/test.sh builds first.
 */
@Tag("cluster")
class ClusterDeployModeTest {

  private static final String MASTER = "spark://127.0.0.1:7077";

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void parityJobRunsInClusterDeployModeAndWritesWhereOutSays(@TempDir Path tmp) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    boolean started = false;
    if (run(root, List.of("bash", "jobs/cluster.sh", "status")).exit != 0) {
      run(root, List.of("bash", "jobs/cluster.sh", "stop"));
      Result start = run(root, List.of("bash", "jobs/cluster.sh", "start"));
      assertEquals(0, start.exit, "jobs/cluster.sh start failed:\n" + start.output);
      started = true;
    }
    try {
      Path out = tmp.resolve("report");
      String outUri = out.toUri().toString(); // file:/..., as a shared path or hdfs:// would be
      List<String> cmd = new ArrayList<>(List.of("bash", "jobs/parity.sh", "--master", MASTER,
          "--deploy-mode", "cluster", "--conf", "spark.ui.enabled=false",
          "--out", outUri, "experiment.methods=[bp,dfa]", "training.epochs=1",
          "sparse-parity.n=10", "sparse-parity.train-distributions=[mixture]",
          "sparse-parity.train-rows=300", "sparse-parity.test-rows=200", "mnist-parity.k=[1]",
          "mnist-parity.train-rows=200", "mnist-parity.test-rows=100", "model.hidden-layers=[16]",
          "diagnostics.tsne.probe-rows=60", "diagnostics.tsne.perplexity=5"));
      Result job = run(root, cmd);
      assertEquals(0, job.exit, "cluster-mode parity run failed:\n" + job.output);
      assertTrue(job.output.contains("cluster deploy mode"), job.output);
      for (String f : List.of("report.md", "metrics.csv", "config.conf",
          "tsne-mnist-k1.png")) {
        assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing in " + out + ":\n"
            + job.output);
      }
      String report = Files.readString(out.resolve("report.md"));
      assertTrue(report.contains("DFA"), report);
      // The driver took the reference config from the app jar, not from the project folder.
      assertTrue(report.contains("sparkdfa-jar-conf-"), report);
    } finally {
      if (started) run(root, List.of("bash", "jobs/cluster.sh", "stop"));
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("SPARK_HOME");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return new Result(p.exitValue(), out.length() <= 8000 ? out : out.substring(out.length() - 8000));
  }
}
