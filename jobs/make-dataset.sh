#!/usr/bin/env bash
# Materializes a parity data set to Parquet (default under datasets/cache/, ignored by git).
#   jobs/make-dataset.sh --dataset sparse-parity --n 30 --k 3 --distribution mixture --rows 60000
#   jobs/make-dataset.sh --dataset mnist-parity --k 3 --rows 60000
#   jobs/make-dataset.sh --dataset mnist-parity --k 3 --split test --rows 10000
#   jobs/make-dataset.sh --help
# Runs org.sparkdfa.data.MakeDataset on local[*] (override with JAVA_OPTS="-Dspark.master=...").
# Builds first (mvn compile + classpath file); SKIP_BUILD=1 reuses target/classes as they are.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${SKIP_BUILD:-0}" != "1" ] || [ ! -f target/classpath.txt ]; then
  mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi

# The JVM flags Spark needs on Java 17, kept in one place: the spark.java.opens property of pom.xml.
opens="$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' pom.xml)"

# shellcheck disable=SC2086
exec java ${opens} -Xmx${SPARKDFA_DRIVER_MEMORY:-4g} ${JAVA_OPTS:-} \
  -cp "target/classes:$(cat target/classpath.txt)" org.sparkdfa.data.MakeDataset "$@"
