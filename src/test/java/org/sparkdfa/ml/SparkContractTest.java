package org.sparkdfa.ml;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamsSuite;
import org.apache.spark.ml.util.MLTestingUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.sparkdfa.SparkTestBase;

/**
 * Spark's own contract helpers from its mllib test jar: {@code ParamsSuite.checkParams} (every
 * param reachable by its getter, owned by the uid, with a doc and a valid default) and {@code
 * MLTestingUtils.checkCopyAndUids} (a fitted model has the estimator's uid, a parent, and
 * copies keep both), on every estimator and its model.
 */
class SparkContractTest extends SparkTestBase {

  private static List<Estimator<?>> estimators() {
    return List.of(new BpMlpClassifier().setHiddenLayers(4), new DfaMlpClassifier()
        .setHiddenLayers(4), new FaMlpClassifier().setHiddenLayers(4, 3),
        new GatedLinearClassifier().setWidth(4), new RandomFeaturesClassifier().setWidth(4));
  }

  @Test
  void everyEstimatorAndModelPassesSparksChecks() {
    Dataset<Row> train = Fixtures.parity(spark(), 200, 2).cache();
    for (Estimator<?> est : estimators()) {
      ((org.apache.spark.ml.param.Params) est).set("maxIter", 1);
      ParamsSuite.checkParams(est);
      Model<?> model = (Model<?>) est.fit(train);
      ParamsSuite.checkParams(model);
      MLTestingUtils.checkCopyAndUids(est, model);
    }
  }

  @Test
  void everyRegressorAndModelPassesSparksChecks() {
    Dataset<Row> train = new org.apache.spark.ml.feature.VectorAssembler()
        .setInputCols(new String[] {"x1", "x2"}).setOutputCol("features")
        .transform(MlpRegressorTest.sinPlusSquare(200, 5)).cache();
    for (Estimator<?> est : List.<Estimator<?>>of(new BpMlpRegressor().setHiddenLayers(4),
        new DfaMlpRegressor().setHiddenLayers(4), new FaMlpRegressor().setHiddenLayers(4, 3))) {
      ((org.apache.spark.ml.param.Params) est).set("maxIter", 1);
      ParamsSuite.checkParams(est);
      Model<?> model = (Model<?>) est.fit(train);
      ParamsSuite.checkParams(model);
      MLTestingUtils.checkCopyAndUids(est, model);
    }
  }
}
