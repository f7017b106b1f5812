# ecsq check, fmt and ast: outputs and exit codes (a contract relied on by automation).
source "$(dirname "$0")/lib.sh"

# check: valid, warnings allowed, exit 0
run 0 check 'attribute:ecs.instance-type == t2.small'
expect_out 'ok: attribute:ecs.instance-type == t2.small'
run 0 check "memberOf(ecs.os-type=='windows')"
expect_contains 'warning[W0101]'
expect_contains 'ok: memberOf(attribute:ecs.os-type == windows)'

# check: the issue's error rendering
run 1 check 'attribute:ecs.instance-type t2.small'
expect_out "error[E0103]: expected an operator after subject 'attribute:ecs.instance-type'
 --> 1:29
  |
1 | attribute:ecs.instance-type t2.small
  |                             ^^^^^^^^ expected one of ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~"

# E0104: the note says why, the help is the one fixed text (the fix-it applied), so they cannot
# disagree; a shorthand subject keeps its spelling in the fix
run 1 check 'attribute:stack'
expect_out "error[E0104]: 'attribute:stack' has no operator
 --> 1:1
  |
1 | attribute:stack
  | ^^^^^^^^^^^^^^^ needs an operator
  = note: 'exists' after it tests that the instance has the attribute
  = help: write 'attribute:stack exists'"
run 1 check 'stack'
expect_contains "  = note: 'exists' after it tests that the instance has the attribute
  = help: write 'stack exists'"
run 1 check 'task:group and attribute:a exists'
expect_contains "  = note: 'exists' after it tests that the instance runs a task
  = help: write 'task:group exists and attribute:a exists'"
# and what the help writes is valid
run 0 check 'task:group exists and attribute:a exists'
run 0 check 'stack exists'

# check: any error among several -> 1
run 1 check 'attribute:a == b' 'attribute:a = b'
expect_contains 'ok: attribute:a == b'
expect_contains '--> expression 2:1:13'

# check --format json: one object per expression, per line
run 0 check --format json 'ec2InstanceId==i-0abc'
expect_out '{"expression":"ec2InstanceId==i-0abc","valid":true,"canonical":"ec2InstanceId == i-0abc","diagnostics":[]}'
run 1 check --format json 'attribute:stack = prod'
expect_out '{"expression":"attribute:stack = prod","valid":false,"canonical":null,"diagnostics":[{"severity":"error","code":"E0105","message":"'"'"'='"'"' is not an operator; did you mean '"'"'=='"'"'?","line":1,"column":17,"length":1,"notes":[],"fixits":[{"line":1,"column":17,"length":1,"replacement":"=="}]}]}'

# check: expressions from standard input with -
out=$(printf 'attribute:a == b\n\nrunningTasksCount > 1\n' | "$ECSQ" check -)
code=$?
checks=$((checks + 1))
if [ "$code" != 0 ] || [ "$out" != $'ok: attribute:a == b\nok: runningTasksCount > 1' ]; then
  echo "FAIL: check - from stdin: exit $code, output: $out"
  failures=$((failures + 1))
fi

# usage errors -> 2
run 2 check
run 2 check --format xml 'attribute:a exists'
run 2 no-such-command

# fmt: canonical forms, one per line
run 0 fmt 'attribute:a EQUALS b && not(task:group == database)' 'memberOf(ecs.os-type=="windows")' distinctInstance
expect_out 'attribute:a == b and not(task:group == database)
memberOf(attribute:ecs.os-type == windows)
distinctInstance'
run 1 fmt 'attribute:a == (b'
expect_contains 'error[E0118]'

# ast: text and json
run 0 ast 'attribute:a == b or not task:group exists'
expect_out "expression
  or @0..41
    comparison @0..16
      subject attribute:a @0..11
      operator == @12..14
      value b @15..16
    not @20..41
      comparison @24..41
        subject task:group @24..34
        operator exists @35..41"
run 0 ast --format json "memberOf(ecs.os-type=='windows')"
expect_out '{"form":"memberOf","canonical":"memberOf(attribute:ecs.os-type == windows)","root":{"kind":"comparison","span":[9,31],"subject":{"kind":"attribute","name":"ecs.os-type","shorthand":true,"span":[9,20]},"operator":{"op":"==","span":[20,22]},"values":[{"text":"windows","quote":"'"'"'","span":[22,31]}]}}'

# ast: several expressions, one tree each (a blank line between); from standard input with -
run 0 ast 'attribute:a == b' 'not task:group exists'
expect_out "expression
  comparison @0..16
    subject attribute:a @0..11
    operator == @12..14
    value b @15..16

expression
  not @0..21
    comparison @4..21
      subject task:group @4..14
      operator exists @15..21"
from_arguments=$out
out=$(printf 'attribute:a == b\n\nnot task:group exists\n' | "$ECSQ" ast -)
expect_out "$from_arguments"
# JSON: one document per expression and line
out=$(printf 'attribute:a == b\ndistinctInstance\n' | "$ECSQ" ast --format json -)
expect_out '{"form":"expression","canonical":"attribute:a == b","root":{"kind":"comparison","span":[0,16],"subject":{"kind":"attribute","name":"a","shorthand":false,"span":[0,11]},"operator":{"op":"==","span":[12,14]},"values":[{"text":"b","quote":null,"span":[15,16]}]}}
{"form":"distinctInstance","canonical":"distinctInstance","root":null}'
# an error in one: the others still print, exit 1, the diagnostic names which expression
run 1 ast 'attribute:a == b' 'attribute:a = b'
expect_out "expression
  comparison @0..16
    subject attribute:a @0..11
    operator == @12..14
    value b @15..16"
expect_contains '--> expression 2:1:13'
run 2 ast

finish
