# ecsq.check, ecsq.fmt, Query.matches and Query.explain: the library's checker and evaluator.
import pytest

import ecsq
from conftest import instance_dict

LINUX = instance_dict("i-linux", {"ecs.os-type": "linux", "ecs.instance-type": "m5.large"})
WINDOWS = instance_dict("i-windows", {"ecs.os-type": "windows", "ecs.instance-type": "t2.micro"})


def test_check_gives_the_canonical_form():
    query = ecsq.check("ecs.os-type==linux AND attribute:ecs.instance-type =~ m5.*")
    assert query.canonical == "attribute:ecs.os-type == linux and attribute:ecs.instance-type =~ m5.*"
    assert str(query) == query.canonical
    assert query.text == "ecs.os-type==linux AND attribute:ecs.instance-type =~ m5.*"
    assert repr(query).startswith("Query(")
    # Non-canonical spellings are warnings, with codes and positions.
    codes = [w.code for w in query.warnings]
    assert "W0101" in codes and "W0102" in codes
    assert all(w.severity == "warning" for w in query.warnings)


def test_check_accepts_constraint_forms():
    assert ecsq.check("memberOf(attribute:stack == prod)").canonical == "memberOf(attribute:stack == prod)"
    distinct = ecsq.check("distinctInstance")
    assert distinct.is_distinct_instance
    assert not ecsq.check("attribute:stack == prod").is_distinct_instance


def test_query_error_carries_the_diagnostics_and_renders_the_caret_text():
    with pytest.raises(ecsq.QueryError) as caught:
        ecsq.check("attribute:ecs.os-type = linux")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.source == "attribute:ecs.os-type = linux"
    [diagnostic] = error.diagnostics
    assert (diagnostic.severity, diagnostic.code) == ("error", "E0105")
    assert (diagnostic.line, diagnostic.column) == (1, 23)
    assert (diagnostic.start, diagnostic.end) == (22, 23)
    assert diagnostic.message == "'=' is not an operator; did you mean '=='?"
    [fixit] = diagnostic.fixits
    assert (fixit.line, fixit.column, fixit.replacement) == (1, 23, "==")
    text = str(error)
    assert text.startswith("error[E0105]: '=' is not an operator")
    assert "1 | attribute:ecs.os-type = linux" in text
    assert "^" in text
    assert "1:23 E0105" in str(diagnostic)


def test_query_error_on_a_check_error_and_on_a_multi_line_expression():
    with pytest.raises(ecsq.QueryError) as caught:
        ecsq.check("agentVersion > banana")
    assert caught.value.diagnostics[0].code.startswith("E02")
    with pytest.raises(ecsq.QueryError) as caught:
        ecsq.check("attribute:a == b and\n  (attribute:c ==)")
    assert caught.value.diagnostics[0].line == 2


def test_fmt():
    assert ecsq.fmt("attribute:ecs.os-type==linux OR NOT(task:group==web)") == (
        "attribute:ecs.os-type == linux or not(task:group == web)")
    with pytest.raises(ecsq.QueryError) as caught:
        ecsq.fmt("attribute:a ==")
    assert caught.value.diagnostics and all(d.severity == "error" for d in caught.value.diagnostics)


@pytest.mark.parametrize("bad", [None, 3, b"attribute:a == b", ["attribute:a == b"]])
def test_check_and_fmt_reject_non_strings(bad):
    with pytest.raises(TypeError):
        ecsq.check(bad)
    with pytest.raises(TypeError):
        ecsq.fmt(bad)


def test_matches_a_dict_in_the_aws_shape():
    query = ecsq.check("attribute:ecs.os-type == linux")
    assert query.matches(LINUX)
    assert not query.matches(WINDOWS)


def test_matches_every_built_in_subject_of_a_dict():
    record = {
        "ec2InstanceId": "i-1",
        "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/abc",
        "agentConnected": False,
        "versionInfo": {"agentVersion": "1.68.2"},
        "registeredAt": "2021-03-04T05:06:07Z",
        "runningTasksCount": 3,
        "attributes": [{"name": "ecs.capability.task-eni"}],
    }
    assert ecsq.check("agentConnected == false").matches(record)
    assert ecsq.check("agentVersion >= 1.60.0").matches(record)
    assert ecsq.check("registeredAt > 2021-01-01").matches(record)
    assert ecsq.check("runningTasksCount == 3").matches(record)
    assert ecsq.check("ec2InstanceId == i-1").matches(record)
    assert ecsq.check("attribute:ecs.capability.task-eni exists").matches(record)


