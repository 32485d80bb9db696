# shellcheck shell=bash
# Sourced by every launcher (jobs/*.sh, the test command, CI). Makes native BLAS available and on the
# right kernels, then exports what it decided so the JVM can log it.
#
# Rules (docs/ARCHITECTURE.md, "Native BLAS"):
#  - libopenblas0-pthread is installed with apt-get when missing, saying so on one line. As non-root
#    or with SPARKDFA_NO_INSTALL=1 nothing is installed: we print the command to run, and the code
#    falls back to netlib's Java BLAS, which it logs loudly.
#  - OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE already set by the user is respected, never overridden:
#    some machines set it because older OpenBLAS builds compute wrong results on their CPU.
#  - Only when unset and OpenBLAS is seen (python3 probe) to pick a generic core (Debian's 0.3.21
#    does not know some newer CPUs and falls back to Prescott-class kernels, ~5x slower) do we
#    choose SkylakeX (AVX-512) or Haswell (AVX2); without python3 OpenBLAS's choice stands. The JVM later checks a gemm against a plain Java product, so a wrong
#    kernel fails loudly.
#  - One BLAS thread per Spark task unless the user says otherwise: Spark already runs one task
#    per core, and nested OpenBLAS threads would oversubscribe the cores.

sparkdfa_ensure_openblas() {
  if ldconfig -p 2>/dev/null | grep -q 'libopenblas.so.0'; then return 0; fi
  local why="native BLAS for the training kernels; without it netlib's Java BLAS runs, several times slower"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "[sparkdfa] WARNING: libopenblas.so.0 not found ($why); install OpenBLAS with your" \
      "system's package manager" >&2
    return 0
  fi
  local cmd="apt-get install -y libopenblas0-pthread"
  if [ "${SPARKDFA_NO_INSTALL:-0}" = "1" ] || [ "$(id -u)" != "0" ]; then
    [ "$(id -u)" = "0" ] || cmd="sudo $cmd"
    echo "[sparkdfa] WARNING: libopenblas0-pthread is missing ($why); not installing" \
      "($([ "${SPARKDFA_NO_INSTALL:-0}" = "1" ] && echo "SPARKDFA_NO_INSTALL=1" || echo "not root"));" \
      "to install it run: $cmd" >&2
    return 0
  fi
  echo "[sparkdfa] installing libopenblas0-pthread with '$cmd' ($why; SPARKDFA_NO_INSTALL=1 skips this)" >&2
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/sparkdfa-apt.XXXXXX")"
  if ! { apt-get install -y -q libopenblas0-pthread >"$log" 2>&1 ||
    { apt-get update -q >>"$log" 2>&1 && apt-get install -y -q libopenblas0-pthread >>"$log" 2>&1; }; }; then
    echo "[sparkdfa] WARNING: '$cmd' failed (log: $log); falling back to Java BLAS" >&2
    return 0
  fi
  rm -f "$log"
}

# Prints the core OpenBLAS selects in a fresh process under the current environment.
sparkdfa_openblas_core() {
  command -v python3 >/dev/null 2>&1 || { echo unknown; return; }
  python3 - <<'PY' 2>/dev/null || echo unknown
import ctypes
lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
print(lib.openblas_get_corename().decode())
PY
}

sparkdfa_blas_env() {
  sparkdfa_ensure_openblas
  local cpu_flags core source
  if [ -n "${OPENBLAS_CORETYPE:-}" ] || [ -n "${OPENBLAS_L2_SIZE:-}" ]; then
    source="set by the environment (respected)"
  else
    core=$(sparkdfa_openblas_core)
    source="picked by OpenBLAS"
    # Only a core OpenBLAS has named as generic is overridden: without python3 (or the library)
    # the probe says "unknown", and OpenBLAS's own choice stands.
    case "$core" in
      unknown) source="OpenBLAS's own choice (not probed: python3 or libopenblas.so.0 missing)" ;;
      Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Barcelona|Opteron|Katmai|Coppermine|Northwood|Banias|Generic|generic)
        cpu_flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
        if [[ " $cpu_flags " == *" avx512f "* ]]; then
          export OPENBLAS_CORETYPE=SkylakeX; source="chosen by sparkdfa: OpenBLAS picked generic '$core' on an AVX-512 CPU"
        elif [[ " $cpu_flags " == *" avx2 "* ]]; then
          export OPENBLAS_CORETYPE=Haswell; source="chosen by sparkdfa: OpenBLAS picked generic '$core' on an AVX2 CPU"
        fi ;;
    esac
  fi
  SPARKDFA_BLAS_CORE="$(sparkdfa_openblas_core)"
  export SPARKDFA_BLAS_CORE
  export SPARKDFA_BLAS_CORE_SOURCE="$source"
  export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
  echo "[sparkdfa] OpenBLAS core: ${SPARKDFA_BLAS_CORE} (${source}); OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS}" >&2
}
