package org.sparkdfa.jobs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sparkdfa.io.AtomicWrite;

/** Files written whole or not at all ({@link AtomicWrite}). */
final class Outputs {
  private Outputs() {}

  static void write(Path file, byte[] bytes) {
    AtomicWrite.file(file, bytes);
  }

  static void write(Path file, String text) {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
