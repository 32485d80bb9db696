package org.sparkdfa.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a benchmark main in fresh JVMs, as JMH's forks do (JMHSample_12_Forking,
 * JMHSample_13_RunToRun): each fork compiles the code anew, so one run's JIT decisions (profile
 * pollution between cases, an unlucky inlining) and its memory layout cannot decide the result,
 * and the spread between forks shows run-to-run variance. A fork is the same main class with the
 * same JVM flags, class path and environment (so the same BLAS settings), plus {@code --child};
 * it prints {@code SAMPLE <case> <seconds>} lines that the parent pools.
 */
public final class Forks {
  private Forks() {}

  /** Samples of one fork (wall and thread CPU time), per case, in the order reported. */
  public record ForkResult(Map<String, Samples> samples, Map<String, Samples> cpu, long gcCount,
      List<String> notes) {}

  /** Prints one sample line for the parent (called by the child). */
  public static void emit(String caseName, double wallSeconds, double cpuSeconds) {
    System.out.println("SAMPLE " + caseName.replace(' ', '_') + " " + wallSeconds + " "
        + cpuSeconds);
  }

  /** Prints every sample of a harness result for the parent (called by the child). */
  public static void emit(Harness.Result r) {
    for (String name : r.samples().keySet()) {
      double[] wall = r.samples().get(name).rawValues();
      double[] cpu = r.cpu().get(name).rawValues();
      for (int i = 0; i < wall.length; i++) emit(name, wall[i], cpu[i]);
    }
    System.out.println("GC " + r.gcCount());
  }

  /** Prints a line the parent shows verbatim (called by the child). */
  public static void note(String text) {
    System.out.println("NOTE " + text);
  }

  /** Launches {@code mainClass args --child} in a new JVM and collects what it reports. */
  public static ForkResult run(Class<?> mainClass, List<String> args) throws IOException,
      InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    cmd.add("--child");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    Map<String, List<Double>> values = new LinkedHashMap<>();
    Map<String, List<Double>> cpuValues = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    long gc = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("SAMPLE ")) {
          String[] f = line.split(" ");
          values.computeIfAbsent(f[1].replace('_', ' '), k -> new ArrayList<>())
              .add(Double.parseDouble(f[2]));
          cpuValues.computeIfAbsent(f[1].replace('_', ' '), k -> new ArrayList<>())
              .add(Double.parseDouble(f[3]));
        } else if (line.startsWith("GC ")) {
          gc += Long.parseLong(line.substring(3).trim());
        } else if (line.startsWith("NOTE ")) {
          notes.add(line.substring(5));
        } else {
          System.out.println("  [fork] " + line);
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("benchmark fork exited with status " + rc);
    }
    return new ForkResult(toSamples(values), toSamples(cpuValues), gc, notes);
  }

  private static Map<String, Samples> toSamples(Map<String, List<Double>> values) {
    Map<String, Samples> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : values.entrySet()) {
      out.put(e.getKey(), new Samples(e.getKey(),
          e.getValue().stream().mapToDouble(Double::doubleValue).toArray()));
    }
    return out;
  }
}
