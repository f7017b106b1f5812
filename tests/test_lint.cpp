// Linting documents: constraint rules, limits across files, the fleet check, and the three output
// formats against golden files (set ECSQ_UPDATE_GOLDENS=1 to rewrite them after a deliberate change).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <simdjson.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/task_constraints.hpp"

namespace {

using ecsq::Severity;

// Paths in reports are as given; relative ones keep the goldens the same on every machine.
const std::vector<std::string> golden_inputs{
    "tests/lint/task-definition-bad.json", "tests/lint/describe-task-definition.json", "tests/lint/create-service.json",
    "tests/lint/update-service.json",      "tests/lint/run-task.json",                 "tests/lint/constraint-list.json",
    "tests/lint/cloudformation.yaml",      "tests/lint/cloudformation.json",           "tests/lint/too-long.json",
    "tests/lint/too-many.json",            "tests/lint/not-ecs.json",                  "tests/lint/broken.json",
};

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

std::vector<ecsq::ConstraintDocument> documents(const std::vector<std::string>& relative) {
  std::vector<ecsq::ConstraintDocument> out;
  for (const std::string& path : relative) {
    out.push_back(ecsq::read_constraint_document(read_text(std::string(ECSQ_SOURCE_DIR) + "/" + path), path));
  }
  return out;
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(ECSQ_TEST_DATA) + "/lint/golden/" + name;
  if (std::getenv("ECSQ_UPDATE_GOLDENS") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  INFO("golden file " << path);
  CHECK(read_text(path) == actual);
}

std::vector<const ecsq::LintFinding*> with_rule(const ecsq::LintReport& report, std::string_view rule) {
  std::vector<const ecsq::LintFinding*> out;
  for (const auto& f : report.findings) {
    if (f.rule == rule) out.push_back(&f);
  }
  return out;
}

ecsq::LintReport lint_texts(const std::vector<std::pair<std::string, std::string>>& files,
                            const ecsq::LintOptions& options = {}) {
  std::vector<ecsq::ConstraintDocument> docs;
  for (const auto& [name, text] : files) docs.push_back(ecsq::read_constraint_document(text, name));
  return ecsq::lint(std::move(docs), options);
}

std::string constraints_json(std::size_t n, std::string_view expression = "attribute:a exists") {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += "{\"type\": \"memberOf\", \"expression\": \"" + std::string(expression) + "\"}";
  }
  return "[" + out + "]";
}

}  // namespace

TEST_CASE("lint: good files have no findings", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/task-definition-good.json", "tests/lint/cloudformation-good.yaml",
                                            "tests/lint/constraint-list.json"}));
  for (const auto& f : report.findings) FAIL_CHECK(f.rule << ": " << f.diagnostic.message);
  CHECK(report.findings.empty());
  CHECK(report.constraints == 7);
  CHECK(!report.any_unreadable());
}

TEST_CASE("lint: constraint rules with their locations", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/task-definition-bad.json"}));
  const auto type = with_rule(report, "ECSQ-L010");
  REQUIRE(type.size() == 1);
  CHECK(type[0]->diagnostic.severity == Severity::error);
  CHECK(type[0]->diagnostic.message == "unknown placement constraint type 'MemberOf'; did you mean 'memberOf'?");
  CHECK(type[0]->path == "placementConstraints[0].type");
  CHECK(type[0]->position.line == 7);
  CHECK(type[0]->position.column == 14);
  REQUIRE(type[0]->diagnostic.fixits.size() == 1);
  CHECK(type[0]->diagnostic.fixits[0].replacement == "\"memberOf\"");

  const auto distinct = with_rule(report, "ECSQ-L013");
  REQUIRE(distinct.size() == 1);
  CHECK(distinct[0]->position.line == 8);

  // An expression error: the file column is where the error is inside the verbatim string.
  const auto parse = with_rule(report, "ECSQ-L020");
  REQUIRE(parse.size() == 1);
  CHECK(parse[0]->diagnostic.code == "E0103");
  CHECK(parse[0]->expression == "attribute:ecs.instance-type t2.small");
  CHECK(parse[0]->expression_position.column == 29);
  CHECK(parse[0]->position.line == 9);
  CHECK(parse[0]->position.column == 41 + 28);

  const auto field = with_rule(report, "ECSQ-L004");
  REQUIRE(field.size() == 1);
  CHECK(field[0]->diagnostic.message == "unknown field 'expresion' in a placement constraint; did you mean 'expression'?");
  CHECK(with_rule(report, "ECSQ-L011").size() == 1);  // and so it has no expression
  CHECK(report.count(Severity::error) == 4);
}

