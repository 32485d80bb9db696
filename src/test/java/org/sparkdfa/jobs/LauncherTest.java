package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/parity.sh and jobs/bench.sh as a user runs them, against stubs: a copy of the launchers
 * in a scratch checkout (a prebuilt app jar and bench jar, so nothing is built), a stub
 * {@code $SPARK_HOME/bin/spark-submit} or a stub {@code java} that print the arguments and
 * environment they were given, and stub
 * {@code apt-get} / {@code ldconfig} / {@code python3} where the test needs them. No Spark starts.
 */
class LauncherTest {

  private static final String JAR = "sparkdfa-0.1.0-SNAPSHOT.jar";
  private static final String BENCH_JAR = "sparkdfa-0.1.0-SNAPSHOT-bench.jar";

  @TempDir Path tmp;
  private Path root;
  private Path sparkHome;
  private Path stubs;

  @BeforeEach
  void scratchCheckout() throws IOException {
    Path repo = Path.of("").toAbsolutePath();
    root = tmp.resolve("checkout");
    Files.createDirectories(root.resolve("jobs/lib"));
    Files.createDirectories(root.resolve("conf"));
    Files.createDirectories(root.resolve("src/main"));
    Files.createDirectories(root.resolve("target"));
    for (String f : List.of("jobs/parity.sh", "jobs/bench.sh", "jobs/lib/launch.sh",
        "jobs/lib/blas-env.sh", "pom.xml", "conf/log4j2.properties")) {
      Files.copy(repo.resolve(f), root.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    Files.setLastModifiedTime(root.resolve("pom.xml"), old);
    Files.setLastModifiedTime(root.resolve("src/main"), old);
    Files.writeString(root.resolve("target/" + JAR), "not a real jar");
    Files.writeString(root.resolve("target/" + BENCH_JAR), "not a real jar either");
    Files.writeString(root.resolve("target/classpath.txt"), "/spark/jars/spark-core.jar");

    sparkHome = tmp.resolve("spark");
    stub(sparkHome.resolve("bin/spark-submit"), "SUBMIT");
    stubs = tmp.resolve("stubs");
    stub(stubs.resolve("java"), "JAVA");
    // Never install anything from a test, whatever the launcher decides.
    script(stubs.resolve("apt-get"), "touch '" + tmp.resolve("apt-get-ran") + "'");
  }

  /** A command that prints the environment the launcher sets, then one line per argument. */
  private static void stub(Path file, String tag) throws IOException {
    script(file, "for v in SPARK_LOCAL_IP OPENBLAS_CORETYPE; do echo \"" + tag
        + "-ENV $v=${!v-<unset>}\"; done\nfor a in \"$@\"; do echo \"" + tag + " $a\"; done");
  }

  private static void script(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
    file.toFile().setExecutable(true);
  }

  private record Run(int exit, String output, List<String> args, List<String> env) {}

  /** Runs jobs/parity.sh with the stubs first on PATH; {@code spark} = with SPARK_HOME. */
  private Run parity(boolean spark, Map<String, String> extraEnv, String... args)
      throws Exception {
    return launch("jobs/parity.sh", spark, extraEnv, args);
  }

  /** Runs a launcher script of the scratch checkout with the stubs first on PATH. */
  private Run launch(String script, boolean spark, Map<String, String> extraEnv, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve(script).toString()));
    Collections.addAll(cmd, args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    for (String v : List.of("SPARK_HOME", "SPARK_CONF_DIR", "SPARK_LOCAL_IP", "SPARK_SUBMIT_OPTS",
        "JAVA_OPTS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "SPARKDFA_DRIVER_MEMORY",
        "SPARKDFA_FORCE_BUILD", "SPARKDFA_NO_INSTALL")) {
      env.remove(v);
    }
    env.put("PATH", stubs + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    if (spark) env.put("SPARK_HOME", sparkHome.toString());
    env.putAll(extraEnv);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish:\n" + out);
    String tag = spark ? "SUBMIT" : "JAVA";
    List<String> argv = new ArrayList<>();
    List<String> envLines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith(tag + "-ENV ")) envLines.add(line.substring(tag.length() + 5));
      else if (line.startsWith(tag + " ")) argv.add(line.substring(tag.length() + 1));
    }
    return new Run(p.exitValue(), out, argv, envLines);
  }

