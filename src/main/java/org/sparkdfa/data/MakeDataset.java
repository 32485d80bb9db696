package org.sparkdfa.data;

import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

  /** The options, parsed by picocli (as the parity job's). */
  @Command(name = "make-dataset", sortOptions = false,
      description = "Materializes a parity data set to Parquet.")
  static final class Options {
    @Option(names = "--dataset", paramLabel = "sparse-parity|mnist-parity")
    String dataset;
    @Option(names = "--rows", description = "rows to draw (default: ${DEFAULT-VALUE})")
    long rows = 10_000;
    @Option(names = "--seed", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--split", paramLabel = "train|test", description = "default: train")
    String split = "train";
    @Option(names = "--epoch", description = "stream (default: 0; test split: "
        + ExampleGenerator.TEST_EPOCH + ")")
    Long epoch;
    @Option(names = "--partitions", description = "Spark default parallelism unless given; "
        + "does not change the rows")
    Integer partitions;
    @Option(names = "--out", paramLabel = "PATH", description = "default: "
        + DatasetIO.DEFAULT_CACHE_DIR + "/<name>")
    String out;
    @Option(names = "--overwrite", description = "replace an existing output")
    boolean overwrite;
    @Option(names = "--n", description = "sparse-parity: input bits")
    Integer n;
    @Option(names = "--k", description = "secret set size (sparse-parity) or digits per example "
        + "(mnist-parity)")
    Integer k;
    @Option(names = "--distribution", paramLabel = "uniform|mixture", description = "sparse-parity "
        + "(default: uniform)")
    String distribution;
    @Option(names = "--zero-one", description = "sparse-parity: 0/1 inputs instead of -1/+1")
    boolean zeroOne;
    @Option(names = "--label-noise", paramLabel = "P", description = "sparse-parity (default: 0)")
    Double labelNoise;
    @Option(names = "--mnist-dir", paramLabel = "DIR", description = "mnist-parity (default: the "
        + "shipped digits)")
    String mnistDir;
    @Option(names = "--images", paramLabel = "FILE", description = "mnist-parity, with --labels")
    String images;
    @Option(names = "--labels", paramLabel = "FILE", description = "mnist-parity, with --images")
    String labels;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;
  }

  private static CommandLine commandLine(Options o) {
    // Counts may be written 10_000, as before.
    CommandLine.ITypeConverter<Long> count = v -> {
      try {
        return Long.parseLong(v.trim().replace("_", ""));
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not an integer");
      }
    };
    return new CommandLine(o).registerConverter(Long.class, count)
        .registerConverter(Long.TYPE, count);
  }

  static final String USAGE = commandLine(new Options()).getUsageMessage();

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
    Options o = new Options();
    try {
      commandLine(o).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (o.help) {
      return null;
    }
    if (o.dataset == null) {
      throw new IllegalArgumentException("--dataset is required: sparse-parity or mnist-parity");
    }
    DigitPool.Split split = DigitPool.Split.parse(o.split);
    long epoch = o.epoch != null ? o.epoch
        : split == DigitPool.Split.TEST ? ExampleGenerator.TEST_EPOCH : 0;
    Generation.checkSize(o.rows, o.partitions == null ? 1 : o.partitions);
    String splitName = split == DigitPool.Split.TRAIN ? "train" : "test";
    String stream = (epoch == 0 || epoch == ExampleGenerator.TEST_EPOCH) ? "" : "-e" + epoch;

    ExampleGenerator gen;
    String name;
    String dataset = o.dataset.trim().toLowerCase(Locale.ROOT);
    switch (dataset) {
      case "sparse-parity": {
        reject(dataset, "--mnist-dir", o.mnistDir, "--images", o.images, "--labels", o.labels);
        SparseParity p = SparseParity.builder()
            .n(required(dataset, "--n", o.n))
            .k(required(dataset, "--k", o.k))
            .distribution(o.distribution == null ? "uniform" : o.distribution)
            .zeroOneEncoding(o.zeroOne)
            .labelNoise(o.labelNoise == null ? 0.0 : o.labelNoise)
            .seed(o.seed)
            .build();
        gen = p;
        name = String.format(Locale.ROOT, "sparse-parity-n%d-k%d-%s%s%s-seed%d-%s%s-rows%d",
            p.n(), p.k(), p.distribution().id(), p.zeroOneEncoding() ? "-01" : "",
            p.labelNoise() > 0 ? "-noise" + p.labelNoise() : "", o.seed, splitName, stream,
            o.rows);
        break;
      }
      case "mnist-parity": {
        reject(dataset, "--n", o.n, "--distribution", o.distribution,
            "--zero-one", o.zeroOne ? true : null, "--label-noise", o.labelNoise);
        int k = required(dataset, "--k", o.k);
        if (k < 1) {
          throw new IllegalArgumentException("k (digits per example) must be >= 1, got " + k);
        }
        DigitPool pool;
        String poolName;
        if (o.images != null || o.labels != null) {
          if (o.images == null || o.labels == null || o.mnistDir != null) {
            throw new IllegalArgumentException("give both --images and --labels (and no --mnist-dir)");
          }
          pool = DigitPool.load(o.images, o.labels);
          poolName = "custom";
        } else if (o.mnistDir != null) {
          pool = DigitPool.fromDirectory(Paths.get(o.mnistDir), split);
          poolName = Paths.get(o.mnistDir).toAbsolutePath().normalize().getFileName().toString();
        } else {
          pool = DigitPool.shipped(split);
          poolName = "shipped";
        }
        gen = MnistParity.builder().pool(pool).k(k).seed(o.seed).build();
        name = String.format(Locale.ROOT, "mnist-parity-%s-k%d-seed%d-%s%s-rows%d",
            poolName, k, o.seed, splitName, stream, o.rows);
        break;
      }
      default:
        throw new IllegalArgumentException(
            "unknown --dataset '" + o.dataset + "'; valid: sparse-parity, mnist-parity");
    }
    String out = o.out != null ? o.out : DatasetIO.DEFAULT_CACHE_DIR + "/" + name;
    return new Plan(gen, name, o.rows, epoch, o.partitions, out, o.overwrite);
  }

  /** Refuses options (name, value pairs; null = not given) that the data set does not take. */
  private static void reject(String dataset, Object... nameValues) {
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i + 1] != null) {
        throw new IllegalArgumentException(nameValues[i] + " does not apply to --dataset " + dataset);
      }
    }
  }

  private static int required(String dataset, String name, Integer value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required for --dataset " + dataset);
    }
    return value;
  }
}
