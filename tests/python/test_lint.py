# ecsq.lint and ecsq.lint_report: the findings and reports of `ecsq lint`.
import json
import subprocess

import pytest

import ecsq


def test_findings_of_a_bad_task_definition(source):
    path = source / "tests" / "lint" / "task-definition-bad.json"
    findings = ecsq.lint(path)
    rules = [f.rule for f in findings]
    assert "ECSQ-L010" in rules and "ECSQ-L020" in rules
    parse_error = next(f for f in findings if f.rule == "ECSQ-L020")
    assert parse_error.code == "E0103" and parse_error.severity == "error"
    assert parse_error.file == str(path)
    assert parse_error.expression is not None and parse_error.expression_column is not None
    assert parse_error.path.startswith("placementConstraints[")
    assert str(parse_error).startswith(f"{path}:{parse_error.line}:{parse_error.column}: error[ECSQ-L020/E0103]: ")
    typo = next(f for f in findings if f.rule == "ECSQ-L010")
    assert typo.fixits and "memberOf" in typo.fixits[0].replacement


def test_lint_agrees_with_the_cli_json(source, cli):
    paths = [source / "tests" / "lint" / name for name in ["task-definition-bad.json", "cloudformation.yaml"]]
    report = json.loads(subprocess.run([cli, "lint", "--format", "json", *map(str, paths)],
                                       capture_output=True, text=True).stdout)
    findings = ecsq.lint(paths)
    assert [(f["rule"], f["code"], f["line"], f["column"], f["message"]) for f in report["findings"]] == [
        (f.rule, f.code, f.line, f.column, f.message) for f in findings]


def test_lint_with_a_fleet(source):
    fleet = ecsq.Fleet.from_file(source / "tests" / "lint" / "fleet.json")
    without = ecsq.lint(source / "tests" / "lint" / "fleet-service.json")
    with_fleet = ecsq.lint(source / "tests" / "lint" / "fleet-service.json", fleet=fleet)
    fleet_rules = {"ECSQ-L030", "ECSQ-L031", "ECSQ-L032"}
    assert not fleet_rules & {f.rule for f in without}
    assert fleet_rules & {f.rule for f in with_fleet}


def test_clean_file_and_unreadable_file(source, tmp_path):
    assert [f for f in ecsq.lint(source / "tests" / "lint" / "task-definition-good.json") if f.severity == "error"] == []
    [finding] = ecsq.lint(str(tmp_path / "missing.json"))
    assert finding.rule == "ECSQ-L001" and finding.severity == "error"


def test_lint_report_formats_are_the_cli_reports(source, cli):
    path = str(source / "tests" / "lint" / "task-definition-bad.json")
    for format in ["text", "json", "sarif"]:
        expected = subprocess.run([cli, "lint", "--format", format, "--color", "never", path],
                                  capture_output=True, text=True).stdout
        assert ecsq.lint_report([path], format=format) == expected
    with pytest.raises(ValueError, match="format"):
        ecsq.lint_report(path, format="xml")


def test_bad_arguments():
    with pytest.raises(TypeError):
        ecsq.lint(3)
    with pytest.raises(TypeError):
        ecsq.lint([3])
    with pytest.raises(TypeError, match="fleet: expected an ecsq.Fleet"):
        ecsq.lint("x.json", fleet="fleet.json")
