#!/usr/bin/env bash
# Regenerates data/eni-capacity.tsv from local git clones of the two sources, at pinned commits.
# Usage: tools/eni/regenerate.sh GUIDE_GIT_DIR VPC_GIT_DIR [VPC_COMMIT]
#   GUIDE_GIT_DIR: a clone of awsdocs/amazon-ecs-developer-guide (its .git directory or a bare repo)
#   VPC_GIT_DIR:   a clone of aws/amazon-vpc-resource-controller-k8s
#   VPC_COMMIT:    the limits.go revision to read (default: the one the table was built from);
#                  pass HEAD after a `git fetch` to pick up new instance types.
# The guide is archived: 49232cf is its last commit with the page (the next deletes doc_source/).
set -euo pipefail
guide_git=$1 vpc_git=$2
guide_commit=49232cf2ab3bbe78781a45fb1a4c4cf7eee8790a
vpc_commit=$(git --git-dir="$vpc_git" rev-parse "${3:-58c8559e6486e4c04453a5a5239ce1df0da10b30}")
guide_path=doc_source/container-instance-eni.md
vpc_path=pkg/aws/vpc/limits.go
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git --git-dir="$guide_git" show "$guide_commit:$guide_path" >"$work/container-instance-eni.md"
git --git-dir="$vpc_git" show "$vpc_commit:$vpc_path" >"$work/limits.go"
python3 "$root/tools/eni/generate.py" \
  --ecs-guide "$work/container-instance-eni.md" \
  --ecs-guide-ref "awsdocs/amazon-ecs-developer-guide@$guide_commit:$guide_path" \
  --vpc-limits "$work/limits.go" \
  --vpc-limits-ref "aws/amazon-vpc-resource-controller-k8s@$vpc_commit:$vpc_path" \
  ${ECSQ_ENI_DATE:+--date "$ECSQ_ENI_DATE"} \
  --output "$root/data/eni-capacity.tsv"
echo "wrote $root/data/eni-capacity.tsv" >&2
