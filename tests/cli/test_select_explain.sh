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

finish
