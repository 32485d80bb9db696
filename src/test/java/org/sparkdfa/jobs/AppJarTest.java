package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded app jar (target/sparkdfa-*.jar, built by {@code mvn package}; jobs/test.sh builds it
 * before the tests) is a proper spark-submit package: it runs the parity job by its manifest,
 * bundles no LGPL/GPL code, no module descriptors of the jars it shades and no benchmarks, and
 * carries its licence and notice. The benchmarks (src/bench/java) are in their own jar with JMH,
 * target/sparkdfa-*-bench.jar, which runs beside the app jar.
 */
class AppJarTest {

  /** Package prefixes of code the jar must not bundle: Smile (LGPL/GPL), VectorGraphics2D (LGPL), pdfbox and friends. */
  private static final List<String> FORBIDDEN = List.of("smile/", "de/erichseifert/",
      "de/rototor/", "org/apache/pdfbox/", "org/apache/fontbox/", "org/apache/commons/logging/");

  private static final String BENCH_PREFIX = "org/sparkdfa/bench/";

  /** JMH (GPL-2.0 with the classpath exception) and its option parser: bench jar only. */
  private static final List<String> JMH_PREFIXES = List.of("org/openjdk/jmh/", "joptsimple/");

  private static Path appJar() throws IOException {
    return jar("sparkdfa-(?!.*-bench\\.jar$).*\\.jar",
        "shaded app jar target/sparkdfa-<version>.jar");
  }

  private static Path benchJar() throws IOException {
    return jar("sparkdfa-.*-bench\\.jar", "bench jar target/sparkdfa-<version>-bench.jar");
  }

