#!/usr/bin/env bash
# The whole test suite, from nothing: native BLAS (installs libopenblas0-pthread when missing and
# picks the right OpenBLAS kernels), the app jar (the cluster test submits it), then `mvn test`.
# Extra arguments go to Maven, e.g. jobs/test.sh -Dtest='org.sparkdfa.nn.*Test'
#   or jobs/test.sh -Dtest.excludedGroups=cluster   (skip the standalone-cluster tests).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
sparkdfa_blas_env
sparkdfa_build
cd "$SPARKDFA_ROOT"
exec mvn -B test "$@"
