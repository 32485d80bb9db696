package org.sparkdfa.train;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.Updater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.train.blocks.Chunk;
import org.sparkdfa.train.blocks.TrainingData;
import org.sparkdfa.train.steps.Evaluation;
import org.sparkdfa.train.steps.PartitionGradient;
import scala.Tuple2;

/**
 * Full-batch L-BFGS on the driver with Breeze's {@code breeze.optimize.LBFGS}, driven exactly as
 * MLlib's MultilayerPerceptronClassifier drives it: through MLlib's {@code LBFGS.runLBFGS}, whose
 * cost function adapts a distributed loss and gradient to Breeze, over chunks stacked into one
 * vector each (our chunks already are, so nothing is copied). Java cannot implement Breeze's
 * {@code DiffFunction} directly (its specialized {@code apply} clashes with {@code Function1}'s),
 * which is why the MLlib adapter is used rather than a Java one.
 *
 * <p>Each L-BFGS iteration is one "epoch" of the summary. With DFA the direction is DFA's update,
 * not a gradient of the loss, so the line search may stop early; L-BFGS is meant for BP.
 */
final class LbfgsSolver {
  private static final Logger LOG = LoggerFactory.getLogger(LbfgsSolver.class);
  /** History length: MLlib MLPC's default. */
  private static final int MEMORY = 10;

  private final TrainingConfig config;

  LbfgsSolver(TrainingConfig config) {
    this.config = config;
  }

  <A> TrainingResult solve(TrainingData train, TrainingData validation,
      Broadcast<PartitionGradient<A>> bctx, JobGroup group) {
    double[] params = config.initialParams().clone();
    if (config.maxEpochs() == 0) {
      return new TrainingResult(params, new ArrayList<>(), 0, StopReason.MAX_ITER,
          "reached maxIter = 0");
    }
    JavaRDD<Tuple2<Object, Vector>> stacked = stacked(train);
    double rowScale = rowScale(train, stacked.count());
    ChunkGradient gradient = new ChunkGradient(bctx, rowScale, config.network().spec().inputs());
    MaskedL2Updater updater = new MaskedL2Updater(config.network().spec().regularizedIndices());
    double regParam = config.optimizer() == null ? 0.0 : config.optimizer().regParam();

    group.describe("-lbfgs", config.jobLabel() + ": L-BFGS");
    long start = System.nanoTime();
    Tuple2<Vector, double[]> result = LBFGS.runLBFGS(stacked.rdd(), gradient, updater, MEMORY,
        config.tol(), config.maxEpochs(), regParam, Vectors.dense(params));
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] lossHistory = result._2();
    double[] finalParams = result._1().toArray();
    List<EpochRecord> history = new ArrayList<>();
    // lossHistory[0] is the loss at the initial weights; entry i the loss after iteration i.
    int iterations = Math.max(0, lossHistory.length - 1);
    for (int i = 1; i < lossHistory.length; i++) {
      history.add(new EpochRecord(i, lossHistory[i], Double.NaN, Double.NaN,
          seconds / iterations, i));
    }
    if (!Trainer.allFinite(finalParams)) {
      return new TrainingResult(params, history, iterations, StopReason.DIVERGED,
          "L-BFGS produced NaN/Infinity weights; the model keeps the initial weights — check the "
              + "input scale or use a mini-batch optimizer with a small stepSize");
    }
    if (validation != null && !history.isEmpty()) {
      Evaluation ev = Trainer.evaluate(validation, bctx, finalParams);
      EpochRecord last = history.remove(history.size() - 1);
      history.add(new EpochRecord(last.epoch(), last.trainLoss(), ev.meanLoss(), ev.accuracy(),
          last.seconds(), last.steps()));
    }
    LOG.info("{} L-BFGS: {} iterations, final loss {}, {} s", config.jobLabel(), iterations,
        lossHistory.length == 0 ? Double.NaN : lossHistory[lossHistory.length - 1],
        String.format("%.2f", seconds));
    boolean converged = iterations < config.maxEpochs();
    return new TrainingResult(finalParams, history, iterations,
        converged ? StopReason.CONVERGED : StopReason.MAX_ITER,
        converged ? "L-BFGS converged after " + iterations + " iterations (tol = " + config.tol()
            + ")" : "reached maxIter = " + config.maxEpochs() + " iterations");
  }

  /** Each packed chunk as one MLlib example: (rows, the chunk's stacked array). */
  private static JavaRDD<Tuple2<Object, Vector>> stacked(TrainingData train) {
    return train.blocks(0).flatMap(p -> {
      List<Tuple2<Object, Vector>> out = new ArrayList<>(p.chunks().length);
      for (Chunk c : p.chunks()) {
        out.add(new Tuple2<>((double) c.rows(), new DenseVector(c.features64())));
      }
      return out.iterator();
    });
  }

  /**
   * MLlib divides the summed loss by the number of stacked vectors; rows are rescaled by this so
   * that the result is the exact weighted mean over rows.
   */
  private static double rowScale(TrainingData train, long numChunks) {
    double totalWeight = train.blocks(0).map(p -> {
      double s = 0;
      for (Chunk c : p.chunks()) s += c.totalWeight();
      return s;
    }).reduce(Double::sum);
    return numChunks / totalWeight;
  }

  /** MLlib gradient over one stacked chunk: our network's gradient, rows rescaled. */
  static final class ChunkGradient extends Gradient {
    private static final long serialVersionUID = 1L;
    private final Broadcast<? extends PartitionGradient<?>> bctx;
    private final double rowScale;
    private final int d;

    ChunkGradient(Broadcast<? extends PartitionGradient<?>> bctx, double rowScale, int d) {
      this.bctx = bctx;
      this.rowScale = rowScale;
      this.d = d;
    }

    @Override
    public double compute(Vector data, double rows, Vector weights, Vector cumGradient) {
      double[] stackedData = ((DenseVector) data).values();
      int n = (int) rows;
      boolean weighted = stackedData.length == n * (d + 2);
      Chunk c = new Chunk(d, n, weighted, stackedData);
      double[] y = new double[n];
      double[] w = new double[n];
      c.unstack(y, w);
      for (int i = 0; i < n; i++) w[i] *= rowScale;
      PartitionGradient<?> ctx = bctx.value();
      return ctx.network().gradient(weights.toArray(), stackedData, y, w, n, ctx.feedback(),
          ((DenseVector) cumGradient).values(), ctx.network().newWorkspace(n));
    }
  }

  /** L2 on the trainable weight matrices only (not biases, not frozen layers). */
  static final class MaskedL2Updater extends Updater {
    private static final long serialVersionUID = 1L;
    private final BitSet regularized;

    MaskedL2Updater(BitSet regularized) {
      this.regularized = regularized;
    }

    @Override
    public Tuple2<Vector, Object> compute(Vector weightsOld, Vector gradient, double stepSize,
        int iter, double regParam) {
      double[] w = weightsOld.toArray().clone();
      double[] g = gradient.toArray();
      double reg = 0;
      for (int i = 0; i < w.length; i++) {
        double gi = g[i];
        if (regularized.get(i)) {
          gi += regParam * w[i];
        }
        w[i] -= stepSize * gi;
      }
      for (int i = regularized.nextSetBit(0); i >= 0; i = regularized.nextSetBit(i + 1)) {
        reg += 0.5 * regParam * w[i] * w[i];
      }
      return new Tuple2<>(Vectors.dense(w), reg);
    }
  }
}
