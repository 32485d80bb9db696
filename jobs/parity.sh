#!/usr/bin/env bash
# The parity experiment: BP, DFA (and FA), GaLU and random features (gaussian/relu/linear) on
# sparse parity (trained on the mixture and/or the uniform distribution, tested on both) and MNIST-parity,
# over the configured seeds. Writes metrics.jsonl/csv, PNG plots and report.md to a new folder
# under out/ (or --out DIR) and prints where they are.
#   jobs/parity.sh                                   # default config (conf/parity.conf), 10-15 min on 2 cores
#   jobs/parity.sh --config conf/paper/mnist-k3.conf # one row of the published protocol (conf/paper/)
#   jobs/parity.sh training.epochs=3 experiment.seeds=[1,2]     # override any config key
#   jobs/parity.sh --dry-run                         # check the config, print the plan, no Spark
#   jobs/parity.sh --master spark://127.0.0.1:7077   # on the local cluster (jobs/cluster.sh start)
#   jobs/parity.sh --master yarn --driver-memory 4g --name dfa-paper --config conf/paper/mnist-k3.conf
#   jobs/parity.sh --help
# spark-submit's options (--master, --conf k=v, --driver-memory, --jars, --name, ...) come first
# and reach spark-submit unchanged; the job's own options follow (or come after `--`). See
# jobs/lib/launch.sh for what the launcher adds when unset (local[*], 8g driver, loopback IP).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
# Plots are drawn without a display.
export JAVA_OPTS="${JAVA_OPTS:-} -Djava.awt.headless=true"
export SPARKDFA_ROOT
sparkdfa_run_copy
sparkdfa_submit org.sparkdfa.jobs.ParityJob "$@"
