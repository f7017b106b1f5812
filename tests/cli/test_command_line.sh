# Mistakes on the command line itself: an unknown command gets a did-you-mean, and an expression
# the shell split into several arguments gets a note saying how to quote it.
source "$(dirname "$0")/lib.sh"
# The suggested commands quote paths back as given; run from the source tree so they are short.
cd "$SOURCE_DIR" || exit 1

# unknown command: exit 2 like every usage error, nothing on stdout, the closest command named
run 2 chek 'attribute:a exists'
expect_out ''
checks=$((checks + 1))
if [ "$err" != "error: unknown command 'chek'; did you mean 'check'?" ]; then
  echo "FAIL: chek: stderr is: $err"
  failures=$((failures + 1))
fi
run 2 selct 'attribute:a exists'
expect_contains "error: unknown command 'selct'; did you mean 'select'?"
run 2 Explain 'attribute:a exists'
expect_contains "did you mean 'explain'?"
run 2 lnit tests/lint/task-definition-good.json
expect_contains "did you mean 'lint'?"
# nothing close: the commands are listed instead (every one, whatever commands are added later)
run 2 frobnicate
expect_contains "error: unknown command 'frobnicate'; the commands are check, "
for name in fmt ast select explain lint; do expect_contains ", $name"; done
# the program's own options still come before the command
run 0 --version
expect_contains 'ecsq '
run 0 --help
expect_contains 'Subcommands:'

# shell split: `ecsq check attribute:ecs.os-type == linux` is 3 arguments; joined they parse
note="note: the shell split your expression into 3 arguments; quote it: ecsq check 'attribute:ecs.os-type == linux'"
run 1 check attribute:ecs.os-type == linux
expect_contains "$note"
# every command taking expressions says so, quoting its own command line back (options kept)
run 1 fmt attribute:ecs.os-type == linux
expect_contains "note: the shell split your expression into 3 arguments; quote it: ecsq fmt 'attribute:ecs.os-type == linux'"
run 1 ast --format json attribute:ecs.os-type == linux
expect_contains "quote it: ecsq ast --format json 'attribute:ecs.os-type == linux'"
fleet=tests/data/fleets/describe-container-instances.json
run 1 select --fleet $fleet --format table attribute:ecs.os-type == linux
expect_contains "quote it: ecsq select --fleet $fleet --format table 'attribute:ecs.os-type == linux'"
run 1 explain --summary attribute:ecs.instance-type '=~' 't3.*' and not task:group == service:web
expect_contains "the shell split your expression into 8 arguments; quote it: ecsq explain --summary 'attribute:ecs.instance-type =~ t3.* and not task:group == service:web'"

# the suggested command runs as printed, and gives what the quoted expression gives
run 1 select --fleet $fleet attribute:ecs.os-type == linux
suggested=${err##*quote it: ecsq }
checks=$((checks + 1))
expected=$("$ECSQ" select --fleet $fleet 'attribute:ecs.os-type == linux')
got=$(eval "\"\$ECSQ\" $suggested")
if [ -z "$expected" ] || [ "$got" != "$expected" ]; then
  echo "FAIL: the suggested command ($suggested) printed: $got"
  failures=$((failures + 1))
fi
# a value needing quotes is quoted so the shell gives it back whole
run 1 check attribute:note == "it's"
expect_contains "quote it: ecsq check 'attribute:note == it'\\''s'"

# never on intended separate expressions: each parses alone, or together they do not parse
run 0 check 'attribute:a exists' 'attribute:b exists'
expect_out 'ok: attribute:a exists
ok: attribute:b exists'
run 1 check 'attribute:a exists' 'attribute:b = c'
checks=$((checks + 1))
case "$out$err" in *'shell split'*) echo "FAIL: hint on two intended expressions"; failures=$((failures + 1)) ;; esac
run 1 check attribute:a attribute:b
checks=$((checks + 1))
case "$out$err" in *'shell split'*) echo "FAIL: hint where the joined text does not parse"; failures=$((failures + 1)) ;; esac
# nor for one argument, nor for expressions read from standard input
run 1 check 'attribute:ecs.os-type'
checks=$((checks + 1))
case "$out$err" in *'shell split'*) echo "FAIL: hint on a single argument"; failures=$((failures + 1)) ;; esac
out=$(printf 'attribute:ecs.os-type\n==\nlinux\n' | "$ECSQ" check - 2>&1)
checks=$((checks + 1))
case "$out" in *'shell split'*) echo "FAIL: hint on standard input lines"; failures=$((failures + 1)) ;; esac
# select and explain AND several expressions: the split pieces are still told apart from them
run 0 select --fleet $fleet 'attribute:ecs.os-type exists' 'agentConnected == true'
checks=$((checks + 1))
case "$out$err" in *'shell split'*) echo "FAIL: hint on select's ANDed expressions"; failures=$((failures + 1)) ;; esac

finish
