package org.sparkdfa.ml;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The sizes an estimator derives from the data when {@code layers} leaves them open: the
 * features vector's size (the input layer) and the number of classes (the output layer of a
 * multi-class loss). Spark's schema often does not carry them — {@code
 * VectorAssembler.transformSchema} never declares a size, {@code SQLTransformer} drops metadata,
 * and {@code Pipeline.fit} checks every stage's schema before fitting any — so schema checks use
 * placeholders, and the fit reads the size off the first row (the packing pass then checks that
 * every row has it) and the classes off the largest label. Both travel as the columns' ML
 * attribute metadata, where the estimators already look for them.
 */
final class FeatureSize {
  private FeatureSize() {}

  /** The most classes derived from the labels (Spark's classifiers stop at 100 by default). */
  static final int MAX_DERIVED_CLASSES = 1000;

  /** The size the column's ML attribute metadata declares, or -1. */
  static int declared(StructType schema, String column) {
    if (!has(schema, column)) return -1;
    try {
      return AttributeGroup.fromStructField(schema.apply(column)).size();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The number of classes the label column's metadata declares (StringIndexer's), or -1. */
  static int declaredClasses(StructType schema, String column) {
    if (!has(schema, column)) return -1;
    try {
      Attribute a = Attribute.fromStructField(schema.apply(column));
      if (a instanceof BinaryAttribute) return 2;
      if (a instanceof NominalAttribute n && n.getNumValues().isDefined()) {
        return (Integer) n.getNumValues().get();
      }
    } catch (RuntimeException e) {
      // not ML attribute metadata: unknown
    }
    return -1;
  }

  /** For schema checks: placeholders (size 1, 2 classes) where the data must tell. */
  static StructType forValidation(StructType schema, String features, boolean sizeFromData,
      String label, boolean classesFromData) {
    StructType out = schema;
    if (sizeFromData && has(out, features) && declared(out, features) <= 0) {
      out = withSize(out, features, 1);
    }
    if (classesFromData && has(out, label) && declaredClasses(out, label) <= 0) {
      out = withClasses(out, label, 2);
    }
    return out;
  }

  /**
   * For a fit: the schema declaring the size of the first row's vector and the number of
   * classes (the largest label + 1) where none is declared. One small job each, and only when
   * needed.
   */
  static StructType forFit(StructType schema, String features, boolean sizeFromData,
      String label, boolean classesFromData, Dataset<Row> rows) {
    try {
      return probe(schema, features, sizeFromData, label, classesFromData, rows);
    } catch (Exception e) { // Spark's task failures arrive as (checked) SparkExceptions
      // A bad row met here (e.g. a null validation indicator) fails in the packing pass's words.
      org.sparkdfa.train.InvalidInputException bad =
          org.sparkdfa.train.InvalidInputException.find(e);
      if (bad != null) throw new org.sparkdfa.train.InvalidInputException(bad.getMessage());
      if (e instanceof RuntimeException re) throw re;
      throw new IllegalStateException("Reading the sizes off the data failed: " + e.getMessage(),
          e);
    }
  }

  private static StructType probe(StructType schema, String features, boolean sizeFromData,
      String label, boolean classesFromData, Dataset<Row> rows) {
    StructType out = schema;
    if (sizeFromData && declared(out, features) <= 0) {
      List<Row> first = rows.select(features).na().drop().limit(1).collectAsList();
      // No row: the packing pass reports the empty set in its own words.
      if (!first.isEmpty()) out = withSize(out, features, ((Vector) first.get(0).get(0)).size());
    }
    if (classesFromData && declaredClasses(out, label) <= 0) {
      Row max = rows.agg(functions.max(functions.col(label).cast("double"))).head();
      if (!max.isNullAt(0)) {
        double top = max.getDouble(0);
        if (top >= MAX_DERIVED_CLASSES) {
          throw new IllegalArgumentException("Column '" + label + "' (param labelCol) has the "
              + "largest label " + top + ", which would mean " + ((long) top + 1) + " classes "
              + "(at most " + MAX_DERIVED_CLASSES + " are derived from the data); index the "
              + "labels with StringIndexer, or set layers to give the output size");
        }
        // A negative or fractional label gets a class count here and its own error from the
        // packing pass, which names the row.
        out = withClasses(out, label, Math.max(1, (int) Math.floor(top) + 1));
      }
    }
    return out;
  }

  private static boolean has(StructType schema, String column) {
    return Arrays.asList(schema.fieldNames()).contains(column);
  }

  private static StructType withSize(StructType schema, String column, int size) {
    return withMetadata(schema, column, new AttributeGroup(column, size).toMetadata(
        schema.apply(column).metadata()));
  }

  private static StructType withClasses(StructType schema, String column, int classes) {
    return withMetadata(schema, column, NominalAttribute.defaultAttr().withName(column)
        .withNumValues(classes).toMetadata(schema.apply(column).metadata()));
  }

  private static StructType withMetadata(StructType schema, String column,
      org.apache.spark.sql.types.Metadata metadata) {
    StructField[] fields = schema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(column)) {
        StructField f = fields[i];
        fields[i] = new StructField(f.name(), f.dataType(), f.nullable(), metadata);
      }
    }
    return new StructType(fields);
  }
}