def test_matches_an_instance_object_the_same_as_its_dict():
    instance = ecsq.Instance("i-linux", attributes={"ecs.os-type": "linux", "ecs.instance-type": "m5.large"})
    for text in ["attribute:ecs.os-type == linux", "attribute:ecs.instance-type =~ t2.*", "not(attribute:x exists)"]:
        query = ecsq.check(text)
        assert query.matches(instance) == query.matches(LINUX)


def test_task_groups_and_distinct_instance():
    instance = ecsq.Instance("i-1", task_groups=["service:web"])
    assert ecsq.check("task:group == service:web").matches(instance)
    # As in the library, distinctInstance alone holds: where the task runs is the caller's to know.
    assert ecsq.check("distinctInstance").matches(instance)


def test_malformed_dicts_raise_fleet_errors_naming_the_field():
    query = ecsq.check("attribute:ecs.os-type == linux")
    with pytest.raises(ecsq.FleetError) as caught:
        query.matches({"ec2InstanceId": "i-1", "attributes": [{"name": "a", "value": "b"}, {"name": 3}]})
    assert str(caught.value) == "attributes[1].name: expected a string, found a number"
    assert caught.value.diagnostics[0].code == "E0402"
    assert isinstance(caught.value, ValueError)
    with pytest.raises(ecsq.FleetError, match='missing required field "ec2InstanceId"'):
        query.matches({"attributes": []})
    with pytest.raises(ecsq.FleetError, match="runningTasksCount"):
        query.matches({"ec2InstanceId": "i-1", "runningTasksCount": -1})
    with pytest.raises(ecsq.FleetError, match="attributes"):
        query.matches({"ec2InstanceId": "i-1", "attributes": {"name": "a"}})


@pytest.mark.parametrize("bad", [None, 3, "i-1", ["i-1"], object()])
def test_matches_rejects_what_is_not_an_instance(bad):
    with pytest.raises(TypeError, match="expected an ecsq.Instance or a dict"):
        ecsq.check("attribute:a == b").matches(bad)


def test_a_dict_that_is_not_json_raises_a_python_error():
    with pytest.raises(TypeError):
        ecsq.check("attribute:a == b").matches({"ec2InstanceId": "i-1", "attributes": [{"name": "a", "value": {1, 2}}]})
    with pytest.raises(ValueError):
        ecsq.check("attribute:a == b").matches({"ec2InstanceId": "i-1", "runningTasksCount": float("nan")})


def test_explain_as_lines_tree_and_text():
    query = ecsq.check("attribute:ecs.os-type == linux and not(attribute:ecs.instance-type =~ t2.*)")
    explanation = query.explain(LINUX)
    assert explanation.result and bool(explanation)
    assert [(line.depth, line.text, line.result) for line in explanation.lines] == [
        (0, "and", True),
        (1, "attribute:ecs.os-type == linux", True),
        (1, "not", True),
        (2, "attribute:ecs.instance-type =~ t2.*", False),
    ]
    assert explanation.lines[0].observed is None
    assert explanation.lines[1].observed == '"linux"'
    root = explanation.root
    assert root.text == "and" and len(root.children) == 2
    assert root.children[1].text == "not"
    assert root.children[1].children[0].observed == '"m5.large"'
    assert str(explanation) == explanation.text
    assert explanation.text.splitlines()[1] == '  ✓ attribute:ecs.os-type == linux    saw "linux"'
    missing = ecsq.check("attribute:stack == prod").explain(ecsq.Instance("i-2"))
    assert not missing.result and missing.lines[0].observed == "(missing)"


def test_explain_the_empty_expression():
    explanation = ecsq.check("").explain(LINUX)
    assert explanation.result
    assert explanation.root is None and explanation.lines == []
