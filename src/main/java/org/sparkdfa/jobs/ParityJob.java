package org.sparkdfa.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkdfa.data.ExampleGenerator;
import org.sparkdfa.ml.MlpClassificationModel;
import org.sparkdfa.ml.NeuralClassifierBase;
import org.sparkdfa.nn.Network;
import org.sparkdfa.nn.NetworkSpec;
import org.sparkdfa.nn.Precision;
import org.sparkdfa.train.Evaluator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The parity experiment (run by {@code jobs/parity.sh}): every configured method on every
 * configured data set and seed, with per-epoch train/test accuracy and alignment, then
 * metrics.jsonl/csv, PNG pictures and report.md in the output folder. The config is loaded and
 * checked, and every estimator built, before Spark starts; see conf/parity.conf for the keys.
 */
@Command(name = "parity", mixinStandardHelpOptions = true, sortOptions = false,
    version = "sparkdfa parity job 0.1.0-SNAPSHOT",
    description = {"Runs BP, DFA, GaLU and random features on sparse parity and MNIST-parity and "
        + "writes metrics, plots and report.md.",
        "Spark options (--master, --conf k=v) go to spark-submit (jobs/lib/launch.sh)."})
public final class ParityJob implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "config layered over the "
      + "reference (e.g. conf/paper/mnist-k3.conf, or just paper/mnist-k3); default: the reference")
  String config;

  @Option(names = "--reference", paramLabel = "FILE", description = "the reference config with "
      + "every valid key (default: conf/parity.conf of the working folder or an ancestor)")
  Path reference;

  @Option(names = "--out", paramLabel = "DIR", description = "output folder, a path or a Hadoop "
      + "URI such as hdfs://nn/results/run1 (default: experiment.out, else "
      + "out/<experiment.name>-<timestamp>); must not hold results yet")
  String out;

  @Option(names = "--dry-run", description = "check the config, print the plan and exit "
      + "without starting Spark")
  boolean dryRun;

  @Parameters(paramLabel = "KEY=VALUE", description = "config overrides in HOCON syntax, e.g. "
      + "training.epochs=5 experiment.seeds=[1,2,3] mnist-parity.enabled=false")
  List<String> overrides = new ArrayList<>();

  private final PrintStream console;
  /** A session to run in instead of starting (and stopping) one: for tests. */
  private final SparkSession session;

  ParityJob(PrintStream console, SparkSession session) {
    this.console = console;
    this.session = session;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = run(args, System.out, null);
    if (code != 0) System.exit(code);
  }

  /** Parses the arguments and runs; returns the exit code (2 = bad config or arguments). */
  static int run(String[] args, PrintStream console, SparkSession session) {
    return new CommandLine(new ParityJob(console, session)).setOverwrittenOptionsAllowed(true)
        .execute(args);
  }

  /**
   * One training run: a method on a data set drawn with {@code dataSeed}, its model drawn with
   * {@code seed}.
   */
  record Run(ParityData data, Method method, long dataSeed, long seed,
      ParityConfig.RunSettings settings) {
    long stepsPerEpoch() {
      return (data.trainRows() + settings.batchSize() - 1) / settings.batchSize();
    }

    long steps() {
      return settings.epochs() * stepsPerEpoch();
    }

    /**
     * Relative cost of one optimizer step, for the ETA: a fixed Spark job latency plus shipping
     * the weights out and the gradient back, which grows with the number of parameters (about
     * 150,000 parameters cost as much as the latency).
     */
    double stepCost() {
      int d = data.inputs();
      List<Integer> hidden = method.trainsAllLayers() ? settings.hiddenLayers()
          : List.of(settings.width());
      long params = 0;
      int in = d;
      for (int h : hidden) {
        params += (long) (in + 1) * h;
        in = h;
      }
      params += in + 1;
      return 1.0 + params / 150_000.0;
    }
  }

  @Override
  public Integer call() {
    long start = System.nanoTime();
    ParityConfig cfg;
    List<ParityData> datasets;
    List<Run> runs;
    org.apache.hadoop.fs.Path dir;
    boolean cluster = clusterDeployMode();
    try {
      Path ref = reference != null ? reference : cluster ? bundledReference() : findReference();
      cfg = ParityConfig.load(ref, configFile(ref), overrides);
      if (cluster) useBundledDigits();
      datasets = ParityData.from(cfg);
      if (datasets.isEmpty()) {
        throw new ParityConfig.BadConfigException("no data set enabled: set "
            + "sparse-parity.enabled or mnist-parity.enabled to true");
      }
      for (ParityData d : datasets) d.check();
      runs = plan(cfg, datasets);
      dir = outputDir(cfg, cluster);
    } catch (ParityConfig.BadConfigException | IllegalArgumentException
        | UncheckedIOException e) {
      System.err.println("parity: error: " + e.getMessage());
      return 2;
    }
    long totalSteps = runs.stream().mapToLong(Run::steps).sum();
    double totalCost = runs.stream().mapToDouble(r -> r.steps() * r.stepCost()).sum();
    console.printf(Locale.ROOT, "parity: %d runs (%d data sets x %d methods x %d data seeds x "
            + "%d model seeds), %d optimizer steps; config: %s%n", runs.size(), datasets.size(),
        cfg.experiment().methods().size(), cfg.experiment().dataSeeds().size(),
        cfg.experiment().seeds().size(), totalSteps, cfg.source());
    if (dryRun) {
      for (Run r : runs) {
        ParityConfig.RunSettings s = r.settings();
        console.printf(Locale.ROOT, "  %-12s %-22s data seed %-3d seed %-3d %s %s step %s, "
                + "%s, batch %d, %d epochs x %d steps%s%n", r.method().id(), r.data().id(),
            r.dataSeed(), r.seed(), s.loss(), s.optimizer(), s.stepSize(), s.precision(),
            s.batchSize(), s.epochs(), r.stepsPerEpoch(),
            r.method().trainsAllLayers() ? ", hidden " + s.hiddenLayers() + " " + s.activation()
                : ", width " + s.width());
      }
      console.println("output folder would be " + shown(dir));
      return 0;
    }
    try {
      if (!Outputs.fileSystem(dir).mkdirs(dir)) throw new IOException("mkdirs failed");
    } catch (IOException | UncheckedIOException e) {
      System.err.println("parity: error: cannot create output folder " + dir + ": " + e);
      return 2;
    }
    Outputs.write(new org.apache.hadoop.fs.Path(dir, "config.conf"), cfg.render());
    console.println("parity: writing to " + shown(dir));

    SparkSession spark = session != null ? session : startSpark();
    try {
      new Experiment(spark, cfg, datasets, runs, dir, console, totalCost).run(start,
          String.join(" ", commandLine()));
    } finally {
      if (session == null) spark.stop();
    }
    console.println();
    String shown = shown(dir);
    console.println("report:  " + shown + "/report.md");
    console.println("plots:   " + shown + "/*.png");
    console.println("metrics: " + shown + "/metrics.csv (and metrics.jsonl)");
    console.println("wall time: " + Progress.duration((System.nanoTime() - start) / 1e9));
    return 0;
  }

  /** A local folder as a plain path, anything else as its URI. */
  static String shown(org.apache.hadoop.fs.Path dir) {
    return "file".equals(dir.toUri().getScheme()) ? dir.toUri().getPath() : dir.toString();
  }

  private List<String> commandLine() {
    List<String> args = new ArrayList<>();
    if (config != null) args.add("--config " + config);
    if (out != null) args.add("--out " + out);
    args.addAll(overrides);
    return args;
  }

  private Path configFile(Path ref) {
    if (config == null) return null;
    if (config.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") && config.contains(":/")) {
      return fetch(config);
    }
    Path p = Path.of(config);
    if (Files.isRegularFile(p)) return p;
    Path dir = ref.toAbsolutePath().getParent();
    // conf/paper/x.conf of the project is paper/x.conf beside the reference (also in the jar).
    String inConf = config.startsWith("conf/") ? config.substring(5) : config;
    for (String candidate : List.of(config, config + ".conf", inConf, inConf + ".conf")) {
      Path c = dir.resolve(candidate);
      if (Files.isRegularFile(c)) return c;
    }
    throw new ParityConfig.BadConfigException("config file " + config + " not found (also "
        + "looked in " + dir + "); shipped configs: " + shippedConfigs(dir));
  }

  private static String shippedConfigs(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return String.join(", ", s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".conf")).sorted().toList());
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * Whether this driver was submitted with {@code --deploy-mode cluster}: it then runs in a
   * folder of its own on a worker, where the project's files are not, so the reference and
   * shipped configs and the shipped digits come from the app jar ({@link Bundled}).
   */
  static boolean clusterDeployMode() {
    return "cluster".equals(new SparkConf().get("spark.submit.deployMode", "client"));
  }

  private Path bundledReference() {
    console.println("parity: cluster deploy mode: configs and the shipped MNIST digits from the "
        + "app jar");
    return Bundled.unpack(Bundled.CONF).resolve("parity.conf");
  }

  /** The shipped digits from the jar, unless a folder was named (-Dsparkdfa.mnist.dir, env). */
  private static void useBundledDigits() {
    if (System.getProperty(org.sparkdfa.data.DigitPool.DIR_PROPERTY) == null
        && System.getenv(org.sparkdfa.data.DigitPool.DIR_ENV) == null) {
      System.setProperty(org.sparkdfa.data.DigitPool.DIR_PROPERTY,
          Bundled.unpack(Bundled.MNIST).toString());
    }
  }

  /** A config named by a Hadoop URI (hdfs://…, file:/…), copied to a local temporary file. */
  private static Path fetch(String uri) {
    org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
    try {
      org.apache.hadoop.fs.FileSystem fs = Outputs.fileSystem(src);
      if (!fs.isFile(src)) {
        throw new ParityConfig.BadConfigException("config file " + uri + " not found");
      }
      Path local = Files.createTempFile("sparkdfa-config-", "-" + src.getName());
      local.toFile().deleteOnExit();
      try (java.io.InputStream in = fs.open(src)) {
        Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return local;
    } catch (IOException e) {
      throw new ParityConfig.BadConfigException("cannot read config file " + uri + ": "
          + e.getMessage());
    }
  }

  /** conf/parity.conf in the working folder or its nearest ancestor that has one. */
  static Path findReference() {
    String root = System.getenv("SPARKDFA_ROOT");
    if (root != null && Files.isRegularFile(Path.of(root, "conf", "parity.conf"))) {
      return Path.of(root, "conf", "parity.conf");
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("conf").resolve("parity.conf");
      if (Files.isRegularFile(c)) return c;
    }
    throw new ParityConfig.BadConfigException("conf/parity.conf not found in the working folder "
        + "or its ancestors; run from the project folder or pass --reference FILE");
  }

  /** Every run, in order, with its estimator built once to check the params before Spark. */
  static List<Run> plan(ParityConfig cfg, List<ParityData> datasets) {
    List<Run> runs = new ArrayList<>();
    for (ParityData d : datasets) {
      for (long dataSeed : cfg.experiment().dataSeeds()) {
        for (long seed : cfg.experiment().seeds()) {
          for (Method m : cfg.experiment().methods()) {
            ParityConfig.RunSettings s = cfg.settings(m, d.family());
            try {
              Methods.estimator(m, s, d.inputs(), seed, cfg.diagnostics().alignment());
            } catch (IllegalArgumentException e) {
              throw new ParityConfig.BadConfigException("settings of method " + m.id() + " on "
                  + d.family() + ": " + e.getMessage());
            }
            runs.add(new Run(d, m, dataSeed, seed, s));
          }
        }
      }
    }
    return runs;
  }

  /**
   * The output folder as a Hadoop path (local, {@code file:} or {@code hdfs://…}), checked to be
   * a new or empty folder. In cluster deploy mode a relative one is refused: it would land in
   * the driver's own folder on some worker.
   */
  private org.apache.hadoop.fs.Path outputDir(ParityConfig cfg, boolean cluster) {
    String name;
    if (out != null) {
      name = out;
    } else if (!cfg.experiment().out().isEmpty()) {
      name = cfg.experiment().out();
    } else {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      name = "out/" + cfg.experiment().name() + "-" + stamp;
    }
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(name);
    if (cluster && !dir.isAbsolute()) {
      throw new ParityConfig.BadConfigException("output folder '" + name + "' is relative, but "
          + "in cluster deploy mode the driver runs in a folder of its own on a worker: give "
          + "--out as an absolute path on a file system every node shares, or a Hadoop URI "
          + "(hdfs://namenode/results/run1, file:/shared/results/run1)");
    }
    org.apache.hadoop.fs.FileSystem fs = Outputs.fileSystem(dir);
    dir = fs.makeQualified(dir);
    try {
      if (fs.exists(dir)) {
        if (!fs.getFileStatus(dir).isDirectory()) {
          throw new ParityConfig.BadConfigException("output " + dir + " exists and is not a "
              + "folder");
        }
        if (fs.listStatus(dir).length > 0) {
          throw new ParityConfig.BadConfigException("output folder " + dir + " is not empty; "
              + "choose another --out (results are never overwritten)");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check output folder " + dir + ": " + e.getMessage(),
          e);
    }
    return dir;
  }

  private static SparkSession startSpark() {
    SparkConf submitted = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("sparkdfa-parity");
    if (!submitted.contains("spark.master")) b = b.master("local[*]");
    SparkSession spark = b.getOrCreate();
    scala.Option<String> ui = spark.sparkContext().uiWebUrl();
    System.out.println("parity: Spark UI " + (ui.isDefined() ? "at " + ui.get()
        + " (--conf spark.ui.enabled=false switches it off)" : "off"));
    // The job prints its own line per epoch; the trainer's per-epoch INFO line would repeat it.
    org.apache.logging.log4j.core.config.Configurator.setLevel("org.sparkdfa.train.Trainer",
        org.apache.logging.log4j.Level.WARN);
    return spark;
  }

  /** One execution of the plan. */
  static final class Experiment {
    private final SparkSession spark;
    private final ParityConfig cfg;
    private final List<ParityData> datasets;
    private final List<Run> runs;
    private final org.apache.hadoop.fs.Path dir;
    private final PrintStream console;
    private final Progress progress;
    private final MetricsLog metrics = new MetricsLog();
    private final List<ReportWriter.Picture> pictures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Experiment(SparkSession spark, ParityConfig cfg, List<ParityData> datasets, List<Run> runs,
        org.apache.hadoop.fs.Path dir, PrintStream console, double totalCost) {
      this.spark = spark;
      this.cfg = cfg;
      this.datasets = datasets;
      this.runs = runs;
      this.dir = dir;
      this.console = console;
      this.progress = new Progress(console, runs.size(), totalCost);
    }

    void run(long start, String args) {
      runAll(start, args);
    }

    private void runAll(long start, String args) {
      int partitions = cfg.experiment().partitions();
      long firstDataSeed = cfg.experiment().dataSeeds().get(0);
      long firstSeed = cfg.experiment().seeds().get(0);
      for (ParityData d : datasets) {
        TsneCollector tsne = new TsneCollector();
        for (long dataSeed : cfg.experiment().dataSeeds()) {
          List<Run> group = runs.stream()
              .filter(r -> r.data() == d && r.dataSeed() == dataSeed).toList();
          runGroup(d, dataSeed, partitions, group, dataSeed == firstDataSeed ? tsne : null,
              firstSeed);
        }
        if (!tsne.names.isEmpty()) {
          String seeds = "data seed " + firstDataSeed + ", model seed " + firstSeed;
          String file = "tsne-" + d.id() + ".png";
          Plots.tsne(new org.apache.hadoop.fs.Path(dir, file), d.title() + " (" + seeds + ")", tsne.names,
              tsne.coords, tsne.labels);
          pictures.add(new ReportWriter.Picture(file, "t-SNE of the last hidden layer: "
              + d.title() + " (" + tsne.rows + " test rows, " + seeds + ", coloured by label)"));
        }
      }
      finish(start, args);
    }

    /**
     * The runs of one (data set, data seed): every model seed and method, sharing the packed
     * train-eval and test sets. t-SNE pictures (when {@code tsne} is given) come from the runs of
     * {@code tsneSeed}.
     */
    private void runGroup(ParityData d, long seed, int partitions, List<Run> group,
        TsneCollector tsne, long tsneSeed) {
      Dataset<Row> train0 = d.train(spark, seed, 0, partitions);
      NetworkSpec evalSpec = Methods.estimator(Method.BP, group.get(0).settings(), d.inputs(),
          seed, false).resolveSpec(train0.schema());
      Map<String, Evaluator> tests = new LinkedHashMap<>();
      Evaluator trainEval = null;
      try {
        // Packed in the first run's precision; a run in the other packs its own copy.
        Precision precision = Precision.fromName(group.get(0).settings().precision());
        trainEval = Evaluator.of(d.trainEvalRows() == d.trainRows() ? train0
            : d.train(spark, seed, 0, partitions, d.trainEvalRows()), "features", "label",
            evalSpec, precision);
        for (String t : d.testNames()) {
          tests.put(t, Evaluator.of(d.test(spark, seed, t, partitions), "features", "label",
              evalSpec, precision));
        }
        double[][] probeX = null;
        double[] probeY = null;
        boolean wantTsne = tsne != null && cfg.diagnostics().tsne()
            && group.stream().anyMatch(r -> r.method().trainsAllLayers());
        if (wantTsne) {
          List<Row> probe = d.test(spark, seed, d.testNames().get(0), partitions)
              .select("features", "label").limit(cfg.diagnostics().tsneProbeRows())
              .collectAsList();
          probeX = new double[probe.size()][];
          probeY = new double[probe.size()];
          for (int i = 0; i < probe.size(); i++) {
            probeX[i] = ((org.apache.spark.ml.linalg.Vector) probe.get(i).get(0)).toArray();
            probeY[i] = probe.get(i).getDouble(1);
          }
        }
        for (Run r : group) {
          MlpClassificationModel model = train(r, train0, partitions, trainEval, tests);
          if (model.summary().stopReason() == org.sparkdfa.train.StopReason.LISTENER) {
            console.println("early exit: " + model.summary().stopDetail());
          }
          metrics.addRun(d, r.method(), r.dataSeed(), r.seed(), model.summary());
          metrics.write(dir);
          progress.endRun();
          if (wantTsne && r.seed() == tsneSeed && r.method().trainsAllLayers()
              && probeX.length >= Tsne.MIN_POINTS) {
            long t0 = System.nanoTime();
            double[][] hidden = HiddenLayers.lastHidden(model, probeX);
            tsne.add(r.method().display(), Tsne.embed(hidden,
                Math.min(cfg.diagnostics().tsnePerplexity(), (probeX.length - 1) / 3.0),
                cfg.diagnostics().tsneIterations(), r.seed()), probeY);
            console.printf(Locale.ROOT, "t-SNE of %s on %s: %d rows in %.1f s%n",
                r.method().display(), d.id(), probeX.length, (System.nanoTime() - t0) / 1e9);
          }
        }
      } finally {
        if (trainEval != null) trainEval.close();
        tests.values().forEach(Evaluator::close);
      }
    }

    private MlpClassificationModel train(Run r, Dataset<Row> train0, int partitions,
        Evaluator trainEval, Map<String, Evaluator> tests) {
      NeuralClassifierBase<?> est = Methods.estimator(r.method(), r.settings(),
          r.data().inputs(), r.seed(), cfg.diagnostics().alignment());
      Network network = est.resolveNetwork(train0.schema());
      progress.startRun(String.format(Locale.ROOT, "%-11s %s data seed %d seed %d",
          r.method().display(), r.data().id(), r.dataSeed(), r.seed()), r.settings().epochs(),
          r.stepsPerEpoch(), r.settings().batchSize(), r.stepsPerEpoch() * r.stepCost());
      est.addEpochListener(new EpochEvaluator(network,
          Precision.fromName(r.settings().precision()), trainEval, tests, progress::epoch,
          progress::step, cfg.experiment().stopAccuracy(), cfg.experiment().stopEpochs()));
      if (r.data().freshPerEpoch()) {
        ParityData d = r.data();
        long seed = r.dataSeed();
        SparkSession s = spark;
        // Generated straight into packed blocks: the same rows, without a DataFrame per epoch.
        ExampleGenerator generator = d.trainGenerator(seed);
        if (generator != null) return est.fitFreshPerEpoch(generator, d.trainRows(), partitions);
        return est.fitFreshPerEpoch(e -> d.train(s, seed, e, partitions));
      }
      return est.fit(train0);
    }

    private void finish(long start, String args) {
      List<ReportWriter.Picture> ordered = new ArrayList<>();
      for (ParityData d : datasets) {
        String file = "curves-" + d.id() + ".png";
        Plots.learningCurves(new org.apache.hadoop.fs.Path(dir, file), d, cfg.experiment().methods(), metrics.rows());
        ordered.add(new ReportWriter.Picture(file, "Learning curves: " + d.title()));
      }
      if (cfg.diagnostics().alignment()) {
        if (Plots.alignment(new org.apache.hadoop.fs.Path(dir, "alignment.png"), datasets, metrics.rows())) {
          ordered.add(new ReportWriter.Picture("alignment.png",
              "DFA/FA alignment per hidden layer over epochs (mean over seeds)"));
        } else {
          notes.add("No alignment metrics were recorded (no BP/DFA/FA run, or the estimators do "
              + "not report alignment diagnostics), so there is no alignment picture.");
        }
        if (Plots.weightAlignment(new org.apache.hadoop.fs.Path(dir, "alignment-weights.png"), datasets,
            metrics.rows())) {
          ordered.add(new ReportWriter.Picture("alignment-weights.png", "Weight alignment per "
              + "hidden layer over epochs: the angle between the feedback matrices and the "
              + "forward weights they stand in for (DFA: B_k vs W_{k+1}ᵀ⋯W_Lᵀ; FA: B_{k+1} vs "
              + "W_{k+1}ᵀ; BP: a random DFA B, the control), and the norm ratio of the rule's "
              + "delta to BP's (mean over seeds)"));
        }
      }
      ordered.addAll(pictures);
      Map<String, String> prov = new LinkedHashMap<>();
      prov.put("finished", LocalDateTime.now().withNano(0).toString());
      prov.put("wall time", Progress.duration((System.nanoTime() - start) / 1e9)
          + " (JVM start to report, Spark start-up included)");
      prov.put("command", "`" + ("jobs/parity.sh " + args).strip() + "`");
      prov.put("config", cfg.source());
      prov.put("Spark", spark.version() + ", master `" + spark.sparkContext().master()
          + "`, default parallelism " + spark.sparkContext().defaultParallelism()
          + ", " + cfg.experiment().partitions() + " partitions per data set");
      prov.put("Java", System.getProperty("java.version") + " (" + System.getProperty(
          "java.vm.name") + "), " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors()
          + " cores");
      String blas = System.getenv("SPARKDFA_BLAS_CORE");
      prov.put("BLAS", org.sparkdfa.nn.Blas.get().getClass().getSimpleName()
          + (blas == null ? "" : ", OpenBLAS core " + blas));
      prov.put("git", git());
      List<String> sections = new ArrayList<>();
      if (FrontierReport.applies(cfg, datasets)) {
        sections.add(FrontierReport.write(dir, cfg, datasets, metrics.rows()));
      }
      ReportWriter.write(new org.apache.hadoop.fs.Path(dir, "report.md"), cfg, datasets,
          metrics.rows(), ordered, prov, notes, sections);
    }

    private static String git() {
      try {
        Process p = new ProcessBuilder("git", "describe", "--always", "--dirty")
            .redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? "`" + s + "`" : "unknown";
      } catch (IOException | InterruptedException | RuntimeException e) {
        return "unknown";
      }
    }
  }

  /** The t-SNE pictures of one data set. */
  static final class TsneCollector {
    final List<String> names = new ArrayList<>();
    final List<double[][]> coords = new ArrayList<>();
    final List<double[]> labels = new ArrayList<>();
    int rows;

    void add(String name, double[][] c, double[] y) {
      names.add(name);
      coords.add(c);
      labels.add(y);
      rows = y.length;
    }
  }
}
