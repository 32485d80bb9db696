package org.sparkdfa.data;

import java.util.Locale;
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
 * MNIST-parity: an example is k images drawn independently and uniformly (with replacement) from
 * a {@link DigitPool}, placed side by side; its label is 1 when the sum of the k digits (class
 * labels) is even, else 0.
 *
 * <p>Features: height × (k · width) pixels, row-major — pixel (r, c) of the j-th image is at
 * {@code r * k * width + j * width + c} — so 784·k values in [0, 1] for MNIST. Column
 * {@code digits} (array&lt;int&gt;) keeps the k labels in order.
 *
 * <pre>{@code
 * MnistParity train = MnistParity.builder().pool(DigitPool.shipped(Split.TRAIN)).k(3).seed(7).build();
 * Dataset<Row> df = train.generate(spark, 60_000, 8);          // epoch 0
 * MnistParity test = train.withPool(DigitPool.shipped(Split.TEST));
 * Dataset<Row> t = test.generate(spark, 10_000, ExampleGenerator.TEST_EPOCH, 8);
 * }</pre>
 *
 * <p>Row i of epoch e depends only on (seed, e, i) and the pool. The pool is broadcast, not
 * captured in task closures.
 */
public final class MnistParity implements ExampleGenerator, RowSource {

  private static final long serialVersionUID = 1L;

  /** Key of this data set's description in the {@code features} column metadata. */
  public static final String METADATA_KEY = "mnist_parity";

  private static final long ROW_TAG = 0x4D4E4953545F5052L; // "MNIST_PR"

  private final DigitPool pool;
  private final int k;
  private final long seed;

  private MnistParity(DigitPool pool, int k, long seed) {
    validate(pool, k);
    this.pool = pool;
    this.k = k;
    this.seed = seed;
  }

  static void validate(DigitPool pool, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k (digits per example) must be >= 1, got " + k);
    }
    if (pool == null) {
      throw new IllegalArgumentException(
          "pool must be set, e.g. builder().pool(DigitPool.shipped(DigitPool.Split.TRAIN))");
    }
    if ((long) k * pool.numPixels() > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("k=" + k + " digits of " + pool.numPixels()
          + " pixels exceed the largest vector");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; {@code pool} and {@code k} must be set, seed defaults to 0. */
  public static final class Builder {
    private DigitPool pool;
    private int k;
    private long seed;

    private Builder() {}

    public Builder pool(DigitPool pool) {
      this.pool = pool;
      return this;
    }

    /** Digits per example (≥ 1). */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Validates (IllegalArgumentException naming the parameter) and builds. */
    public MnistParity build() {
      return new MnistParity(pool, k, seed);
    }
  }

  /** Same k and seed drawing from another pool (e.g. the test digits). */
  public MnistParity withPool(DigitPool other) {
    return new MnistParity(other, k, seed);
  }

  /**
   * One-call form: rows 0..rows-1 of {@code epoch} for (pool, k, seed); see
   * {@link #generate(SparkSession, long, long, int)}.
   */
  public static Dataset<Row> generate(
      SparkSession spark, DigitPool pool, int k, long rows, long seed, long epoch, int numPartitions) {
    return new MnistParity(pool, k, seed).generate(spark, rows, epoch, numPartitions);
  }

  public DigitPool pool() {
    return pool;
  }

  public int k() {
    return k;
  }

  public long seed() {
    return seed;
  }

  @Override
  public int numFeatures() {
    return k * pool.numPixels();
  }

  // ---------------------------------------------------------------- rows

  /** One example: features, the k digits, label (0.0 or 1.0). */
  public record Example(double[] features, int[] digits, double label) {}

  /** Pool indices of the k images of row {@code rowIndex} of {@code epoch}. */
  public int[] poolIndices(long epoch, long rowIndex) {
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(ROW_TAG, seed, epoch, rowIndex));
    int[] idx = new int[k];
    for (int j = 0; j < k; j++) {
      idx[j] = rng.nextInt(pool.size());
    }
    return idx;
  }

  /** Row {@code rowIndex} of {@code epoch}. */
  public Example example(long epoch, long rowIndex) {
    double[] f = new double[numFeatures()];
    int[] digits = new int[k];
    double label = fill(epoch, rowIndex, f, digits);
    return new Example(f, digits, label);
  }

  @Override
  public double fill(long epoch, long rowIndex, double[] features) {
    return fill(epoch, rowIndex, features, null);
  }

