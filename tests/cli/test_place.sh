# ecsq place (placement contract §6, §7): flags, exit codes, text and JSON output, the sample
# fleet by default, and every bad input as a coded diagnostic with its file and line.
source "$(dirname "$0")/lib.sh"
cd "$SOURCE_DIR" || exit 1
P=tests/cli/place
FLEETS=(--fleet $P/fleet-a.json --fleet $P/fleet-b.json)

# ---- text output: one line per task, the failures, the rejection summary; exit 1 when a task
# is not placed. The closest matching instance is the first in fleet order, and with several
# --fleet files that is file order (i-a1 of fleet-a.json).
run 1 place "${FLEETS[@]}" --task-definition $P/web.json --count 4 --ties fleet-order \
  --strategy spread:attribute:ecs.availability-zone
expect_out 'Placed 3 of 4 tasks (RunTask, group family:web; strategies: spread(attribute:ecs.availability-zone); seed 0)
TASK  INSTANCE              ZONE           TYPE           CPU LEFT MEMORY LEFT
0     i-a1                  us-east-1a     m5.large           1536        6656
1     i-a2                  us-east-1b     m5.large           1792        7168
2     i-b1                  us-east-1c     c5.large           1792        3072
Not placed:
  task 3: RESOURCE:PORTS (closest matching: i-a1)
Rejected when task 3 was tried (3 ACTIVE instances):
  RESOURCE:PORTS                                       3'
run 1 place --fleet $P/fleet-b.json --fleet $P/fleet-a.json --task-definition $P/web.json --count 4 --ties fleet-order
expect_contains 'task 3: RESOURCE:PORTS (closest matching: i-b1)'

# ---- JSON: exactly the contract's members; tasks and failures in task order; every filter
# under rejections; service failures with their event.
run 1 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/service.json --count 4 --format json
expect_out '{
  "tasks": [
    {"index":0,"containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/test/0fb1","ec2InstanceId":"i-b1","group":"service:web"},
    {"index":1,"containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/test/0fa1","ec2InstanceId":"i-a1","group":"service:web"},
    {"index":2,"containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/test/0fa2","ec2InstanceId":"i-a2","group":"service:web"}
  ],
  "failures": [
    {"index":3,"arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/test/0fa1","reason":"RESOURCE:PORTS"}
  ],
  "events": [
    "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0fa1) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
  ],
  "rejections": {
    "AGENT": 0,
    "ATTRIBUTE": 0,
    "RESOURCE:CPU": 0,
    "RESOURCE:MEMORY": 0,
    "RESOURCE:PORTS": 3,
    "RESOURCE:PORTS_UDP": 0,
    "RESOURCE:GPU": 0,
    "RESOURCE:ENI": 0,
    "MemberOf placement constraint unsatisfied.": 0,
    "DistinctInstance placement constraint unsatisfied.": 0
  },
  "seed": 0
}'
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --count 2 --format json --seed 7
expect_contains '"failures": [],'
expect_contains '"seed": 7'

# ---- flags: constraints add to the request file's, strategies, count and group replace them.
# The file's strategy is binpack(memory) (i-b1 first, the least memory); spread:instanceId
# replaces it (i-a2 first: i-a1 runs a task of service:web); the file's count 2 becomes 1.
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/service.json --ties fleet-order
expect_contains 'Placed 2 of 2 tasks (REPLICA service, group service:web; strategies: binpack(memory); seed 0)'
expect_contains '0     i-b1'
# Without --count and without a count in a request file: one task.
run 0 place "${FLEETS[@]}" --task-definition $P/web.json
expect_contains 'Placed 1 of 1 task (RunTask, group family:web; strategies: random; seed 0)'
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/service.json --ties fleet-order \
  --strategy spread:instanceId --count 1
expect_contains 'Placed 1 of 1 task (REPLICA service, group service:web; strategies: spread(instanceId); seed 0)'
expect_contains '0     i-a2'
# The file's memberOf (linux) and the flag's (not zone c) both hold.
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/service.json --ties fleet-order \
  --constraint 'attribute:ecs.availability-zone != us-east-1c'
expect_contains '0     i-a1'
expect_contains 'MemberOf placement constraint unsatisfied.           1'
run 1 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/service.json \
  --constraint 'memberOf(attribute:ecs.os-type == windows)'
