package org.sparkdfa.data;

import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;

/**
 * Materializes a parity data set to Parquet (run by {@code jobs/make-dataset.sh}).
 *
 * <pre>
 * make-dataset --dataset sparse-parity --n 30 --k 3 [--distribution uniform|mixture] [--zero-one]
 *              [--label-noise P] [common options]
 * make-dataset --dataset mnist-parity --k 3 [--mnist-dir DIR | --images FILE --labels FILE]
 *              [common options]
 * common: [--rows 10000] [--seed 1] [--split train|test] [--epoch E] [--partitions P]
 *         [--out PATH] [--overwrite]
 * </pre>
 *
 * <p>{@code --split test} uses the test stream ({@link ExampleGenerator#TEST_EPOCH}) and, for
 * MNIST-parity, the test digits. The default output is {@code datasets/cache/<name>}, where the
 * name spells out every parameter that affects the rows. The output line reports the path and
 * the data set's description (for sparse parity, the secret set).
 */
public final class MakeDataset {

  private MakeDataset() {}

  static final String USAGE = String.join("\n",
      "usage: make-dataset --dataset sparse-parity|mnist-parity [options]",
      "  common:        --rows N (10000)  --seed S (1)  --split train|test (train)",
      "                 --epoch E (0; test split: " + ExampleGenerator.TEST_EPOCH + ")",
      "                 --partitions P (Spark default parallelism; does not change the rows)",
      "                 --out PATH (" + DatasetIO.DEFAULT_CACHE_DIR + "/<name>)  --overwrite",
      "  sparse-parity: --n N  --k K  --distribution uniform|mixture (uniform)  --zero-one",
      "                 --label-noise P (0)",
      "  mnist-parity:  --k K  --mnist-dir DIR (shipped digits)  or  --images FILE --labels FILE");

  private static final Set<String> FLAGS = Set.of("zero-one", "overwrite", "help");
  private static final Set<String> VALUED = Set.of("dataset", "rows", "seed", "split", "epoch",
      "partitions", "out", "n", "k", "distribution", "label-noise", "mnist-dir", "images", "labels");

  /** What a run wrote. */
  public record Result(String path, long rows, String name, Metadata description) {
    @Override
    public String toString() {
      String secret = description.contains("secret")
          ? "secret set A = " + java.util.Arrays.toString(description.getLongArray("secret")) + "\n" : "";
      return "wrote " + rows + " rows of " + name + " to " + path + "\n" + secret + description.json();
    }
  }

  /** A parsed, validated request: the generator and where its rows go. */
  record Plan(ExampleGenerator generator, String name, long rows, long epoch, Integer partitions,
      String out, boolean overwrite) {}

