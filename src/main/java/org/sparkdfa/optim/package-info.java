/**
 * Driver-side first-order optimizers over flat parameter vectors: {@code double[]}
 * ({@link org.sparkdfa.optim.Optimizer}) or {@code float[]} with float32 state
 * ({@link org.sparkdfa.optim.FloatOptimizer}, {@link org.sparkdfa.optim.Optimizers#createFloat32}).
 *
 * <p>The trainer reduces a batch-averaged gradient to the driver and calls
 * {@link org.sparkdfa.optim.Optimizer#step} once per iteration; only the driver holds optimizer
 * state, so this package has no Spark dependency and can be unit-tested as plain Java.
 *
 * <p>Entry points: {@link org.sparkdfa.optim.OptimizerConfig} (validated hyperparameters, defaults
 * from {@link org.sparkdfa.optim.OptimizerKind}), {@link org.sparkdfa.optim.Optimizers#create}
 * and {@link org.sparkdfa.optim.OptimizerState} (serializable snapshot for checkpoints).
 *
 * <p>The update rules follow S. Ruder, "An overview of gradient descent optimization algorithms",
 * arXiv:1609.04747 (2016); Adam follows D. P. Kingma and J. Ba, "Adam: A Method for Stochastic
 * Optimization", ICLR 2015 (Algorithm 1); Adadelta follows M. D. Zeiler, "ADADELTA: An Adaptive
 * Learning Rate Method", arXiv:1212.5701 (2012, Algorithm 1). Each class cites its own source.
 */
package org.sparkdfa.optim;
