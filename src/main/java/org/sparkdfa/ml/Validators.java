package org.sparkdfa.ml;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;
import scala.Function1;

/**
 * Param validators that throw a sentence naming the param, the bad value and what is allowed,
 * instead of returning false (which makes Spark say only "given invalid value").
 */
final class Validators {
  private Validators() {}

  /** A check that can travel with its Param into Spark tasks. */
  interface Check<T> extends Predicate<T>, java.io.Serializable {}

  static <T> Function1<T, Object> require(String param, Check<T> ok, String expectation) {
    return new Validator<>(param, ok, expectation);
  }

  /** Serializable: params are shipped inside models to the tasks that transform data. */
  private static final class Validator<T> extends scala.runtime.AbstractFunction1<T, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String param;
    private final Check<T> ok;
    private final String expectation;

    Validator(String param, Check<T> ok, String expectation) {
      this.param = param;
      this.ok = ok;
      this.expectation = expectation;
    }

    @Override
    public Object apply(T v) {
      if (!ok.test(v)) {
        throw new IllegalArgumentException("Param " + param + " " + expectation + ", got "
            + render(v));
      }
      return Boolean.TRUE;
    }
  }

  static Function1<Object, Object> positive(String param) {
    return require(param, v -> ((Number) v).doubleValue() > 0
        && Double.isFinite(((Number) v).doubleValue()), "must be > 0");
  }

  static Function1<Object, Object> atLeast(String param, double min) {
    return require(param, v -> ((Number) v).doubleValue() >= min,
        "must be >= " + (min == Math.rint(min) ? String.valueOf((long) min) : String.valueOf(min)));
  }

  static Function1<Object, Object> inUnitInterval(String param, boolean closedRight) {
    return require(param, v -> {
      double d = ((Number) v).doubleValue();
      return d >= 0 && (closedRight ? d <= 1 : d < 1);
    }, closedRight ? "must be in [0, 1]" : "must be in [0, 1)");
  }

  static Function1<String, Object> oneOf(String param, String... allowed) {
    return require(param, v -> v != null && Arrays.asList(allowed)
            .contains(v.toLowerCase(Locale.ROOT)),
        "must be one of " + String.join(", ", allowed));
  }

  private static String render(Object v) {
    if (v instanceof int[] a) return Arrays.toString(a);
    if (v instanceof String[] a) return Arrays.toString(a);
    if (v instanceof String s) return "'" + s + "'";
    return String.valueOf(v);
  }
}
