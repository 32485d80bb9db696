# shellcheck shell=bash
# Shared by jobs/*.sh: build when sources changed, then launch a main class the way Spark users
# expect — through $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, otherwise through Spark's
# own org.apache.spark.deploy.SparkSubmit on the project's dependency classpath (no Spark install
# needed). Options for spark-submit (--master, --conf k=v, --driver-memory, --executor-memory,
# --num-executors, --total-executor-cores, --executor-cores) are picked out of the arguments;
# everything else goes to the application. --master defaults to local[*].

SPARKDFA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SPARKDFA_JAR="$SPARKDFA_ROOT/target/sparkdfa-0.1.0-SNAPSHOT.jar"
# shellcheck source=jobs/lib/blas-env.sh
source "$SPARKDFA_ROOT/jobs/lib/blas-env.sh"

# Builds the app jar and the dependency classpath file unless both are newer than every source.
sparkdfa_build() {
  local cp_file="$SPARKDFA_ROOT/target/classpath.txt"
  if [ -f "$SPARKDFA_JAR" ] && [ -f "$cp_file" ] && [ "${SPARKDFA_FORCE_BUILD:-0}" != "1" ] &&
    [ -z "$(find "$SPARKDFA_ROOT/src/main" "$SPARKDFA_ROOT/pom.xml" -newer "$SPARKDFA_JAR" -print -quit)" ]; then
    return 0
  fi
  echo "[sparkdfa] building (mvn package)" >&2
  (cd "$SPARKDFA_ROOT" && mvn -q -B -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=provided) >&2
}

# The JVM flags Spark needs on Java 17, kept in one place: the spark.java.opens property of pom.xml.
sparkdfa_java_opens() {
  sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' "$SPARKDFA_ROOT/pom.xml"
}

# sparkdfa_submit MAIN_CLASS [args...]
sparkdfa_submit() {
  local main="$1"; shift
  local master="local[*]" submit_args=() app_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --master) master="$2"; shift 2 ;;
      --master=*) master="${1#*=}"; shift ;;
      --conf|--driver-memory|--executor-memory|--num-executors|--total-executor-cores|--executor-cores)
        submit_args+=("$1" "$2"); shift 2 ;;
      *) app_args+=("$1"); shift ;;
    esac
  done
  sparkdfa_blas_env
  sparkdfa_build
  # Every training step broadcasts the weights and returns a parameter-sized gradient per task.
  # Spark's defaults park task results over 1 MiB in the block manager and LZ4-compress broadcast
  # blocks (trained weights do not compress); both cost more per step than the step's math on
  # large networks (docs/BENCHMARKS.md). A --conf on the command line still wins.
  local k
  for k in spark.task.maxDirectResultSize=64m spark.broadcast.compress=false spark.broadcast.blockSize=1m; do
    case " ${submit_args[*]:-} " in
      *" ${k%%=*}="*) ;;
      *) submit_args+=(--conf "$k") ;;
    esac
  done
  # Executors on a standalone cluster start in their own JVMs: hand them the BLAS choice too.
  local env_conf=()
  for v in OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS SPARKDFA_BLAS_CORE SPARKDFA_BLAS_CORE_SOURCE; do
    if [ -n "${!v:-}" ]; then env_conf+=(--conf "spark.executorEnv.$v=${!v}"); fi
  done
  local log_conf="-Dlog4j.configurationFile=${SPARKDFA_LOG_CONF:-$SPARKDFA_ROOT/conf/log4j2.properties}"
  if [ -n "${SPARK_HOME:-}" ]; then
    exec "$SPARK_HOME/bin/spark-submit" --master "$master" "${env_conf[@]}" "${submit_args[@]}" \
      --driver-java-options "$log_conf" --driver-memory "${SPARKDFA_DRIVER_MEMORY:-8g}" \
      --class "$main" "$SPARKDFA_JAR" "${app_args[@]}"
  fi
  # shellcheck disable=SC2046
  exec java $(sparkdfa_java_opens) -Xmx"${SPARKDFA_DRIVER_MEMORY:-8g}" "$log_conf" ${JAVA_OPTS:-} \
    -cp "$SPARKDFA_JAR:$(cat "$SPARKDFA_ROOT/target/classpath.txt")" \
    org.apache.spark.deploy.SparkSubmit --master "$master" "${env_conf[@]}" "${submit_args[@]}" \
    --class "$main" "$SPARKDFA_JAR" "${app_args[@]}"
}

# sparkdfa_java MAIN_CLASS [args...]: a plain JVM on the same classpath (benchmarks of the math
# core, tools) — no Spark launcher in between.
sparkdfa_java() {
  local main="$1"; shift
  sparkdfa_blas_env
  sparkdfa_build
  # shellcheck disable=SC2046
  exec java $(sparkdfa_java_opens) -Xmx"${SPARKDFA_DRIVER_MEMORY:-8g}" \
    -Dlog4j.configurationFile="${SPARKDFA_LOG_CONF:-$SPARKDFA_ROOT/conf/log4j2.properties}" \
    ${JAVA_OPTS:-} -cp "$SPARKDFA_JAR:$(cat "$SPARKDFA_ROOT/target/classpath.txt")" "$main" "$@"
}
