#!/usr/bin/env python3
"""Writes data/eni-capacity.tsv: per EC2 instance type, how many awsvpc tasks ECS can place on it.

Two public sources, both read from files given on the command line (nothing is downloaded):

  --ecs-guide FILE   the ECS developer guide page "Elastic network interface trunking"
                     (awsdocs/amazon-ecs-developer-guide, doc_source/container-instance-eni.md):
                     per instance type, the task limit without and with ENI trunking, plus the
                     instance types and families it says do not support trunking.
  --vpc-limits FILE  aws/amazon-vpc-resource-controller-k8s, pkg/aws/vpc/limits.go (generated from
                     EC2 DescribeInstanceTypes): per instance type `Interface` (the EC2 maximum
                     number of network interfaces), `IsTrunkingCompatible` and `BranchInterface`.

The `--*-ref` options name the exact revision (repo@commit:path) for the header; the rules that
combine the two sources are written into the header too, so the TSV explains itself. The script
is not run at build time: CMake compiles the TSV it writes. See docs/placement.md §7.
"""

import argparse
import re
import sys
import textwrap
from datetime import datetime, timezone

# A row of the guide's tables: | c5\.large | 2 | 10 |
GUIDE_ROW = re.compile(r"^\|\s*([a-z0-9-]+(?:\\?\.[a-z0-9-]+)+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$")
# One entry of limits.go's map: the body runs to the closing brace at one tab of indentation.
LIMITS_ENTRY = re.compile(r'^\t"([^"]+)": \{\n(.*?)^\t\},', re.S | re.M)
LIMITS_FIELD = re.compile(r"^\t\t(\w+):\s+([^,\n]+),", re.M)
INSTANCE_TYPE = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+$")


def read_guide(path):
    """Returns ({type: (limit without trunking, limit with trunking)}, excluded types, excluded families)."""
    limits = {}
    excluded_types, excluded_families = set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "are not supported" in line:
                names = set(re.findall(r"`([a-z0-9.-]+)`", line))
                if "instance types are not supported" in line:
                    excluded_types |= names
                elif "instance families are not supported" in line:
                    excluded_families |= names
                continue
            m = GUIDE_ROW.match(line)
            if not m:
                continue
            instance_type = m.group(1).replace("\\", "")
            row = (int(m.group(2)), int(m.group(3)))
            if instance_type in limits and limits[instance_type] != row:
                sys.exit(f"{path}: {instance_type} appears twice with different limits")
            limits[instance_type] = row
    if len(limits) < 100 or not excluded_types or not excluded_families:
        sys.exit(f"{path}: found {len(limits)} rows, {len(excluded_types)} excluded types, "
                 f"{len(excluded_families)} excluded families: not the page this script expects")
    return limits, excluded_types, excluded_families