expect_contains 'task 0: MemberOf placement constraint unsatisfied. (closest matching: i-a1)'
# --group names a RunTask's group; distinctInstance keeps it apart.
run 1 place "${FLEETS[@]}" --task-definition $P/web.json --count 3 --group service:web --constraint distinctInstance \
  --ties fleet-order
expect_contains 'group service:web'
expect_contains 'task 2: DistinctInstance placement constraint unsatisfied. (closest matching: i-a1)'
# --count max: the tasks that fit, the first that does not, exit 0.
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --count max
expect_contains 'Fitted 3 of 4 tasks'
expect_contains 'The next task does not fit:'
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/service.json --count max --format json
expect_contains '{"index":3,"arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/test/0fa1","reason":"RESOURCE:PORTS"}'

# ---- seeds and ties: the same seed gives the same placements; RunTask without strategies is
# random whatever --ties says.
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --count 2 --seed 11
first=$out
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --count 2 --seed 11
expect_out "$first"
expect_contains 'strategies: random; seed 11'
distinct_first=""
for seed in 1 2 3 4 5 6 7 8; do
  run 0 place "${FLEETS[@]}" --task-definition $P/web.json --count 1 --seed $seed --ties fleet-order
  distinct_first+=$(echo "$out" | sed -n 3p | awk '{print $2}')$'\n'
done
checks=$((checks + 1))
if [ "$(echo "$distinct_first" | sort -u | grep -c .)" -lt 2 ]; then
  echo "FAIL: RunTask's random strategy gave the same instance for 8 seeds with --ties fleet-order"
  failures=$((failures + 1))
fi

# ---- DAEMON: one task per ACTIVE instance that passes the filters; strategies ignored.
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/daemon.yaml --count 5
expect_contains 'Placed 3 of 3 tasks (DAEMON service, group service:log-agent; strategies: none; seed 0)'
expect_contains 'note: --count is ignored for a DAEMON service'
run 1 place "${FLEETS[@]}" --task-definition $P/web.json --service $P/daemon.yaml --count max \
  --constraint 'attribute:ecs.os-type == windows'
expect_contains 'task 0: MemberOf placement constraint unsatisfied. (closest matching: i-a1)'

# ---- the bundled sample fleet by default; the README's placement.
run 1 place --task-definition data/sample-task-definition.json --service data/sample-service.json
expect_contains 'Placed 6 of 7 tasks (REPLICA service, group service:analytics'
expect_contains 'has insufficient memory available. For more information, see the Troubleshooting section'
run 0 place --task-definition data/sample-task-definition.json --run-task data/sample-run-task.json
expect_contains 'Placed 2 of 2 tasks (RunTask, group analytics-backfill; strategies: binpack(memory); seed 0)'
# The task definition from standard input.
out=$("$ECSQ" place --fleet $P/fleet-a.json --task-definition - --count 1 < $P/web.json 2>&1)
checks=$((checks + 1))
case "$out" in *"Placed 1 of 1 task"*) ;; *) echo "FAIL: task definition from stdin: $out"; failures=$((failures + 1)) ;; esac

