package org.sparkdfa.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Gets a Java stage's uid in place before Spark's Scala traits build their params.
 *
 * <p>Spark's shared params ({@code featuresCol}, {@code labelCol}, …) are created while the Scala
 * superclass constructor runs, and each Param copies its parent's uid at that moment. A Java
 * subclass can only assign its uid field after {@code super()}, so those params would record a
 * null parent and every later {@code set} would fail the ownership check. Constructors therefore
 * pass their uid through {@link #pending}, and {@code uid()} reads it while the field is unset.
 */
final class Uids {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private Uids() {}

  /** Call in the argument of {@code super(..)}; returns its argument. */
  static String pending(String uid) {
    PENDING.set(uid);
    return uid;
  }

  /** The uid a stage under construction should report. */
  static String current(String assigned) {
    return assigned != null ? assigned : PENDING.get();
  }

  /** Called once the uid field is assigned. */
  static void done() {
    PENDING.remove();
  }

  static String random(String prefix) {
    return Identifiable$.MODULE$.randomUID(prefix);
  }
}