def read_vpc_limits(path):
    """Returns {type: (interfaces, trunking compatible, branch interfaces)}."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    limits = {}
    for m in LIMITS_ENTRY.finditer(text):
        fields = dict(LIMITS_FIELD.findall(m.group(2)))
        try:
            limits[m.group(1)] = (int(fields["Interface"]), fields["IsTrunkingCompatible"] == "true",
                                  int(fields["BranchInterface"]))
        except (KeyError, ValueError) as e:
            sys.exit(f"{path}: entry {m.group(1)}: cannot read {e}")
    if len(limits) < 100:
        sys.exit(f"{path}: found {len(limits)} instance types: not the file this script expects")
    return limits


def derived_trunk_limit(interfaces, branches):
    # ECS's "task limit with trunking" counts the branch ENIs on the trunk plus the ordinary ENI
    # slots left beside the primary and the trunk (c5.large: 9 branches + 1 = 10).
    return branches + interfaces - 2


def build(guide, excluded_types, excluded_families, vpc):
    """Returns (rows, notes): rows of (type, interfaces, trunk limit or None, source)."""
    rows, notes = [], {"interfaces_disagree": [], "guide_only": [], "excluded_but_listed": [],
                       "derivation_checked": 0, "derivation_exceptions": []}
    for instance_type in sorted(set(guide) | set(vpc)):
        if not INSTANCE_TYPE.match(instance_type):
            sys.exit(f"unexpected instance type name {instance_type!r}")
        family = instance_type.split(".")[0]
        excluded = instance_type in excluded_types or family in excluded_families
        if instance_type in guide:
            without, with_trunking = guide[instance_type]
            if excluded:
                notes["excluded_but_listed"].append(instance_type)
            if instance_type in vpc:
                interfaces, compatible, branches = vpc[instance_type]
                if without != interfaces - 1:
                    notes["interfaces_disagree"].append((instance_type, without, interfaces))
                notes["derivation_checked"] += 1
                if not compatible or derived_trunk_limit(interfaces, branches) != with_trunking:
                    notes["derivation_exceptions"].append(
                        (instance_type, with_trunking,
                         derived_trunk_limit(interfaces, branches) if compatible else None))
                rows.append((instance_type, interfaces, with_trunking, "ec2+ecs"))
            else:
                notes["guide_only"].append(instance_type)
                rows.append((instance_type, without + 1, with_trunking, "ecs"))
        else:
            interfaces, compatible, branches = vpc[instance_type]
            if compatible and not excluded:
                rows.append((instance_type, interfaces, derived_trunk_limit(interfaces, branches),
                             "ec2+derived"))
            else:
                rows.append((instance_type, interfaces, None, "ec2"))
    for instance_type, interfaces, trunk, _ in rows:
        if interfaces < 1 or (trunk is not None and trunk <= interfaces - 1):
            sys.exit(f"{instance_type}: {interfaces} interfaces, trunk limit {trunk}: trunking "
                     "would not add capacity; check the sources")
    return rows, notes


def write(out, rows, notes, args):
    derived = sum(1 for r in rows if r[3] == "ec2+derived")
    listed = sum(1 for r in rows if r[3] in ("ec2+ecs", "ecs"))
    exceptions = ", ".join(f"{t} (guide {g}, derived {'-' if d is None else d})"
                           for t, g, d in notes["derivation_exceptions"])
    disagree = ", ".join(f"{t} (guide {w}, EC2 {i} - 1 = {i - 1})"
                         for t, w, i in notes["interfaces_disagree"])
    lines = [
        "ENI capacity of EC2 instance types for ecsq's awsvpc placement (contract section 2).",
        "Generated; do not edit by hand. Regenerate with tools/eni/generate.py (docs/placement.md §7).",
        f"Generated on {args.date} from:",
        f"  [ecs-guide]  {args.ecs_guide_ref}",
        f"  [vpc-limits] {args.vpc_limits_ref}",
        "Columns (tab-separated): instance_type, max_network_interfaces, trunk_task_limit, source.",
        "  max_network_interfaces: EC2's maximum network interfaces, primary included ([vpc-limits]",
        "    `Interface`); awsvpc tasks without trunking = max_network_interfaces - 1.",
        "  trunk_task_limit: awsvpc tasks on an instance with ENI trunking (ecs.awsvpc-trunk-id);",
        "    empty when ECS does not support trunking on the type.",
        "  source: ec2 = interfaces from [vpc-limits], no trunking;",
        "    ec2+ecs = interfaces from [vpc-limits], trunk limit from [ecs-guide]'s table;",
        "    ec2+derived = trunk limit derived: BranchInterface + Interface - 2 from [vpc-limits]",
        "      (the trunk's branch ENIs plus the ordinary slots beside primary and trunk), for types",
        "      [vpc-limits] marks IsTrunkingCompatible and [ecs-guide] neither lists nor excludes;",
        "    ecs = both from [ecs-guide] (interfaces = task limit without trunking + 1).",
        f"Rows: {len(rows)}; trunk limit from [ecs-guide] {listed}, derived {derived}.",
        f"Check of the derivation: it gives [ecs-guide]'s value for "
        f"{notes['derivation_checked'] - len(notes['derivation_exceptions'])} of the "
        f"{notes['derivation_checked']} guide rows [vpc-limits] also has; the guide's value is kept "
        f"for the exceptions: {exceptions or 'none'}.",
        f"Disagreements on the limit without trunking, EC2's interface count kept (the guide predates "
        f"EC2 raising it): {disagree or 'none'}.",
        f"Listed in [ecs-guide]'s table although its note excludes the type or family (table kept): "
        f"{', '.join(notes['excluded_but_listed']) or 'none'}.",
        f"Only in [ecs-guide]: {', '.join(notes['guide_only']) or 'none'}.",
        "instance_type\tmax_network_interfaces\ttrunk_task_limit\tsource",
    ]
    for line in lines:
        # Long notes wrap at 100 columns, continued with an indent, so the header stays readable;
        # indented lines (the source references) and the column line stay whole.
        verbatim = len(line) <= 96 or line.startswith(" ") or "\t" in line
        parts = [line] if verbatim else textwrap.wrap(
            line, 96, break_long_words=False, break_on_hyphens=False)
        for i, part in enumerate(parts):
            out.write(f"# {'  ' if i else ''}{part}\n")
    for instance_type, interfaces, trunk, source in rows:
        out.write(f"{instance_type}\t{interfaces}\t{'' if trunk is None else trunk}\t{source}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ecs-guide", required=True, help="container-instance-eni.md")
    parser.add_argument("--ecs-guide-ref", required=True, help="repo@commit:path of --ecs-guide")
    parser.add_argument("--vpc-limits", required=True, help="limits.go")
    parser.add_argument("--vpc-limits-ref", required=True, help="repo@commit:path of --vpc-limits")
    parser.add_argument("--date", default=datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                        help="the generation date written into the header (default: today, UTC)")
    parser.add_argument("--output", default="-", help="the TSV to write (default: stdout)")
    args = parser.parse_args()

    guide, excluded_types, excluded_families = read_guide(args.ecs_guide)
    rows, notes = build(guide, excluded_types, excluded_families, read_vpc_limits(args.vpc_limits))
    if args.output == "-":
        write(sys.stdout, rows, notes, args)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            write(out, rows, notes, args)


if __name__ == "__main__":
    main()