  /** The one jar of target/ whose name matches {@code regex}. */
  private static Path jar(String regex, String what) throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (Stream<Path> s = Files.list(target)) {
        s.filter(p -> p.getFileName().toString().matches(regex)).forEach(jars::add);
      }
    }
    if (jars.size() != 1) {
      fail("expected one " + what + ", found " + jars
          + ": build it first (jobs/test.sh does; or mvn -DskipTests package)");
    }
    return jars.get(0);
  }

  private static List<String> entries(Path jarFile) throws IOException {
    try (JarFile jar = new JarFile(jarFile.toFile())) {
      return jar.stream().map(e -> e.getName()).toList();
    }
  }

  @Test
  void appJarBundlesNoCopyleftCodeAndNoModuleDescriptors() throws IOException {
    List<String> bad = new ArrayList<>();
    boolean license = false;
    boolean notice = false;
    try (JarFile jar = new JarFile(appJar().toFile())) {
      for (var e : java.util.Collections.list(jar.entries())) {
        String name = e.getName();
        if (FORBIDDEN.stream().anyMatch(name::startsWith) || name.endsWith("module-info.class")) {
          bad.add(name);
        }
        license |= name.equals("META-INF/LICENSE");
        notice |= name.equals("META-INF/NOTICE");
      }
    }
    assertTrue(bad.isEmpty(), "the app jar must not bundle " + bad.subList(0,
        Math.min(bad.size(), 20)) + (bad.size() > 20 ? " and " + (bad.size() - 20) + " more" : ""));
    assertTrue(license && notice, "the app jar should carry META-INF/LICENSE and META-INF/NOTICE");
  }

  @Test
  void appJarRunsTheParityJobByItsManifest() throws IOException {
    try (JarFile jar = new JarFile(appJar().toFile())) {
      assertNotNull(jar.getManifest(), "no manifest");
      String main = jar.getManifest().getMainAttributes().getValue("Main-Class");
      assertEquals(ParityJob.class.getName(), main);
      assertNotNull(jar.getEntry(main.replace('.', '/') + ".class"), main + " is not in the jar");
    }
  }

  @Test
  void pngPlotsNeedNoVectorGraphicsLibraries(@TempDir Path tmp) throws IOException {
    // Neither the LGPL VectorGraphics2D nor pdfbox is on the runtime classpath any more ...
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("de.erichseifert.vectorgraphics2d.VectorGraphics2D"));
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("org.apache.pdfbox.pdmodel.PDDocument"));
    // ... and XChart's BitmapEncoder still writes the report's PNGs.
    System.setProperty("java.awt.headless", "true");
    Path png = tmp.resolve("tsne.png");
    double[][] coords = {{0, 0}, {1, 1}, {2, 0}, {3, 1}};
    Plots.tsne(new org.apache.hadoop.fs.Path(png.toUri()), "test", List.of("BP"), List.<double[][]>of(coords), List.of(new double[] {0, 1, 0, 1}));
    byte[] head = Files.readAllBytes(png);
    assertTrue(head.length > 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N'
        && head[3] == 'G', "not a PNG: " + png);
  }

  @Test
  void theBenchmarksAreInTheBenchJarNotInTheAppJar() throws IOException {
    List<String> app = entries(appJar());
    List<String> inApp = app.stream().filter(n -> n.startsWith(BENCH_PREFIX)
        || JMH_PREFIXES.stream().anyMatch(n::startsWith)).toList();
    assertTrue(inApp.isEmpty(), "the app jar must carry neither the benchmarks nor JMH: "
        + inApp.subList(0, Math.min(inApp.size(), 10)));
    assertTrue(app.contains("org/sparkdfa/nn/Network.class"), "the app jar lost its own classes");

    List<String> bench = entries(benchJar());
    for (String main : List.of("KernelBench", "TrainerBench", "OverheadBench", "ExperimentBench",
        "ScalingBench", "ScalingReport", "Args")) {
      assertTrue(bench.contains(BENCH_PREFIX + main + ".class"), main + " is not in the bench jar");
    }
    // JMH's runner and the code its annotation processor generated for the kernel benchmarks.
    assertTrue(bench.contains("META-INF/BenchmarkList"), "no JMH BenchmarkList in the bench jar");
    assertTrue(bench.contains("org/openjdk/jmh/runner/Runner.class"), "no JMH in the bench jar");
    assertTrue(bench.stream().anyMatch(n -> n.startsWith(BENCH_PREFIX + "jmh_generated/")),
        "no JMH-generated benchmark classes in the bench jar");
    // Nothing else: the rest (our code, the libraries) comes from the app jar beside it.
    Set<String> jmh = new HashSet<>(entries(jarOf(org.openjdk.jmh.runner.Runner.class)));
    jmh.addAll(entries(jarOf(joptsimple.OptionParser.class)));
    List<String> other = bench.stream().filter(n -> !n.startsWith(BENCH_PREFIX)
        && !jmh.contains(n) && !n.startsWith("META-INF/") && !n.equals("org/")
        && !n.equals("org/sparkdfa/")).toList();
    assertTrue(other.isEmpty(), "the bench jar should hold org/sparkdfa/bench/ and JMH only: "
        + other.subList(0, Math.min(other.size(), 10)));
  }

  /** The jar a class of a dependency was loaded from (JMH is provided-scoped: on the tests' path). */
  private static Path jarOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theBenchJarCallsTheLibrariesUnderTheAppJarsShadedNames() throws IOException {
    // The app jar carries picocli relocated; a benchmark compiled against picocli must name that
    // copy, or its options fail with NoClassDefFoundError beside the app jar.
    List<String> unrelocated = new ArrayList<>();
    byte[] plain = "picocli/CommandLine".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] shaded = "org/sparkdfa/shaded/".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    boolean sawShaded = false;
    try (JarFile jar = new JarFile(benchJar().toFile())) {
      for (var e : java.util.Collections.list(jar.entries())) {
        if (!e.getName().endsWith(".class")) continue;
        byte[] b = jar.getInputStream(e).readAllBytes();
        for (int i = 0; i + plain.length <= b.length; i++) {
          if (!java.util.Arrays.equals(b, i, i + plain.length, plain, 0, plain.length)) continue;
          boolean relocated = i >= shaded.length
              && java.util.Arrays.equals(b, i - shaded.length, i, shaded, 0, shaded.length);
          sawShaded |= relocated;
          if (!relocated) unrelocated.add(e.getName());
        }
      }
    }
    assertTrue(unrelocated.isEmpty(), "unrelocated picocli references in " + unrelocated);
    assertTrue(sawShaded, "the benchmarks' options (bench/Args) should use the shaded picocli");
  }
}
