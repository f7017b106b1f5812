#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for SECONDS on a scratch copy of its seed
# corpus (the repository is never written). Prints one line per harness with the executions
# reached, and exits non-zero if any harness crashed, leaked, hung or ran out of memory.
#
#   tests/fuzz/run.sh SECONDS [HARNESS...]     (default: every tests/fuzz/fuzz_*.cpp)
#
# Environment: ECSQ_FUZZ_BUILD (build directory, default build-fuzz in the repository),
# ECSQ_FUZZ_JOBS (parallel compile jobs, default 2), ECSQ_FUZZ_KEEP=1 keeps the scratch directory.
set -euo pipefail

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [HARNESS...]" >&2
  exit 2
fi
seconds=$1
shift

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${ECSQ_FUZZ_BUILD:-$repo/build-fuzz}
jobs=${ECSQ_FUZZ_JOBS:-2}

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: SKIP: clang++ not found (libFuzzer needs clang; install clang and libclang-rt-dev)"
  exit 0
fi

if [ $# -gt 0 ]; then
  harnesses=("$@")
else
  harnesses=()
  for source in "$here"/fuzz_*.cpp; do harnesses+=("$(basename "$source" .cpp)"); done
fi

# Inputs longer than this are cut: long enough for every construct, short enough to fuzz fast.
# Expressions need little room; documents need more for nesting and repetition.
max_len() {
  case $1 in
    fuzz_regex) echo 512 ;;
    fuzz_parse | fuzz_check) echo 4096 ;;
    fuzz_fleet_json | fuzz_lint) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

echo "fuzz: building ${harnesses[*]} in $build"
start=$(date +%s)
# A build directory .ci/sanitize already configured (tests on) is reused as it is: only the
# harnesses are left to link. A new one gets no tests.
tests=()
if [ ! -f "$build/CMakeCache.txt" ]; then tests=(-DECSQ_BUILD_TESTS=OFF); fi
mkdir -p "$build"
cmake -S "$repo" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DECSQ_FUZZ=ON \
  "${tests[@]}" -DECSQ_BUILD_BENCHMARKS=OFF >"$build/fuzz-configure.log" 2>&1 ||
  { cat "$build/fuzz-configure.log"; exit 1; }
cmake --build "$build" -j"$jobs" --target "${harnesses[@]}" >"$build/fuzz-build.log" 2>&1 ||
  { tail -n 60 "$build/fuzz-build.log"; exit 1; }
echo "fuzz: built in $(($(date +%s) - start)) s"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ecsq-fuzz.XXXXXX")
if [ "${ECSQ_FUZZ_KEEP:-0}" = 1 ]; then echo "fuzz: corpora, logs and reproducers kept in $scratch"; fi
if [ "${ECSQ_FUZZ_KEEP:-0}" != 1 ]; then trap 'rm -rf "$scratch"' EXIT; fi

failed=0
for harness in "${harnesses[@]}"; do
  binary=$build/tests/fuzz/$harness
  corpus=$scratch/$harness/corpus
  artifacts=$scratch/$harness/artifacts/
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$here/corpus/$harness" ]; then cp -R "$here/corpus/$harness/." "$corpus/"; fi
  dict=()
  if [ -f "$here/$harness.dict" ]; then dict=(-dict="$here/$harness.dict"); fi
  log=$scratch/$harness/log
  status=0
  # -fork and -jobs stay off: the machine has two cores and a build may be running beside this.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$binary" "${dict[@]}" -max_total_time="$seconds" -max_len="$(max_len "$harness")" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1 || status=$?
  # libFuzzer's last line on success: "Done 123456 runs in 30 second(s)".
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  units=$(find "$corpus" -type f | wc -l)
  if [ $status -eq 0 ] && [ -n "$runs" ]; then
    echo "fuzz: $harness: OK, $runs executions in ${seconds} s, corpus $units inputs"
  else
    failed=1
    echo "fuzz: $harness: FAILED (exit $status)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|[^ ].*runtime error|.*(deadly signal|Timeout|out-of-memory|leak))' "$log" | head -n 20 || true
    tail -n 40 "$log"
    for artifact in "$artifacts"*; do
      [ -f "$artifact" ] || continue
      echo "fuzz: $harness: reproducer $(basename "$artifact") (base64):"
      head -c 4096 "$artifact" | base64
      if [ -n "${ECSQ_FUZZ_ARTIFACTS:-}" ]; then mkdir -p "$ECSQ_FUZZ_ARTIFACTS" && cp "$artifact" "$ECSQ_FUZZ_ARTIFACTS/"; fi
    done
  fi
done

echo "fuzz: total $(($(date +%s) - start)) s"
exit $failed
