#!/usr/bin/env bash
# Installs the ecsq build tree into a scratch prefix and builds/runs tests/consumer against it.
set -euo pipefail
build_dir=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$here" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
output=$("$work/build/consumer")
echo "$output"
[ "$output" = "attribute:ecs.os-type == linux and runningTasksCount < 3 -> match" ]
