#!/usr/bin/env bash
# The parity experiment: BP, DFA, GaLU and random features (gaussian/relu/linear) on sparse parity
# (trained on the mixture and on the uniform distribution, tested on both) and MNIST-parity,
# over the configured seeds. Writes metrics.jsonl/csv, PNG plots and report.md to a new folder
# under out/ (or --out DIR) and prints where they are.
#   jobs/parity.sh                                   # default config (conf/parity.conf), ~10 min on 2 cores
#   jobs/parity.sh --config conf/paper/mnist-k3.conf # one row of the published protocol (conf/paper/)
#   jobs/parity.sh training.epochs=3 experiment.seeds=[1,2]     # override any config key
#   jobs/parity.sh --dry-run                         # check the config, print the plan, no Spark
#   jobs/parity.sh --master spark://127.0.0.1:7077   # on the local cluster (jobs/cluster.sh start)
#   jobs/parity.sh --help
# Spark options (--master, --conf k=v, --driver-memory, ...) go to spark-submit; see jobs/lib/launch.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
# Plots are drawn without a display.
export JAVA_OPTS="${JAVA_OPTS:-} -Djava.awt.headless=true"
# Keep Spark's driver and executors on the loopback interface (a standalone cluster started by
# jobs/cluster.sh listens on 127.0.0.1 only); respected if already set.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export SPARKDFA_ROOT
# Run from a private copy of the app jar: a long experiment must survive a rebuild of
# target/*.jar by someone else meanwhile (a jar replaced under a running JVM breaks its class
# loading). Copies are named by content, so repeated runs of the same build share one.
sparkdfa_build
run_jars="$SPARKDFA_ROOT/target/run-jars"
mkdir -p "$run_jars"
jar_copy="$run_jars/sparkdfa-$(sha1sum "$SPARKDFA_JAR" | cut -c1-12).jar"
[ -f "$jar_copy" ] || { cp "$SPARKDFA_JAR" "$jar_copy.tmp.$$" && mv "$jar_copy.tmp.$$" "$jar_copy"; }
touch "$jar_copy"
SPARKDFA_JAR="$jar_copy"
sparkdfa_submit org.sparkdfa.jobs.ParityJob "$@"