# ---- bad inputs: coded diagnostics pointing at file and line, exit 1 (2: unreadable, usage)
run 1 place --task-definition $P/no-memory.json
expect_contains 'error[E0504]: containerDefinitions[0]: container "app" has neither memory nor memoryReservation'
expect_contains ' --> tests/cli/place/no-memory.json:4:9'
run 1 place --task-definition $P/web.json --service $P/six-strategies.json
expect_contains 'tests/cli/place/six-strategies.json:4:26: error[ECSQ-L042]: 6 placement strategies in this service'
run 1 place --task-definition $P/web.json --run-task $P/eleven-constraints.json
expect_contains 'tests/cli/place/eleven-constraints.json:4:29: error[ECSQ-L014]: 11 placement constraints'
run 1 place --task-definition $P/web.json --run-task $P/count-11.json
expect_contains 'error[E0509]: count: RunTask places 1 to 10 tasks, not 11'
expect_contains ' --> tests/cli/place/count-11.json:3:14'
run 1 place --task-definition $P/web.json --service $P/binpack-disk.yaml
expect_contains "tests/cli/place/binpack-disk.yaml:5:12: error[ECSQ-L041]: binpack field 'disk' is not cpu or memory"
run 1 place --task-definition $P/web.json --run-task $P/distinct-expression.json
expect_contains 'tests/cli/place/distinct-expression.json:4:52: error[ECSQ-L012]: distinctInstance with an expression'
run 2 place --task-definition $P/broken.json
expect_contains 'tests/cli/place/broken.json:4:39: error[ECSQ-L001]: invalid JSON'
run 2 place --task-definition $P/no-such-file.json
expect_contains 'error[ECSQ-L001]: cannot read'
run 2 place --task-definition $P/web.json --fleet $P/broken.json
expect_contains 'error[E0401]: invalid JSON'
# Lint's errors in an expression of the task definition or request are input errors too.
run 1 place --task-definition tests/lint/task-definition-bad.json
expect_contains 'error[ECSQ-L020/E0103]'
# Command-line strategies and constraints.
run 1 place --task-definition $P/web.json --strategy binpack:disk
expect_contains "error[E0516]: binpack ranks by cpu or memory, not 'disk'"
expect_contains ' --> --strategy:1:9'
run 1 place --task-definition $P/web.json --strategy spread:zone
expect_contains 'error[E0516]'
run 1 place --task-definition $P/web.json --constraint 'distinctInstance(attribute:stack == prod)'
expect_contains 'error[E0514]: distinctInstance takes no expression'
run 1 place --task-definition $P/web.json --constraint 'attribute:stack = prod'
expect_contains "error[E0105]: '=' is not an operator; did you mean '=='?"
expect_contains ' --> --constraint:1:17'
run 1 place --task-definition $P/web.json --strategy random --strategy random --strategy random \
  --strategy random --strategy random --strategy binpack:cpu
expect_contains 'error[E0512]: 6 placement strategies; AWS allows 5'
constraints=()
for i in 1 2 3 4 5 6 7 8 9 10; do constraints+=(--constraint "attribute:a$i exists"); done
run 1 place --task-definition $P/web.json --run-task $P/distinct-expression.json "${constraints[@]}"
expect_contains 'ECSQ-L012'
run 1 place --task-definition data/sample-task-definition.json "${constraints[@]}"
expect_contains 'error[E0513]: 11 placement constraints for one task (task definition 1 + request 10); AWS allows 10'
run 1 place --task-definition $P/web.json --count 11
expect_contains 'error[E0509]: RunTask places 1 to 10 tasks, not 11'
run 1 place --task-definition $P/web.json --service $P/service.json --count -2
expect_contains 'error[E0510]'
run 1 place --task-definition $P/web.json --service $P/service.json --count 100001
expect_contains 'error[E0517]'
# Usage: exit 2.
run 2 place --task-definition $P/web.json --count many
expect_contains "error: --count takes a number of tasks or 'max', not 'many'"
run 2 place --task-definition $P/web.json --service $P/service.json --group batch
expect_contains 'error: --group cannot be combined with --service'
run 2 place --task-definition $P/web.json --run-task $P/service.json
expect_contains "is a CreateService request; give it with --service"
run 2 place --task-definition $P/web.json --run-task $P/count-11.json --service $P/service.json
run 2 place --task-definition $P/web.json --ties alphabetical
run 2 place --task-definition $P/web.json --format yaml
run 2 place --count 1
run 2 place --task-definition - --fleet -

# ---- html (docs/placement.md §9): the self-contained report page, with the same exit code as the
# other formats; tests/browser/ renders it. An input error is reported on stderr, no page.
run 1 place "${FLEETS[@]}" --task-definition $P/web.json --count 4 --ties fleet-order --format html
expect_contains '<!DOCTYPE html>'
expect_contains '<script type="application/json" id="report-data">{"kind":"place"'
expect_contains '"failures":[{"index":3,"reason":"RESOURCE:PORTS","instance":"i-a1"'
run 0 place "${FLEETS[@]}" --task-definition $P/web.json --count 2 --format html
expect_contains '"tasks":2,"fitted":null'
run 0 explain --summary --format html 'attribute:ecs.os-type == linux'
expect_contains '<script type="application/json" id="report-data">{"kind":"explain"'
run 2 place --task-definition $P/web.json --count many --format html
expect_out ''

finish
