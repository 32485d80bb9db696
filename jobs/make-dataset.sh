#!/usr/bin/env bash
# Materializes a parity data set to Parquet (default under datasets/cache/, ignored by git).
#   jobs/make-dataset.sh --dataset sparse-parity --n 30 --k 3 --distribution mixture --rows 60000
#   jobs/make-dataset.sh --dataset mnist-parity --k 3 --rows 60000
#   jobs/make-dataset.sh --dataset mnist-parity --k 3 --split test --rows 10000
#   jobs/make-dataset.sh --help
# spark-submit options (--master, --conf k=v, ...) come first and go to spark-submit; see
# jobs/lib/launch.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
sparkdfa_submit org.sparkdfa.data.MakeDataset "$@"
