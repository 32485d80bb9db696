package org.sparkdfa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkdfa.SparkTestBase;

class MakeDatasetTest extends SparkTestBase {

  @TempDir
  Path tmp;

  @Test
  void sparseParityIsWrittenAndReadBackWithItsSecret() throws java.io.IOException {
    String out = tmp.resolve("sp").toString();
    MakeDataset.Result res = MakeDataset.run(spark(), "--dataset", "sparse-parity", "--n", "16", "--k", "3",
        "--distribution", "mixture", "--rows", "500", "--seed", "7", "--partitions", "3", "--out", out);
    assertEquals(out, res.path());
    assertTrue(res.name().startsWith("sparse-parity-n16-k3-mixture-seed7-train"), res.name());
    SparseParity expected = SparseParity.builder().n(16).k(3).distribution("mixture").seed(7).build();
    assertTrue(res.toString().contains("\"secret\":" + java.util.Arrays.toString(expected.secret()).replace(" ", "")),
        res.toString());

    Dataset<Row> back = DatasetIO.readParquet(spark(), out);
    Metadata fm = back.schema().apply("features").metadata();
    SparseParity fromFile = SparseParity.fromMetadata(fm);
    assertEquals(expected, fromFile);
    assertArrayEquals(expected.secret(), fromFile.secret());
    assertEquals(16, AttributeGroup.fromStructField(back.schema().apply("features")).size());
    List<Row> rows = back.orderBy("id").collectAsList();
    assertEquals(expected.generate(spark(), 500, 2).collectAsList(), rows);
    // no temporary directories left behind
    try (var files = Files.list(tmp)) {
      assertEquals(List.of("sp"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void mnistParityTestSplitUsesTestDigitsAndTestStream() {
    String out = tmp.resolve("mp").toString();
    MakeDataset.run(spark(), "--dataset", "mnist-parity", "--k", "2", "--rows", "50", "--split", "test",
        "--out", out);
    Dataset<Row> back = DatasetIO.readParquet(spark(), out);
    Metadata m = DatasetIO.description(back).orElseThrow();
    assertEquals(ExampleGenerator.TEST_EPOCH, m.getLong("epoch"));
    assertEquals(2_004, m.getLong("pool_size"));
    MnistParity p = MnistParity.builder().pool(DigitPool.shipped(DigitPool.Split.TEST)).k(2).seed(1).build();
    assertEquals(p.generate(spark(), 50, ExampleGenerator.TEST_EPOCH, 2).collectAsList(),
        back.orderBy("id").collectAsList());
  }

  @Test
  void existingOutputIsKeptUnlessOverwriteIsGiven() {
    String out = tmp.resolve("o").toString();
    String[] args = {"--dataset", "sparse-parity", "--n", "4", "--k", "2", "--rows", "10", "--out", out};
    MakeDataset.run(spark(), args);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MakeDataset.run(spark(), args));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    String[] again = {"--dataset", "sparse-parity", "--n", "4", "--k", "2", "--rows", "20", "--out", out,
        "--overwrite"};
    MakeDataset.run(spark(), again);
    assertEquals(20, DatasetIO.readParquet(spark(), out).count());
  }

  @Test
  void badArgumentsAreRejectedBeforeAnySparkWork() {
    assertBad("--dataset is required", "--n", "3");
    assertBad("unknown --dataset 'cifar'", "--dataset", "cifar");
    assertBad("Unknown options: '--bogus'", "--dataset", "sparse-parity", "--bogus", "1");
    assertBad("--n is required", "--dataset", "sparse-parity", "--k", "2");
    assertBad("k (size of the secret set) must be in [1, n]=[1, 5], got 6",
        "--dataset", "sparse-parity", "--n", "5", "--k", "6");
    assertBad("n (number of input bits) must be >= 1, got 0", "--dataset", "sparse-parity", "--n", "0", "--k", "1");
    assertBad("unknown distribution 'normal'", "--dataset", "sparse-parity", "--n", "5", "--k", "1",
        "--distribution", "normal");
    assertBad("k (digits per example) must be >= 1, got 0", "--dataset", "mnist-parity", "--k", "0");
    assertBad("Invalid value for option '--rows': 'many' is not an integer", "--dataset", "mnist-parity", "--k", "1",
        "--rows", "many");
    assertBad("Missing required parameter for option '--k'", "--dataset", "mnist-parity", "--k");
    assertBad("--n does not apply", "--dataset", "mnist-parity", "--k", "1", "--n", "3");
    assertBad("split must be 'train' or 'test'", "--dataset", "mnist-parity", "--k", "1", "--split", "dev");
    assertBad("digit directory not found", "--dataset", "mnist-parity", "--k", "1", "--mnist-dir",
        tmp.resolve("none").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatasetIO.readParquet(spark(), tmp.resolve("missing").toString()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  private void assertBad(String fragment, String... args) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> MakeDataset.plan(args));
    assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should contain '" + fragment + "'");
  }
}
