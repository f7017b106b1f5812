# ecsq.Instance: built from keywords or from a dict, every field readable and writable.
import datetime

import pytest

import ecsq


def test_keywords_and_defaults():
    instance = ecsq.Instance("i-1")
    assert instance.ec2_instance_id == "i-1"
    assert instance.status == "ACTIVE"
    assert instance.agent_connected is True
    assert instance.agent_version == ""
    assert instance.registered_at is None
    assert instance.running_tasks_count == 0
    assert instance.attributes == {} and instance.task_groups == []
    full = ecsq.Instance(
        "i-2",
        attributes={"b": "2", "a": None},
        task_groups=["service:web", "family:batch", "service:web"],
        agent_connected=False,
        agent_version="1.70.0",
        registered_at=86400,
        running_tasks_count=4,
        status="DRAINING",
        container_instance_arn="arn:aws:ecs:us-east-1:1:container-instance/c/2",
    )
    assert full.attributes == {"a": None, "b": "2"}
    assert full.task_groups == ["family:batch", "service:web"]  # sorted, unique, as in C++
    assert (full.agent_connected, full.agent_version, full.registered_at) == (False, "1.70.0", 86400)
    assert (full.running_tasks_count, full.status) == (4, "DRAINING")
    assert full.container_instance_arn.endswith("/2")
    assert repr(full).startswith("Instance{i-2, ")


def test_registered_at_forms():
    assert ecsq.Instance("i", registered_at="1970-01-02").registered_at == 86400
    assert ecsq.Instance("i", registered_at="1970-01-01T00:01:00Z").registered_at == 60
    when = datetime.datetime(1970, 1, 1, 0, 2, tzinfo=datetime.timezone.utc)
    assert ecsq.Instance("i", registered_at=when).registered_at == 120
    with pytest.raises(ValueError, match="not an ISO-8601 time"):
        ecsq.Instance("i", registered_at="yesterday")
    with pytest.raises(TypeError):
        ecsq.Instance("i", registered_at=True)
    with pytest.raises(TypeError):
        ecsq.Instance("i", registered_at=[1])


def test_setters():
    instance = ecsq.Instance("i-1")
    instance.set_attribute("stack", "prod")
    instance.set_attribute("ecs.capability.task-eni")
    assert instance.attributes == {"ecs.capability.task-eni": None, "stack": "prod"}
    assert instance.remove_attribute("stack") and not instance.remove_attribute("stack")
    instance.add_task_group("service:web")
    assert instance.task_groups == ["service:web"]
    assert instance.remove_task_group("service:web") and not instance.remove_task_group("service:web")
    instance.attributes = {"x": "1"}
    instance.task_groups = ["a", "b"]
    instance.registered_at = "2020-01-01"
    instance.running_tasks_count = 9
    assert (instance.attributes, instance.task_groups, instance.registered_at) == ({"x": "1"}, ["a", "b"], 1577836800)
    assert ecsq.check("runningTasksCount == 9 and attribute:x == 1").matches(instance)


def test_bad_types_are_type_errors():
    with pytest.raises(TypeError, match=r"attributes\['a'\]: expected str or None, got int"):
        ecsq.Instance("i", attributes={"a": 1})
    with pytest.raises(TypeError, match="attributes: names must be str"):
        ecsq.Instance("i", attributes={1: "a"})
    with pytest.raises(TypeError, match="attributes: expected a mapping"):
        ecsq.Instance("i", attributes=["a"])
    with pytest.raises(TypeError, match="task_groups: expected an iterable of str"):
        ecsq.Instance("i", task_groups="service:web")
    with pytest.raises(TypeError, match="task_groups: expected str items"):
        ecsq.Instance("i", task_groups=[1])
    with pytest.raises(TypeError):
        ecsq.Instance(3)
    with pytest.raises(TypeError):
        ecsq.Instance("i", running_tasks_count="3")
    with pytest.raises(TypeError):
        ecsq.Instance("i", "positional attributes are not accepted")


def test_from_dict():
    instance = ecsq.Instance.from_dict({
        "ec2InstanceId": "i-9",
        "status": "ACTIVE",
        "attributes": [{"name": "ecs.os-type", "value": "linux"}, {"name": "ecs.capability.x"}],
        "versionInfo": {"agentVersion": "1.2.3"},
    })
    assert instance.ec2_instance_id == "i-9"
    assert instance.attributes == {"ecs.capability.x": None, "ecs.os-type": "linux"}
    assert instance.agent_version == "1.2.3"
    with pytest.raises(ecsq.FleetError, match=r"versionInfo.agentVersion: expected a string"):
        ecsq.Instance.from_dict({"ec2InstanceId": "i-9", "versionInfo": {"agentVersion": 1}})
    with pytest.raises(TypeError):
        ecsq.Instance.from_dict("i-9")
