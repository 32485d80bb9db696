package org.sparkdfa.data;

import java.util.Iterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Shared DataFrame generation: each partition of {@code spark.range} makes its own rows. */
final class Generation {

  private Generation() {}

  static void checkSize(long rows, int numPartitions) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    if (numPartitions < 1) {
      throw new IllegalArgumentException(
          "numPartitions must be >= 1, got " + numPartitions
              + " (it only splits the work: the rows are the same for any value)");
    }
  }

  /**
   * Rows 0..rows-1 of {@code epoch}, row i being {@code source.row(epoch, i)}. The source is
   * broadcast once (it may hold a digit pool) and never collected back.
   */
  static Dataset<Row> generate(
      SparkSession spark, RowSource source, StructType schema, long rows, long epoch, int numPartitions) {
    if (spark == null) {
      throw new IllegalArgumentException("spark session must not be null");
    }
    checkSize(rows, numPartitions);
    Broadcast<RowSource> bc =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(source);
    MapPartitionsFunction<Long, Row> f = ids -> {
      RowSource src = bc.value();
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return ids.hasNext();
        }

        @Override
        public Row next() {
          return src.row(epoch, ids.next());
        }
      };
    };
    Dataset<Row> df = spark.range(0, rows, 1, numPartitions).mapPartitions(f, Encoders.row(schema));
    return withSchemaMetadata(df, schema);
  }

  /** The encoder drops column metadata; put the schema's back (a projection, no extra job). */
  static Dataset<Row> withSchemaMetadata(Dataset<Row> df, StructType schema) {
    Column[] cols = new Column[schema.fields().length];
    for (int i = 0; i < cols.length; i++) {
      StructField f = schema.fields()[i];
      cols[i] = df.col(f.name()).as(f.name(), f.metadata());
    }
    return df.select(cols);
  }
}
