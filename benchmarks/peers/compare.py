"""Checks that every engine of the peer benchmark returned the same instances for every workload
and prints the ratio table (benchmarks/peers/run.sh). Input: the JSON lines the drivers printed;
the matched indices are in OUT_DIR/ENGINE.WORKLOAD.ids. Exits 1 on any disagreement.

    python3 compare.py OUT_DIR RESULTS.jsonl
"""
import json
import math
import sys
from pathlib import Path

PEERS = ["expr", "cel-js", "filtrex"]


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def main(out_dir, results_path):
    rows = {}
    for line in Path(results_path).read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            rows[(r["engine"], r["workload"])] = r
    workloads = [w for (e, w) in rows if e == "ecsq"]
    engines = ["ecsq"] + [e for e in PEERS if any((e, w) in rows for w in workloads)]

    failed = False
    for w in workloads:
        expected = (Path(out_dir) / f"ecsq.{w}.ids").read_text()
        for e in engines[1:]:
            if (e, w) not in rows:
                print(f"MISMATCH {w}: {e} gave no result", file=sys.stderr)
                failed = True
                continue
            got = (Path(out_dir) / f"{e}.{w}.ids").read_text()
            if got != expected:
                a, b = set(expected.split()), set(got.split())
                print(f"MISMATCH {w}: {e} matched {len(b)} instances, ecsq {len(a)}; "
                      f"only ecsq: {sorted(a - b, key=int)[:5]}, only {e}: {sorted(b - a, key=int)[:5]}",
                      file=sys.stderr)
                failed = True
    if failed:
        return 1

    n = rows[("ecsq", workloads[0])]["instances"]
    print(f"All {len(engines)} engines returned the same instances on all {len(workloads)} workloads "
          f"({n} instances).\n")
    print("Per check: ns per instance, a loop over the fleet calling the compiled check (ecsq: Matcher::matches).")
    print("Bulk: us to list the matching instances of the whole fleet (ecsq: Matcher::select).")
    print("One: ns for one check of one instance, repeated. Compile: us to parse and compile the expression.\n")
    header = ["workload", "matched", "ecsq matches ns", "ecsq select us"]
    for e in engines[1:]:
        header += [f"{e} ns/check", f"{e}/matches", f"{e}/select"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    ratios = {e: {"check": [], "bulk": [], "one": [], "compile": []} for e in engines[1:]}
    for w in workloads:
        base = rows[("ecsq", w)]
        cells = [w, str(base["matched"]), f"{base['check_ns']:.2f}", f"{base['bulk_us']:.1f}"]
        for e in engines[1:]:
            r = rows[(e, w)]
            check, bulk = r["check_ns"] / base["check_ns"], r["bulk_us"] / base["bulk_us"]
            ratios[e]["check"].append(check)
            ratios[e]["bulk"].append(bulk)
            ratios[e]["one"].append(r["one_ns"] / base["one_ns"])
            ratios[e]["compile"].append(r["compile_us"] / base["compile_us"])
            cells += [f"{r['check_ns']:.0f}", f"{check:.0f}x", f"{bulk:.0f}x"]
        print("| " + " | ".join(cells) + " |")

    print("\nGeometric means over the workloads (ratio = peer time / ecsq time):\n")
    print("| engine | per check vs matches | bulk vs select | one-instance latency | compile |")
    print("|---|---:|---:|---:|---:|")
    for e in engines[1:]:
        g = {k: geomean(v) for k, v in ratios[e].items()}
        print(f"| {e} | {g['check']:.0f}x | {g['bulk']:.0f}x | {g['one']:.0f}x | {g['compile']:.2f}x |")
    print("\nAbsolute one-instance latency (ns) and compile time (us), geometric means:\n")
    print("| engine | one check ns | compile us |")
    print("|---|---:|---:|")
    for e in engines:
        one = geomean([rows[(e, w)]["one_ns"] for w in workloads])
        comp = geomean([rows[(e, w)]["compile_us"] for w in workloads])
        print(f"| {e} | {one:.1f} | {comp:.2f} |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
