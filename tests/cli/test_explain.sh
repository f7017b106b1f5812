# ecsq check --explain and ecsq lint --explain: what a diagnostic code or lint rule means.
source "$(dirname "$0")/lib.sh"

# a code: id and title, severity and stage, then the paragraph wrapped at 80 columns
run 0 check --explain E0107
expect_out "E0107: unterminated quoted value
severity: error, stage: parse

A value opened with \`'\` or \`\"\` has no closing quote of the same kind before the
end of the input. A quoted value is raw text up to the matching quote (there are
no escapes), so the closing quote is always needed; the caret points at the
opening one. \`attribute:stack == 'prod\` becomes \`attribute:stack == 'prod'\`."
too_wide=$(printf '%s\n' "$out" | awk 'length > 80' | wc -l)
checks=$((checks + 1))
if [ "$too_wide" != 0 ]; then
  echo "FAIL: --explain printed lines wider than 80 columns"
  failures=$((failures + 1))
fi

# a rule, from lint; either command takes either kind of id, in any case, L020 for ECSQ-L020
run 0 lint --explain ECSQ-L028
expect_contains 'ECSQ-L028: contradiction
severity: warning, stage: lint'
run 0 lint --explain E0204
expect_contains 'E0204: registeredAt value is not one of the four date forms'
run 0 check --explain ecsq-l030
expect_contains 'ECSQ-L030: fleet-match-count
severity: note, stage: lint'
run 0 check --explain l001
expect_contains 'ECSQ-L001: unreadable-input'
run 0 check --explain w0203
expect_contains 'severity: note, stage: check'

# a lint finding's pair explains both, rule first
run 0 lint --explain ECSQ-L020/E0103
expect_contains 'ECSQ-L020: invalid-expression'
expect_contains 'E0103: expected an operator after a subject'
case "$out" in
  "ECSQ-L020: "*) ;;
  *) echo "FAIL: ECSQ-L020/E0103 does not start with the rule"; failures=$((failures + 1)) ;;
esac
checks=$((checks + 1))

# every code and rule of the reference's tables has an explanation on the command line (asked
# for all at once, the way a lint finding's pair is)
ids=$(grep -oE '^\| (E|W)[0-9]{4} |^\| ECSQ-L[0-9]{3} ' "$SOURCE_DIR/docs/language.md" | tr -d '| ')
count=$(echo "$ids" | wc -w)
checks=$((checks + 1))
if [ "$count" -lt 75 ]; then
  echo "FAIL: only $count ids found in docs/language.md"
  failures=$((failures + 1))
fi
run 0 check --explain "$(echo $ids | tr ' ' '/')"
for id in $ids; do expect_contains "$id: "; done

# unknown ids: exit 2, with what was probably meant when some id is close
run 2 check --explain E0199
expect_out ''
expect_contains "error: unknown diagnostic code or lint rule 'E0199'; did you mean 'E0109' or 'E0119'?"
run 2 lint --explain ECSQ-L0288
expect_contains "did you mean 'ECSQ-L028'?"
run 2 lint --explain ECSQ-L020/E9999
expect_contains "error: unknown diagnostic code or lint rule 'E9999'"
run 2 check --explain nonsense
expect_contains "error: unknown diagnostic code or lint rule 'nonsense'"

# --explain stands alone: with expressions or files it is a usage error, as are no arguments at all
run 2 check --explain E0107 'attribute:a exists'
expect_contains '--explain excludes expressions'
run 2 lint --explain ECSQ-L001 tests/lint/broken.json
run 2 check --explain
run 2 check
expect_contains 'expressions is required'
run 2 lint
expect_contains 'files is required'

finish
