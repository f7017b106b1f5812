#!/usr/bin/env bash
# The README's main job: place a service on the bundled sample fleet, check a few documented
# expressions and select on the fleet.
# Usage: bash data/demo.sh PATH_TO_ECSQ
set -euo pipefail
ecsq=${1:-build/ecsq}

run() {
  echo "$ ecsq $(printf "%q " "$@")"
  "$ecsq" "$@"
  echo
}

# Six tasks of 64 GiB spread over the zones, and the seventh, which fits nowhere, with the event
# ECS would print (exit 1: a task was not placed).
run place --task-definition data/sample-task-definition.json --service data/sample-service.json || true
run check "memberOf(ecs.os-type=='windows')" 'attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'
run check 'attribute:ecs.instance-type t2.small' || true
run select --format table 'attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'
run select "memberOf(attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL)"
run select 'task:group != database and runningTasksCount < 4 and agentConnected == true'
run select --format json 'agentVersion < 1.14.5'
run explain --summary 'attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod and not(task:group == databases)'
