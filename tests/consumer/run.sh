#!/usr/bin/env bash
# Installs the ecsq build tree into a scratch prefix and builds/runs tests/consumer against it,
# with every package of ecsq's dependencies hidden (CMake packages disabled, pkg-config looking in
# an empty directory): find_package(ecsq) must need none of their development files.
# Usage: run.sh BUILD_DIR WORK_DIR VERSION
set -euo pipefail
build_dir=$1
work=$2
version=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/no-pkgconfig"
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
PKG_CONFIG_LIBDIR="$work/no-pkgconfig" PKG_CONFIG_PATH="" \
  cmake --no-warn-unused-cli -S "$here" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON -DCMAKE_DISABLE_FIND_PACKAGE_pegtl=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_simdjson=ON -DCMAKE_DISABLE_FIND_PACKAGE_yaml-cpp=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_re2=ON -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON >/dev/null
cmake --build "$work/build" >/dev/null
output=$("$work/build/consumer")
echo "$output"
expected="attribute:ecs.os-type == linux and runningTasksCount < 3 -> match
selected 1 of 2
version $version"
[ "$output" = "$expected" ]
