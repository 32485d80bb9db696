# shellcheck shell=bash
# Shared by jobs/*.sh: build when sources changed, then launch a main class the way Spark users
# expect — through $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, otherwise through Spark's
# own org.apache.spark.deploy.SparkSubmit on the project's dependency classpath (no Spark install
# needed).
#
# Arguments: spark-submit's own options come first and reach spark-submit unchanged (--master,
# --deploy-mode, --conf k=v, --driver-memory, --jars, --packages, --files, --name,
# --properties-file, --executor-memory, --num-executors, --total-executor-cores, ...); the first
# argument that is not one of them, or everything after a `--`, goes to the application, as
# after the jar of a spark-submit command line.
#
# What the launcher adds, each only when the user has not set it (command line, --properties-file
# or, with SPARK_HOME, spark-defaults.conf): --master local[*]; --driver-memory
# $SPARKDFA_DRIVER_MEMORY or 8g (client mode; without spark-submit the driver is this JVM, so the
# value becomes its -Xmx); SPARK_LOCAL_IP=127.0.0.1 for local masters and the project's own
# cluster at spark://127.0.0.1 (jobs/cluster.sh), never for YARN, Kubernetes or a remote master,
# whose executors must reach the driver; three --conf settings for training (below); for a
# benchmark main, the bench jar (--jars, merged with the user's own --jars or spark.jars).
SPARKDFA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SPARKDFA_JAR="$SPARKDFA_ROOT/target/sparkdfa-0.1.0-SNAPSHOT.jar"
# The benchmarks (org.sparkdfa.bench, sources in src/bench/java) are not in the app jar but in
# their own jar with JMH, which runs beside it: the launchers add it for benchmark mains only
# (sparkdfa_bench_main).
SPARKDFA_BENCH_JAR="$SPARKDFA_ROOT/target/sparkdfa-0.1.0-SNAPSHOT-bench.jar"
# shellcheck source=jobs/lib/blas-env.sh
source "$SPARKDFA_ROOT/jobs/lib/blas-env.sh"

# Builds the app jar, the bench jar and the dependency classpath file unless all three exist and
# the app jar is newer than every source (the jar carries conf/ and the shipped digits too; one
# mvn package writes both jars). The classpath file lists the provided dependencies (Spark and
# its libraries) less JMH and its option parser, which only the bench jar carries.
sparkdfa_build() {
  local cp_file="$SPARKDFA_ROOT/target/classpath.txt" inputs=() p
  for p in src/main src/bench pom.xml conf datasets/mnist; do
    [ -e "$SPARKDFA_ROOT/$p" ] && inputs+=("$SPARKDFA_ROOT/$p")
  done
  if [ -f "$SPARKDFA_JAR" ] && [ -f "$SPARKDFA_BENCH_JAR" ] && [ -f "$cp_file" ] &&
    [ "${SPARKDFA_FORCE_BUILD:-0}" != "1" ] &&
    [ -z "$(find "${inputs[@]}" -newer "$SPARKDFA_JAR" -print -quit)" ]; then
    return 0
  fi
  echo "[sparkdfa] building (mvn package)" >&2
  (cd "$SPARKDFA_ROOT" && mvn -q -B -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=provided \
    -DexcludeGroupIds=org.openjdk.jmh,net.sf.jopt-simple) >&2
}

# The JVM flags Spark needs on Java 17, kept in one place: the spark.java.opens property of pom.xml.
sparkdfa_java_opens() {
  sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' "$SPARKDFA_ROOT/pom.xml"
}

# sparkdfa_bench_main MAIN_CLASS: true for a benchmark main, which needs the bench jar beside the
# app jar.
sparkdfa_bench_main() {
  [[ "$1" == org.sparkdfa.bench.* ]]
}

# spark-submit's options (Spark 4.1's SparkSubmitOptionParser) that take a value, and its
# switches. --help, --version, --kill, --status and --usage-error are left to the application
# (jobs/parity.sh --help prints the job's help); --class is the launcher's.
SPARKDFA_SUBMIT_OPTS=" --master --remote --deploy-mode --name --jars --packages --exclude-packages
  --repositories --py-files --files --archives --conf -c --properties-file --driver-memory
  --driver-java-options --driver-library-path --driver-class-path --driver-cores
  --executor-memory --executor-cores --total-executor-cores --num-executors --queue --principal
  --keytab --proxy-user "
