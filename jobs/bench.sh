#!/usr/bin/env bash
# Benchmarks (docs/BENCHMARKS.md explains every figure).
#   jobs/bench.sh kernel  [--block 1024] [--layers 2352,512,1] [--forks 3] [--iterations 10] ...
#       one training step of the math core (forward, backward, gradient) in one thread, BP and
#       DFA, against a bare dgemm of the same shapes measured in the same run.
#   jobs/bench.sh trainer [--quick] [--parts pass,accuracy,minibatch] [--master local[2]] ...
#       the Spark estimators against MLlib's MultilayerPerceptronClassifier on the same cached
#       data and BLAS, in local[2]; --quick shrinks rows and MLPC's iterations for a smoke run.
#   jobs/bench.sh all [trainer options]   every benchmark above: the kernel with its defaults,
#       then the trainer with the given options (e.g. --quick).
# Every benchmark ends with one "RESULT key=value ..." line.
# OPENBLAS_NUM_THREADS defaults to 1 (jobs/lib/blas-env.sh): one BLAS thread per task.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  echo "usage: jobs/bench.sh {kernel|trainer|all} [options]" >&2
}

SPARKDFA_GIT_DESCRIBE="$(git -C "$SPARKDFA_ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
export SPARKDFA_GIT_DESCRIBE

# Builds if needed, then runs on a private copy of the app jar: a benchmark runs for minutes, and
# a rebuild of target/ meanwhile (another checkout's mvn, an IDE) must not swap classes under it.
SNAPSHOT_DIR=""
snapshot_jar() {
  sparkdfa_build
  SNAPSHOT_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sparkdfa-bench.XXXXXX")"
  cp "$SPARKDFA_JAR" "$SNAPSHOT_DIR/"
  SPARKDFA_JAR="$SNAPSHOT_DIR/$(basename "$SPARKDFA_JAR")"
  sparkdfa_build() { :; }
}
cleanup() { if [ -n "$SNAPSHOT_DIR" ]; then rm -rf "$SNAPSHOT_DIR"; fi; }
trap cleanup EXIT

bench_kernel() {
  (sparkdfa_java org.sparkdfa.bench.KernelBench "$@")
}

bench_trainer() {
  # Two cached copies of 60,000 x 2352 doubles (1.1 GB each) plus MLPC's per-iteration stacking
  # need more than the 8g launch default.
  (export SPARKDFA_DRIVER_MEMORY="${SPARKDFA_DRIVER_MEMORY:-12g}"
   export SPARKDFA_MNIST_DIR="${SPARKDFA_MNIST_DIR:-$SPARKDFA_ROOT/datasets/mnist}"
   sparkdfa_submit org.sparkdfa.bench.TrainerBench --master 'local[2]' "$@")
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  kernel|trainer|all) snapshot_jar ;;
esac
case "$cmd" in
  kernel) bench_kernel "$@" ;;
  trainer) bench_trainer "$@" ;;
  all) bench_kernel && bench_trainer "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
