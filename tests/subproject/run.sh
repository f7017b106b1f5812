#!/usr/bin/env bash
# Configures tests/subproject (add_subdirectory of the ecsq source) with the test and benchmark
# frameworks and CLI11 hidden, builds it and runs its program. No build type: unoptimised, and
# with assertions on (Matcher::compiled_for among them).
# Usage: run.sh ECSQ_SOURCE_DIR WORK_DIR VERSION CXX_COMPILER [COMPILER_LAUNCHER]
set -euo pipefail
source_dir=$1
work=$2
version=$3
compiler=$4
launcher=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
cmake --no-warn-unused-cli -S "$here" -B "$work/build" -DECSQ_SOURCE_DIR="$source_dir" -DCMAKE_CXX_COMPILER="$compiler" \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} \
  -DCMAKE_DISABLE_FIND_PACKAGE_Catch2=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON >/dev/null
cmake --build "$work/build" -j2 >/dev/null
output=$("$work/build/subproject")
echo "$output"
expected="attribute:ecs.os-type == linux and runningTasksCount < 3 -> match
selected 1 of 2
version $version"
[ "$output" = "$expected" ]
