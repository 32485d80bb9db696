#!/usr/bin/env bash
# A real Spark standalone cluster on this machine: one master and two workers (1 core each) on
# 127.0.0.1, run from the project's own dependency jars — no Spark download. Jobs then run on it
# with --master spark://127.0.0.1:7077, e.g.
#   jobs/cluster.sh start
#   jobs/parity.sh --master spark://127.0.0.1:7077
#   jobs/cluster.sh status
#   jobs/cluster.sh stop
#
# start builds (like every job) and assembles target/spark-home/: a Spark distribution made of a
# jars/ folder (links to the Spark jars of target/classpath.txt), a RELEASE file (so Spark's
# launcher treats it as an installed distribution and puts jars/* on the executors' classpath)
# and conf/. The application jar is not in jars/: spark-submit ships it to the executors, as on
# any real cluster. Logs, pid files and the workers' folders go to target/cluster/.
#
# Environment (all optional):
#   SPARKDFA_CLUSTER_WORKERS (2)  SPARKDFA_WORKER_CORES (1)  SPARKDFA_WORKER_MEMORY (2g)
#   SPARKDFA_MASTER_PORT (7077)   SPARKDFA_MASTER_UI_PORT (8080; workers' UIs follow it)
#   SPARKDFA_CLUSTER_CLASSPATH    jars for jars/ instead of target/classpath.txt (no build); the
#                                 cluster test passes the test classpath this way
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"

CLUSTER_HOME="$SPARKDFA_ROOT/target/spark-home"
CLUSTER_STATE="$SPARKDFA_ROOT/target/cluster"
WORKERS="${SPARKDFA_CLUSTER_WORKERS:-2}"
WORKER_CORES="${SPARKDFA_WORKER_CORES:-1}"
WORKER_MEMORY="${SPARKDFA_WORKER_MEMORY:-2g}"
MASTER_PORT="${SPARKDFA_MASTER_PORT:-7077}"
UI_PORT="${SPARKDFA_MASTER_UI_PORT:-8080}"
HOST=127.0.0.1
MASTER_URL="spark://$HOST:$MASTER_PORT"

usage() {
  echo "usage: jobs/cluster.sh start|stop|status   (master $MASTER_URL, $WORKERS workers)" >&2
}

# Assembles target/spark-home from the jars of a classpath (directories are skipped).
make_spark_home() {
  local cp
  if [ -n "${SPARKDFA_CLUSTER_CLASSPATH:-}" ]; then
    cp="$SPARKDFA_CLUSTER_CLASSPATH"
  else
    sparkdfa_build
    cp="$(cat "$SPARKDFA_ROOT/target/classpath.txt")"
  fi
  rm -rf "$CLUSTER_HOME"
  mkdir -p "$CLUSTER_HOME/jars" "$CLUSTER_HOME/conf"
  local entry spark_version=""
  IFS=: read -ra entries <<<"$cp"
  for entry in "${entries[@]}"; do
    [ -f "$entry" ] && [[ "$entry" == *.jar ]] || continue
    ln -sf "$entry" "$CLUSTER_HOME/jars/$(basename "$entry")"
    if [[ "$(basename "$entry")" =~ ^spark-core_2\.13-(.+)\.jar$ ]]; then
      spark_version="${BASH_REMATCH[1]}"
    fi
  done
  if [ -z "$spark_version" ]; then
    echo "[cluster] ERROR: no spark-core_2.13 jar on the classpath ($cp)" >&2
    exit 1
  fi
  printf 'Spark %s built for Scala 2.13 (assembled by sparkdfa jobs/cluster.sh from Maven jars)\n' \
    "$spark_version" >"$CLUSTER_HOME/RELEASE"
  cp "$SPARKDFA_ROOT/conf/log4j2.properties" "$CLUSTER_HOME/conf/log4j2.properties"
}

