# ecsq lint: exit codes, formats, standard input and the fleet check (a contract relied on by CI).
source "$(dirname "$0")/lib.sh"
# Paths in the output are as given; run from the source tree so they match the goldens.
cd "$SOURCE_DIR" || exit 1
L=tests/lint
golden_inputs=($L/task-definition-bad.json $L/describe-task-definition.json $L/create-service.json
  $L/update-service.json $L/run-task.json $L/constraint-list.json $L/cloudformation.yaml $L/cloudformation.json
  $L/too-long.json $L/too-many.json $L/not-ecs.json $L/broken.json)

# clean files: exit 0 and a summary line
run 0 lint $L/task-definition-good.json $L/cloudformation-good.yaml
expect_out '2 files, 5 constraints: 0 errors, 0 warnings, 0 notes'

# errors: exit 1, compiler-style first line with the rule and the parser's code
run 1 lint $L/task-definition-bad.json
expect_contains 'tests/lint/task-definition-bad.json:9:69: error[ECSQ-L020/E0103]: expected an operator after subject'
expect_contains 'tests/lint/task-definition-bad.json:7:14: error[ECSQ-L010]: unknown placement constraint type'

# a CDK-synthesised template that binpacks on CPU and MEMORY is clean; a Terraform plan is read
run 0 lint $L/cdk-binpack.json
expect_out '1 file, 2 constraints: 0 errors, 0 warnings, 0 notes'
run 1 lint $L/terraform-plan.json
expect_contains 'tests/lint/terraform-plan.json:67:62: warning[ECSQ-L023]: ecs.os-family is never'
expect_contains 'planned_values.root_module.child_modules[0].resources[0].values.placement_constraints[1].expression'
expect_contains 'error[ECSQ-L007]: launch type FARGATE with placement strategies'

# warnings only: exit 0, or 1 with --strict
run 0 lint $L/update-service.json
expect_contains 'warning[ECSQ-L026]'
run 1 lint --strict $L/update-service.json
# notes never fail a run, even with --strict
run 0 lint --strict $L/cloudformation-good.yaml

# unreadable input: exit 2, and the other files are still reported
run 2 lint $L/broken.json
expect_contains 'tests/lint/broken.json:5:5: error[ECSQ-L001]: invalid JSON'
run 2 lint $L/no-such-file.json $L/task-definition-bad.json
expect_contains 'error[ECSQ-L001]: cannot read: No such file or directory'
expect_contains 'error[ECSQ-L010]'
run 2 lint --format sarif $L/broken.json
expect_contains '"ruleId":"ECSQ-L001"'

# usage errors: exit 2
run 2 lint
run 2 lint --format xml $L/task-definition-good.json
run 2 lint --color sometimes $L/task-definition-good.json

# whole outputs equal the goldens (the unit tests produce the same through the library)
run 2 lint "${golden_inputs[@]}"
expect_out "$(cat $L/golden/lint.txt)"
run 2 lint --format json "${golden_inputs[@]}"
expect_out "$(cat $L/golden/lint.json)"
run 2 lint --format sarif "${golden_inputs[@]}"
expect_out "$(cat $L/golden/lint.sarif)"

# the three every-mistake files (issue 17's "Done when") as SARIF: exit 1, and the log passes the
# 2.1.0 schema and GitHub's checks. validate_sarif.py runs the ecsq it is given with its own
# arguments, so it is given a stand-in that lints these three files instead.
every_mistake=($L/every-mistake/terraform-plan.json $L/every-mistake/cdk-template.json $L/every-mistake/cloudformation.yaml)
run 1 lint --no-config --format sarif "${every_mistake[@]}"
stand_in=$(mktemp)
printf '#!/bin/sh\nexec "%s" lint --no-config --format sarif %s\n' "$ECSQ" "${every_mistake[*]}" >"$stand_in"
chmod +x "$stand_in"
validation=$(/usr/bin/python3 $L/sarif/validate_sarif.py "$stand_in" "$SOURCE_DIR" 2>&1)
code=$?
rm -f "$stand_in"
checks=$((checks + 1))
if [ "$code" != 0 ]; then
  echo "FAIL: SARIF of the every-mistake files: $validation"
  failures=$((failures + 1))
fi

# standard input
out=$("$ECSQ" lint - <$L/run-task.json)
code=$?
checks=$((checks + 1))
case "$out" in
  *'stdin:6:69: warning[ECSQ-L028]'*) [ "$code" = 1 ] || { echo "FAIL: lint - exited $code"; failures=$((failures + 1)); } ;;
  *) echo "FAIL: lint - from stdin: $out"; failures=$((failures + 1)) ;;
esac
out=$(printf 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      PlacementConstraints:\n        - Type: memberof\n' | "$ECSQ" lint --format json -)
code=$?
checks=$((checks + 1))
case "$out" in
  *'"rule":"ECSQ-L010"'*'"file":"stdin"'*) [ "$code" = 1 ] || { echo "FAIL: lint - (YAML) exited $code"; failures=$((failures + 1)); } ;;
  *) echo "FAIL: lint - (YAML) from stdin: $out"; failures=$((failures + 1)) ;;
esac

# standard input can be read once: a file to lint or a fleet, not both
out=$("$ECSQ" lint --fleet - - <$L/run-task.json 2>&1)
code=$?
checks=$((checks + 1))
if [ "$code" != 2 ] || [ "$out" != 'error: standard input can hold a file to lint (-) or a fleet (--fleet -), not both' ]; then
  echo "FAIL: lint --fleet - -: exit $code, output: $out"
  failures=$((failures + 1))
fi

# colour: only when asked for, or on a terminal (never into a pipe)
run 1 lint --color always $L/task-definition-bad.json
expect_contains $'\e['
run 1 lint $L/task-definition-bad.json
checks=$((checks + 1))
case "$out" in *$'\e'*) echo "FAIL: colour in piped output"; failures=$((failures + 1)) ;; esac
run 1 lint --color never $L/task-definition-bad.json
checks=$((checks + 1))
case "$out" in *$'\e'*) echo "FAIL: colour with --color never"; failures=$((failures + 1)) ;; esac

# fleet-aware lint: counts per constraint, an error when none matches
run 1 lint --fleet $L/fleet.json $L/task-definition-good.json $L/fleet-service.json $L/fleet-run-task.json
expect_out "$(cat $L/golden/fleet.txt)"
run 0 lint --fleet $L/fleet.json $L/task-definition-good.json
expect_contains 'note[ECSQ-L030]: 1 of 3 fleet instances satisfy this constraint'
run 2 lint --fleet $L/broken.json $L/task-definition-good.json
expect_contains 'E0401'
run 2 lint --fleet $L/no-such-fleet.json $L/task-definition-good.json

finish