TEST_CASE("lint: distinctInstance rules depend on the owner", "[lint]") {
  const std::string constraint = R"([{"type": "distinctInstance"}, {"type": "distinctInstance", "expression": "attribute:a exists"}])";
  const auto task = lint_texts({{"td.json", R"({"family": "f", "placementConstraints": )" + constraint + "}"}});
  CHECK(with_rule(task, "ECSQ-L013").size() == 2);
  CHECK(with_rule(task, "ECSQ-L012").size() == 1);
  const auto service = lint_texts({{"svc.json", R"({"serviceName": "s", "placementConstraints": )" + constraint + "}"}});
  CHECK(with_rule(service, "ECSQ-L013").empty());
  CHECK(with_rule(service, "ECSQ-L012").size() == 1);
  const auto run = lint_texts({{"run.json", R"({"taskDefinition": "f", "placementConstraints": )" + constraint + "}"}});
  CHECK(with_rule(run, "ECSQ-L013").empty());
}

TEST_CASE("lint: the limit of 10 constraints, alone and together", "[lint]") {
  SECTION("one list over the limit") {
    const auto report = lint_texts({{"td.json", R"({"family": "f", "placementConstraints": )" + constraints_json(11) + "}"}});
    const auto found = with_rule(report, "ECSQ-L014");
    REQUIRE(found.size() == 1);
    CHECK(found[0]->diagnostic.message == "11 placement constraints in this task definition; ECS accepts at most 10");
    CHECK(found[0]->path == "placementConstraints");
  }
  SECTION("exactly 10 together is fine") {
    const auto report = lint_texts({{"td.json", R"({"family": "f", "placementConstraints": )" + constraints_json(6) + "}"},
                                    {"svc.json", R"({"serviceName": "s", "taskDefinition": "f:2", "placementConstraints": )" +
                                                     constraints_json(4) + "}"}});
    CHECK(with_rule(report, "ECSQ-L014").empty());
  }
  SECTION("a service naming the task definition by ARN") {
    const auto report = lint_texts(
        {{"td.json", R"({"taskDefinition": {"family": "f", "placementConstraints": )" + constraints_json(6) + "}}"},
         {"svc.json", R"({"serviceName": "s", "taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/f:9", "placementConstraints": )" +
                          constraints_json(5) + "}"}});
    const auto found = with_rule(report, "ECSQ-L014");
    REQUIRE(found.size() == 1);
    CHECK(found[0]->document == 1);
    CHECK(found[0]->diagnostic.message ==
          "11 placement constraints for the task: 5 in this service and 6 in task definition 'f'; ECS accepts at most "
          "10 together");
    REQUIRE(found[0]->diagnostic.notes.size() == 1);
    CHECK(found[0]->diagnostic.notes[0] == "the task definition is at td.json:1:60");
  }
  SECTION("another family does not count") {
    const auto report = lint_texts({{"td.json", R"({"family": "f", "placementConstraints": )" + constraints_json(6) + "}"},
                                    {"run.json", R"({"taskDefinition": "g", "placementConstraints": )" + constraints_json(5) + "}"}});
    CHECK(with_rule(report, "ECSQ-L014").empty());
  }
  SECTION("CloudFormation: Ref within the template, computed entries not counted") {
    const std::string yaml = R"(Resources:
  TD:
    Type: AWS::ECS::TaskDefinition
    Properties:
      PlacementConstraints:
)" + [] {
      std::string items;
      for (int i = 0; i < 6; ++i) items += "        - {Type: memberOf, Expression: attribute:a exists}\n";
      return items;
    }() + R"(  Svc:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TD
      PlacementConstraints:
        - Type: distinctInstance
        - Type: memberOf
          Expression: attribute:b exists
        - Type: memberOf
          Expression: attribute:c exists
        - !If [Cond, {Type: distinctInstance}, !Ref AWS::NoValue]
)";
    CHECK(with_rule(lint_texts({{"t.yaml", yaml}}), "ECSQ-L014").empty());  // 6 + 3 literal
    const auto over = lint_texts({{"t.yaml", yaml + "        - {Type: memberOf, Expression: attribute:d exists}\n"
                                                     "        - {Type: memberOf, Expression: attribute:e exists}\n"}});
    const auto found = with_rule(over, "ECSQ-L014");
    REQUIRE(found.size() == 1);
    CHECK(found[0]->path == "Resources.Svc.Properties.PlacementConstraints");
  }
}

