#!/usr/bin/env bash
# Benchmarks (docs/BENCHMARKS.md explains every figure).
#   jobs/bench.sh kernel  [--block 1024] [--layers 2352,512,1] [--rounds 3] [--iterations 10] ...
#       one training step of the math core (forward, backward, gradient) in one thread, BP and
#       DFA, against a bare dgemm of the same shapes measured in the same run (JMH).
#   jobs/bench.sh trainer [--quick] [--parts pass,accuracy,minibatch] [--master local[2]] ...
#       the Spark estimators against MLlib's MultilayerPerceptronClassifier on the same cached
#       data and BLAS, in local[2]; --quick shrinks rows and MLPC's iterations for a smoke run.
#   jobs/bench.sh float32 [--quick] [--rows 60000] [--epochs 5] ...
#       float32 against float64 (estimator param precision) on MNIST-parity k=3, 2352-512-1,
#       batch 1024, local[2]: epoch throughput and test accuracy after the same epochs.
#   jobs/bench.sh overhead [--quick] [--rows 60000] [--batches 1024,128] [--update-precision auto|float64|float32] ...
#       a Spark epoch against the same epoch in a plain in-process loop (InProcessLoop: same
#       math, data, batch, seed, threads), batch 1024 and 128, float64 and float32, local[2].
#   jobs/bench.sh experiment [--quick] [--rows 60000] [--batch 128] [--precision float32] ...
#       one epoch of the parity experiment (fresh MNIST-parity k=3, 2352-512-1, batch 128,
#       float32, local[2]) split into drawing+packing the rows, the training steps and the
#       evaluation; the steps also against the same steps in the plain in-process loop.
#   jobs/bench.sh updateprecision [--quick] [--epochs 5] ...
#       a float32 fit with float64 against float32 master weights (updatePrecision) on
#       MNIST-parity k=3, 2352-512-1, adam, batch 128, local[2]: losses, epoch times, test accuracy.
#   jobs/bench.sh localsgd [--quick] [--local-steps 1,4,16] [--outer nesterov] [--warmup-fits 1] ...
#       local SGD's time to accuracy on MNIST-parity k=2 (2352-512-1, batch 512, float32): H = 1
#       against H = 4, 16 (localSteps), each until H = 1's best test accuracy less 0.5 points.
#   jobs/bench.sh cluster [--quick] [--master spark://...] [--skip-localsgd] ...
#       a standalone cluster (jobs/cluster.sh on ports 7277/8280, 2 workers x 1 core, started
#       unless --master names one) against local[2]: the same float32 fit (MNIST-parity k=3,
#       2352-512-1, batch 1024) with default executor memory, the empty-job latency, same weights,
#       ERROR lines in the logs, and local SGD's time to accuracy (as localsgd) on the cluster.
#   jobs/bench.sh memory [--quick] [--rows 60000] ...
#       cached block bytes per row (Spark's storage info) against the raw feature size, and the
#       driver heap after GC with N and 2N rows, float64 and float32, local[2].
#   jobs/bench.sh scaling [--quick] [--precision float64] ...
#       epoch time vs rows and vs hidden width (local[2]), local[1] vs local[2], a standalone
#       cluster (jobs/cluster.sh) with 1 vs 2 workers, and a spilled (MEMORY_AND_DISK) fit on a
#       small executor against an in-memory fit: same weights; table + PNG (target/bench/).
#   jobs/bench.sh all [options]   every benchmark above: the kernel with its defaults, then the
#       others with the given options (e.g. --quick).
# Every benchmark ends with one "RESULT key=value ..." line.
# OPENBLAS_NUM_THREADS defaults to 1 (jobs/lib/blas-env.sh): one BLAS thread per task.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"

usage() {
  sed -n '2,37p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  echo "usage: jobs/bench.sh {kernel|trainer|float32|overhead|experiment|localsgd|updateprecision|cluster|memory|scaling|all}" \
    "[options]" >&2
}

SPARKDFA_GIT_DESCRIBE="$(git -C "$SPARKDFA_ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
export SPARKDFA_GIT_DESCRIBE

# Builds if needed, then runs on private copies of the app jar and the bench jar: a benchmark
# runs for minutes, and a rebuild of target/ meanwhile (another checkout's mvn, an IDE) must not
# swap classes under it.
SNAPSHOT_DIR=""
snapshot_jar() {
  sparkdfa_build
  SNAPSHOT_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sparkdfa-bench.XXXXXX")"
  cp "$SPARKDFA_JAR" "$SPARKDFA_BENCH_JAR" "$SNAPSHOT_DIR/"
  SPARKDFA_JAR="$SNAPSHOT_DIR/$(basename "$SPARKDFA_JAR")"
  SPARKDFA_BENCH_JAR="$SNAPSHOT_DIR/$(basename "$SPARKDFA_BENCH_JAR")"
  sparkdfa_build() { :; }
}
CLUSTER_STARTED=0
cleanup() {
  if [ "$CLUSTER_STARTED" = 1 ]; then bash "$SPARKDFA_ROOT/jobs/cluster.sh" stop >&2 || true; fi
  if [ -n "$SNAPSHOT_DIR" ]; then rm -rf "$SNAPSHOT_DIR"; fi
}
trap cleanup EXIT

