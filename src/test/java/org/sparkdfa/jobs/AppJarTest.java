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
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded app jar (target/sparkdfa-*.jar, built by {@code mvn package}; jobs/test.sh builds it
 * before the tests) is a proper spark-submit package: it runs the parity job by its manifest,
 * bundles no LGPL/GPL code and no module descriptors of the jars it shades, and carries its
 * licence and notice.
 */
class AppJarTest {

  /** Package prefixes of code the jar must not bundle: Smile (LGPL/GPL), VectorGraphics2D (LGPL), pdfbox and friends. */
  private static final List<String> FORBIDDEN = List.of("smile/", "de/erichseifert/",
      "de/rototor/", "org/apache/pdfbox/", "org/apache/fontbox/", "org/apache/commons/logging/");

  private static Path appJar() throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (Stream<Path> s = Files.list(target)) {
        s.filter(p -> p.getFileName().toString().matches("sparkdfa-.*\\.jar")).forEach(jars::add);
      }
    }
    if (jars.size() != 1) {
      fail("expected one shaded app jar target/sparkdfa-<version>.jar, found " + jars
          + ": build it first (jobs/test.sh does; or mvn -DskipTests package)");
    }
    return jars.get(0);
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
}
