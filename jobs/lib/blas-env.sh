# shellcheck shell=bash
# Sourced by every launcher (jobs/*.sh, the test command, CI). Makes native BLAS available and on the
# right kernels, then exports what it decided so the JVM can log it.
#
# Rules (docs/ARCHITECTURE.md, "Native BLAS"):
#  - libopenblas0-pthread is installed when missing (needs root; otherwise we warn and the code falls
#    back to netlib's Java BLAS, which it logs loudly).
#  - OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE already set by the user is respected, never overridden:
#    some machines set it because older OpenBLAS builds compute wrong results on their CPU.
#  - Only when unset and OpenBLAS picks a generic core (Debian's 0.3.21 does not know some newer
#    CPUs and falls back to Prescott-class kernels, ~5x slower) do we choose SkylakeX (AVX-512)
#    or Haswell (AVX2). The JVM later checks a gemm against a plain Java product, so a wrong
#    kernel fails loudly.
#  - One BLAS thread per Spark task unless the user says otherwise: Spark already runs one task
#    per core, and nested OpenBLAS threads would oversubscribe the cores.

sparkdfa_ensure_openblas() {
  if ldconfig -p 2>/dev/null | grep -q 'libopenblas.so.0'; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "[sparkdfa] installing libopenblas0-pthread (native BLAS)" >&2
    (apt-get install -y -q libopenblas0-pthread >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libopenblas0-pthread >/dev/null 2>&1; }) ||
      echo "[sparkdfa] WARNING: could not install libopenblas0-pthread; falling back to Java BLAS" >&2
  else
    echo "[sparkdfa] WARNING: libopenblas0-pthread missing and not root; run 'sudo apt-get install libopenblas0-pthread' for native BLAS" >&2
  fi
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
    case "$core" in
      Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Barcelona|Opteron|Katmai|Coppermine|Northwood|Banias|Generic|generic|unknown)
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
