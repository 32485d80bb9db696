package org.sparkdfa.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkdfa.nn.SplitMix64;

/**
 * Sparse parity: inputs x ∈ {−1,+1}^n, a secret set A of k coordinates drawn from the seed, and
 * label 1 when ∏_{i∈A} x_i = +1, else 0.
 *
 * <pre>{@code
 * SparseParity p = SparseParity.builder().n(30).k(3).distribution("mixture").seed(1).build();
 * Dataset<Row> train = p.generate(spark, 10_000, 8);                 // epoch 0
 * Dataset<Row> testU = p.withDistribution("uniform")
 *     .generate(spark, 2_000, ExampleGenerator.TEST_EPOCH, 8);       // same secret
 * }</pre>
 *
 * <p>The secret depends only on (seed, n, k) — not on the distribution, encoding or noise — so a
 * model trained on one distribution can be tested on the other. Row i of epoch e depends only on
 * (seed, e, i), and for the same (seed, e, i) the {@code uniform} row equals the {@code mixture}
 * row whenever the latter falls in the mixture's uniform component.
 *
 * <p>With the 0/1 encoding a coordinate x is written as the bit b = (1 − x)/2 (so x = (−1)^b) and
 * the label is 1 when the secret bits have an even sum. Label noise flips each label
 * independently with the given probability (after the clean label is computed).
 *
 * <p>Note that in the mixture component the secret coordinates are all equal to s, so the clean
 * label is that of s^k: for odd k labels stay balanced, for even k that component is always
 * labelled 1 (so P(label = 1) = 3/4 overall).
 */
public final class SparseParity implements ExampleGenerator, RowSource {

  private static final long serialVersionUID = 1L;

  /** Key of this data set's description in the {@code features} column metadata. */
  public static final String METADATA_KEY = "sparse_parity";

  private static final long SECRET_TAG = 0x5350415253455F41L; // "SPARSE_A"
  private static final long ROW_TAG = 0x5350415253455F52L; // "SPARSE_R"

  private final int n;
  private final int k;
  private final ParityDistribution distribution;
  private final boolean zeroOneEncoding;
  private final double labelNoise;
  private final long seed;
  private final int[] secret;

  private SparseParity(Builder b) {
    validate(b.n, b.k, b.labelNoise);
    this.n = b.n;
    this.k = b.k;
    this.distribution = Objects.requireNonNull(b.distribution, "distribution");
    this.zeroOneEncoding = b.zeroOneEncoding;
    this.labelNoise = b.labelNoise;
    this.seed = b.seed;
    this.secret = secret(b.seed, b.n, b.k);
  }