  public static void main(String[] args) {
    Plan plan;
    try {
      plan = plan(args);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("make-dataset: error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (plan == null) {
      System.out.println(USAGE);
      return;
    }
    SparkSession.Builder b = SparkSession.builder().appName("sparkdfa-make-dataset");
    if (System.getProperty("spark.master") == null) {
      b = b.master("local[*]");
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel(System.getProperty("sparkdfa.logLevel", "WARN"));
    try {
      System.out.println(run(spark, plan));
    } finally {
      spark.stop();
    }
  }

  /** Parses, validates and writes; returns what was written. */
  public static Result run(SparkSession spark, String... args) {
    Plan plan = plan(args);
    if (plan == null) {
      throw new IllegalArgumentException(USAGE);
    }
    return run(spark, plan);
  }

  static Result run(SparkSession spark, Plan plan) {
    int partitions = plan.partitions() != null
        ? plan.partitions() : Math.max(1, spark.sparkContext().defaultParallelism());
    Dataset<Row> df;
    Metadata description;
    if (plan.generator() instanceof SparseParity p) {
      df = p.generate(spark, plan.rows(), plan.epoch(), partitions);
      description = p.describe(plan.epoch());
    } else {
      MnistParity m = (MnistParity) plan.generator();
      df = m.generate(spark, plan.rows(), plan.epoch(), partitions);
      description = m.describe(plan.epoch());
    }
    DatasetIO.writeParquet(df, plan.out(), plan.overwrite());
    return new Result(plan.out(), plan.rows(), plan.name(), description);
  }

  /** The plan for {@code args}, or null when help was asked for. */
  static Plan plan(String... args) {
    Map<String, String> o = parse(args);
    if (o.containsKey("help")) {
      return null;
    }
    String dataset = o.get("dataset");
    if (dataset == null) {
      throw new IllegalArgumentException("--dataset is required: sparse-parity or mnist-parity");
    }
    long rows = longOpt(o, "rows", 10_000);
    long seed = longOpt(o, "seed", 1);
    DigitPool.Split split = DigitPool.Split.parse(o.getOrDefault("split", "train"));
    long epoch = longOpt(o, "epoch", split == DigitPool.Split.TEST ? ExampleGenerator.TEST_EPOCH : 0);
    Integer partitions = o.containsKey("partitions") ? (int) longOpt(o, "partitions", 0) : null;
    Generation.checkSize(rows, partitions == null ? 1 : partitions);
    boolean overwrite = o.containsKey("overwrite");
    String splitName = split == DigitPool.Split.TRAIN ? "train" : "test";
    String stream = (epoch == 0 || epoch == ExampleGenerator.TEST_EPOCH) ? "" : "-e" + epoch;

    ExampleGenerator gen;
    String name;
    switch (dataset.trim().toLowerCase(Locale.ROOT)) {
      case "sparse-parity": {
        reject(o, "mnist-dir", "images", "labels");
        SparseParity p = SparseParity.builder()
            .n((int) required(o, "n"))
            .k((int) required(o, "k"))
            .distribution(o.getOrDefault("distribution", "uniform"))
            .zeroOneEncoding(o.containsKey("zero-one"))
            .labelNoise(doubleOpt(o, "label-noise", 0.0))
            .seed(seed)
            .build();
        gen = p;
        name = String.format(Locale.ROOT, "sparse-parity-n%d-k%d-%s%s%s-seed%d-%s%s-rows%d",
            p.n(), p.k(), p.distribution().id(), p.zeroOneEncoding() ? "-01" : "",
            p.labelNoise() > 0 ? "-noise" + p.labelNoise() : "", seed, splitName, stream, rows);
        break;
      }
      case "mnist-parity": {
        reject(o, "n", "distribution", "zero-one", "label-noise");
        int k = (int) required(o, "k");
        if (k < 1) {
          throw new IllegalArgumentException("k (digits per example) must be >= 1, got " + k);
        }
        DigitPool pool;
        String poolName;
        if (o.containsKey("images") || o.containsKey("labels")) {
          if (!o.containsKey("images") || !o.containsKey("labels") || o.containsKey("mnist-dir")) {
            throw new IllegalArgumentException("give both --images and --labels (and no --mnist-dir)");
          }
          pool = DigitPool.load(o.get("images"), o.get("labels"));
          poolName = "custom";
        } else if (o.containsKey("mnist-dir")) {
          pool = DigitPool.fromDirectory(Paths.get(o.get("mnist-dir")), split);
          poolName = Paths.get(o.get("mnist-dir")).toAbsolutePath().normalize().getFileName().toString();
        } else {
          pool = DigitPool.shipped(split);
          poolName = "shipped";
        }
        gen = MnistParity.builder().pool(pool).k(k).seed(seed).build();
        name = String.format(Locale.ROOT, "mnist-parity-%s-k%d-seed%d-%s%s-rows%d",
            poolName, k, seed, splitName, stream, rows);
        break;
      }
      default:
        throw new IllegalArgumentException(
            "unknown --dataset '" + dataset + "'; valid: sparse-parity, mnist-parity");
    }
    String out = o.getOrDefault("out", DatasetIO.DEFAULT_CACHE_DIR + "/" + name);
    return new Plan(gen, name, rows, epoch, partitions, out, overwrite);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String key = a.substring(2);
      String value = null;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      }
      if (FLAGS.contains(key)) {
        if (value != null) {
          throw new IllegalArgumentException("--" + key + " takes no value");
        }
        o.put(key, "true");
      } else if (VALUED.contains(key)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--" + key + " needs a value");
          }
          value = args[++i];
        }
        o.put(key, value);
      } else {
        throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    return o;
  }

  private static void reject(Map<String, String> o, String... keys) {
    for (String key : keys) {
      if (o.containsKey(key)) {
        throw new IllegalArgumentException("--" + key + " does not apply to --dataset " + o.get("dataset"));
      }
    }
  }

  private static long required(Map<String, String> o, String key) {
    if (!o.containsKey(key)) {
      throw new IllegalArgumentException("--" + key + " is required for --dataset " + o.get("dataset"));
    }
    return longOpt(o, key, 0);
  }

  private static long longOpt(Map<String, String> o, String key, long dflt) {
    String v = o.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      long x = Long.parseLong(v.trim().replace("_", ""));
      if (!key.equals("rows") && !key.equals("seed") && !key.equals("epoch")
          && (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE)) {
        throw new IllegalArgumentException("--" + key + " is out of range: " + v);
      }
      return x;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be an integer, got '" + v + "'");
    }
  }

  private static double doubleOpt(Map<String, String> o, String key, double dflt) {
    String v = o.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be a number, got '" + v + "'");
    }
  }
}
