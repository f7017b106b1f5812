"""A placement-policy test as a platform team would write it (README, "Python").

The policy: the `web` service runs only on Linux instances of the m5 family, spread across
availability zones, never two tasks on one instance. moto's ECS emulation ignores placement
constraints, so these tests ask ecsq, which places tasks as ECS does. Run with `python3 -m pytest`.
"""

import json

import pytest

import ecsq

WEB_TASK_DEFINITION = {
    "family": "web",
    "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 512, "memory": 1024}],
    "placementConstraints": [
        {"type": "memberOf", "expression": "attribute:ecs.os-type == linux and attribute:ecs.instance-type =~ m5.*"},
    ],
}
WEB_SERVICE = {
    "serviceName": "web",
    "taskDefinition": "web",
    "desiredCount": 3,
    "placementConstraints": [{"type": "distinctInstance"}],
    "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}],
}


def instance(ec2_id, zone, instance_type, os_type="linux", cpu=2048, memory=8192):
    """One record of `aws ecs describe-container-instances`, trimmed to what placement reads."""
    return {
        "ec2InstanceId": ec2_id,
        "containerInstanceArn": f"arn:aws:ecs:us-east-1:123456789012:container-instance/prod/{ec2_id}",
        "status": "ACTIVE",
        "agentConnected": True,
        "attributes": [
            {"name": "ecs.availability-zone", "value": zone},
            {"name": "ecs.instance-type", "value": instance_type},
            {"name": "ecs.os-type", "value": os_type},
        ],
        "remainingResources": [
            {"name": "CPU", "type": "INTEGER", "integerValue": cpu},
            {"name": "MEMORY", "type": "INTEGER", "integerValue": memory},
        ],
    }


@pytest.fixture
def fleet():
    # In a real suite: ecsq.Fleet.from_file("fleet.json"), saved from describe-container-instances.
    return ecsq.Fleet([
        instance("i-a1", "us-east-1a", "m5.large"),
        instance("i-a2", "us-east-1a", "m5.xlarge"),
        instance("i-b1", "us-east-1b", "m5.large"),
        instance("i-b2", "us-east-1b", "c5.large"),
        instance("i-c1", "us-east-1c", "m5.large", os_type="windows"),
        instance("i-c2", "us-east-1c", "m5.large", memory=512),
    ])


def test_the_constraint_is_valid_and_lints_clean(tmp_path):
    path = tmp_path / "web-task-definition.json"
    path.write_text(json.dumps(WEB_TASK_DEFINITION, indent=2))
    assert [str(f) for f in ecsq.lint(path) if f.severity == "error"] == []


def test_the_constraint_selects_linux_m5_instances(fleet):
    expression = WEB_TASK_DEFINITION["placementConstraints"][0]["expression"]
    assert fleet.select(expression) == ["i-a1", "i-a2", "i-b1", "i-c2"]


def test_web_replicas_spread_across_zones_one_per_instance(fleet):
    result = ecsq.place(fleet, WEB_TASK_DEFINITION, service=WEB_SERVICE, seed=1)
    assert result.all_placed, [f.event for f in result.failures]
    zones = [fleet.instance(task.ec2_instance_id).attributes["ecs.availability-zone"] for task in result.tasks]
    assert sorted(zones) == ["us-east-1a", "us-east-1a", "us-east-1b"]  # us-east-1c has no room for web
    assert len(set(result.placed)) == 3


def test_a_fourth_replica_is_refused_with_the_aws_event(fleet):
    result = ecsq.place(fleet, WEB_TASK_DEFINITION, service=WEB_SERVICE, count=4)
    assert len(result.placed) == 3
    [failure] = result.failures
    # Every eligible instance already runs a web task; i-c2 lacks the memory, the others are not m5 Linux.
    assert failure.reason == "DistinctInstance placement constraint unsatisfied."
    assert failure.event.startswith("(service web) was unable to place a task")
    assert result.rejections["RESOURCE:MEMORY"] == 1
    assert result.rejections["MemberOf placement constraint unsatisfied."] == 2


def test_a_typo_in_a_constraint_is_caught_before_deploying():
    with pytest.raises(ecsq.QueryError) as caught:
        ecsq.check("attribute:ecs.os-type = linux")
    assert caught.value.diagnostics[0].fixits[0].replacement == "=="
