# ecsq lint rule control: --list-rules, --disable/--enable/--severity, .ecsq-lint.yaml (found
# upward, --config, --no-config) and suppression comments.
source "$(dirname "$0")/lib.sh"
cd "$SOURCE_DIR" || exit 1
L=tests/lint
M=$L/cloudformation-mistakes.yaml

# --list-rules: one line per rule, id, default severity, name, summary; no files
run 0 lint --list-rules
expect_contains 'ECSQ-L025  warning  glob-like-regex'
expect_contains 'ECSQ-L029  error    contradiction-across-constraints'
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | wc -l)" = "$(grep -c '^ECSQ_LINT_RULE(' include/ecsq/lint_rules.inc)" ] ||
  { echo "FAIL: --list-rules lists $(printf '%s\n' "$out" | wc -l) rules"; failures=$((failures + 1)); }
run 2 lint --list-rules $M

# the template with every mistake: errors (ECSQ-L029, ECSQ-L020), so exit 1
run 1 lint --no-config $M
expect_contains "$M:31:23: error[ECSQ-L029]: 'attribute:ecs.os-type == linux' contradicts 'attribute:ecs.os-type == windows'"
expect_contains "= note: the other constraint is at $M:18:23, Resources.InferenceTask.Properties.PlacementConstraints[0].Expression"
expect_contains "$M:33:58: warning[ECSQ-L051]: 'us-east-1' is a region, not an availability zone"
expect_contains "= help: write 'attribute:ecs.ami-id =~ ami-0.23.*'"
expect_contains "= help: write 'attribute:ecs.instance-type =~ .*\\.xlarge'"
expect_contains '1 file, 10 constraints: 3 errors, 8 warnings, 0 notes'

# --disable and --severity, by id or name; --enable undoes --disable
run 0 lint --no-config --disable ECSQ-L029 --disable invalid-expression $M
expect_contains '0 errors, 8 warnings'
run 1 lint --no-config --disable ECSQ-L029 --disable invalid-expression --severity ecsq-l052=error $M
expect_contains "$M:20:54: error[ECSQ-L052]: ecs.instance-type is never 'Inf1.xlarge'; did you mean 'inf1.xlarge'?"
expect_contains '3 errors, 5 warnings'
run 1 lint --no-config --disable ECSQ-L029 --enable contradiction-across-constraints $M
expect_contains 'error[ECSQ-L029]'
run 2 lint --no-config --disable ECSQ-L99 $M
expect_contains "error: unknown lint rule 'ECSQ-L99'"
run 2 lint --no-config --severity ECSQ-L025=fatal $M
expect_contains "error: --severity 'fatal' is not a severity: use error, warning or note"

# the config file: --config, found upward from the current directory, --no-config
run 1 lint --config $L/config/.ecsq-lint.yaml --format json $M
expect_contains '"summary":{"files":1,"constraints":10,"errors":6,"warnings":0,"notes":2,"suppressed":0}'
work=$(mktemp -d)
mkdir -p "$work/repo/ecs/service"
cp $L/config/.ecsq-lint.yaml "$work/repo/"
cp $M "$work/repo/ecs/service/template.yaml"
out=$(cd "$work/repo/ecs/service" && "$ECSQ" lint --format json template.yaml)
checks=$((checks + 1))
case "$out" in
  *'"errors":6,"warnings":0,"notes":2'*) ;;
  *) echo "FAIL: .ecsq-lint.yaml in a parent directory was not applied: $out"; failures=$((failures + 1)) ;;
esac
out=$(cd "$work/repo/ecs/service" && "$ECSQ" lint --no-config --format json template.yaml)
checks=$((checks + 1))
case "$out" in
  *'"errors":3,"warnings":8,"notes":0'*) ;;
  *) echo "FAIL: --no-config still applied .ecsq-lint.yaml: $out"; failures=$((failures + 1)) ;;
esac
printf 'disable: [ECSQ-L025]\nseverty: {ECSQ-L052: error}\n' >"$work/bad.yaml"
run 2 lint --config "$work/bad.yaml" $M
expect_contains "error: $work/bad.yaml: unknown key 'severty'; did you mean 'severity'?"
run 2 lint --config "$work/missing.yaml" $M
expect_contains "error: cannot read the lint config file '$work/missing.yaml'"
run 2 lint --config $L/config/.ecsq-lint.yaml --no-config $M
rm -rf "$work"

# suppression comments: counted in text and JSON, listed with their reason in SARIF
run 0 lint --no-config $L/suppressed.yaml
expect_contains '1 file, 4 constraints: 0 errors, 2 warnings, 0 notes (3 suppressed by ecsq-lint comments)'
expect_contains "$L/suppressed.yaml:19:11: warning[ECSQ-L053]: unknown lint rule 'ECSQ-L25'; did you mean 'ECSQ-L025'?"
checks=$((checks + 1))
case "$out" in *'ECSQ-L025]'*) echo "FAIL: a suppressed finding is shown"; failures=$((failures + 1)) ;; esac
run 0 lint --no-config --format json $L/suppressed.yaml
expect_contains '"warnings":2,"notes":0,"suppressed":3}'
run 0 lint --no-config --format sarif $L/suppressed.yaml
expect_contains '"suppressions":[{"kind":"inSource","justification":"our zones really are named us-east-1, us-east-11, ..."}]'
# a suppressed error does not fail the run
run 0 lint --no-config --severity ECSQ-L025=error $L/suppressed.yaml

finish
