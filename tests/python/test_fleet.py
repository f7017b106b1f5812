# ecsq.Fleet: read from JSON, files and dicts; select and count as `ecsq select` does; tasks.
import json
import pathlib
import subprocess
import threading

import pytest

import ecsq
from conftest import instance_dict


def test_from_file_reads_the_sample_fleet_in_order(source):
    fleet = ecsq.Fleet.from_file(source / "data" / "sample-fleet.json")
    data = json.loads((source / "data" / "sample-fleet.json").read_text())
    assert len(fleet) == len(data["containerInstances"])
    assert fleet.ids == [i["ec2InstanceId"] for i in data["containerInstances"]]
    assert fleet.ids[0] in fleet and "i-nowhere" not in fleet
    assert repr(fleet) == f"Fleet({len(fleet)} instances)"
    assert fleet.warnings == []


def test_from_file_merges_several_files(place_dir):
    fleet = ecsq.Fleet.from_file([place_dir / "fleet-a.json", str(place_dir / "fleet-b.json")])
    assert fleet.ids == ["i-a1", "i-a2", "i-b1", "i-b2"]


def test_from_json_str_and_bytes(place_dir):
    text = (place_dir / "fleet-a.json").read_text()
    assert ecsq.Fleet.from_json(text).ids == ["i-a1", "i-a2"]
    assert ecsq.Fleet.from_json(text.encode()).ids == ["i-a1", "i-a2"]
    assert ecsq.Fleet.from_json("[]").ids == []


def test_select_matches_the_cli(source, cli):
    fleet = ecsq.Fleet.from_file(source / "data" / "sample-fleet.json")
    for expression in ["attribute:ecs.os-type == linux", "attribute:ecs.instance-type =~ t2.*",
                       "agentVersion >= 1.20.0 and not(attribute:ecs.availability-zone == us-east-1a)"]:
        expected = subprocess.run([cli, "select", "--fleet", str(source / "data" / "sample-fleet.json"), expression],
                                  check=True, capture_output=True, text=True).stdout.split()
        assert fleet.select(expression) == expected
        assert fleet.select(ecsq.check(expression)) == expected
        assert fleet.count(expression) == len(expected)


def test_select_ands_several_constraints_in_fleet_order():
    fleet = ecsq.Fleet([
        instance_dict("i-1", {"zone": "a", "os": "linux"}),
        instance_dict("i-2", {"zone": "b", "os": "linux"}),
        instance_dict("i-3", {"zone": "a", "os": "windows"}),
        instance_dict("i-4", {"zone": "a", "os": "linux"}),
    ])
    assert fleet.select("attribute:zone == a", ecsq.check("memberOf(attribute:os == linux)")) == ["i-1", "i-4"]
    assert fleet.select() == ["i-1", "i-2", "i-3", "i-4"]
    assert fleet.count() == 4


def test_distinct_instance_needs_a_group_and_uses_the_task_counts():
    fleet = ecsq.Fleet([ecsq.Instance("i-1"), ecsq.Instance("i-2"), ecsq.Instance("i-3")])
    with pytest.raises(ValueError, match="distinctInstance needs group="):
        fleet.select("distinctInstance")
    assert fleet.select("distinctInstance", group="service:web") == ["i-1", "i-2", "i-3"]
    assert fleet.start_task("i-2", "service:web")
    assert fleet.select("distinctInstance", group="service:web") == ["i-1", "i-3"]
    assert fleet.select("task:group == service:web") == ["i-2"]
    assert fleet.instance("i-2").running_tasks_count == 1
    assert fleet.start_task("i-2", "service:web")
    assert fleet.task_count("i-2", "service:web") == 2
    assert fleet.stop_task("i-2", "service:web") and fleet.stop_task("i-2", "service:web")
    assert not fleet.stop_task("i-2", "service:web")  # none left: nothing changes
    assert fleet.select("distinctInstance", group="service:web") == ["i-1", "i-2", "i-3"]
    assert fleet.instance("i-2").running_tasks_count == 0


def test_tasks_and_lookups_of_unknown_instances_raise_key_error():
    fleet = ecsq.Fleet([ecsq.Instance("i-1", container_instance_arn="arn:x/1")])
    assert fleet.instance("arn:x/1").ec2_instance_id == "i-1"  # found by ARN too
    for call in [lambda: fleet.start_task("i-9", "g"), lambda: fleet.stop_task("i-9", "g"),
                 lambda: fleet.instance("i-9"), lambda: fleet.task_count("i-9", "g")]:
        with pytest.raises(KeyError, match="no instance 'i-9'"):
            call()


