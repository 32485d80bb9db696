package org.sparkdfa.optim;

/**
 * The two array types a rule keeps its weights and slots in — {@code double[]} (float64
 * master weights) or {@code float[]} (float32, as PyTorch keeps them for a float32 model) — for
 * the plumbing that is the same for both: allocation, lengths, and saving and restoring slots
 * through {@link OptimizerState}, which holds doubles. Widening a float to double is exact; a
 * saved value comes back into float32 only if it is a float, so a restore never rounds.
 *
 * @param <A> double[] or float[]
 */
abstract class SlotArrays<A> {
  static final SlotArrays<double[]> F64 = new SlotArrays<>() {
    @Override double[] alloc(int n) {
      return new double[n];
    }

    @Override int length(double[] a) {
      return a.length;
    }

    @Override void zero(double[] a) {
      java.util.Arrays.fill(a, 0.0);
    }

    @Override double[] toDouble(double[] a) {
      return a;
    }

    @Override int firstNotExact(double[] saved) {
      return -1;
    }

    @Override void copyIn(double[] saved, double[] slot) {
      System.arraycopy(saved, 0, slot, 0, saved.length);
    }

    @Override String typeName() {
      return "float64";
    }
  };

  static final SlotArrays<float[]> F32 = new SlotArrays<>() {
    @Override float[] alloc(int n) {
      return new float[n];
    }

    @Override int length(float[] a) {
      return a.length;
    }

    @Override void zero(float[] a) {
      java.util.Arrays.fill(a, 0f);
    }

    @Override double[] toDouble(float[] a) {
      double[] d = new double[a.length];
      for (int i = 0; i < d.length; i++) d[i] = a[i];
      return d;
    }

    @Override int firstNotExact(double[] saved) {
      for (int i = 0; i < saved.length; i++) {
        double x = saved[i];
        if ((double) (float) x != x && !Double.isNaN(x)) return i;
      }
      return -1;
    }

    @Override void copyIn(double[] saved, float[] slot) {
      for (int i = 0; i < saved.length; i++) slot[i] = (float) saved[i];
    }

    @Override String typeName() {
      return "float32";
    }
  };

  abstract A alloc(int n);

  abstract int length(A a);

  abstract void zero(A a);

  /** The slot in double: {@code a} itself in float64, a widened copy in float32. */
  abstract double[] toDouble(A a);

  /** The first index whose saved value this type cannot hold exactly, or -1. */
  abstract int firstNotExact(double[] saved);

  /** slot = saved (every value exact, see {@link #firstNotExact}). */
  abstract void copyIn(double[] saved, A slot);

  /** float64 or float32, for messages. */
  abstract String typeName();
}