TEST_CASE("lint: placement strategies", "[lint]") {
  const auto report = lint_texts({{"svc.yaml", R"(Resources:
  S:
    Type: AWS::ECS::Service
    Properties:
      PlacementStrategies:
        - Type: spread
          Field: attribute:ecs.instance_type
        - Type: binpack
          Field: cpus
        - Type: packed
        - Type: spread
          Field: !Ref SpreadField
        - Type: spread
          Field: host
        - Type: random
)"}});
  const auto misspelled = with_rule(report, "ECSQ-L024");
  REQUIRE(misspelled.size() == 1);
  CHECK(misspelled[0]->path == "Resources.S.Properties.PlacementStrategies[0].Field");
  REQUIRE(misspelled[0]->diagnostic.fixits.size() == 1);
  CHECK(misspelled[0]->diagnostic.fixits[0].replacement == "attribute:ecs.instance-type");
  const auto field = with_rule(report, "ECSQ-L041");
  REQUIRE(field.size() == 1);
  CHECK(field[0]->diagnostic.message == "binpack field 'cpus' is not cpu or memory; did you mean 'cpu'?");
  const auto type = with_rule(report, "ECSQ-L040");
  REQUIRE(type.size() == 1);
  CHECK(type[0]->diagnostic.message == "unknown placement strategy type 'packed'");
  CHECK(with_rule(report, "ECSQ-L042").empty());  // six entries, but the computed one is not counted
}

TEST_CASE("lint: memberOf without an expression warns, and computed values are notes", "[lint]") {
  const auto report = lint_texts({{"t.json", R"({"Resources": {"TD": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
    "PlacementConstraints": [
      {"Type": "memberOf"},
      {"Type": "memberOf", "Expression": "  "},
      {"Type": {"Fn::If": ["C", "memberOf", "distinctInstance"]}, "Expression": "attribute:a exists"},
      {"Type": "memberOf", "Expression": {"Fn::Join": ["", ["attribute:", "a exists"]]}}
    ]}}}})"}});
  const auto empty = with_rule(report, "ECSQ-L011");
  REQUIRE(empty.size() == 2);
  CHECK(empty[0]->diagnostic.severity == Severity::warning);
  CHECK(empty[0]->diagnostic.message == "memberOf constraint without an Expression: it matches every instance");
  const auto computed = with_rule(report, "ECSQ-L005");
  REQUIRE(computed.size() == 2);
  CHECK(computed[0]->diagnostic.severity == Severity::note);
  CHECK(computed[0]->diagnostic.message == "not checked: the constraint type is computed by Fn::If");
  CHECK(computed[1]->diagnostic.message == "not checked: the expression is computed by Fn::Join");
  CHECK(report.count(Severity::error) == 0);
}

TEST_CASE("lint: golden outputs in text, JSON and SARIF", "[lint]") {
  const auto report = ecsq::lint(documents(golden_inputs));
  CHECK(report.any_unreadable());
  check_golden("lint.txt", ecsq::render_lint_text(report));
  check_golden("lint.json", ecsq::render_lint_json(report));
  check_golden("lint.sarif", ecsq::render_lint_sarif(report));
}