  /** The arguments after the application jar: what the job itself receives. */
  private static List<String> appArgs(Run r) {
    int jar = -1;
    for (int i = 0; i < r.args().size(); i++) {
      if (r.args().get(i).endsWith(".jar") && i > 0 && !r.args().get(i - 1).equals("-cp")
          && !r.args().get(i - 1).equals("--jars")) {
        jar = i;
      }
    }
    assertTrue(jar >= 0, "no application jar in " + r.args());
    return r.args().subList(jar + 1, r.args().size());
  }

  /** The arguments before the application jar: spark-submit's (or SparkSubmit's) options. */
  private static List<String> submitArgs(Run r) {
    return r.args().subList(0, r.args().size() - appArgs(r).size());
  }

  private static void assertPair(List<String> args, String option, String value) {
    boolean found = false;
    for (int i = 0; i + 1 < args.size(); i++) {
      found |= args.get(i).equals(option) && args.get(i + 1).equals(value);
    }
    assertTrue(found, option + " " + value + " should reach spark-submit: " + args);
  }

  @Test
  void sparkSubmitOptionsReachSparkSubmitUnchanged() throws Exception {
    Run r = parity(true, Map.of(), "--master", "spark://10.1.2.3:7077", "--driver-memory", "3g",
        "--jars", "extra.jar,more.jar", "--name", "dfa-paper", "--conf", "spark.eventLog.enabled=true",
        "--packages", "org.example:lib:1.0", "--files", "conf/parity.conf",
        "--executor-memory", "2g", "--total-executor-cores", "4", "--num-executors", "2",
        "--deploy-mode", "client", "--properties-file", "my.properties",
        "--config", "conf/paper/mnist-k3.conf", "training.epochs=1");
    assertEquals(0, r.exit(), r.output());
    List<String> submit = submitArgs(r);
    assertPair(submit, "--master", "spark://10.1.2.3:7077");
    assertPair(submit, "--driver-memory", "3g");
    assertPair(submit, "--jars", "extra.jar,more.jar");
    assertPair(submit, "--name", "dfa-paper");
    assertPair(submit, "--conf", "spark.eventLog.enabled=true");
    assertPair(submit, "--packages", "org.example:lib:1.0");
    assertPair(submit, "--files", "conf/parity.conf");
    assertPair(submit, "--executor-memory", "2g");
    assertPair(submit, "--total-executor-cores", "4");
    assertPair(submit, "--num-executors", "2");
    assertPair(submit, "--deploy-mode", "client");
    assertPair(submit, "--properties-file", "my.properties");
    assertPair(submit, "--class", "org.sparkdfa.jobs.ParityJob");
    assertEquals(1, Collections.frequency(submit, "--driver-memory"), "one driver memory: " + submit);
    assertEquals(1, Collections.frequency(submit, "--master"), submit.toString());
    assertEquals(List.of("--config", "conf/paper/mnist-k3.conf", "training.epochs=1"), appArgs(r));
    assertTrue(r.env().contains("SPARK_LOCAL_IP=<unset>"),
        "a remote master's executors must reach the driver: " + r.env());
  }

  @Test
  void clusterManagersOtherThanOurOwnGetNoLoopbackAddress() throws Exception {
    for (String master : List.of("yarn", "k8s://https://10.0.0.1:6443", "spark://spark-master:7077")) {
      Run r = parity(true, Map.of(), "--master", master, "--dry-run");
      assertEquals(0, r.exit(), r.output());
      assertTrue(r.env().contains("SPARK_LOCAL_IP=<unset>"), master + ": " + r.env());
      assertPair(submitArgs(r), "--master", master);
    }
  }

  @Test
  void localMastersAndTheLocalClusterGetLoopbackAndTheDefaultDriverMemory() throws Exception {
    Run r = parity(true, Map.of(), "--dry-run");
    assertEquals(0, r.exit(), r.output());
    assertPair(submitArgs(r), "--master", "local[*]");
    assertPair(submitArgs(r), "--driver-memory", "8g");
    assertTrue(r.env().contains("SPARK_LOCAL_IP=127.0.0.1"), r.env().toString());
    assertEquals(List.of("--dry-run"), appArgs(r));
    for (String master : List.of("local[2]", "spark://127.0.0.1:7077")) {
      r = parity(true, Map.of(), "--master", master);
      assertTrue(r.env().contains("SPARK_LOCAL_IP=127.0.0.1"), master + ": " + r.env());
    }
    // A user's own SPARK_LOCAL_IP is kept.
    r = parity(true, Map.of("SPARK_LOCAL_IP", "10.9.8.7"), "--master", "local[2]");
    assertTrue(r.env().contains("SPARK_LOCAL_IP=10.9.8.7"), r.env().toString());
  }