bench_kernel() {
  (sparkdfa_java org.sparkdfa.bench.KernelBench "$@")
}

# bench_local2 MAIN_CLASS [args...]: a Spark benchmark on local[2] with the MNIST digits shipped.
# (sparkdfa_submit hands leading spark-submit options to spark-submit; ScalingBench's own --name
# therefore follows a `--`.)
bench_local2() {
  local main="$1"; shift
  (export SPARKDFA_DRIVER_MEMORY="${SPARKDFA_DRIVER_MEMORY:-12g}"
   export SPARKDFA_MNIST_DIR="${SPARKDFA_MNIST_DIR:-$SPARKDFA_ROOT/datasets/mnist}"
   sparkdfa_submit "$main" --master 'local[2]' "$@")
}

bench_trainer() {
  # Two cached copies of 60,000 x 2352 doubles (1.1 GB each) plus MLPC's per-iteration stacking
  # need more than the 8g launch default (bench_local2 gives 12g).
  bench_local2 org.sparkdfa.bench.TrainerBench "$@"
}

bench_float32() { bench_local2 org.sparkdfa.bench.Float32Bench "$@"; }

# The cache plus its copy collected for the in-process loop: 2 x 1.1 GB in float64.
bench_overhead() { bench_local2 org.sparkdfa.bench.OverheadBench "$@"; }

bench_memory() { bench_local2 org.sparkdfa.bench.MemoryBench "$@"; }

bench_experiment() { bench_local2 org.sparkdfa.bench.ExperimentBench "$@"; }

bench_localsgd() { bench_local2 org.sparkdfa.bench.LocalSgdBench "$@"; }
bench_updateprecision() { bench_local2 org.sparkdfa.bench.UpdatePrecisionBench "$@"; }

# The cluster benchmark: one driver JVM submitted to the cluster, which runs the local[2] fit in
# a session of its own first. Without --master it starts (and on exit stops) a cluster of this
# checkout on ports 7277/8280 (the tests' cluster uses 7077), or reuses one running there.
bench_cluster() {
  local master="" a prev=""
  for a in "$@"; do
    [ "$prev" = "--master" ] && master="$a"
    case "$a" in --master=*) master="${a#--master=}" ;; esac
    prev="$a"
  done
  if [ -z "$master" ]; then
    export SPARKDFA_MASTER_PORT="${SPARKDFA_MASTER_PORT:-7277}"
    export SPARKDFA_MASTER_UI_PORT="${SPARKDFA_MASTER_UI_PORT:-8280}"
    master="spark://127.0.0.1:$SPARKDFA_MASTER_PORT"
    if bash "$SPARKDFA_ROOT/jobs/cluster.sh" status >/dev/null 2>&1; then
      echo "[bench] reusing the running cluster of this checkout" >&2
    else
      bash "$SPARKDFA_ROOT/jobs/cluster.sh" stop >/dev/null 2>&1 || true
      CLUSTER_STARTED=1
      bash "$SPARKDFA_ROOT/jobs/cluster.sh" start >&2 || return 1
    fi
    set -- --master "$master" "$@"
  fi
  local state="$SPARKDFA_ROOT/target/cluster" dirs
  dirs="$(ls -d "$state"/worker-* 2>/dev/null | paste -sd, -)"
  (export SPARKDFA_DRIVER_MEMORY="${SPARKDFA_DRIVER_MEMORY:-4g}"
   export SPARKDFA_MNIST_DIR="${SPARKDFA_MNIST_DIR:-$SPARKDFA_ROOT/datasets/mnist}"
   export SPARKDFA_WORKER_DIRS="$dirs" # where the executors' stderr is, for the ERROR count
   sparkdfa_submit org.sparkdfa.bench.ClusterBench "$@")
}

