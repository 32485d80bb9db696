package org.sparkdfa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.jsonl and metrics.csv read back, by standard parsers, as what was recorded. */
class MetricsLogTest {

  @Test
  void everyCellReadsBackThroughStandardJsonAndCsvParsers(@TempDir Path dir) throws Exception {
    MetricsLog log = new MetricsLog();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("method", "dfa");
    row.put("dataset", "odd, \"quoted\"\nand two lines");
    row.put("seed", 7L);
    row.put("train_loss", 0.1234567890123);
    row.put("test_loss", Double.NaN);
    row.put("alignment.layer0", 0.5);
    log.rows().add(row);
    log.write(new org.apache.hadoop.fs.Path(dir.toUri()));

    Map<?, ?> json = new ObjectMapper().readValue(
        Files.readAllLines(dir.resolve("metrics.jsonl")).get(0), Map.class);
    assertEquals(row.get("dataset"), json.get("dataset"));
    assertEquals(0.1234567890123, json.get("train_loss"));
    assertEquals(7, json.get("seed"));
    assertNull(json.get("test_loss"), "NaN is null: JSON has no NaN");

    try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(dir.resolve("metrics.csv")
            .toFile())) {
      List<Map<String, String>> csv = it.readAll();
      assertEquals(1, csv.size(), "one record, the newline stays inside its quoted cell");
      Map<String, String> r = csv.get(0);
      assertEquals(log.columns(), List.copyOf(r.keySet()));
      assertEquals(row.get("dataset"), r.get("dataset"));
      assertEquals("0.1234567890123", r.get("train_loss"));
      assertEquals("", r.get("test_loss"));
      assertEquals("0.5", r.get("alignment.layer0"));
    }
  }

  @Test
  void theBundledCsvModuleMatchesSparksJackson() {
    assertEquals(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(),
        com.fasterxml.jackson.dataformat.csv.PackageVersion.VERSION.toString(),
        "set jackson.version in pom.xml to the Jackson of spark-core");
  }
}