pid_alive() {
  local f="$1"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# Starts one daemon in the background: name, main class, args...
start_daemon() {
  local name="$1" main="$2"; shift 2
  # shellcheck disable=SC2046
  SPARK_HOME="$CLUSTER_HOME" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP="$HOST" \
    SPARK_CONF_DIR="$CLUSTER_HOME/conf" \
    nohup java $(sparkdfa_java_opens) -Xmx512m \
    -Dlog4j.configurationFile="$CLUSTER_HOME/conf/log4j2.properties" \
    -cp "$CLUSTER_HOME/conf:$CLUSTER_HOME/jars/*" "$main" "$@" \
    >"$CLUSTER_STATE/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_STATE/$name.pid"
}

# The master's JSON status page, or nothing.
master_json() {
  curl -s --max-time 2 "http://$HOST:$UI_PORT/json/" 2>/dev/null || true
}

# Workers registered and alive: from the master's JSON page (only workers have a "state" of
# ALIVE there), or without curl from the master's log.
alive_workers() {
  if command -v curl >/dev/null 2>&1; then
    master_json | grep -o '"state" *: *"ALIVE"' | wc -l
  else
    grep -c 'Registering worker' "$CLUSTER_STATE/master.log" 2>/dev/null || echo 0
  fi
}

cmd_status() {
  local running=0 name
  for name in master $(seq -f 'worker-%g' 1 "$WORKERS"); do
    if pid_alive "$CLUSTER_STATE/$name.pid"; then
      echo "$name: running (pid $(cat "$CLUSTER_STATE/$name.pid"), log $CLUSTER_STATE/$name.log)"
      running=$((running + 1))
    else
      echo "$name: not running"
    fi
  done
  if pid_alive "$CLUSTER_STATE/master.pid"; then
    echo "master $MASTER_URL: $(alive_workers) alive worker(s); web UI http://$HOST:$UI_PORT"
  fi
  [ "$running" -eq $((WORKERS + 1)) ]
}

cmd_start() {
  mkdir -p "$CLUSTER_STATE"
  if pid_alive "$CLUSTER_STATE/master.pid"; then
    echo "[cluster] already running; 'jobs/cluster.sh stop' first to restart" >&2
    cmd_status
    return
  fi
  sparkdfa_blas_env
  make_spark_home
  start_daemon master org.apache.spark.deploy.master.Master \
    --host "$HOST" --port "$MASTER_PORT" --webui-port "$UI_PORT"
  local i
  for i in $(seq 1 "$WORKERS"); do
    rm -rf "$CLUSTER_STATE/worker-$i"
    mkdir -p "$CLUSTER_STATE/worker-$i"
    start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host "$HOST" --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
      --webui-port $((UI_PORT + i)) --work-dir "$CLUSTER_STATE/worker-$i" "$MASTER_URL"
  done
  local waited=0
  until [ "$(alive_workers)" -ge "$WORKERS" ]; do
    if [ "$waited" -ge 90 ] || ! pid_alive "$CLUSTER_STATE/master.pid"; then
      echo "[cluster] ERROR: $WORKERS workers did not register within ${waited}s; logs:" >&2
      tail -n 20 "$CLUSTER_STATE"/*.log >&2 || true
      cmd_stop
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "[cluster] master $MASTER_URL with $WORKERS workers x $WORKER_CORES core(s), $WORKER_MEMORY" \
    "(web UI http://$HOST:$UI_PORT, logs $CLUSTER_STATE)"
  echo "[cluster] run jobs with --master $MASTER_URL, e.g. jobs/parity.sh --master $MASTER_URL"
}

cmd_stop() {
  local name f pid stopped=0
  for f in "$CLUSTER_STATE"/worker-*.pid "$CLUSTER_STATE"/master.pid; do
    [ -f "$f" ] || continue
    name="$(basename "$f" .pid)"
    if pid_alive "$f"; then
      pid="$(cat "$f")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
      echo "[cluster] stopped $name (pid $pid)"
      stopped=$((stopped + 1))
    fi
    rm -f "$f"
  done
  [ "$stopped" -gt 0 ] || echo "[cluster] nothing was running"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
