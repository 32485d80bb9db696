package org.sparkdfa.ml;

import java.lang.reflect.InvocationTargetException;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Estimator persistence: the params as Spark's JSON metadata, as {@code DefaultParamsWritable}
 * writes them, but saved atomically (a failed overwrite keeps the previous folder) and read back
 * with a check of the class, so loading a model folder with an estimator's {@code load} says
 * which class the folder holds instead of failing inside reflection.
 */
final class EstimatorIO {
  private EstimatorIO() {}

  static final class Writer extends ModelIO.AtomicWriter {
    private final Params instance;

    Writer(Params instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
    }
  }

  static final class Reader<E extends Params> extends MLReader<E> {
    private final Class<E> type;

    Reader(Class<E> type) {
      this.type = type;
    }

    @Override
    public E load(String path) {
      DefaultParamsReader.Metadata metadata = ModelIO.metadata(path, sparkSession(), type);
      E instance;
      try {
        instance = type.getConstructor(String.class).newInstance(metadata.uid());
      } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
          | InvocationTargetException e) {
        throw new IllegalStateException(type.getName() + " cannot be created from its uid: "
            + e, e);
      }
      metadata.getAndSetParams(instance, Option.empty());
      return instance;
    }
  }
}