  static void validate(int n, int k, double labelNoise) {
    if (n <= 0) {
      throw new IllegalArgumentException(
          "n (number of input bits) must be >= 1, got " + n + "; set it with builder().n(...)");
    }
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "k (size of the secret set) must be in [1, n]=[1, " + n + "], got " + k);
    }
    if (!(labelNoise >= 0.0 && labelNoise <= 0.5)) {
      throw new IllegalArgumentException(
          "labelNoise (label flip probability) must be in [0, 0.5], got " + labelNoise
              + " (0.5 already makes labels pure noise)");
    }
  }

  // ---------------------------------------------------------------- builder

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .n(n).k(k).distribution(distribution).zeroOneEncoding(zeroOneEncoding)
        .labelNoise(labelNoise).seed(seed);
  }

  /** Builder; {@code n} and {@code k} must be set, the rest defaults to uniform ±1, no noise, seed 0. */
  public static final class Builder {
    private int n;
    private int k;
    private ParityDistribution distribution = ParityDistribution.UNIFORM;
    private boolean zeroOneEncoding;
    private double labelNoise;
    private long seed;

    private Builder() {}

    /** Number of input coordinates (≥ 1). */
    public Builder n(int n) {
      this.n = n;
      return this;
    }

    /** Size of the secret set (1 ≤ k ≤ n). */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** {@code "uniform"} or {@code "mixture"} (case-insensitive). */
    public Builder distribution(String name) {
      this.distribution = ParityDistribution.parse(name);
      return this;
    }

    public Builder distribution(ParityDistribution d) {
      if (d == null) {
        throw new IllegalArgumentException(
            "distribution must be one of [" + ParityDistribution.validNames() + "], got null");
      }
      this.distribution = d;
      return this;
    }

    /** Encode coordinates as bits b = (1 − x)/2 ∈ {0,1} instead of x ∈ {−1,+1}. */
    public Builder zeroOneEncoding(boolean zeroOne) {
      this.zeroOneEncoding = zeroOne;
      return this;
    }

    /** Probability in [0, 0.5] of flipping each label. */
    public Builder labelNoise(double p) {
      this.labelNoise = p;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Validates (IllegalArgumentException naming the parameter) and builds. */
    public SparseParity build() {
      return new SparseParity(this);
    }
  }

  /** The same secret and rows' randomness with another input distribution. */
  public SparseParity withDistribution(ParityDistribution d) {
    return toBuilder().distribution(d).build();
  }

  /** The same secret and rows' randomness with another input distribution, by name. */
  public SparseParity withDistribution(String name) {
    return toBuilder().distribution(name).build();
  }

  // ---------------------------------------------------------------- accessors

  public int n() {
    return n;
  }

  public int k() {
    return k;
  }

  public ParityDistribution distribution() {
    return distribution;
  }

  public boolean zeroOneEncoding() {
    return zeroOneEncoding;
  }

  public double labelNoise() {
    return labelNoise;
  }

  public long seed() {
    return seed;
  }

  /** The secret coordinates, sorted ascending (a copy). */
  public int[] secret() {
    return secret.clone();
  }

  @Override
  public int numFeatures() {
    return n;
  }

  /**
   * The secret set for (seed, n, k): k distinct coordinates of [0, n), sorted ascending, drawn
   * with Floyd's algorithm (O(k) whatever n).
   */
  public static int[] secret(long seed, int n, int k) {
    validate(n, k, 0.0);
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(SECRET_TAG, seed, n, k));
    TreeSet<Integer> chosen = new TreeSet<>();
    for (int j = n - k; j < n; j++) {
      int t = rng.nextInt(j + 1);
      if (!chosen.add(t)) {
        chosen.add(j);
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  // ---------------------------------------------------------------- rows

  /** One example: features and label (0.0 or 1.0). */
  public record Example(double[] features, double label) {}

  /** Row {@code rowIndex} of {@code epoch}. */
  public Example example(long epoch, long rowIndex) {
    double[] f = new double[n];
    double label = fill(epoch, rowIndex, f);
    return new Example(f, label);
  }

  @Override
  public double fill(long epoch, long rowIndex, double[] features) {
    if (features.length != n) {
      throw new IllegalArgumentException(
          "features buffer must have length n=" + n + ", got " + features.length);
    }
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(ROW_TAG, seed, epoch, rowIndex));
    // Drawn for both distributions so that uniform rows equal the mixture's uniform-component rows.
    boolean planted = rng.nextBoolean() && distribution == ParityDistribution.MIXTURE;
    long word = 0;
    for (int i = 0; i < n; i++) {
      if ((i & 63) == 0) {
        word = rng.nextLong();
      }
      features[i] = ((word >>> (i & 63)) & 1L) == 0 ? 1.0 : -1.0;
    }
    if (planted) {
      double s = rng.nextBoolean() ? 1.0 : -1.0;
      for (int a : secret) {
        features[a] = s;
      }
    }
    double product = 1.0;
    for (int a : secret) {
      product *= features[a];
    }
    double label = product > 0 ? 1.0 : 0.0;
    if (labelNoise > 0 && rng.nextDouble() < labelNoise) {
      label = 1.0 - label;
    }
    if (zeroOneEncoding) {
      for (int i = 0; i < n; i++) {
        features[i] = (1.0 - features[i]) * 0.5;
      }
    }
    return label;
  }

  /**
   * The noise-free label recomputed from features: 1 when the product of the secret ±1
   * coordinates is +1 (with the 0/1 encoding: when the secret bits have an even sum).
   */
  public static double parityLabel(double[] features, int[] secret, boolean zeroOneEncoding) {
    int negatives = 0;
    for (int a : secret) {
      double x = features[a];
      boolean negative = zeroOneEncoding ? x == 1.0 : x == -1.0;
      boolean positive = zeroOneEncoding ? x == 0.0 : x == 1.0;
      if (!negative && !positive) {
        throw new IllegalArgumentException(
            "feature " + a + " = " + x + " is not a " + (zeroOneEncoding ? "0/1" : "±1") + " value");
      }
      if (negative) {
        negatives++;
      }
    }
    return negatives % 2 == 0 ? 1.0 : 0.0;
  }

  /** {@link #parityLabel(double[], int[], boolean)} with this configuration's secret and encoding. */
  public double parityLabel(double[] features) {
    return parityLabel(features, secret, zeroOneEncoding);
  }

  @Override
  public Row row(long epoch, long rowIndex) {
    double[] f = new double[n];
    double label = fill(epoch, rowIndex, f);
    return RowFactory.create(Vectors.dense(f), label, rowIndex);
  }

  // ---------------------------------------------------------------- DataFrames

  /** Rows 0..rows-1 of epoch 0. */
  public Dataset<Row> generate(SparkSession spark, long rows, int numPartitions) {
    return generate(spark, rows, 0L, numPartitions);
  }

  /**
   * Rows 0..rows-1 of {@code epoch} (training epochs ≥ 0, test set {@link #TEST_EPOCH}), made in
   * parallel by {@code numPartitions} partitions; identical for any {@code numPartitions}.
   * Columns: {@code features} (dense vector, metadata under {@value #METADATA_KEY}),
   * {@code label} (double, binary nominal attribute) and {@code id} (long, the row index: the
   * generation order, e.g. to restore it after reading Parquet back).
   */
  public Dataset<Row> generate(SparkSession spark, long rows, long epoch, int numPartitions) {
    return Generation.generate(spark, this, schema(epoch), rows, epoch, numPartitions);
  }

  /** This data set's description, as stored under {@value #METADATA_KEY}. */
  public Metadata describe(long epoch) {
    long[] s = new long[k];
    for (int i = 0; i < k; i++) {
      s[i] = secret[i];
    }
    return new MetadataBuilder()
        .putString("dataset", "sparse-parity")
        .putLong("n", n)
        .putLong("k", k)
        .putLongArray("secret", s)
        .putString("distribution", distribution.id())
        .putString("encoding", zeroOneEncoding ? "zero-one" : "plus-minus-one")
        .putDouble("label_noise", labelNoise)
        .putLong("seed", seed)
        .putLong("epoch", epoch)
        .putString("label", "1 when the product of the secret +-1 coordinates is +1, else 0")
        .build();
  }

  /** The DataFrame schema, with the description in the {@code features} metadata. */
  public StructType schema(long epoch) {
    Metadata extra = new MetadataBuilder().putMetadata(METADATA_KEY, describe(epoch)).build();
    Metadata featuresMeta = new AttributeGroup("features", n).toMetadata(extra);
    StructField features = new StructField("features", new VectorUDT(), false, featuresMeta);
    StructField label = NominalAttribute.defaultAttr()
        .withName("label").withValues("0", "1").toStructField();
    StructField id = new StructField("id", DataTypes.LongType, false, Metadata.empty());
    return new StructType(new StructField[] {features, label, id});
  }

  /**
   * Rebuilds the configuration from a {@code features} column's metadata (for instance of a
   * data set read back from Parquet), checking that the stored secret matches.
   */
  public static SparseParity fromMetadata(Metadata featuresMetadata) {
    if (featuresMetadata == null || !featuresMetadata.contains(METADATA_KEY)) {
      throw new IllegalArgumentException(
          "features metadata has no '" + METADATA_KEY + "' entry: not a sparse parity data set");
    }
    Metadata m = featuresMetadata.getMetadata(METADATA_KEY);
    SparseParity p = builder()
        .n((int) m.getLong("n"))
        .k((int) m.getLong("k"))
        .distribution(m.getString("distribution"))
        .zeroOneEncoding("zero-one".equals(m.getString("encoding")))
        .labelNoise(m.getDouble("label_noise"))
        .seed(m.getLong("seed"))
        .build();
    int[] stored = Arrays.stream(m.getLongArray("secret")).mapToInt(v -> (int) v).toArray();
    if (!Arrays.equals(stored, p.secret)) {
      throw new IllegalArgumentException(
          "stored secret " + Arrays.toString(stored) + " differs from the one derived from the seed "
              + Arrays.toString(p.secret) + " (data set made by an incompatible version?)");
    }
    return p;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "SparseParity(n=%d, k=%d, secret=%s, distribution=%s, encoding=%s, labelNoise=%s, seed=%d)",
        n, k, Arrays.toString(secret), distribution.id(),
        zeroOneEncoding ? "zero-one" : "plus-minus-one", labelNoise, seed);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SparseParity p)) {
      return false;
    }
    return n == p.n && k == p.k && distribution == p.distribution
        && zeroOneEncoding == p.zeroOneEncoding
        && Double.compare(labelNoise, p.labelNoise) == 0 && seed == p.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(n, k, distribution, zeroOneEncoding, labelNoise, seed);
  }
}
