package org.sparkdfa.train.cluster;

import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkdfa.nn.Precision;

/**
 * Spark settings that decide what moving the weights and gradients costs every step. The
 * defaults suit small task results, not parameter-sized ones: a task result above
 * {@code spark.task.maxDirectResultSize} (1 MiB) is parked in the block manager and fetched back
 * over the network stack, and broadcast blocks (the weights of every evaluation; a step's go as
 * one uncompressed block, {@link WeightsBlock}) are LZ4-compressed although trained weights do
 * not compress. Training still works either way, so this only tells the user, once per fit, which
 * setting to change and why (the launchers in jobs/ set both). On a local master nothing travels
 * as bytes ({@link LocalExchange}) and the trainer does not ask.
 */
public final class TransportSettings {
  private static final Logger LOG = LoggerFactory.getLogger(TransportSettings.class);
  static final String MAX_DIRECT_RESULT = "spark.task.maxDirectResultSize";
  static final String BROADCAST_COMPRESS = "spark.broadcast.compress";

  private TransportSettings() {}

  /** The advice for a network of {@code numParams} parameters, or null when all is well. */
  public static String advice(SparkConf conf, long numParams, Precision precision) {
    long vectorBytes = numParams * (precision == Precision.FLOAT32 ? Float.BYTES : Double.BYTES);
    StringBuilder fix = new StringBuilder();
    long direct = conf.getSizeAsBytes(MAX_DIRECT_RESULT, "1m");
    if (vectorBytes + 4096 > direct) {
      long mb = Math.max(64, Long.highestOneBit(((vectorBytes + 4096) >> 20) + 1) << 1);
      fix.append(String.format(java.util.Locale.ROOT, " Each task returns a %.1f MB gradient, "
          + "more than %s = %d bytes, so every step's results detour through the block manager:"
          + " set --conf %s=%dm.", vectorBytes / 1e6, MAX_DIRECT_RESULT, direct,
          MAX_DIRECT_RESULT, mb));
      if (mb > 128) fix.append(" Raise spark.rpc.message.maxSize (MB) to " + mb + " too: it caps"
          + " direct results.");
    }
    if (vectorBytes > (1 << 20) && conf.getBoolean(BROADCAST_COMPRESS, true)) {
      fix.append(String.format(java.util.Locale.ROOT, " Every evaluation broadcasts %.1f MB of"
          + " weights, which LZ4 cannot shrink: set --conf %s=false.", vectorBytes / 1e6,
          BROADCAST_COMPRESS));
    }
    return fix.length() == 0 ? null : fix.substring(1);
  }

  public static void check(SparkConf conf, long numParams, Precision precision, String label) {
    String advice = advice(conf, numParams, precision);
    if (advice != null) {
      LOG.warn("{}: Spark's transport settings slow every training step. {} (jobs/*.sh "
          + "launchers set both; see README, \"Choosing batchSize, partitions and precision\")",
          label, advice);
    }
  }
}
