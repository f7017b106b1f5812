"""ecsq lint's SARIF against the SARIF 2.1.0 JSON schema and GitHub code scanning's requirements.

Run as: /usr/bin/python3 validate_sarif.py PATH_TO_ECSQ SOURCE_DIR. Lints the test files (from
SOURCE_DIR, so paths stay relative), validates the log with python3-jsonschema (Draft 4, the
schema's draft), then checks the points GitHub documents for uploaded SARIF that the schema does
not enforce. Exit 0 when all hold; otherwise each failure is printed and the exit is 1.
"""
import json
import os
import re
import subprocess
import sys

import jsonschema

ecsq, source_dir = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
os.chdir(source_dir)

inputs = sorted(
    os.path.join("tests/lint", name)
    for name in os.listdir("tests/lint")
    if name.endswith((".json", ".yaml")) and name != "fleet.json"
)
run = subprocess.run(
    [ecsq, "lint", "--no-config", "--format", "sarif", "--fleet", "tests/lint/fleet.json", *inputs],
    capture_output=True, text=True, check=False,
)
if run.returncode not in (0, 1, 2):
    sys.exit(f"ecsq lint exited {run.returncode}: {run.stderr}")
log = json.loads(run.stdout)

with open(os.path.join(here, "sarif-schema-2.1.0.json"), encoding="utf-8") as schema_file:
    schema = json.load(schema_file)
failures = [f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in jsonschema.Draft4Validator(schema).iter_errors(log)]


def check(condition, message):
    if not condition:
        failures.append(f"github: {message}")


# GitHub code scanning: "SARIF support for code scanning".
check(log.get("version") == "2.1.0", "version is 2.1.0")
check(len(log["runs"]) == 1, "one run")
run0 = log["runs"][0]
driver = run0["tool"]["driver"]
check(driver.get("name") == "ecsq", "tool.driver.name is required")
check(re.match(r"^https://", driver.get("informationUri", "")), "driver.informationUri is an absolute https URI")
rules = driver["rules"]
ids = [rule["id"] for rule in rules]
check(len(ids) == len(set(ids)), "rule ids are unique")
for rule in rules:
    rid = rule["id"]
    check(re.match(r"^ECSQ-L\d{3}$", rid), f"{rid}: a stable rule id")
    check(rule.get("name") and re.match(r"^[a-z0-9-]+$", rule["name"]), f"{rid}: name (shown as the alert title)")
    check(rule.get("shortDescription", {}).get("text"), f"{rid}: shortDescription.text")
    check(rule.get("fullDescription", {}).get("text"), f"{rid}: fullDescription.text")
    help_ = rule.get("help", {})
    check(help_.get("text") and help_.get("markdown"), f"{rid}: help.text and help.markdown")
    check("Reported:" in help_.get("markdown", "") and "Fixed:" in help_.get("markdown", ""),
          f"{rid}: help shows a reported and a fixed example")
    check(re.match(r"^https://.*/docs/language\.md#ecsq-l\d{3}-[a-z0-9-]+$", rule.get("helpUri", "")),
          f"{rid}: helpUri points at the rule's heading in docs/language.md")
    check(rule.get("defaultConfiguration", {}).get("level") in ("error", "warning", "note"),
          f"{rid}: defaultConfiguration.level")
    tags = rule.get("properties", {}).get("tags", [])
    check(isinstance(tags, list) and all(isinstance(t, str) for t in tags) and len(tags) <= 20,
          f"{rid}: properties.tags is a list of at most 20 strings")
    check("security-severity" not in rule.get("properties", {}), f"{rid}: no security-severity (not a security tool)")
results = run0["results"]
check(0 < len(results) <= 25000, "results present, at most 25000 per run")
fixes = 0
suppressed = 0
for result in results:
    where = f"result {result.get('ruleId')}"
    check(result.get("ruleId") in ids, f"{where}: ruleId names a rule of the driver")
    check(ids[result["ruleIndex"]] == result["ruleId"], f"{where}: ruleIndex agrees with ruleId")
    check(result.get("message", {}).get("text"), f"{where}: message.text")
    locations = result.get("locations", [])
    check(len(locations) == 1, f"{where}: exactly one location")
    physical = locations[0]["physicalLocation"]
    uri = physical["artifactLocation"]["uri"]
    check(not re.match(r"^[a-z]+:", uri) and physical["artifactLocation"].get("uriBaseId") == "%SRCROOT%",
          f"{where}: a relative uri with uriBaseId %SRCROOT% ({uri})")
    check(os.path.isfile(uri) or uri == "tests/lint/no-such-file.json", f"{where}: the uri is a file of the checkout ({uri})")
    region = physical["region"]
    check(region.get("startLine", 0) >= 1, f"{where}: region.startLine >= 1")
    check(region.get("startColumn", 1) >= 1, f"{where}: region.startColumn >= 1")
    for fix in result.get("fixes", []):
        fixes += 1
        for change in fix["artifactChanges"]:
            check(change["artifactLocation"]["uri"] == uri, f"{where}: a fix changes the result's file")
            for replacement in change["replacements"]:
                deleted = replacement["deletedRegion"]
                check(deleted["startLine"] >= 1 and deleted["startColumn"] >= 1, f"{where}: fix region starts in the file")
    for suppression in result.get("suppressions", []):
        suppressed += 1
        check(suppression.get("kind") == "inSource", f"{where}: suppressions are inSource")
check(run0.get("columnKind") == "unicodeCodePoints", "columnKind says columns count code points")
check(fixes > 0, "some result carries a fix (the inputs have fix-its)")
check(suppressed > 0, "some result is suppressed (tests/lint/suppressed.yaml)")

for failure in failures:
    print(failure)
print(f"{len(results)} results, {len(rules)} rules, {fixes} fixes, {suppressed} suppressed: "
      f"{'ok' if not failures else str(len(failures)) + ' failures'}")
sys.exit(1 if failures else 0)