  @Test
  void aDriverMemoryInTheConfOrAPropertiesFileAlsoWins() throws Exception {
    Run r = parity(true, Map.of(), "--conf", "spark.driver.memory=5g");
    assertFalse(submitArgs(r).contains("--driver-memory"), submitArgs(r).toString());
    Path props = tmp.resolve("job.properties");
    Files.writeString(props, "spark.master  yarn\nspark.driver.memory=6g\n");
    r = parity(true, Map.of(), "--properties-file", props.toString());
    assertFalse(submitArgs(r).contains("--driver-memory"), submitArgs(r).toString());
    assertFalse(submitArgs(r).contains("--master"), "the file's master must stand: " + submitArgs(r));
    assertTrue(r.env().contains("SPARK_LOCAL_IP=<unset>"), r.env().toString());
  }

  @Test
  void clusterDeployModeWaitsForTheDriverAndLeavesItsMemoryToTheCluster() throws Exception {
    Run r = parity(true, Map.of(), "--master", "spark://127.0.0.1:7077", "--deploy-mode",
        "cluster", "--out", "/shared/report");
    assertEquals(0, r.exit(), r.output());
    assertPair(submitArgs(r), "--conf", "spark.standalone.submit.waitAppCompletion=true");
    // 8g would not fit on a worker of jobs/cluster.sh (2g): Spark's own default applies.
    assertFalse(submitArgs(r).contains("--driver-memory"), submitArgs(r).toString());
    assertEquals(List.of("--out", "/shared/report"), appArgs(r));
  }

  @Test
  void withoutSparkHomeTheDriverJvmGetsTheUsersMemory() throws Exception {
    Run r = parity(false, Map.of(), "--driver-memory", "3g", "--name", "mine", "--out", "x");
    assertEquals(0, r.exit(), r.output());
    int main = r.args().indexOf("org.apache.spark.deploy.SparkSubmit");
    assertTrue(main > 0, r.args().toString());
    List<String> jvm = r.args().subList(0, main);
    assertTrue(jvm.contains("-Xmx3g"), "the driver JVM's heap: " + jvm);
    assertEquals(1, jvm.stream().filter(a -> a.startsWith("-Xmx")).count(), jvm.toString());
    List<String> submit = submitArgs(r).subList(main + 1, submitArgs(r).size());
    assertPair(submit, "--driver-memory", "3g");
    assertPair(submit, "--name", "mine");
    assertEquals(List.of("--out", "x"), appArgs(r));

    r = parity(false, Map.of());
    assertTrue(r.args().contains("-Xmx8g"), r.args().toString());
  }

  @Test
  void argumentsAfterADoubleDashGoToTheJob() throws Exception {
    Run r = parity(true, Map.of(), "--master", "local[2]", "--", "--name", "x", "--conf", "y");
    assertEquals(0, r.exit(), r.output());
    assertEquals(List.of("--name", "x", "--conf", "y"), appArgs(r));
    assertFalse(submitArgs(r).contains("--name"), submitArgs(r).toString());
    // A spark-submit option after the job's own is the job's, and the launcher says so.
    r = parity(true, Map.of(), "--out", "x", "--master", "yarn");
    assertEquals(List.of("--out", "x", "--master", "yarn"), appArgs(r));
    assertTrue(r.output().contains("'--master' comes after the job's own arguments"), r.output());
  }

  @Test
  void noInstallPrintsTheCommandAndAMissingPython3LeavesTheCoreToOpenBlas() throws Exception {
    // No OpenBLAS on this pretend machine, and no working python3 for the core probe.
    script(stubs.resolve("ldconfig"), "exit 0");
    script(stubs.resolve("python3"), "exit 127");
    Run r = parity(true, Map.of("SPARKDFA_NO_INSTALL", "1"));
    assertEquals(0, r.exit(), r.output());
    assertFalse(Files.exists(tmp.resolve("apt-get-ran")), "apt-get ran:\n" + r.output());
    assertTrue(r.output().contains("to install it run: apt-get install -y libopenblas0-pthread")
        || r.output().contains("to install it run: sudo apt-get install -y libopenblas0-pthread"),
        r.output());
    assertTrue(r.env().contains("OPENBLAS_CORETYPE=<unset>"), r.env().toString());
    assertTrue(r.output().contains("OpenBLAS's own choice"), r.output());
  }

