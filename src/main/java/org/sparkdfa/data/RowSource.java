package org.sparkdfa.data;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/** One DataFrame row as a pure function of (epoch, row index). */
interface RowSource extends Serializable {
  Row row(long epoch, long rowIndex);
}