# The scaling benchmark runs ScalingBench in several JVMs, each writing its figures to $out, then
# ScalingReport prints the table, draws target/bench/scaling/scaling.png and the RESULT line:
#   local[2]  epoch time vs hidden width and vs rows, the base epoch, the in-memory spill reference
#   local[1]  the base epoch
#   a standalone cluster of 2 one-core workers (jobs/cluster.sh, on its own ports so it cannot
#   collide with a cluster of another checkout): the base epoch on 1 worker and on 2 workers
#   (--total-executor-cores 1 / 2), then the spill fit on one executor of 1 GB (MEMORY_AND_DISK
#   spills the blocks that do not fit), whose weights must equal the reference's.
# A cluster this function starts is stopped on exit (trap above); one already running is reused.
bench_scaling() {
  local out="${SPARKDFA_SCALING_OUT:-$SPARKDFA_ROOT/target/bench/scaling}"
  rm -rf "$out"
  mkdir -p "$out"
  export SPARKDFA_MASTER_PORT="${SPARKDFA_MASTER_PORT:-7177}"
  export SPARKDFA_MASTER_UI_PORT="${SPARKDFA_MASTER_UI_PORT:-8180}"
  # 1 worker holds all base data in one executor: 1.1 GB of float64 blocks need a 3g executor.
  export SPARKDFA_WORKER_MEMORY="${SPARKDFA_WORKER_MEMORY:-4g}"
  export SPARKDFA_MNIST_DIR="${SPARKDFA_MNIST_DIR:-$SPARKDFA_ROOT/datasets/mnist}"
  local master="spark://127.0.0.1:$SPARKDFA_MASTER_PORT"
  local executor_memory="${SPARKDFA_SCALING_EXECUTOR_MEMORY:-3g}"
  local scaling=org.sparkdfa.bench.ScalingBench
  # 240,000 rows of float64 cached (4.5 GB) live in the local driver JVM.
  (export SPARKDFA_DRIVER_MEMORY="${SPARKDFA_DRIVER_MEMORY:-12g}"
   sparkdfa_submit "$scaling" --master 'local[2]' -- --name local2 \
     --measure width,rows,base,spill-reference --out "$out" "$@") || return 1
  (export SPARKDFA_DRIVER_MEMORY="${SPARKDFA_DRIVER_MEMORY:-8g}"
   sparkdfa_submit "$scaling" --master 'local[1]' -- --name local1 --measure base --out "$out" "$@") \
    || return 1
  if bash "$SPARKDFA_ROOT/jobs/cluster.sh" status >/dev/null 2>&1; then
    # This checkout's cluster is up; usable only if it listens where this run will submit.
    if ! curl -s --max-time 2 "http://127.0.0.1:$SPARKDFA_MASTER_UI_PORT/json/" |
      grep -q "$master"; then
      echo "[bench] ERROR: a cluster of this checkout is running, but not at $master; stop it" \
        "(jobs/cluster.sh stop) or set SPARKDFA_MASTER_PORT/SPARKDFA_MASTER_UI_PORT to its ports" >&2
      return 1
    fi
    echo "[bench] reusing the running cluster at $master" >&2
  else
    bash "$SPARKDFA_ROOT/jobs/cluster.sh" stop >/dev/null 2>&1 || true
    CLUSTER_STARTED=1
    bash "$SPARKDFA_ROOT/jobs/cluster.sh" start >&2 || return 1
  fi
  # On the cluster the driver holds O(parameters) only.
  local cores name
  for cores in 1 2; do
    name="workers$cores"
    (export SPARKDFA_DRIVER_MEMORY=2g
     sparkdfa_submit "$scaling" --master "$master" --total-executor-cores "$cores" \
       --executor-memory "$executor_memory" -- --name "$name" --measure base --out "$out" "$@") \
      || return 1
  done
  # The spill executor must be smaller than the data but still hold a step's vectors beside the
  # blocks it keeps: 1g for the full run's 1.2 GB, 512m for --quick's 180 MB. Parallel GC compacts
  # its heap; G1 ran this small heap out of contiguous regions for the 25 MB block arrays.
  local spill_memory=1g
  case " $* " in *" --quick "*) spill_memory=512m ;; esac
  (export SPARKDFA_DRIVER_MEMORY=2g
   sparkdfa_submit "$scaling" --master "$master" --total-executor-cores 1 \
     --executor-memory "${SPARKDFA_SPILL_EXECUTOR_MEMORY:-$spill_memory}" \
     --conf spark.executor.extraJavaOptions=-XX:+UseParallelGC -- --name spill --measure spill \
     --out "$out" "$@") || return 1
  if [ "$CLUSTER_STARTED" = 1 ]; then
    bash "$SPARKDFA_ROOT/jobs/cluster.sh" stop >&2 || true
    CLUSTER_STARTED=0
  fi
  (sparkdfa_java org.sparkdfa.bench.ScalingReport --out "$out" "$@")
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  kernel|trainer|float32|overhead|experiment|localsgd|updateprecision|cluster|memory|scaling|all) snapshot_jar ;;
esac
case "$cmd" in
  kernel) bench_kernel "$@" ;;
  trainer) bench_trainer "$@" ;;
  float32) bench_float32 "$@" ;;
  overhead) bench_overhead "$@" ;;
  updateprecision) bench_updateprecision "$@" ;;
  experiment) bench_experiment "$@" ;;
  localsgd) bench_localsgd "$@" ;;
  cluster) bench_cluster "$@" ;;
  memory) bench_memory "$@" ;;
  scaling) bench_scaling "$@" ;;
  all) bench_kernel && bench_trainer "$@" && bench_float32 "$@" && bench_overhead "$@" &&
    bench_experiment "$@" && bench_localsgd "$@" && bench_memory "$@" && bench_scaling "$@" &&
    bench_cluster "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
