package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

/**
 * A real standalone cluster (jobs/cluster.sh: a master and two 1-core workers on 127.0.0.1) trains
 * exactly the weights that local mode trains, given the same seed and partitioning, on both of a
 * cluster's step runners: 4 partitions, more than its task slots, run one Spark job per step;
 * 2 partitions run one job per epoch whose tasks stream each step's weights and shares. The job is
 * submitted through Spark's own SparkSubmit, as spark-submit does, with an application jar made
 * from target/classes; the cluster runs from the test classpath's jars, so nothing needs
 * {@code mvn package}. Starts the cluster unless it is already running, and stops what it
 * started. Tagged {@code cluster} (about 1 minute); exclude with
 * {@code -Dtest.excludedGroups=cluster}.
 */
@Tag("cluster")
class ClusterDeterminismTest extends SparkTestBase {

  private static final String MASTER = "spark://127.0.0.1:7077";

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void clusterTrainingGivesTheSameWeightsAsLocal(@TempDir Path tmp) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    List<String> classpath = testClasspath();
    String jars = String.join(File.pathSeparator, classpath.stream()
        .filter(p -> p.endsWith(".jar") && Files.isRegularFile(Path.of(p))).toList());
    Map<String, String> env = Map.of("SPARKDFA_CLUSTER_CLASSPATH", jars);
    boolean started = false;
    if (run(root, env, 60, List.of("bash", "jobs/cluster.sh", "status")).exit != 0) {
      run(root, env, 60, List.of("bash", "jobs/cluster.sh", "stop"));
      Result start = run(root, env, 240, List.of("bash", "jobs/cluster.sh", "start"));
      assertEquals(0, start.exit, "jobs/cluster.sh start failed:\n" + start.output);
      started = true;
    }
    try {
      Path appJar = thinJar(root.resolve("target/classes"), tmp.resolve("sparkdfa-app.jar"));
      Path clusterOut = tmp.resolve("cluster-weights.txt");
      List<String> submit = new ArrayList<>();
      submit.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      submit.addAll(sparkJvmFlags());
      submit.addAll(List.of("-Xmx1g", "-cp", appJar + File.pathSeparator
          + String.join(File.pathSeparator, classpath), "org.apache.spark.deploy.SparkSubmit",
          "--master", MASTER, "--conf", "spark.ui.enabled=false",
          "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
          "--class", ClusterCheck.class.getName(), appJar.toString(), clusterOut.toString()));
      Result job = run(root, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), 300, submit);
      assertEquals(0, job.exit, "spark-submit to " + MASTER + " failed:\n" + job.output);
      assertTrue(job.output.contains("on " + MASTER), job.output);
      // The 2-partition fit fills the cluster's 2 slots: one job per epoch; the 4-partition
      // fit cannot, and runs one job per step.
      assertTrue(job.output.contains("one Spark job per epoch on the cluster"), job.output);
      assertTrue(job.output.contains("the cluster has 2 task slots for 4 partitions"),
          job.output);
      assertTrue(!job.output.contains("The epoch job failed"), job.output);
      // Three epochs on the same blocks run in one epoch job; with a validation set, whose job
      // runs only once the waiting tasks give way to it, each epoch starts one of its own.
      assertTrue(job.output.contains("epoch jobs of the fit on 2 partitions: 1"), job.output);
      assertTrue(job.output.contains("epoch jobs of the fit on 2 partitions with a validation "
          + "set: 3"), job.output);

      String master = httpGet("http://127.0.0.1:8080/json/");
      assertTrue(master.contains("sparkdfa-cluster-check"),
          "the master does not list the application as run: " + master);

      String local = ClusterCheck.format(ClusterCheck.train(spark()));
      String cluster = Files.readString(clusterOut);
      assertTrue(local.lines().count() > 100, "expected a few hundred weights");
      assertEquals(local, cluster, "weights trained on " + MASTER + " differ from local[2] "
          + "with the same seed and " + ClusterCheck.PARTITIONS + " (then "
          + ClusterCheck.EPOCH_JOB_PARTITIONS + ") partitions");
    } finally {
      if (started) run(root, env, 120, List.of("bash", "jobs/cluster.sh", "stop"));
    }
  }

  /** Surefire's real test classpath (its own java.class.path is a manifest-only jar). */
  private static List<String> testClasspath() {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    return Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
  }

  /** The --add-opens family this JVM got from the pom (spark.java.opens), for the child JVM. */
  private static List<String> sparkJvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
            || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
        .toList();
  }

  /** A jar of the compiled main classes: the application jar spark-submit ships to executors. */
  private static Path thinJar(Path classes, Path jar) throws IOException {
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static String httpGet(String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, Map<String, String> env, int timeoutSeconds,
      List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("sparkdfa-cluster-test", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command + "\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
