package org.sparkdfa.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal "--name value" / "--flag" parsing for the benchmark mains (no dependency needed). */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> raw;

  Args(String[] args, String... flags) {
    raw = List.of(args);
    java.util.Set<String> flagSet = java.util.Set.of(flags);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String key = a.substring(2);
      int eq = key.indexOf('=');
      if (eq >= 0) {
        values.put(key.substring(0, eq), key.substring(eq + 1));
      } else if (flagSet.contains(key)) {
        values.put(key, "true");
      } else if (i + 1 < args.length) {
        values.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + key + " needs a value");
      }
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

  /** The arguments as given (a fork gets them unchanged, plus --child). */
  List<String> raw() {
    return raw;
  }
}
