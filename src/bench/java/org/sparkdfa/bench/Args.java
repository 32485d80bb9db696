package org.sparkdfa.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * "--name value", "--name=value" and "--flag" options of the benchmark mains, parsed by picocli
 * (the project's one command-line library): each bench reads its options by name with a default,
 * so the spec is built from the names given ({@code flags} take no value, every other option one).
 */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> raw;

  Args(String[] args, String... flags) {
    raw = List.of(args);
    java.util.Set<String> flagSet = java.util.Set.of(flags);
    CommandSpec spec = CommandSpec.create();
    java.util.Set<String> declared = new java.util.HashSet<>();
    for (String a : args) {
      if (!a.startsWith("--")) continue;
      String key = a.substring(2).split("=", 2)[0];
      if (!declared.add(key)) continue;
      spec.addOption(flagSet.contains(key)
          ? OptionSpec.builder("--" + key).type(boolean.class).build()
          : OptionSpec.builder("--" + key).type(String.class).arity("1").build());
    }
    try {
      ParseResult parsed = new CommandLine(spec).setOverwrittenOptionsAllowed(true)
          .parseArgs(args);
      for (OptionSpec o : parsed.matchedOptions()) {
        values.put(o.longestName().substring(2), String.valueOf((Object) o.getValue()));
      }
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  int integer(String name, int def) {
    String v = values.get(name);
    return v == null ? def : Integer.parseInt(v.replace("_", ""));
  }

  long longValue(String name, long def) {
    String v = values.get(name);
    return v == null ? def : Long.parseLong(v.replace("_", ""));
  }

  double real(String name, double def) {
    String v = values.get(name);
    return v == null ? def : Double.parseDouble(v);
  }

  String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  int[] ints(String name, int[] def) {
    String v = values.get(name);
    if (v == null) return def;
    String[] parts = v.split("[,x-]");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
    return out;
  }

  /** The arguments as given (a benchmark prints them in its header). */
  List<String> raw() {
    return raw;
  }
}
