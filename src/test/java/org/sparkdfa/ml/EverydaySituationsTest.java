package org.sparkdfa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;

/**
 * Situations a user meets on small data with the defaults left unset: each ends in correct work
 * or in one sentence naming the column or param, the value and the fix.
 */
class EverydaySituationsTest extends SparkTestBase {

  private static final AtomicInteger JOBS = new AtomicInteger();

  @BeforeAll
  static void countJobs() {
    spark().sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        JOBS.incrementAndGet();
      }
    });
  }

  private static BpMlpClassifier bp() {
    return new BpMlpClassifier().setLayers(new int[] {10, 4, 1}).setMaxIter(2).setBatchSize(5);
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String s : parts) {
      assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void batchSizeHoldsOnManySmallPartitions() {
    // 100 rows in 50 partitions of 2: every epoch is ceil(100 / 5) = 20 steps of 5 rows.
    Dataset<Row> data = Fixtures.parity(spark(), 100, 50);
    MlpClassificationModel model = bp().fit(data);
    assertEquals(40, model.summary().totalSteps(), "2 epochs of 20 steps");
    assertEquals(20, model.summary().epochs().get(0).steps());
  }

  @Test
  void aWeightColumnOfZerosIsRefusedByName() {
    Dataset<Row> data = Fixtures.parity(spark(), 60, 2).withColumn("w", functions.lit(0.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bp().setWeightCol("w").fit(data));
    assertMentions(e, "'w'", "weightCol", "0 on every", "training set", "positive weight");

    Column isVal = functions.col("id").mod(5).equalTo(0);
    Dataset<Row> zeroValidation = Fixtures.parity(spark(), 60, 2).withColumn("isVal", isVal)
        .withColumn("w", functions.when(isVal, 0.0).otherwise(1.0));
    e = assertThrows(IllegalArgumentException.class, () -> bp().setWeightCol("w")
        .setValidationIndicatorCol("isVal").fit(zeroValidation));
    assertMentions(e, "'w'", "weightCol", "0 on every", "validation set");
  }

  @Test
  void aValidationIndicatorThatSelectsNothingOrIsNullIsNamed() {
    Dataset<Row> data = Fixtures.parity(spark(), 60, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bp().setValidationIndicatorCol("isVal")
            .fit(data.withColumn("isVal", functions.lit(false))));
    assertMentions(e, "validation set is empty", "'isVal'", "validationIndicatorCol", "true");

    e = assertThrows(IllegalArgumentException.class, () -> bp().setValidationIndicatorCol("isVal")
        .fit(data.withColumn("isVal", functions.lit(true))));
    assertMentions(e, "training set is empty", "'isVal'", "validationIndicatorCol", "false");

    Column id = functions.col("id");
    Dataset<Row> someNull = data.withColumn("isVal", functions.when(id.mod(7).equalTo(3),
        functions.lit(null).cast("boolean")).otherwise(id.mod(4).equalTo(0)));
    e = assertThrows(IllegalArgumentException.class,
        () -> bp().setValidationIndicatorCol("isVal").fit(someNull));
    assertMentions(e, "'isVal'", "validationIndicatorCol", "null");
  }

  @Test
  void layersThatCannotFitAreRefusedBeforeAnyJob() {
    Dataset<Row> data = Fixtures.parity(spark(), 20, 2);
    int before = JOBS.get();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bp().setLayers(new int[] {10, 50000, 50000, 1}).fit(data));
    assertMentions(e, "[10, 50000, 50000, 1]", "2500650001 parameters", "fewer or narrower");
    // 65537² parameters: more than an int counts.
    e = assertThrows(IllegalArgumentException.class,
        () -> bp().setLayers(new int[] {65536, 65536, 1}).fit(data));
    assertMentions(e, "4295098369 parameters");
    // 2.0e9 parameters fit one array, but not 6 GB of heap (16 GB per copy).
    e = assertThrows(IllegalArgumentException.class,
        () -> bp().setLayers(new int[] {10, 45000, 45000, 1}).fit(data));
    assertMentions(e, "2025585001 parameters", "driver needs at least", "MiB", "spark.driver"
        + ".memory");
    assertEquals(before, JOBS.get(), "no Spark job may run before the error");
  }
}