SPARKDFA_SUBMIT_SWITCHES=" --supervise --verbose -v --load-spark-defaults "

# sparkdfa_split_args ARGS...: fills the arrays SPARKDFA_SUBMIT_ARGS (spark-submit's options, as
# given) and SPARKDFA_APP_ARGS (the rest; a separating `--` is dropped).
sparkdfa_split_args() {
  SPARKDFA_SUBMIT_ARGS=()
  SPARKDFA_APP_ARGS=()
  local explicit=0 name
  while [ $# -gt 0 ]; do
    name="${1%%=*}"
    if [ "$1" = "--" ]; then
      explicit=1; shift; break
    elif [ "$name" = "--class" ]; then
      echo "[sparkdfa] ERROR: --class is set by the launcher; run \$SPARK_HOME/bin/spark-submit" \
        "with the app jar for another main class" >&2
      return 2
    elif [[ "$1" == -* && "$SPARKDFA_SUBMIT_OPTS" == *[[:space:]]"$1"[[:space:]]* ]]; then
      if [ $# -lt 2 ]; then
        echo "[sparkdfa] ERROR: spark-submit option $1 needs a value" >&2
        return 2
      fi
      SPARKDFA_SUBMIT_ARGS+=("$1" "$2"); shift 2
    elif [[ "$1" == --*=* && "$SPARKDFA_SUBMIT_OPTS" == *[[:space:]]"$name"[[:space:]]* ]] ||
      [[ "$1" == -* && "$SPARKDFA_SUBMIT_SWITCHES" == *[[:space:]]"$1"[[:space:]]* ]]; then
      SPARKDFA_SUBMIT_ARGS+=("$1"); shift
    else
      break
    fi
  done
  SPARKDFA_APP_ARGS=("$@")
  if [ "$explicit" = 0 ]; then
    # A spark-submit option after the job's own would reach the job, which rejects it: say why.
    local a
    for a in "$@"; do
      [ "$a" = "--" ] && break
      if [[ "$a" == -* && "$SPARKDFA_SUBMIT_OPTS" == *[[:space:]]"${a%%=*}"[[:space:]]* ]]; then
        echo "[sparkdfa] note: '${a%%=*}' comes after the job's own arguments, so it goes to the" \
          "job, not to spark-submit; put spark-submit options first" >&2
        break
      fi
    done
  fi
}

# sparkdfa_setting KEY OPTION: the value the user gave a Spark setting, or nothing — from the
# command line (OPTION v, OPTION=v, --conf KEY=v; the last one wins, as in spark-submit), else
# from --properties-file, else (spark-submit only) from spark-defaults.conf.
sparkdfa_setting() {
  local key="$1" option="$2" value="" props="" i a next
  local n=${#SPARKDFA_SUBMIT_ARGS[@]}
  for ((i = 0; i < n; i++)); do
    a="${SPARKDFA_SUBMIT_ARGS[i]}"
    next="${SPARKDFA_SUBMIT_ARGS[i + 1]:-}"
    case "$a" in
      "$option") value="$next" ;;
      "$option="*) value="${a#*=}" ;;
      --conf|-c) [[ "$next" == "$key="* ]] && value="${next#*=}" ;;
      --conf=*|-c=*) [[ "${a#*=}" == "$key="* ]] && value="${a#*=$key=}" ;;
      --properties-file) props="$next" ;;
      --properties-file=*) props="${a#*=}" ;;
    esac
  done
  if [ -z "$value" ] && [ -z "$props" ] && [ -n "${SPARK_HOME:-}" ]; then
    props="${SPARK_CONF_DIR:-$SPARK_HOME/conf}/spark-defaults.conf"
  fi
  if [ -z "$value" ] && [ -n "$props" ] && [ -f "$props" ]; then
    # Java properties: "key value", "key=value" or "key: value".
    value="$(sed -n "s/^[[:space:]]*${key//./\\.}[[:space:]=:][[:space:]]*//p" "$props" |
      tail -n 1 | sed 's/[[:space:]]*$//')"
  fi
  printf '%s' "$value"
}