def test_select_errors():
    fleet = ecsq.Fleet([ecsq.Instance("i-1")])
    with pytest.raises(ecsq.QueryError):
        fleet.select("attribute:a ==")
    with pytest.raises(TypeError, match="expected an ecsq.Query or a str"):
        fleet.select(3)
    with pytest.raises(TypeError):
        fleet.select("attribute:a == b", group=3)


def test_fleet_from_dicts_instances_and_both():
    fleet = ecsq.Fleet([instance_dict("i-1", {"stack": "prod"}), ecsq.Instance("i-2", attributes={"stack": "prod"})])
    assert fleet.select("attribute:stack == prod") == ["i-1", "i-2"]
    assert [i.ec2_instance_id for i in fleet.instances()] == ["i-1", "i-2"]
    assert ecsq.Fleet().ids == [] and len(ecsq.Fleet([])) == 0
    assert ecsq.Fleet(iter([ecsq.Instance("i-3")])).ids == ["i-3"]


def test_malformed_fleet_inputs():
    with pytest.raises(ecsq.FleetError, match=r"^\[1\]\.attributes\[0\]\.name: expected a string, found a number$"):
        ecsq.Fleet([instance_dict("i-1", {}), {"ec2InstanceId": "i-2", "attributes": [{"name": 1}]}])
    with pytest.raises(TypeError, match=r"\[1\]: expected an ecsq.Instance or a dict"):
        ecsq.Fleet([ecsq.Instance("i-1"), "i-2"])
    with pytest.raises(TypeError, match="expected an iterable"):
        ecsq.Fleet("i-1")
    with pytest.raises(TypeError, match="expected an iterable"):
        ecsq.Fleet(instance_dict("i-1", {}))
    with pytest.raises(TypeError):
        ecsq.Fleet(3)


def test_bad_fleet_json_renders_its_diagnostics(source):
    text = '{"containerInstances": [{"ec2InstanceId": 5}]}'
    with pytest.raises(ecsq.FleetError) as caught:
        ecsq.Fleet.from_json(text, origin="fleet.json")
    error = caught.value
    [diagnostic] = error.diagnostics
    assert diagnostic.code == "E0402" and diagnostic.origin == "fleet.json"
    column = text.index("5") + 1
    assert (diagnostic.line, diagnostic.column) == (1, column)
    assert f"fleet.json:1:{column}" in str(error) and "^" in str(error)
    with pytest.raises(ecsq.FleetError, match="E0401|invalid JSON|JSON"):
        ecsq.Fleet.from_json("{not json")
    with pytest.raises(ecsq.FleetError, match="agentConnected: expected a boolean"):
        ecsq.Fleet.from_file(source / "tests" / "data" / "fleets" / "bad-fields.json")
    twice = source / "tests" / "cli" / "place" / "fleet-a.json"
    with pytest.raises(ecsq.FleetError):
        ecsq.Fleet.from_file([twice, twice])
    with pytest.raises(TypeError):
        ecsq.Fleet.from_json(3)


def test_unreadable_files_and_bad_paths(tmp_path):
    with pytest.raises(ecsq.FleetError) as caught:
        ecsq.Fleet.from_file(tmp_path / "missing.json")
    assert caught.value.diagnostics[0].code == "E0405"
    with pytest.raises(TypeError, match="expected a path"):
        ecsq.Fleet.from_file([3])
    with pytest.raises(TypeError, match="expected a path or an iterable of paths"):
        ecsq.Fleet.from_file(3)
    with pytest.raises(ValueError, match="no path given"):
        ecsq.Fleet.from_file([])


def test_select_runs_in_threads_while_tasks_change():
    fleet = ecsq.Fleet([ecsq.Instance(f"i-{n}", attributes={"n": str(n % 3)}) for n in range(3000)])
    query = ecsq.check("attribute:n == 0")
    expected = fleet.select(query)
    results = []
    errors = []

    def select_many():
        try:
            for _ in range(20):
                results.append(fleet.select(query))
        except Exception as error:  # recorded, so that the test fails on it
            errors.append(error)

    threads = [threading.Thread(target=select_many) for _ in range(3)]
    for thread in threads:
        thread.start()
    for n in range(200):
        fleet.start_task(f"i-{n}", "service:web")
        fleet.stop_task(f"i-{n}", "service:web")
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 60 and all(r == expected for r in results)