  /** Like {@link #fill(long, long, double[])}, also writing the k digits when {@code digits} is non-null. */
  public double fill(long epoch, long rowIndex, double[] features, int[] digits) {
    if (features.length != numFeatures()) {
      throw new IllegalArgumentException(
          "features buffer must have length k*pixels=" + numFeatures() + ", got " + features.length);
    }
    if (digits != null && digits.length != k) {
      throw new IllegalArgumentException("digits buffer must have length k=" + k + ", got " + digits.length);
    }
    int[] idx = poolIndices(epoch, rowIndex);
    int h = pool.height();
    int w = pool.width();
    int rowStride = k * w;
    long sum = 0;
    for (int j = 0; j < k; j++) {
      float[] img = pool.images()[idx[j]];
      int d = pool.labels()[idx[j]];
      sum += d;
      if (digits != null) {
        digits[j] = d;
      }
      for (int r = 0; r < h; r++) {
        int src = r * w;
        int dst = r * rowStride + j * w;
        for (int c = 0; c < w; c++) {
          features[dst + c] = img[src + c];
        }
      }
    }
    return sum % 2 == 0 ? 1.0 : 0.0;
  }

  /** The label of k digits: 1.0 when their sum is even, else 0.0. */
  public static double parityLabel(int[] digits) {
    long sum = 0;
    for (int d : digits) {
      sum += d;
    }
    return sum % 2 == 0 ? 1.0 : 0.0;
  }

  /** The j-th image (row-major, height × width) cut out of side-by-side features. */
  public static double[] image(double[] features, int j, int k, int height, int width) {
    double[] img = new double[height * width];
    for (int r = 0; r < height; r++) {
      System.arraycopy(features, r * k * width + j * width, img, r * width, width);
    }
    return img;
  }

  @Override
  public Row row(long epoch, long rowIndex) {
    double[] f = new double[numFeatures()];
    int[] digits = new int[k];
    double label = fill(epoch, rowIndex, f, digits);
    return RowFactory.create(Vectors.dense(f), label, digits, rowIndex);
  }

  // ---------------------------------------------------------------- DataFrames

  /** Rows 0..rows-1 of epoch 0. */
  public Dataset<Row> generate(SparkSession spark, long rows, int numPartitions) {
    return generate(spark, rows, 0L, numPartitions);
  }

  /**
   * Rows 0..rows-1 of {@code epoch} (training epochs ≥ 0; by convention test sets use
   * {@link #TEST_EPOCH} with the test pool), made in parallel by {@code numPartitions} partitions;
   * identical for any {@code numPartitions}. Columns: {@code features} (dense vector, metadata
   * under {@value #METADATA_KEY}), {@code label} (double, binary nominal attribute),
   * {@code digits} (array&lt;int&gt;) and {@code id} (long, the row index).
   */
  public Dataset<Row> generate(SparkSession spark, long rows, long epoch, int numPartitions) {
    return Generation.generate(spark, this, schema(epoch), rows, epoch, numPartitions);
  }

  /** This data set's description, as stored under {@value #METADATA_KEY}. */
  public Metadata describe(long epoch) {
    return new MetadataBuilder()
        .putString("dataset", "mnist-parity")
        .putLong("k", k)
        .putLong("seed", seed)
        .putLong("epoch", epoch)
        .putString("pool", pool.source())
        .putLong("pool_size", pool.size())
        .putLong("num_classes", pool.numClasses())
        .putLong("image_height", pool.height())
        .putLong("image_width", pool.width())
        .putString("layout", String.format(Locale.ROOT,
            "side-by-side: %d x %d row-major, image j at columns [j*%d, (j+1)*%d)",
            pool.height(), k * pool.width(), pool.width(), pool.width()))
        .putString("label", "1 when the sum of the k digits is even, else 0")
        .build();
  }

  /** The DataFrame schema, with the description in the {@code features} metadata. */
  public StructType schema(long epoch) {
    Metadata extra = new MetadataBuilder().putMetadata(METADATA_KEY, describe(epoch)).build();
    Metadata featuresMeta = new AttributeGroup("features", numFeatures()).toMetadata(extra);
    return new StructType(new StructField[] {
        new StructField("features", new VectorUDT(), false, featuresMeta),
        NominalAttribute.defaultAttr().withName("label").withValues("0", "1").toStructField(),
        new StructField("digits", DataTypes.createArrayType(DataTypes.IntegerType, false), false,
            Metadata.empty()),
        new StructField("id", DataTypes.LongType, false, Metadata.empty()),
    });
  }

  @Override
  public String toString() {
    return "MnistParity(k=" + k + ", seed=" + seed + ", pool=" + pool + ")";
  }
}
