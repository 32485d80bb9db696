/**
 * Data sets for the parity experiments, generated as Spark DataFrames.
 *
 * <ul>
 *   <li>{@link org.sparkdfa.data.SparseParity}: inputs in {−1,+1}^n (or 0/1), label 1 when the
 *       product of a secret set of k coordinates is +1; {@code uniform} or {@code mixture}
 *       (Daniely &amp; Malach 2020) distributions, optional label noise.</li>
 *   <li>{@link org.sparkdfa.data.MnistParity}: k digit images side by side, label 1 when the sum
 *       of the digits is even; digits come from a {@link org.sparkdfa.data.DigitPool} read from
 *       IDX files ({@link org.sparkdfa.data.IdxReader}), by default the 10,000 real MNIST digits
 *       shipped under {@code datasets/mnist/}.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Row {@code i} of epoch {@code e} is a pure function of
 * {@code (seed, e, i)}: each row seeds its own {@link org.sparkdfa.nn.SplitMix64} stream with
 * {@code SplitMix64.derive(tag, seed, e, i)}. DataFrames are generated with
 * {@code spark.range(0, rows, 1, numPartitions)} and {@code mapPartitions}, so every partition
 * makes its own rows and the result is identical whatever the number of partitions. The same
 * rows are available without Spark through {@link org.sparkdfa.data.ExampleGenerator#fill}.
 *
 * <p>{@link org.sparkdfa.data.MakeDataset} materializes a data set to Parquet and
 * {@link org.sparkdfa.data.DatasetIO} reads it back with its metadata.
 */
package org.sparkdfa.data;
