#!/usr/bin/env bash
# Builds and runs the matcher benchmarks, then prints the ratio summary and the targets met.
#
#   benchmarks/run.sh [BUILD_DIR] [ecsq_bench flags...]
#
# BUILD_DIR defaults to ./build. Extra flags go to ecsq_bench, e.g. --sizes=1000,100000 or
# --benchmark_filter='(select|hand)/'. The defaults keep each measurement short (the machine
# may be shared) and take the least of three repetitions.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target benchmarks
exec "$build/benchmarks/ecsq_bench" --benchmark_min_time=0.05 --benchmark_repetitions=3 "$@"
