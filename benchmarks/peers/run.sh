#!/usr/bin/env bash
# The peer benchmark: the same workloads on ecsq, expr-lang (Go), cel-js and filtrex (node), on
# one generated fleet (AWS JSON for ecsq, flat JSON for the others). Fails if any engine returns
# other instances than ecsq; prints per-check, bulk, one-instance and compile ratios.
#
#   benchmarks/peers/run.sh [BUILD_DIR] [INSTANCES] [REPETITIONS]
#
# Needs: Debian's golang-go and golang-github-antonmedv-expr-dev (built offline from
# /usr/share/gocode), node and npm (`npm ci` here installs @marcbachmann/cel-js and filtrex).
# Optional: not part of ctest or CI. Defaults: ./build, 100000 instances, 5 repetitions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
instances=${2:-100000}
repetitions=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in go node npm python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (see the top of this script)" >&2; exit 2; }
done
[ -d /usr/share/gocode/src/github.com/antonmedv/expr ] ||
  { echo "run.sh: install golang-github-antonmedv-expr-dev" >&2; exit 2; }

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target ecsq_peers >/dev/null
(cd "$here/expr" && GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH=/usr/share/gocode GOCACHE="$work/gocache" \
  go build -o "$work/expr-peer" .)
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund >/dev/null)

echo "Fleet: $instances instances (seed 42); $repetitions repetitions, least wall time; $(nproc) CPUs," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$build/benchmarks/ecsq_peers" fleet "$instances" 42 "$work/fleet.aws.json" "$work/fleet.flat.json"
mkdir -p "$work/out"
"$build/benchmarks/ecsq_peers" run "$work/fleet.aws.json" "$here/workloads.json" "$work/out" "$repetitions" \
  >"$work/results.jsonl"
"$work/expr-peer" "$work/fleet.flat.json" "$here/workloads.json" "$work/out" "$repetitions" >>"$work/results.jsonl"
for engine in cel-js filtrex; do
  node "$here/js_peer.mjs" "$engine" "$work/fleet.flat.json" "$here/workloads.json" "$work/out" "$repetitions" \
    >>"$work/results.jsonl"
done
python3 "$here/compare.py" "$work/out" "$work/results.jsonl"
