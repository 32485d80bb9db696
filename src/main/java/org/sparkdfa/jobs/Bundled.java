package org.sparkdfa.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What the app jar carries so that the job runs away from the project folder (a driver in
 * cluster deploy mode, in a folder of its own on a worker; or spark-submit of the jar from
 * anywhere): {@code conf/} (the reference config and the shipped ones, {@value #CONF}) and the
 * shipped MNIST digits ({@value #MNIST}). Unpacked on demand into a temporary folder that is
 * deleted when the JVM exits.
 */
final class Bundled {
  static final String CONF = "sparkdfa/conf";
  static final String MNIST = "sparkdfa/mnist";

  private Bundled() {}

  /** The jar's (or, in a build tree, the classes folder's) {@code prefix} tree, unpacked. */
  static Path unpack(String prefix) {
    try {
      Path location = Path.of(Bundled.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      Path dir = Files.createTempDirectory("sparkdfa-jar-"
          + prefix.substring(prefix.lastIndexOf('/') + 1) + "-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      int copied = 0;
      if (Files.isDirectory(location)) {
        Path from = location.resolve(prefix);
        if (Files.isDirectory(from)) {
          try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
              Path to = dir.resolve(from.relativize(f).toString());
              Files.createDirectories(to.getParent());
              Files.copy(f, to);
              copied++;
            }
          }
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            if (entry.isDirectory() || !entry.getName().startsWith(prefix + "/")) continue;
            Path to = dir.resolve(entry.getName().substring(prefix.length() + 1)).normalize();
            if (!to.startsWith(dir)) continue; // never outside the folder
            Files.createDirectories(to.getParent());
            try (InputStream in = jar.getInputStream(entry)) {
              Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            }
            copied++;
          }
        }
      }
      if (copied == 0) {
        throw new IOException("the app jar " + location + " has no " + prefix + "/ (rebuild it "
            + "with mvn package)");
      }
      return dir;
    } catch (IOException | URISyntaxException | RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot unpack " + prefix + " from the app "
          + "jar: " + e.getMessage(), e));
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary folder is harmless
    }
  }
}
