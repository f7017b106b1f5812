# ecsq select and explain on the bundled sample fleet and on a fleet file (answers cross-checked
# by hand against data/sample-fleet.json).
source "$(dirname "$0")/lib.sh"

run 0 select 'attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'
expect_out 'i-0af9bcf9a50e763c5
i-06bc115ccf6e8317e
i-0cc8b966f9eddfc91
i-052d988948c54e122
i-0e8d50f3916eaec32
i-047b852e645a7eeb1
i-06ed9c72581762719
i-083c8dd3edd51d657'

run 0 select "memberOf(attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL)"
expect_out 'i-0d053ef91b7c725b6
i-09ba951d234d2a5e6
i-06bbe9c18a4cc4bf9'

run 0 select 'agentVersion < 1.14.5'
expect_out 'i-020eb7794317b628d
i-0c33e6e550d2c8121
i-0f2fa4bd4c0f23c20'

run 0 select "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']"
expect_out 'i-abcd1234
i-wxyx7890'

# nothing matches: still exit 0, no output
run 0 select 'attribute:ecs.capability.nvidia.gpu exists'
expect_out ''

run 0 select --format json "ec2InstanceId == i-abcd1234"
expect_out '{"expression":"ec2InstanceId == i-abcd1234","canonical":"ec2InstanceId == i-abcd1234","instances":64,"matched":1,"matches":[{"ec2InstanceId":"i-abcd1234","containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/sample/b8b62c784b7b1483e948b785b455733f"}]}'

run 0 select --format table 'ec2InstanceId == i-abcd1234'
expect_contains 'EC2 INSTANCE'
expect_contains 'i-abcd1234            t2.small'

# errors: expression -> 1, input -> 1, usage -> 2
run 1 select 'runningTasksCount > many'
expect_contains 'error[E0205]'
run 1 select --fleet "$SOURCE_DIR/tests/data/fleets/bad-fields.json" 'attribute:a exists'
expect_contains 'error[E040'
run 1 select --fleet /nonexistent/fleet.json 'attribute:a exists'
expect_contains 'E0405'
run 2 select --format xml 'attribute:a exists'

# a fleet file and several merged
run 0 select --fleet "$SOURCE_DIR/tests/data/fleets/describe-container-instances.json" --fleet "$SOURCE_DIR/tests/data/fleets/describe-tasks.json" 'task:group exists'
checks=$((checks + 1))
if [ -z "$out" ]; then echo "FAIL: merged fleet with tasks selected nothing"; failures=$((failures + 1)); fi

# the same fleet read from a file, a pipe (`--fleet <(...)`) and standard input gives the same answer
fleet="$SOURCE_DIR/tests/data/fleets/describe-container-instances.json"
run 0 select --fleet "$fleet" 'attribute:ecs.os-type exists'
from_file=$out
run 0 select --fleet <(cat "$fleet") 'attribute:ecs.os-type exists'
expect_out "$from_file"
out=$("$ECSQ" select --fleet - 'attribute:ecs.os-type exists' <"$fleet")
expect_out "$from_file"
checks=$((checks + 1))
if [ -z "$from_file" ]; then echo "FAIL: the fleet file selected nothing"; failures=$((failures + 1)); fi

# explain: one instance, every clause with what it saw
run 0 explain --instance i-abcd1234 'attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d'
expect_out 'i-abcd1234 does not match
✗ and
  ✗ attribute:ecs.instance-type =~ g2.*    saw "t2.small"
  ✓ attribute:ecs.availability-zone != us-east-1d    saw "us-east-1a"

summary: 0 of 1 instances match attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d
       1 rejected by attribute:ecs.instance-type =~ g2.*
       0 rejected by attribute:ecs.availability-zone != us-east-1d'

run 0 explain --summary 'attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)'
expect_out 'summary: 3 of 64 instances match attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)
      57 rejected by attribute:ecs.cpu-architecture == arm64
      28 rejected by attribute:stack == prod
       3 rejected by not(task:group == databases)'

run 1 explain --instance i-nope 'attribute:a exists'
expect_contains "no instance 'i-nope'"