TEST_CASE("lint: colour is only added on request", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/create-service.json"}));
  const std::string plain = ecsq::render_lint_text(report, false);
  const std::string coloured = ecsq::render_lint_text(report, true);
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK(coloured.find("\x1b[") != std::string::npos);
  // Without the escape sequences it is the same text.
  std::string stripped;
  for (std::size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      i = coloured.find('m', i);
      continue;
    }
    stripped += coloured[i];
  }
  CHECK(stripped == plain);
}

TEST_CASE("lint: the SARIF log has the structure code scanning requires", "[lint]") {
  const auto report = ecsq::lint(documents(golden_inputs));
  const std::string sarif = ecsq::render_lint_sarif(report);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.parse(sarif).get(root) == simdjson::SUCCESS);
  CHECK(std::string_view(root["$schema"]).find("sarif-2.1.0") != std::string_view::npos);
  CHECK(std::string_view(root["version"]) == "2.1.0");
  simdjson::dom::array runs = root["runs"];
  REQUIRE(runs.size() == 1);
  simdjson::dom::element run = runs.at(0);
  simdjson::dom::element driver = run["tool"]["driver"];
  CHECK(std::string_view(driver["name"]) == "ecsq");
  CHECK(std::string_view(driver["version"]) == "0.1.0");
  simdjson::dom::array rules = driver["rules"];
  REQUIRE(rules.size() == ecsq::lint_rules().size());
  std::vector<std::string> ids;
  for (simdjson::dom::element rule : rules) {
    ids.emplace_back(std::string_view(rule["id"]));
    CHECK(!std::string_view(rule["shortDescription"]["text"]).empty());
    const std::string_view level = rule["defaultConfiguration"]["level"];
    CHECK((level == "error" || level == "warning" || level == "note"));
  }
  simdjson::dom::array results = run["results"];
  REQUIRE(results.size() == report.findings.size());
  std::set<std::string> uris;
  for (simdjson::dom::element result : results) {
    const std::string_view rule_id = result["ruleId"];
    const std::uint64_t index = result["ruleIndex"];
    REQUIRE(index < ids.size());
    CHECK(ids[index] == rule_id);
    const std::string_view level = result["level"];
    CHECK((level == "error" || level == "warning" || level == "note"));
    CHECK(!std::string_view(result["message"]["text"]).empty());
    simdjson::dom::array locations = result["locations"];
    REQUIRE(locations.size() == 1);
    simdjson::dom::element physical = locations.at(0)["physicalLocation"];
    const std::string_view uri = physical["artifactLocation"]["uri"];
    CHECK(!uri.starts_with("/"));
    uris.emplace(uri);
    const std::uint64_t line = physical["region"]["startLine"];
    const std::uint64_t column = physical["region"]["startColumn"];
    CHECK(line >= 1);
    CHECK(column >= 1);
  }
  CHECK(uris.count("tests/lint/cloudformation.yaml") == 1);
  CHECK(uris.count("tests/lint/broken.json") == 1);
}

TEST_CASE("lint: the JSON report parses and agrees with the findings", "[lint]") {
  const auto report = ecsq::lint(documents(golden_inputs));
  const std::string json = ecsq::render_lint_json(report);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.parse(json).get(root) == simdjson::SUCCESS);
  simdjson::dom::array findings = root["findings"];
  REQUIRE(findings.size() == report.findings.size());
  std::size_t i = 0;
  for (simdjson::dom::element f : findings) {
    const auto& expected = report.findings[i++];
    CHECK(std::string_view(f["rule"]) == expected.rule);
    CHECK(std::string_view(f["code"]) == expected.diagnostic.code);
    CHECK(std::uint64_t(f["line"]) == expected.position.line);
    CHECK(f["expression"].is_null() == !expected.expression.has_value());
  }
  CHECK(std::uint64_t(root["summary"]["errors"]) == report.count(Severity::error));
  CHECK(std::uint64_t(root["files"].get_array().size()) == golden_inputs.size());
}

