# ecsq.place: the inputs and results of `ecsq place`, from files or dicts, planned or applied.
import json
import subprocess

import pytest

import ecsq

WEB = {
    "family": "web",
    "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 256, "memory": 512,
                              "portMappings": [{"containerPort": 80, "hostPort": 8080}]}],
}


@pytest.fixture
def fleet(place_dir):
    return ecsq.Fleet.from_file([place_dir / "fleet-a.json", place_dir / "fleet-b.json"])


def test_run_task_with_a_port_conflict(fleet, place_dir):
    result = ecsq.place(fleet, place_dir / "web.json", count=4, ties="fleet-order",
                        strategies=["spread:attribute:ecs.availability-zone"])
    assert result.placed == ["i-a1", "i-a2", "i-b1"]
    assert [(t.index, t.cpu_left, t.memory_left) for t in result.tasks] == [(0, 1536, 6656), (1, 1792, 7168),
                                                                           (2, 1792, 3072)]
    assert result.group == "family:web"
    assert result.strategies == ["spread(attribute:ecs.availability-zone)"]
    [failure] = result.failures
    assert (failure.index, failure.reason, failure.ec2_instance_id) == (3, "RESOURCE:PORTS", "i-a1")
    assert failure.event is None  # RunTask: no service event
    assert result.rejections["RESOURCE:PORTS"] == 3 and result.rejections_task == 3
    assert result.exit_code == 1 and not result.all_placed
    assert repr(result) == "PlacementResult(placed=3, failed=1, group='family:web')"


def test_service_result_equals_the_cli_json(fleet, place_dir, cli):
    args = ["--task-definition", str(place_dir / "web.json"), "--service", str(place_dir / "service.json"),
            "--count", "4", "--format", "json"]
    output = subprocess.run([cli, "place", "--fleet", str(place_dir / "fleet-a.json"), "--fleet",
                             str(place_dir / "fleet-b.json"), *args], capture_output=True, text=True).stdout
    expected = json.loads(output)
    result = ecsq.place(fleet, place_dir / "web.json", service=place_dir / "service.json", count=4)
    assert [{"index": t.index, "containerInstanceArn": t.container_instance_arn, "ec2InstanceId": t.ec2_instance_id,
             "group": t.group} for t in result.tasks] == expected["tasks"]
    assert [{"index": f.index, "arn": f.container_instance_arn, "reason": f.reason}
            for f in result.failures] == expected["failures"]
    assert result.events == expected["events"]
    assert [f.event for f in result.failures] == expected["events"]
    assert result.rejections == expected["rejections"]
    assert result.seed == expected["seed"]


def test_dict_inputs_equal_file_inputs(fleet, place_dir):
    from_files = ecsq.place(fleet, place_dir / "web.json", count=2, seed=7)
    from_dicts = ecsq.place(fleet, WEB, run_task={"taskDefinition": "web", "count": 2}, seed=7)
    assert from_files.placed == from_dicts.placed
    assert from_files.seed == 7


def test_seed_makes_random_placement_repeatable(fleet, place_dir):
    runs = [ecsq.place(fleet, WEB, count=3, seed=seed, strategies=["random"]).placed for seed in (1, 1, 2, 3, 4)]
    assert runs[0] == runs[1]
    assert all(len(r) == 3 for r in runs)


def test_plan_leaves_the_fleet_and_apply_records_the_tasks(fleet):
    before = fleet.select("task:group == family:web")
    ecsq.place(fleet, WEB, count=2, ties="fleet-order")
    assert fleet.select("task:group == family:web") == before
    applied = ecsq.place(fleet, WEB, count=2, ties="fleet-order", apply=True)
    assert fleet.select("task:group == family:web") == sorted(set(before) | set(applied.placed), key=fleet.ids.index)
    assert sum(fleet.task_count(i, "family:web") for i in fleet.ids) == 2 + sum(
        1 for i in before)  # each placement counted once
    # The port 8080 is now taken where a task went: the same instances cannot take another.
    again = ecsq.place(fleet, WEB, count="max", ties="fleet-order")
    assert not set(again.placed) & set(applied.placed)


def test_constraints_group_and_count_max(fleet):
    result = ecsq.place(fleet, WEB, count="max", constraints=["attribute:ecs.availability-zone == us-east-1a"])
    assert set(result.placed) <= {"i-a1"}  # i-a1 is the one ACTIVE instance in us-east-1a
    assert result.failures and result.failures[0].reason == "MemberOf placement constraint unsatisfied."
    grouped = ecsq.place(fleet, WEB, group="batch", constraints=["distinctInstance"])
    assert grouped.group == "batch"
    with pytest.raises(ValueError, match="service"):
        ecsq.place(fleet, WEB, service={"serviceName": "web", "taskDefinition": "web"}, group="batch")


def test_daemon_service_ignores_count(fleet, place_dir):
    result = ecsq.place(fleet, WEB, service=place_dir / "daemon.yaml", count=7)
    assert any("DAEMON" in note for note in result.notes)
    assert result.group.startswith("service:")


def test_input_errors_raise_placement_error_with_diagnostics(fleet, place_dir):
    with pytest.raises(ecsq.PlacementError) as caught:
        ecsq.place(fleet, WEB, constraints=["attribute:ecs.os-type = linux"])
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.diagnostics[0].code == "E0105" and error.diagnostics[0].origin == "constraints[0]"
    assert "constraints[0]:1:23" in str(error)
    with pytest.raises(ecsq.PlacementError, match="E0516"):
        ecsq.place(fleet, WEB, strategies=["binpack:disk"])
    with pytest.raises(ecsq.PlacementError) as caught:
        ecsq.place(fleet, place_dir / "web.json", run_task=place_dir / "count-11.json")
    assert caught.value.diagnostics
    with pytest.raises(ecsq.PlacementError) as caught:
        ecsq.place(fleet, place_dir / "broken.json")
    assert caught.value.diagnostics[0].code == "ECSQ-L001"
    with pytest.raises(ecsq.PlacementError):
        ecsq.place(fleet, {"family": "web", "containerDefinitions": "not a list"})


def test_bad_arguments(fleet, place_dir):
    with pytest.raises(TypeError, match="count"):
        ecsq.place(fleet, WEB, count="3")
    with pytest.raises(TypeError, match="count"):
        ecsq.place(fleet, WEB, count=True)
    with pytest.raises(ValueError, match="ties"):
        ecsq.place(fleet, WEB, ties="first")
    with pytest.raises(ValueError, match="not both"):
        ecsq.place(fleet, WEB, run_task={"taskDefinition": "web"}, service=place_dir / "service.json")
    with pytest.raises(ValueError, match="RunTask request"):
        ecsq.place(fleet, WEB, service={"taskDefinition": "web", "count": 1})
    with pytest.raises(TypeError, match="constraints: expected an iterable of str"):
        ecsq.place(fleet, WEB, constraints="distinctInstance")
    with pytest.raises(TypeError, match="strategies: expected str items"):
        ecsq.place(fleet, WEB, strategies=[1])
    with pytest.raises(TypeError):
        ecsq.place("fleet.json", WEB)
    with pytest.raises(TypeError, match="expected a path"):
        ecsq.place(fleet, 3)