# select: several expressions are ANDed, as ECS ANDs a task's constraints; the same answer as the
# one expression, whether given as arguments, memberOf(...), --constraint or standard input
anded='attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'
run 0 select "$anded"
single=$out
checks=$((checks + 1))
if [ "$(echo "$single" | wc -l)" != 8 ]; then echo "FAIL: the ANDed expression selected: $single"; failures=$((failures + 1)); fi
run 0 select 'attribute:ecs.instance-type =~ t3.*' 'attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'
expect_out "$single"
run 0 select 'memberOf(attribute:ecs.instance-type =~ t3.*)' --constraint 'memberOf(attribute:ecs.availability-zone in [us-east-1a, us-east-1b])'
expect_out "$single"
run 0 select --constraint 'attribute:ecs.instance-type =~ t3.*' --constraint 'attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'
expect_out "$single"
out=$(printf 'attribute:ecs.instance-type =~ t3.*\nattribute:ecs.availability-zone in [us-east-1a, us-east-1b]\n' | "$ECSQ" select -)
expect_out "$single"
out=$(printf 'attribute:ecs.instance-type =~ t3.*\n' | "$ECSQ" select - --constraint 'attribute:ecs.availability-zone in [us-east-1a, us-east-1b]')
expect_out "$single"
# JSON names the AND as one expression (an `or` keeps its parentheses)
run 0 select --format json 'ec2InstanceId in [i-abcd1234, i-wxyx7890]' 'attribute:ecs.os-type == linux or ec2InstanceId == i-wxyx7890'
expect_out '{"expression":"ec2InstanceId in [i-abcd1234, i-wxyx7890] and (attribute:ecs.os-type == linux or ec2InstanceId == i-wxyx7890)","canonical":"ec2InstanceId in [i-abcd1234, i-wxyx7890] and (attribute:ecs.os-type == linux or ec2InstanceId == i-wxyx7890)","instances":64,"matched":2,"matches":[{"ec2InstanceId":"i-abcd1234","containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/sample/b8b62c784b7b1483e948b785b455733f"},{"ec2InstanceId":"i-wxyx7890","containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/sample/efc2cf9a6349d405c3b57c9b045d5a66"}]}'
# an error in any part: exit 1, the diagnostic names the part
run 1 select 'attribute:a exists' --constraint 'attribute:b = c'
expect_contains '--> --constraint 1:1:13'
# nothing to evaluate is bad usage; so is an empty standard input
run 2 select
expect_contains 'select: an expression or --constraint is required'
out=$(printf '\n' | "$ECSQ" select - 2>&1)
code=$?
checks=$((checks + 1))
if [ "$code" != 2 ]; then echo "FAIL: select - with an empty stdin exited $code: $out"; failures=$((failures + 1)); fi

# distinctInstance needs the task group it keeps apart; with --group it is not(task:group == GROUP)
run 2 select --constraint distinctInstance
expect_contains 'error: distinctInstance needs --group GROUP'
run 2 select distinctInstance
expect_contains 'error: distinctInstance needs --group GROUP'
run 0 select 'attribute:ecs.os-type == linux and not(task:group == service:production)'
apart=$out
checks=$((checks + 1))
if [ -z "$apart" ] || [ "$apart" = "$("$ECSQ" select 'attribute:ecs.os-type == linux')" ]; then
  echo "FAIL: not(task:group == service:production) excluded nothing: $apart"
  failures=$((failures + 1))
fi
run 0 select --group service:production --constraint distinctInstance 'attribute:ecs.os-type == linux'
expect_out "$apart"
run 0 select --group service:production 'attribute:ecs.os-type == linux' distinctInstance
expect_out "$apart"
run 0 select --group service:production 'attribute:ecs.os-type == linux'
expect_contains 'warning: --group has no effect without distinctInstance'

# explain takes the same: several expressions ANDed, --constraint, --group, standard input
explained_and="explain --instance i-abcd1234 --instance i-0d053ef91b7c725b6"
run 0 $explained_and 'attribute:ecs.os-type == linux and not(task:group == family:web)'
single=$out
case "$single" in *'i-0d053ef91b7c725b6 does not match'*) ;; *) echo "FAIL: explain: $single"; failures=$((failures + 1)) ;; esac
checks=$((checks + 1))
run 0 $explained_and 'attribute:ecs.os-type == linux' --constraint distinctInstance --group family:web
expect_out "$single"
out=$(printf 'attribute:ecs.os-type == linux\nnot(task:group == family:web)\n' | "$ECSQ" $explained_and -)
expect_out "$single"
run 0 explain --summary - <<<'attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)'
expect_contains 'summary: 3 of 64 instances match'

# standard input holds the expressions or a fleet, not both
out=$(printf 'attribute:a exists\n' | "$ECSQ" select --fleet - - 2>&1)
code=$?
checks=$((checks + 1))
if [ "$code" != 2 ]; then echo "FAIL: select --fleet - - exited $code"; failures=$((failures + 1)); fi
expect_out 'error: standard input can hold the expressions (-) or a fleet (--fleet -), not both'