# Loopback only where every Spark process runs on this machine.
sparkdfa_is_loopback_master() {
  case "$1" in
    local|local\[*\]|local-cluster\[*\]|spark://127.0.0.1:*|spark://127.0.0.1) return 0 ;;
    *) return 1 ;;
  esac
}

# sparkdfa_submit MAIN_CLASS [spark-submit options] [--] [application args]
sparkdfa_submit() {
  local main="$1"; shift
  sparkdfa_split_args "$@" || exit 2
  local submit_args=("${SPARKDFA_SUBMIT_ARGS[@]}") app_args=("${SPARKDFA_APP_ARGS[@]}")
  local master deploy_mode driver_memory
  master="$(sparkdfa_setting spark.master --master)"
  if [ -z "$master" ] && [ -z "$(sparkdfa_setting spark.remote --remote)" ]; then
    master="local[*]"
    submit_args=(--master "$master" "${submit_args[@]}")
  fi
  deploy_mode="$(sparkdfa_setting spark.submit.deployMode --deploy-mode)"
  driver_memory="$(sparkdfa_setting spark.driver.memory --driver-memory)"
  if [ -z "$driver_memory" ] && [ "$deploy_mode" != "cluster" ]; then
    # The driver holds the collected evaluation rows and, on a local master, the cached data.
    driver_memory="${SPARKDFA_DRIVER_MEMORY:-8g}"
    submit_args+=(--driver-memory "$driver_memory")
  fi
  if [ "$deploy_mode" = "cluster" ]; then
    # The driver runs on a worker, in its own folder there: the job's printout goes to that
    # driver's stdout (linked from the master's web UI); the configs and shipped digits travel
    # in the app jar, other paths must be absolute and visible on the worker, or Hadoop URIs.
    # On a standalone master, wait for the driver so the exit code is the job's.
    echo "[sparkdfa] cluster deploy mode: the driver runs on a worker (its output: the worker's" \
      "driver-*/stdout); conf/ and the shipped digits travel in the app jar; give --out (and" \
      "any file of your own) as an absolute path the workers share or a Hadoop URI" \
      "(hdfs://..., file:/...)" >&2
    if [[ "$master" == spark://* ]] &&
      [ -z "$(sparkdfa_setting spark.standalone.submit.waitAppCompletion --no-such-option)" ]; then
      submit_args+=(--conf spark.standalone.submit.waitAppCompletion=true)
    fi
  fi
  if [ -z "${SPARK_LOCAL_IP:-}" ] && sparkdfa_is_loopback_master "$master"; then
    # jobs/cluster.sh listens on 127.0.0.1 only; local runs need no other interface.
    export SPARK_LOCAL_IP=127.0.0.1
  fi
  sparkdfa_blas_env
  sparkdfa_build
  # Every training step broadcasts the weights and returns a parameter-sized gradient per task.
  # Spark's defaults park task results over 1 MiB in the block manager and LZ4-compress broadcast
  # blocks (trained weights do not compress); both cost more per step than the step's math on
  # large networks (docs/BENCHMARKS.md). A user's setting wins.
  local k
  for k in spark.task.maxDirectResultSize=64m spark.broadcast.compress=false spark.broadcast.blockSize=1m; do
    [ -n "$(sparkdfa_setting "${k%%=*}" "--no-such-option")" ] || submit_args+=(--conf "$k")
  done
  # Executors on a standalone cluster start in their own JVMs: hand them the BLAS choice too.
  local env_conf=() v
  for v in OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS SPARKDFA_BLAS_CORE SPARKDFA_BLAS_CORE_SOURCE; do
    if [ -n "${!v:-}" ]; then env_conf+=(--conf "spark.executorEnv.$v=${!v}"); fi
  done
  local bench_cp=""
  if sparkdfa_bench_main "$main"; then
    # The bench jar goes with --jars, so executors on a cluster fetch it too. spark-submit keeps
    # only the last --jars and then ignores spark.jars: merge the user's list into ours.
    local jars
    jars="$(sparkdfa_setting spark.jars --jars)"
    submit_args+=(--jars "${jars:+$jars,}$SPARKDFA_BENCH_JAR")
    bench_cp="$SPARKDFA_BENCH_JAR:"
  fi
  local log_conf="-Dlog4j.configurationFile=${SPARKDFA_LOG_CONF:-$SPARKDFA_ROOT/conf/log4j2.properties}"
  if [ -n "${SPARK_HOME:-}" ]; then
    # Our driver JVM flags go through SPARK_SUBMIT_OPTS, so a user's --driver-java-options is
    # passed on as given instead of being replaced by ours.
    SPARK_SUBMIT_OPTS="$log_conf ${JAVA_OPTS:-} ${SPARK_SUBMIT_OPTS:-}" \
      exec "$SPARK_HOME/bin/spark-submit" "${env_conf[@]}" "${submit_args[@]}" \
      --class "$main" "$SPARKDFA_JAR" "${app_args[@]}"
  fi
  # Without spark-submit this JVM is the driver: apply the driver's own settings to it.
  local driver_opts=() driver_cp=""
  read -ra driver_opts <<<"$(sparkdfa_setting spark.driver.extraJavaOptions --driver-java-options)"
  driver_cp="$(sparkdfa_setting spark.driver.extraClassPath --driver-class-path)"
  driver_cp="${driver_cp:+$driver_cp:}$SPARKDFA_JAR:$bench_cp"
  # shellcheck disable=SC2046
  exec java $(sparkdfa_java_opens) -Xmx"${driver_memory:-${SPARKDFA_DRIVER_MEMORY:-8g}}" \
    "$log_conf" ${JAVA_OPTS:-} "${driver_opts[@]}" \
    -cp "$driver_cp$(cat "$SPARKDFA_ROOT/target/classpath.txt")" \
    org.apache.spark.deploy.SparkSubmit "${env_conf[@]}" "${submit_args[@]}" \
    --class "$main" "$SPARKDFA_JAR" "${app_args[@]}"
}

# sparkdfa_run_copy: points SPARKDFA_JAR at a private copy of the app jar in target/run-jars/,
# so a long run survives a rebuild of target/*.jar meanwhile (a jar replaced under a running JVM
# breaks its class loading). Copies are named by content, so runs of one build share one; the
# newest $SPARKDFA_RUN_JARS_KEEP (5) are kept, older ones deleted unless a running process names
# them on its command line.
sparkdfa_run_copy() {
  sparkdfa_build
  local dir="$SPARKDFA_ROOT/target/run-jars" copy keep="${SPARKDFA_RUN_JARS_KEEP:-5}" old
  mkdir -p "$dir"
  copy="$dir/sparkdfa-$(sha1sum "$SPARKDFA_JAR" | cut -c1-12).jar"
  [ -f "$copy" ] || { cp "$SPARKDFA_JAR" "$copy.tmp.$$" && mv "$copy.tmp.$$" "$copy"; }
  touch "$copy"
  # shellcheck disable=SC2012
  ls -1t "$dir"/sparkdfa-*.jar 2>/dev/null | tail -n +$((keep + 1)) | while read -r old; do
    # The pattern comes from a file, so grep's own command line does not name the jar.
    if ! grep -qsFf <(printf '%s\n' "$old") /proc/[0-9]*/cmdline; then rm -f "$old"; fi
  done
  SPARKDFA_JAR="$copy"
}

# sparkdfa_java MAIN_CLASS [args...]: a plain JVM on the same classpath (benchmarks of the math
# core, tools) — no Spark launcher in between. A benchmark main gets the bench jar too.
sparkdfa_java() {
  local main="$1"; shift
  sparkdfa_blas_env
  sparkdfa_build
  local bench_cp=""
  if sparkdfa_bench_main "$main"; then bench_cp="$SPARKDFA_BENCH_JAR:"; fi
  # shellcheck disable=SC2046
  exec java $(sparkdfa_java_opens) -Xmx"${SPARKDFA_DRIVER_MEMORY:-8g}" \
    -Dlog4j.configurationFile="${SPARKDFA_LOG_CONF:-$SPARKDFA_ROOT/conf/log4j2.properties}" \
    ${JAVA_OPTS:-} -cp "$SPARKDFA_JAR:$bench_cp$(cat "$SPARKDFA_ROOT/target/classpath.txt")" \
    "$main" "$@"
}