TEST_CASE("lint: a SARIF artifact URI is percent-encoded, absolute paths become file URIs", "[lint]") {
  const auto report = lint_texts({{"dir with space/t#1.json", "{\"family\": \"f\", \"placementConstraints\": [{\"type\": \"x\"}]}"},
                                  {"/abs/t.json", "{\"family\": \"f\", \"placementConstraints\": [{\"type\": \"y\"}]}"}});
  const std::string sarif = ecsq::render_lint_sarif(report);
  CHECK(sarif.find(R"("uri":"dir%20with%20space/t%231.json")") != std::string::npos);
  CHECK(sarif.find(R"("uri":"file:///abs/t.json")") != std::string::npos);
}

TEST_CASE("lint: fleet-aware checks", "[lint]") {
  const ecsq::FleetReadResult fleet = ecsq::read_fleet_files({std::string(ECSQ_TEST_DATA) + "/lint/fleet.json"});
  REQUIRE(fleet.fleet.has_value());
  ecsq::LintOptions options;
  options.fleet = std::span<const ecsq::Instance>(fleet.fleet->instances);
  const auto report = ecsq::lint(documents({"tests/lint/task-definition-good.json", "tests/lint/fleet-service.json",
                                            "tests/lint/fleet-run-task.json"}),
                                 options);
  const auto counts = with_rule(report, "ECSQ-L030");
  REQUIRE(counts.size() == 3);
  CHECK(counts[0]->diagnostic.message == "1 of 3 fleet instances satisfy this constraint");
  const auto none = with_rule(report, "ECSQ-L031");
  REQUIRE(none.size() == 1);
  CHECK(none[0]->diagnostic.message ==
        "none of the 3 fleet instances satisfies this constraint; 'attribute:ecs.availability-zone == us-east-1c' "
        "rejects 3 of them");
  CHECK(none[0]->expression_position.column == 37);
  const auto together = with_rule(report, "ECSQ-L032");
  REQUIRE(together.size() == 1);
  CHECK(together[0]->document == 1);
  check_golden("fleet.txt", ecsq::render_lint_text(report));
}

TEST_CASE("lint: a CDK-synthesised template that binpacks on CPU and MEMORY has no findings", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/cdk-binpack.json"}));
  CHECK(report.findings.empty());
  CHECK(report.constraints == 2);
  // Another case of binpack's field is accepted too; a misspelling is not.
  const auto mixed = lint_texts({{"s.json", R"({"serviceName": "web", "placementStrategy": [{"type": "binpack", "field": "Memory"},
    {"type": "binpack", "field": "CPUS"}]})"}});
  const auto field = with_rule(mixed, "ECSQ-L041");
  REQUIRE(field.size() == 1);
  CHECK(field[0]->diagnostic.message == "binpack field 'CPUS' is not cpu or memory; did you mean 'cpu'?");
}

TEST_CASE("lint: placement with Fargate is an error in every format", "[lint]") {
  const auto report = lint_texts({
      {"create.json", R"({"serviceName": "web", "launchType": "FARGATE", "placementConstraints": [{"type": "distinctInstance"}]})"},
      {"run.json", R"({"taskDefinition": "web", "launchType": "EC2", "placementStrategy": [{"type": "random"}]})"},
      {"plain.json", R"({"taskDefinition": "web", "launchType": "FARGATE"})"},
  });
  const auto fargate = with_rule(report, "ECSQ-L007");
  REQUIRE(fargate.size() == 1);
  CHECK(fargate[0]->document == 0);
  CHECK(fargate[0]->path == "launchType");
  CHECK(fargate[0]->diagnostic.severity == Severity::error);
  CHECK(fargate[0]->diagnostic.message ==
        "launch type FARGATE with placement constraints (placementConstraints); AWS rejects task placement on Fargate");
  const auto files = ecsq::lint(documents({"tests/lint/scheduler-schedule.json", "tests/lint/eventbridge-rule.yaml",
                                           "tests/lint/terraform-plan.json", "tests/lint/cdk-mistakes.json"}));
  const auto all = with_rule(files, "ECSQ-L007");
  REQUIRE(all.size() == 4);
  CHECK(all[0]->path == "Target.EcsParameters.LaunchType");
  CHECK(all[1]->path == "Resources.CleanupSchedule.Properties.Target.EcsParameters.LaunchType");
  CHECK(all[2]->path == "planned_values.root_module.resources[1].values.launch_type");
  CHECK(all[3]->path == "Resources.WorkerService2F3D8B0C.Properties.LaunchType");
}

TEST_CASE("lint: unknown keys in a strategy get a did-you-mean", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/strategy-list.json", "tests/lint/cdk-mistakes.json"}));
  const auto unknown = with_rule(report, "ECSQ-L004");
  REQUIRE(unknown.size() == 2);
  CHECK(unknown[0]->diagnostic.message == "unknown field 'feild' in a placement strategy; did you mean 'field'?");
  REQUIRE(unknown[0]->diagnostic.fixits.size() == 1);
  CHECK(unknown[0]->diagnostic.fixits[0].replacement == "\"field\"");
  CHECK(unknown[1]->diagnostic.message == "unknown field 'Type ' in a placement strategy; did you mean 'Type'?");
  CHECK(unknown[1]->path == "Resources.ApiService4A7C6E19.Properties.PlacementStrategies[1].Type ");
}

TEST_CASE("lint: Fn::Sub placeholders are opaque values, and findings that depend on one are notes", "[lint]") {
  const auto report = lint_texts({{"t.yaml", R"(Resources:
  S:
    Type: AWS::ECS::Service
    Properties:
      PlacementConstraints:
        - Type: memberOf
          Expression: !Sub 'attribute:ecs.os-type == ${OsType} and attribute:ecs.os-family == linux'
        - Type: memberOf
          Expression: !Sub 'attribute:stack == ${Stage}'
        - Type: memberOf
          Expression: !Sub ['attribute:${Key} =~ ${Pattern}*', {Key: tier}]
)"}});
  const auto impossible = with_rule(report, "ECSQ-L023");
  REQUIRE(impossible.size() == 2);
  CHECK(impossible[0]->diagnostic.severity == Severity::note);
  CHECK(impossible[0]->expression == "attribute:ecs.os-type == ${OsType} and attribute:ecs.os-family == linux");
  CHECK(impossible[0]->diagnostic.fixits.empty());
  CHECK(impossible[0]->diagnostic.message.starts_with("ecs.os-type is never '${OsType}'"));
  REQUIRE(!impossible[0]->diagnostic.notes.empty());
  CHECK(impossible[0]->diagnostic.notes.back() == "this depends on the Fn::Sub placeholder '${OsType}', known only at deploy time");
  CHECK(impossible[1]->diagnostic.severity == Severity::warning);  // the literal part is checked as usual
  CHECK(impossible[1]->diagnostic.message == "ecs.os-family is never 'linux'; did you mean 'LINUX'?");
  CHECK(with_rule(report, "ECSQ-L005").empty());  // nothing is left unchecked
  CHECK(with_rule(report, "ECSQ-L020").empty());
  CHECK(report.count(Severity::error) == 0);
}

TEST_CASE("lint: both branches of Fn::If are checked, and the limit counts the larger", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/cdk-mistakes.json"}));
  const auto impossible = with_rule(report, "ECSQ-L023");
  REQUIRE(impossible.size() == 2);
  CHECK(impossible[1]->path == "Resources.ApiService4A7C6E19.Properties.PlacementConstraints[3].Fn::If[2].Expression");
  CHECK(impossible[1]->diagnostic.message == "ecs.cpu-architecture is never 'amd64'; did you mean 'x86_64'?");
  // Six constraints in each branch are six, not twelve; eleven in one branch are too many.
  const auto branch = [](int n) {
    std::string out = "        -";
    for (int i = 0; i < n; ++i) out += std::string(i == 0 ? " " : "          ") + "- Type: memberOf\n            Expression: attribute:a exists\n";
    return out;
  };
  const std::string head = "Resources:\n  S:\n    Type: AWS::ECS::Service\n    Properties:\n      PlacementConstraints: !If\n        - C\n";
  const auto balanced = lint_texts({{"t.yaml", head + branch(6) + branch(6)}});
  CHECK(balanced.constraints == 12);
  CHECK(with_rule(balanced, "ECSQ-L014").empty());
  CHECK(balanced.findings.empty());
  const auto uneven = lint_texts({{"t.yaml", head + branch(11) + branch(1)}});
  const auto limit = with_rule(uneven, "ECSQ-L014");
  REQUIRE(limit.size() == 1);
  CHECK(limit[0]->diagnostic.message == "11 placement constraints in this service; ECS accepts at most 10");
}

TEST_CASE("lint: a Terraform plan: service and task definition together, with JSON paths", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/terraform-plan.json"}));
  const auto limit = with_rule(report, "ECSQ-L014");
  REQUIRE(limit.size() == 1);
  CHECK(limit[0]->path == "planned_values.root_module.child_modules[0].resources[0].values.placement_constraints");
  CHECK(limit[0]->diagnostic.message ==
        "11 placement constraints for the task: 5 in this service and 6 in task definition 'api'; ECS accepts at most 10 "
        "together");
  const auto family = with_rule(report, "ECSQ-L023");
  REQUIRE(family.size() == 1);
  CHECK(family[0]->path ==
        "planned_values.root_module.child_modules[0].resources[0].values.placement_constraints[1].expression");
  CHECK(family[0]->position.line == 67);
  CHECK(report.count(Severity::error) == 2);  // the limit, and Fargate with a strategy
  CHECK(report.count(Severity::warning) == 1);
  // The state: the service names its task definition by ARN, which resolves by family; the two
  // are linted together, so the service's x86_64 contradicts the task definition's arm64.
  const auto state = ecsq::lint(documents({"tests/lint/terraform-state.json"}));
  REQUIRE(state.findings.size() == 1);
  CHECK(state.findings[0].rule == "ECSQ-L029");
  CHECK(state.findings[0].position.line == 45);
  CHECK(state.findings[0].diagnostic.message.find("task definition 'batch-job'") != std::string::npos);
  const auto tasks = ecsq::task_constraints(state.documents);
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[1].constraints.size() == 2);  // the service's and the task definition's
}

TEST_CASE("lint: the CDK template with every mistake produces the expected findings", "[lint]") {
  const auto report = ecsq::lint(documents({"tests/lint/cdk-mistakes.json"}));
  std::vector<std::string> rules;
  for (const auto& f : report.findings) rules.push_back(f.rule + "@" + std::to_string(f.position.line));
  CHECK(rules == std::vector<std::string>{"ECSQ-L006@33", "ECSQ-L023@62", "ECSQ-L052@70", "ECSQ-L023@74",
                                          "ECSQ-L040@85", "ECSQ-L004@87", "ECSQ-L007@102"});
}

TEST_CASE("lint: with a fleet, the count of instances for all constraints together and desiredCount", "[lint]") {
  const ecsq::FleetReadResult fleet = ecsq::read_fleet_files({std::string(ECSQ_TEST_DATA) + "/lint/fleet.json"});
  REQUIRE(fleet.fleet.has_value());
  ecsq::LintOptions options;
  options.fleet = std::span<const ecsq::Instance>(fleet.fleet->instances);
  const auto report = lint_texts(
      {{"td.json", R"({"family": "web", "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]})"},
       {"svc.json", R"({"serviceName": "web", "taskDefinition": "web:3", "desiredCount": 3, "placementConstraints": [
          {"type": "distinctInstance"}, {"type": "memberOf", "expression": "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"}]})"},
       {"small.json", R"({"serviceName": "api", "desiredCount": 1, "placementConstraints": [{"type": "distinctInstance"}]})"}},
      options);
  const auto together = with_rule(report, "ECSQ-L033");
  REQUIRE(together.size() == 1);
  CHECK(together[0]->document == 1);
  CHECK(together[0]->diagnostic.severity == Severity::note);
  CHECK(together[0]->diagnostic.message ==
        "2 of 3 fleet instances satisfy the 2 memberOf constraints of this service and task definition 'web' together");
  const auto desired = with_rule(report, "ECSQ-L034");
  REQUIRE(desired.size() == 1);
  CHECK(desired[0]->document == 1);
  CHECK(desired[0]->path == "desiredCount");
  CHECK(desired[0]->diagnostic.severity == Severity::warning);
  CHECK(desired[0]->diagnostic.message ==
        "desired count 3 exceeds the 2 fleet instances that satisfy the constraints of this service and task definition "
        "'web'; with distinctInstance at most 2 tasks run");
}
