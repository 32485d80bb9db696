package org.sparkdfa.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parity experiment's configuration: HOCON from {@code conf/parity.conf} (the reference, which
 * holds every valid key with its default), an optional config file layered over it, and
 * {@code key=value} overrides from the command line over both. Unknown keys are rejected with the
 * valid keys of their section before anything starts; value types are checked by the typed
 * getters, whose messages name the key.
 *
 * @param source   what was loaded, for the report's provenance
 * @param resolved the merged, resolved config (rendered into the report)
 */
public record ParityConfig(String source, Config resolved, Experiment experiment,
    SparseParitySpec sparseParity, MnistParitySpec mnistParity, Diagnostics diagnostics) {

  /**
   * Section {@code experiment}.
   *
   * @param stopAccuracy the early exit's target test accuracy (0 = off): a run ends once its
   *                     primary test accuracy was at or above it for {@code stopEpochs}
   *                     consecutive epochs
   */
  public record Experiment(String name, String out, List<Long> seeds, List<Long> dataSeeds,
      List<Method> methods, int partitions, double stopAccuracy, int stopEpochs) {

    /** Whether runs may end before their last epoch. */
    public boolean earlyExit() {
      return stopAccuracy > 0;
    }
  }

  /**
   * Section {@code sparse-parity}; {@code n} holds every input size (the key takes one number or
   * a list): the data sets are the grid n × k × training distribution.
   */
  public record SparseParitySpec(boolean enabled, List<Integer> n, List<Integer> k,
      List<String> trainDistributions, int trainRows, int testRows, boolean freshPerEpoch,
      int trainEvalRows) {}

  /** Section {@code mnist-parity}. */
  public record MnistParitySpec(boolean enabled, List<Integer> k, int trainRows, int testRows,
      boolean freshPerEpoch, int trainEvalRows, String mnistDir, double pixelScale) {}

  /** Section {@code diagnostics}. */
  public record Diagnostics(boolean alignment, boolean tsne, int tsneProbeRows,
      double tsnePerplexity, int tsneIterations) {}

  /**
   * Everything one run of one method trains with, after the overrides: {@code training}, then
   * {@code <family>.training}, then {@code method.<name>} (the most specific wins).
   */
  public record RunSettings(String optimizer, double stepSize, double momentum, double regParam,
      int batchSize, int epochs, String weightInit, List<Integer> hiddenLayers, String activation,
      int width, String feedbackDistribution, double feedbackScale, String loss,
      String precision, Double rho, String feedbackNormalization) {

    /** Output units: one per class with cross_entropy, else one (binary labels). */
    public int outputs() {
      return loss.equals("cross_entropy") ? 2 : 1;
    }
  }

  /** Values of the {@code loss} key ({@code auto}: the estimators' default, bce here). */
  static final List<String> LOSSES = List.of("auto", "bce", "hinge", "mse", "cross_entropy");
  /** Values of the {@code precision} key. */
  static final List<String> PRECISIONS = List.of("float64", "float32");

  /** The sections whose keys {@code method.<name>} may override. */
  private static final List<String> METHOD_OVERRIDABLE = List.of("training", "model");
  /** The families, each with a {@code training} block of overrides. */
  static final List<String> FAMILIES = List.of("sparse-parity", "mnist-parity");

  /** Thrown for a config that cannot be used; the message says what and where. */
  public static final class BadConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadConfigException(String message) {
      super(message);
    }
  }

  /**
   * Loads and checks a config.
   *
   * @param reference  conf/parity.conf: the defaults and the set of valid keys
   * @param configFile a config layered over the reference, or null for the reference alone
   * @param overrides  HOCON {@code key=value} strings, applied last
   */
  public static ParityConfig load(Path reference, Path configFile, List<String> overrides) {
    if (!Files.isRegularFile(reference)) {
      throw new BadConfigException("reference config " + reference + " not found; run from the "
          + "project folder or pass --reference conf/parity.conf");
    }
    Config ref = parseFile(reference);
    Config merged = ref;
    String source = reference.toString();
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new BadConfigException("config file " + configFile + " not found");
      }
      merged = parseFile(configFile).withFallback(ref);
      source = configFile + " (over " + reference.getFileName() + ")";
    }
    Config cli = ConfigFactory.empty();
    for (String o : overrides) {
      if (!o.contains("=") && !o.contains(":") && !o.contains("{")) {
        throw new BadConfigException("command-line override '" + o + "' is not key=value "
            + "(e.g. training.epochs=5 or experiment.seeds=[1,2,3])");
      }
      try {
        cli = ConfigFactory.parseString(o, ConfigParseOptions.defaults()
            .setOriginDescription("command-line override '" + o + "'")).withFallback(cli);
      } catch (ConfigException e) {
        throw new BadConfigException("command-line override '" + o + "' is not valid HOCON: "
            + e.getMessage());
      }
    }
    if (!overrides.isEmpty()) {
      source += " with overrides " + String.join(" ", overrides);
    }
    merged = cli.withFallback(merged);
    try {
      merged = merged.resolve();
    } catch (ConfigException e) {
      throw new BadConfigException(e.getMessage());
    }
    checkKeys(ref, merged);
    ParityConfig cfg = new ParityConfig(source, merged, section(merged, "experiment"),
        section(merged, "sparse-parity"), section(merged, "mnist-parity"),
        section(merged, "diagnostics"));
    // Every training value is checked now, also of methods and families this run leaves out.
    for (Method m : Method.values()) {
      for (String family : FAMILIES) cfg.settings(m, family);
    }
    return cfg;
  }

  @SuppressWarnings("unchecked")
  private static <T> T section(Config c, String name) {
    try {
      return (T) switch (name) {
        case "experiment" -> experiment(c);
        case "sparse-parity" -> sparse(c);
        case "mnist-parity" -> mnist(c);
        default -> diagnostics(c);
      };
    } catch (ConfigException e) {
      throw new BadConfigException("bad config value in section '" + name + "': "
          + e.getMessage());
    }
  }

  private static Config parseFile(Path file) {
    try {
      return ConfigFactory.parseFile(file.toFile(),
          ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new BadConfigException("cannot read config " + file + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- key checks

  /**
   * Every leaf of {@code cfg} must be a key of the reference, or a {@code training}/{@code model}
   * key under {@code method.<name>}, or a {@code training} key under {@code <family>.training}.
   */
  static void checkKeys(Config ref, Config cfg) {
    for (Map.Entry<String, ConfigValue> e : cfg.entrySet()) {
      String path = e.getKey();
      String problem = keyProblem(ref, path, e.getValue());
      if (problem != null) {
        throw new BadConfigException(problem + " (from " + e.getValue().origin().description()
            + ")");
      }
    }
  }

  private static String keyProblem(Config ref, String path, ConfigValue value) {
    List<String> parts = ConfigUtil.splitPath(path);
    String top = parts.get(0);
    Set<String> tops = ref.root().keySet();
    if (!tops.contains(top)) {
      return unknown(path, "", tops);
    }
    if (top.equals("method") && parts.size() >= 2) {
      String m = parts.get(1);
      Set<String> methods = ref.getObject("method").keySet();
      if (!methods.contains(m)) {
        return unknown(path, "method", methods);
      }
      Set<String> allowed = new TreeSet<>(ref.getObject("method." + m).keySet());
      for (String section : METHOD_OVERRIDABLE) allowed.addAll(ref.getObject(section).keySet());
      if (parts.size() != 3 || !allowed.contains(parts.get(2))) {
        return unknown(path, "method." + m, allowed);
      }
      return null;
    }
    if (FAMILIES.contains(top) && parts.size() >= 2 && parts.get(1).equals("training")) {
      Set<String> allowed = ref.getObject("training").keySet();
      if (parts.size() != 3 || !allowed.contains(parts.get(2))) {
        return unknown(path, top + ".training", allowed);
      }
      return null;
    }
    if (!ref.hasPathOrNull(path)) {
      // Walk down to the deepest existing section to list its keys.
      String section = top;
      for (int i = 1; i < parts.size(); i++) {
        String next = section + "." + ConfigUtil.joinPath(parts.get(i));
        if (!ref.hasPathOrNull(next)
            || ref.getValue(next).valueType() != ConfigValueType.OBJECT) {
          break;
        }
        section = next;
      }
      ConfigValue sv = ref.getValue(section);
      Set<String> keys = sv instanceof ConfigObject o ? o.keySet() : Set.of();
      if (sv.valueType() != ConfigValueType.OBJECT) {
        return "config key '" + section + "' is a value, not a section, so '" + path
            + "' does not exist";
      }
      return unknown(path, section, keys);
    }
    ConfigValueType refType = ref.getValue(path).valueType();
    if (refType == ConfigValueType.OBJECT && value.valueType() != ConfigValueType.OBJECT) {
      return "config key '" + path + "' is a section; set its keys instead";
    }
    return null;
  }

  private static String unknown(String path, String section, Set<String> valid) {
    String where = section.isEmpty() ? "at the top level" : "in section '" + section + "'";
    String leaf = ConfigUtil.splitPath(path).get(section.isEmpty() ? 0
        : ConfigUtil.splitPath(section).size());
    String suggestion = closest(leaf, valid);
    return "unknown config key '" + path + "'"
        + (suggestion == null ? "" : " (did you mean '"
            + (section.isEmpty() ? "" : section + ".") + suggestion + "'?)")
        + "; valid keys " + where + ": " + String.join(", ", new TreeSet<>(valid));
  }

  private static String closest(String word, Set<String> candidates) {
    return candidates.stream()
        .filter(c -> distance(word, c) <= Math.max(2, word.length() / 3))
        .min(Comparator.comparingInt(c -> distance(word, c))).orElse(null);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---------------------------------------------------------------- typed sections

  private static Experiment experiment(Config c) {
    Config e = c.getConfig("experiment");
    List<Long> seeds = e.getLongList("seeds");
    if (seeds.isEmpty()) {
      throw new BadConfigException("experiment.seeds is empty; give at least one seed, e.g. [1]");
    }
    if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
      throw new BadConfigException("experiment.seeds has duplicates: " + seeds);
    }
    List<Long> dataSeeds = e.getLongList("data-seeds");
    if (dataSeeds.isEmpty()) {
      throw new BadConfigException("experiment.data-seeds is empty; give at least one seed, e.g. "
          + "[1]");
    }
    if (new LinkedHashSet<>(dataSeeds).size() != dataSeeds.size()) {
      throw new BadConfigException("experiment.data-seeds has duplicates: " + dataSeeds);
    }
    List<Method> methods = new ArrayList<>();
    for (String m : e.getStringList("methods")) {
      Method parsed = Method.parse(m);
      if (methods.contains(parsed)) {
        throw new BadConfigException("experiment.methods names '" + m + "' twice");
      }
      methods.add(parsed);
    }
    if (methods.isEmpty()) {
      throw new BadConfigException("experiment.methods is empty; valid methods: "
          + Method.validNames());
    }
    int partitions = positive(e, "partitions", "experiment.partitions");
    String name = e.getString("name");
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new BadConfigException("experiment.name '" + name + "' must be a plain folder name "
          + "(letters, digits, . _ -)");
    }
    double stopAccuracy = e.getDouble("stop-accuracy");
    if (!(stopAccuracy >= 0 && stopAccuracy <= 1)) {
      throw new BadConfigException("config key 'experiment.stop-accuracy' = " + stopAccuracy
          + " is not valid; allowed values: 0 (no early exit) or a test accuracy in (0, 1], "
          + "e.g. 0.99");
    }
    int stopEpochs = e.getInt("stop-epochs");
    if (stopEpochs < 1) {
      throw new BadConfigException("config key 'experiment.stop-epochs' = " + stopEpochs
          + " is not valid; allowed values: an integer >= 1 (consecutive epochs at or above "
          + "experiment.stop-accuracy)");
    }
    return new Experiment(name, e.getString("out"), List.copyOf(seeds), List.copyOf(dataSeeds),
        List.copyOf(methods), partitions, stopAccuracy, stopEpochs);
  }

  private static SparseParitySpec sparse(Config c) {
    Config s = c.getConfig("sparse-parity");
    List<Integer> n = s.getValue("n").valueType() == ConfigValueType.LIST ? s.getIntList("n")
        : List.of(s.getInt("n"));
    if (n.isEmpty() || n.stream().anyMatch(v -> v <= 0)
        || new LinkedHashSet<>(n).size() != n.size()) {
      throw new BadConfigException("config key 'sparse-parity.n' = " + s.getValue("n").render()
          + " is not valid; allowed values: a positive number of bits or a list of distinct "
          + "ones, e.g. 30 or [30, 50, 100]");
    }
    int smallest = n.stream().mapToInt(Integer::intValue).min().getAsInt();
    List<Integer> k = s.getIntList("k");
    for (int kk : k) {
      if (kk < 1 || kk > smallest) {
        throw new BadConfigException("sparse-parity.k = " + kk + " must be in [1, n] = [1, "
            + smallest + "]" + (n.size() > 1 ? " for every n of " + n : ""));
      }
    }
    List<String> dists = new ArrayList<>();
    for (String d : s.getStringList("train-distributions")) {
      String id = d.trim().toLowerCase(Locale.ROOT);
      if (!id.equals("uniform") && !id.equals("mixture")) {
        throw new BadConfigException("sparse-parity.train-distributions: unknown distribution '"
            + d + "'; valid: uniform, mixture");
      }
      dists.add(id);
    }
    boolean enabled = s.getBoolean("enabled");
    if (enabled && (k.isEmpty() || dists.isEmpty())) {
      throw new BadConfigException("sparse-parity is enabled but k or train-distributions is "
          + "empty; set sparse-parity.enabled=false to skip it");
    }
    return new SparseParitySpec(enabled, List.copyOf(n), List.copyOf(k), List.copyOf(dists),
        positive(s, "train-rows", "sparse-parity.train-rows"),
        positive(s, "test-rows", "sparse-parity.test-rows"), s.getBoolean("fresh-per-epoch"),
        trainEvalRows(s, "sparse-parity"));
  }

  private static MnistParitySpec mnist(Config c) {
    Config s = c.getConfig("mnist-parity");
    List<Integer> k = s.getIntList("k");
    for (int kk : k) {
      if (kk < 1 || kk > 8) {
        throw new BadConfigException("mnist-parity.k = " + kk + " must be in [1, 8]");
      }
    }
    boolean enabled = s.getBoolean("enabled");
    if (enabled && k.isEmpty()) {
      throw new BadConfigException("mnist-parity is enabled but k is empty; set "
          + "mnist-parity.enabled=false to skip it");
    }
    int evalRows = trainEvalRows(s, "mnist-parity");
    double pixelScale = s.getDouble("pixel-scale");
    if (!(pixelScale > 0) || Double.isInfinite(pixelScale)) {
      throw new BadConfigException("mnist-parity.pixel-scale must be > 0, got " + pixelScale);
    }
    return new MnistParitySpec(enabled, List.copyOf(k),
        positive(s, "train-rows", "mnist-parity.train-rows"),
        positive(s, "test-rows", "mnist-parity.test-rows"), s.getBoolean("fresh-per-epoch"),
        evalRows, s.getString("mnist-dir"), pixelScale);
  }

  private static Diagnostics diagnostics(Config c) {
    Config d = c.getConfig("diagnostics");
    int probe = positive(d, "tsne.probe-rows", "diagnostics.tsne.probe-rows");
    if (probe > 1000) {
      throw new BadConfigException("diagnostics.tsne.probe-rows = " + probe + " exceeds 1000 "
          + "(t-SNE is quadratic in the rows)");
    }
    double perplexity = d.getDouble("tsne.perplexity");
    if (!(perplexity >= 2 && perplexity < probe)) {
      throw new BadConfigException("diagnostics.tsne.perplexity = " + perplexity + " must be in "
          + "[2, probe-rows)");
    }
    int iterations = d.getInt("tsne.iterations");
    if (iterations < 300) {
      throw new BadConfigException("diagnostics.tsne.iterations = " + iterations + " is too few: "
          + "t-SNE exaggerates early clusters for the first 100 iterations and settles its "
          + "momentum at 250; use >= 300 (1000 is usual)");
    }
    return new Diagnostics(d.getBoolean("alignment"), d.getBoolean("tsne.enabled"), probe,
        perplexity, iterations);
  }

  private static int trainEvalRows(Config family, String name) {
    int rows = family.getInt("train-eval-rows");
    if (rows < 0) {
      throw new BadConfigException(name + ".train-eval-rows must be >= 0 (0 = all), got " + rows);
    }
    return rows;
  }

  private static int positive(Config c, String key, String fullKey) {
    int v = c.getInt(key);
    if (v <= 0) throw new BadConfigException(fullKey + " must be > 0, got " + v);
    return v;
  }

  /** The settings of {@code method} on data sets of {@code family} (see {@link RunSettings}). */
  public RunSettings settings(Method method, String family) {
    Config base = resolved.getConfig("training").withFallback(resolved.getConfig("model"));
    Config fam = resolved.getConfig(family + ".training");
    Config m = resolved.getConfig("method." + method.id());
    Config c = m.withFallback(fam).withFallback(base);
    String where = "method." + method.id() + " / " + family + ".training / training / model";
    try {
      List<Integer> hidden = c.getIntList("hidden-layers");
      if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h <= 0)) {
        throw new BadConfigException("hidden-layers (" + where + ") needs at least one positive "
            + "size, got " + hidden);
      }
      int epochs = c.getInt("epochs");
      if (epochs < 1) throw new BadConfigException("epochs (" + where + ") must be >= 1");
      int batch = c.getInt("batch-size");
      if (batch < 1) throw new BadConfigException("batch-size (" + where + ") must be >= 1");
      int width = c.getInt("width");
      if (width < 1) throw new BadConfigException("width (" + where + ") must be >= 1");
      String dist = c.hasPath("feedback-distribution") ? c.getString("feedback-distribution")
          : resolved.getString("method.dfa.feedback-distribution");
      double scale = c.hasPath("feedback-scale") ? c.getDouble("feedback-scale")
          : resolved.getDouble("method.dfa.feedback-scale");
      String normalization = (c.hasPath("feedback-normalization")
          ? c.getString("feedback-normalization")
          : resolved.getString("method.dfa.feedback-normalization")).trim()
          .toLowerCase(Locale.ROOT);
      if (!List.of(org.sparkdfa.nn.DirectFeedback.NORMALIZATIONS).contains(normalization)) {
        String key = resolved.hasPath("method." + method.id() + ".feedback-normalization")
            ? "method." + method.id() + ".feedback-normalization"
            : "method.dfa.feedback-normalization";
        throw new BadConfigException("config key '" + key + "' = '" + normalization + "' is not "
            + "valid; allowed values: " + String.join(", ",
                org.sparkdfa.nn.DirectFeedback.NORMALIZATIONS));
      }
      String loss = oneOf(c.getString("loss"), "loss", LOSSES, method, family);
      String precision = oneOf(c.getString("precision"), "precision", PRECISIONS, method, family);
      return new RunSettings(c.getString("optimizer"), c.getDouble("step-size"),
          c.getDouble("momentum"), c.getDouble("reg-param"), batch, epochs,
          c.getString("weight-init"), List.copyOf(hidden), c.getString("activation"), width,
          dist, scale, loss, precision, rho(c, method, family), normalization);
    } catch (ConfigException e) {
      throw new BadConfigException("bad config value: " + e.getMessage());
    }
  }

  /** The {@code rho} key: null for "auto" (the optimizer's own default), else a number in (0, 1). */
  private Double rho(Config c, Method method, String family) {
    ConfigValue v = c.getValue("rho");
    if (v.valueType() == ConfigValueType.STRING && "auto".equalsIgnoreCase(c.getString("rho"))) {
      return null;
    }
    double rho;
    try {
      rho = c.getDouble("rho");
    } catch (ConfigException e) {
      rho = Double.NaN;
    }
    if (!(rho > 0 && rho < 1)) {
      throw new BadConfigException("config key '" + keyOf("rho", method, family) + "' = "
          + v.render() + " is not valid; use auto or a number in (0, 1)");
    }
    return rho;
  }

  /** {@code value} lower-cased if it is one of {@code allowed}, else an error naming its key. */
  private String oneOf(String value, String key, List<String> allowed, Method method,
      String family) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (allowed.contains(v)) return v;
    throw new BadConfigException("config key '" + keyOf(key, method, family) + "' = '" + value
        + "' is not valid; allowed values: " + String.join(", ", allowed));
  }

  /** The most specific key that sets training key {@code key} for the method and family. */
  String keyOf(String key, Method method, String family) {
    for (String k : List.of("method." + method.id() + "." + key, family + ".training." + key)) {
      if (resolved.hasPath(k)) return k;
    }
    return "training." + key;
  }

  /** The resolved config as HOCON, for the report. */
  public String render() {
    return resolved.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
        .setComments(false).setJson(false).setFormatted(true));
  }
}
