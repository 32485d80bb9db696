package org.sparkdfa.ml;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The size of the features vector when an estimator derives its input layer from the data.
 * Spark's schema often does not carry it — {@code VectorAssembler.transformSchema} never does,
 * and {@code Pipeline.fit} checks every stage's schema before fitting any — so schema checks use
 * a placeholder and the fit reads the size off the first row (the packing pass then checks that
 * every row has it). The size travels as the column's ML attribute metadata, where the
 * estimators already look for it.
 */
final class FeatureSize {
  private FeatureSize() {}

  /** The size the column's ML attribute metadata declares, or -1. */
  static int declared(StructType schema, String column) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) return -1;
    try {
      return AttributeGroup.fromStructField(schema.apply(column)).size();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** For schema checks: a declared size of 1 where none is declared, so the rest can be checked. */
  static StructType forValidation(StructType schema, String column, boolean fromData) {
    if (!fromData || declared(schema, column) > 0
        || !Arrays.asList(schema.fieldNames()).contains(column)) {
      return schema;
    }
    return withSize(schema, column, 1);
  }

  /** For a fit: the schema declaring the size of the first row's vector where none is declared. */
  static StructType forFit(StructType schema, String column, boolean fromData, Dataset<Row> rows) {
    if (!fromData || declared(schema, column) > 0) return schema;
    List<Row> first = rows.select(column).na().drop().limit(1).collectAsList();
    // No row: the packing pass reports the empty set in its own words.
    if (first.isEmpty()) return schema;
    return withSize(schema, column, ((Vector) first.get(0).get(0)).size());
  }

  private static StructType withSize(StructType schema, String column, int size) {
    StructField[] fields = schema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(column)) {
        StructField f = fields[i];
        fields[i] = new StructField(f.name(), f.dataType(), f.nullable(),
            new AttributeGroup(column, size).toMetadata(f.metadata()));
      }
    }
    return new StructType(fields);
  }
}
