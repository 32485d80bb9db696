package org.sparkdfa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.util.List;
import org.sparkdfa.nn.Blas;

/**
 * What every benchmark report starts with: where and on what it ran. A GFLOP/s figure means
 * nothing without the CPU, the BLAS implementation and its kernel type, and the thread count.
 */
public final class Provenance {
  private Provenance() {}

  /** The "model name" of /proc/cpuinfo, or os.arch when unavailable. */
  public static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Paths.get("/proc/cpuinfo"));
      for (String l : lines) {
        if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return System.getProperty("os.arch");
  }

  /** /proc/loadavg's first three fields: a load well above the core count means contention. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? "(unset)" : v;
  }

  /** Prints the provenance block. */
  public static void print(String benchmark, String config) {
    System.out.println("== sparkdfa benchmark: " + benchmark + " ==");
    System.out.println("date          " + ZonedDateTime.now());
    System.out.println("cpu           " + cpuModel() + ", "
        + Runtime.getRuntime().availableProcessors() + " logical CPUs");
    System.out.println("load average  " + loadAverage() + " (1/5/15 min; > CPUs = other work "
        + "competes for the cores, expect noise)");
    System.out.println("java          " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
    System.out.println("blas          " + Blas.describe() + (Blas.isNative() ? ""
        : "  <-- NOT NATIVE: figures are not representative"));
    System.out.println("blas env      OPENBLAS_NUM_THREADS=" + env("OPENBLAS_NUM_THREADS")
        + " OPENBLAS_CORETYPE=" + env("OPENBLAS_CORETYPE") + " core source: "
        + env("SPARKDFA_BLAS_CORE_SOURCE"));
    System.out.println("source        " + env("SPARKDFA_GIT_DESCRIBE"));
    System.out.println("config        " + config);
  }
}