# explain --format json: the explanation lines per instance and the summary, one document
run 0 explain --format json --instance i-abcd1234 'attribute:ecs.instance-type =~ g2.* and not(attribute:ecs.availability-zone == us-east-1d)'
expect_out '{"expression":"attribute:ecs.instance-type =~ g2.* and not(attribute:ecs.availability-zone == us-east-1d)","canonical":"attribute:ecs.instance-type =~ g2.* and not(attribute:ecs.availability-zone == us-east-1d)","explanations":[{"ec2InstanceId":"i-abcd1234","matches":false,"clauses":[{"node":0,"depth":0,"result":false,"text":"and","observed":null},{"node":1,"depth":1,"result":false,"text":"attribute:ecs.instance-type =~ g2.*","observed":"\"t2.small\""},{"node":2,"depth":1,"result":true,"text":"not","observed":null},{"node":3,"depth":2,"result":false,"text":"attribute:ecs.availability-zone == us-east-1d","observed":"\"us-east-1a\""}]}],"summary":{"instances":1,"matched":0,"leaves":[{"node":1,"text":"attribute:ecs.instance-type =~ g2.*","negated":false,"rejected":1},{"node":3,"text":"attribute:ecs.availability-zone == us-east-1d","negated":true,"rejected":0}]}}'
# over the whole fleet it is valid JSON, with a tree per instance that agrees with the summary
run 0 explain --format json 'attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)'
checks=$((checks + 1))
if ! printf '%s' "$out" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
explanations = doc["explanations"]
summary = doc["summary"]
assert len(explanations) == summary["instances"] == 64, len(explanations)
assert sum(e["matches"] for e in explanations) == summary["matched"] == 3
for e in explanations:
    assert e["ec2InstanceId"].startswith("i-")
    root = e["clauses"][0]
    assert root["depth"] == 0 and root["text"] == "and" and root["result"] == e["matches"]
    for c in e["clauses"]:
        assert set(c) == {"node", "depth", "result", "text", "observed"}
        assert (c["observed"] is None) == (c["text"] in ("and", "not"))
assert [(l["rejected"], l["negated"]) for l in summary["leaves"]] == [(57, False), (28, False), (3, True)]
assert all(set(l) == {"node", "text", "negated", "rejected"} for l in summary["leaves"])
'; then
  echo "FAIL: explain --format json over the fleet"
  failures=$((failures + 1))
fi
# --summary leaves the explanations out, as the text form does
run 0 explain --format json --summary 'attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)'
expect_out '{"expression":"attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)","canonical":"attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)","summary":{"instances":64,"matched":3,"leaves":[{"node":1,"text":"attribute:ecs.cpu-architecture == arm64","negated":false,"rejected":57},{"node":2,"text":"attribute:stack == prod","negated":false,"rejected":28},{"node":4,"text":"task:group == databases","negated":true,"rejected":3}]}}'
run 2 explain --format xml 'attribute:a exists'

# the same fleet file twice, by the same path or another: one usage error, not one per instance
run 2 select --fleet "$fleet" --fleet "$fleet" 'attribute:a exists'
expect_out ''
checks=$((checks + 1))
if [ "$err" != "error: --fleet '$fleet' is given twice; give each fleet file once" ]; then
  echo "FAIL: the same fleet twice: $err"
  failures=$((failures + 1))
fi
link=$(mktemp -d)/fleet-link.json
ln -s "$fleet" "$link"
run 2 explain --fleet "$link" --fleet "$SOURCE_DIR/tests/../tests/data/fleets/describe-container-instances.json" 'attribute:a exists'
checks=$((checks + 1))
if [ "$err" != "error: --fleet '$SOURCE_DIR/tests/../tests/data/fleets/describe-container-instances.json' is the same file as --fleet '$link'; give each fleet file once" ]; then
  echo "FAIL: the same fleet by another path: $err"
  failures=$((failures + 1))
fi
rm -r "$(dirname "$link")"
run 2 lint --fleet "$fleet" --fleet "$fleet" "$SOURCE_DIR/tests/lint/task-definition-good.json"
expect_contains 'is given twice'
# two different files holding the same instances are still the reader's duplicate-instance error
copy=$(mktemp)
cp "$fleet" "$copy"
run 1 select --fleet "$fleet" --fleet "$copy" 'attribute:a exists'
expect_contains 'error[E0404]'
rm -f "$copy"

finish
