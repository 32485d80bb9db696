#!/usr/bin/env bash
# Fault injection on a real standalone cluster (jobs/cluster.sh): a checkpointing training
# (org.sparkdfa.jobs.FaultCheck) must end with the same weights
#   1. undisturbed,
#   2. when one executor process is killed (kill -9) in the middle of training — Spark retries
#      the tasks and recomputes the lost cached blocks,
#   3. when the driver is killed in the middle and the job is simply rerun with the same
#      checkpoint directory — it resumes from the last checkpoint.
# Starts the cluster unless it runs, stops what it started. Exit status 0 = all three agree.
# Run by the tagged JUnit test org.sparkdfa.jobs.FaultInjectionTest (group "cluster").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
MASTER="spark://127.0.0.1:${SPARKDFA_MASTER_PORT:-7077}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sparkdfa-faults.XXXXXX")"
started=0
cleanup() {
  [ "$started" = 1 ] && "$SPARKDFA_ROOT/jobs/cluster.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "[faults] $*" >&2; }

if ! "$SPARKDFA_ROOT/jobs/cluster.sh" status >/dev/null 2>&1; then
  "$SPARKDFA_ROOT/jobs/cluster.sh" start >&2
  started=1
fi

# Launches FaultCheck in the background and sets $pid (sparkdfa_submit execs, so it is the
# driver's JVM, a child of this shell).
submit() {  # out_file checkpoint_dir log_file
  (sparkdfa_submit org.sparkdfa.jobs.FaultCheck --master "$MASTER" \
    --conf spark.task.maxFailures=8 "$1" "$2" >"$3" 2>&1) &
  pid=$!
}

# Waits until the checkpoint of epoch $2 (or a later one) exists in checkpointDir $1, i.e. in
# the fit's sub-folder $1/fit-<key>/ (or the process $3 ends).
wait_for_checkpoint() {
  local dir="$1" epoch="$2" pid="$3"
  for _ in $(seq 1 600); do
    if ls "$dir"/fit-*/checkpoint-*.bin 2>/dev/null | awk -F- -v e="$epoch" \
      '{ if ($NF+0 >= e) found=1 } END { exit !found }'; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# The application id FaultCheck printed into log file $1 (empty until it has started).
app_id() {
  sed -n 's/^application id: \([^ ]*\)$/\1/p' "$1" | head -n 1
}

# Executor processes of application $1 only: other applications' executors on this machine
# (another user's, another test's) are not ours to kill.
executor_pids() {
  [ -n "$1" ] || return 0
  pgrep -f "org\.apache\.spark\.executor\.CoarseGrainedExecutorBackend .*--app-id $1( |\$)" || true
}

log "1/3 undisturbed run"
submit "$WORK/reference.txt" "$WORK/ck-reference" "$WORK/reference.log"
wait "$pid" || { cat "$WORK/reference.log" >&2; log "FAIL: the undisturbed run failed"; exit 1; }

log "2/3 kill one executor after epoch 2"
submit "$WORK/executor-killed.txt" "$WORK/ck-executor" "$WORK/executor.log"
wait_for_checkpoint "$WORK/ck-executor" 2 "$pid" || { cat "$WORK/executor.log" >&2; exit 1; }
app="$(app_id "$WORK/executor.log")"
victim="$(executor_pids "$app" | head -n 1)"
[ -n "$victim" ] || { log "FAIL: no executor process of application '${app}' found to kill"; exit 1; }
log "killing executor process $victim"
kill -9 "$victim"
wait "$pid" || { cat "$WORK/executor.log" >&2; log "FAIL: the run with a killed executor failed"; exit 1; }

log "3/3 kill the driver after epoch 3, then rerun with the same checkpoint directory"
submit "$WORK/driver-killed.txt" "$WORK/ck-driver" "$WORK/driver1.log"
wait_for_checkpoint "$WORK/ck-driver" 3 "$pid" || { cat "$WORK/driver1.log" >&2; exit 1; }
log "killing driver process $pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
[ ! -f "$WORK/driver-killed.txt" ] || { log "FAIL: the killed driver finished anyway"; exit 1; }
submit "$WORK/driver-killed.txt" "$WORK/ck-driver" "$WORK/driver2.log"
wait "$pid" || { cat "$WORK/driver2.log" >&2; log "FAIL: the resumed run failed"; exit 1; }
grep -q "resumed from the checkpoint" "$WORK/driver2.log" ||
  { cat "$WORK/driver2.log" >&2; log "FAIL: the rerun did not resume from the checkpoint"; exit 1; }

status=0
for f in executor-killed driver-killed; do
  if cmp -s "$WORK/reference.txt" "$WORK/$f.txt"; then
    log "$f: weights bit-identical to the undisturbed run"
  else
    log "FAIL: $f weights differ from the undisturbed run"; status=1
  fi
done
[ "$status" = 0 ] && echo "RESULT faults=passed"
exit "$status"