  @Test
  void runJarCopiesAreCleanedKeepingTheNewest() throws Exception {
    Path dir = Files.createDirectories(root.resolve("target/run-jars"));
    for (int i = 0; i < 8; i++) {
      Path old = dir.resolve("sparkdfa-old" + i + ".jar");
      Files.writeString(old, "old");
      Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis()
          - (10 - i) * 60_000L));
    }
    Run r = parity(true, Map.of());
    assertEquals(0, r.exit(), r.output());
    List<String> left;
    try (Stream<Path> s = Files.list(dir)) {
      left = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(5, left.size(), left.toString());
    String used = Path.of(r.args().get(r.args().indexOf("org.sparkdfa.jobs.ParityJob") + 1))
        .getFileName().toString();
    assertTrue(left.contains(used), used + " must stay: " + left);
    assertTrue(left.containsAll(List.of("sparkdfa-old7.jar", "sparkdfa-old6.jar",
        "sparkdfa-old5.jar", "sparkdfa-old4.jar")), left.toString());
  }

  /** The value after {@code option} (the last one given), or null. */
  private static String valueOf(List<String> args, String option) {
    String value = null;
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals(option)) value = args.get(i + 1);
    }
    return value;
  }

  private static boolean namesBenchJar(String s) {
    return s != null && s.contains(BENCH_JAR);
  }

  @Test
  void benchmarkMainsGetTheBenchJarAndTheParityJobDoesNot() throws Exception {
    // spark-submit: the bench jar goes with --jars (executors on a cluster fetch it), after a
    // user's own jars; the app jar stays the primary resource.
    Run r = launch("jobs/bench.sh", true, Map.of(), "overhead", "--jars", "extra.jar", "--quick");
    assertEquals(0, r.exit(), r.output());
    List<String> submit = submitArgs(r);
    String jars = valueOf(submit, "--jars");
    assertTrue(jars != null && jars.startsWith("extra.jar,") && jars.endsWith("/" + BENCH_JAR),
        "the last --jars should be the user's plus the bench jar: " + submit);
    assertPair(submit, "--class", "org.sparkdfa.bench.OverheadBench");
    assertTrue(submit.get(submit.size() - 1).endsWith("/" + JAR), submit.toString());
    assertEquals(List.of("--quick"), appArgs(r));

    // Without SPARK_HOME the driver is this JVM: the bench jar is on its class path too.
    r = launch("jobs/bench.sh", false, Map.of(), "experiment", "--quick");
    assertEquals(0, r.exit(), r.output());
    assertTrue(namesBenchJar(valueOf(r.args(), "-cp")), r.args().toString());
    assertTrue(namesBenchJar(valueOf(r.args(), "--jars")), r.args().toString());
    assertPair(r.args(), "--class", "org.sparkdfa.bench.ExperimentBench");

    // A plain-JVM benchmark (the kernel's forks reuse this class path).
    r = launch("jobs/bench.sh", false, Map.of(), "kernel", "--forks", "1");
    assertEquals(0, r.exit(), r.output());
    String cp = valueOf(r.args(), "-cp");
    assertTrue(namesBenchJar(cp) && cp.contains("/" + JAR + ":"), r.args().toString());
    assertTrue(r.args().contains("org.sparkdfa.bench.KernelBench"), r.args().toString());

    // The parity job runs on the app jar alone, and a user's --jars stay as given.
    for (boolean spark : List.of(true, false)) {
      r = parity(spark, Map.of(), "--jars", "extra.jar", "--dry-run");
      assertEquals(0, r.exit(), r.output());
      assertFalse(r.args().stream().anyMatch(LauncherTest::namesBenchJar), r.args().toString());
      assertEquals("extra.jar", valueOf(r.args(), "--jars"), r.args().toString());
    }
  }

  @Test
  void aMissingBenchJarIsBuilt() throws Exception {
    // The app jar alone is not enough for a benchmark: the launcher builds (here: a stub mvn).
    Files.delete(root.resolve("target/" + BENCH_JAR));
    script(stubs.resolve("mvn"), "touch '" + tmp.resolve("mvn-ran") + "'; touch '"
        + root.resolve("target/" + BENCH_JAR) + "'");
    Run r = launch("jobs/bench.sh", false, Map.of(), "kernel");
    assertEquals(0, r.exit(), r.output());
    assertTrue(Files.exists(tmp.resolve("mvn-ran")), r.output());
    assertTrue(r.output().contains("[sparkdfa] building"), r.output());
  }
}
