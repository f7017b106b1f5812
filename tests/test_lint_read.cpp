// Reading placement constraints out of task definitions, services, RunTask input and templates.
#include <catch2/catch.hpp>

#include <string>

#include "ecsq/constraint.hpp"

namespace {

using ecsq::ConstraintOwner;
using ecsq::DocumentKind;

ecsq::ConstraintDocument fixture(const std::string& name) {
  return ecsq::read_constraint_file(std::string(ECSQ_TEST_DATA) + "/lint/" + name);
}

std::string at(const std::string& text, const ecsq::FileLocation& location) {
  return text.substr(location.offset, location.length);
}

}  // namespace

TEST_CASE("lint read: RegisterTaskDefinition input", "[lint]") {
  const auto document = fixture("task-definition-good.json");
  CHECK(!document.unreadable);
  CHECK(document.kind == DocumentKind::register_task_definition);
  CHECK(document.diagnostics.empty());
  REQUIRE(document.sets.size() == 1);
  const auto& set = document.sets[0];
  CHECK(set.owner == ConstraintOwner::task_definition);
  CHECK(set.family == "web");
  CHECK(set.at.path == "placementConstraints");
  REQUIRE(set.constraints.size() == 2);
  const auto& first = set.constraints[0];
  CHECK(first.type == "memberOf");
  CHECK(first.type_at.path == "placementConstraints[0].type");
  CHECK(first.type_at.position.line == 8);
  CHECK(first.type_at.position.column == 14);
  CHECK(at(document.text, first.type_at) == "\"memberOf\"");
  CHECK(first.expression_at.path == "placementConstraints[0].expression");
  REQUIRE(first.expression_text_offset.has_value());
  CHECK(document.text.substr(*first.expression_text_offset, first.expression->size()) == *first.expression);
}

TEST_CASE("lint read: an escaped JSON string has no verbatim offset", "[lint]") {
  const auto document = ecsq::read_constraint_document(
      R"({"placementConstraints": [{"type": "memberOf", "expression": "attribute:a =~ m5\\..*"}]})", "x.json");
  CHECK(document.kind == DocumentKind::constraint_list);
  REQUIRE(document.sets.size() == 1);
  REQUIRE(document.sets[0].constraints.size() == 1);
  const auto& c = document.sets[0].constraints[0];
  CHECK(c.expression == "attribute:a =~ m5\\..*");
  CHECK(!c.expression_text_offset.has_value());
  CHECK(c.expression_at.position.column == 62);
  CHECK(document.sets[0].owner == ConstraintOwner::unknown);
}

TEST_CASE("lint read: describe-task-definition output", "[lint]") {
  const auto document = fixture("describe-task-definition.json");
  CHECK(document.kind == DocumentKind::task_definition_output);
  REQUIRE(document.sets.size() == 1);
  CHECK(document.sets[0].owner == ConstraintOwner::task_definition);
  CHECK(document.sets[0].family == "api");
  CHECK(document.sets[0].constraints.size() == 7);
  CHECK(document.sets[0].constraints[6].expression_at.path == "taskDefinition.placementConstraints[6].expression");
}

TEST_CASE("lint read: CreateService, UpdateService and RunTask input", "[lint]") {
  const auto create = fixture("create-service.json");
  CHECK(create.kind == DocumentKind::create_service);
  REQUIRE(create.sets.size() == 1);
  CHECK(create.sets[0].owner == ConstraintOwner::service);
  CHECK(create.sets[0].name == "api");
  CHECK(create.sets[0].task_definition == "arn:aws:ecs:us-east-1:123456789012:task-definition/api:7");
  CHECK(create.sets[0].constraints.size() == 4);

  const auto update = fixture("update-service.json");
  CHECK(update.kind == DocumentKind::update_service);
  REQUIRE(update.sets.size() == 1);
  CHECK(update.sets[0].owner == ConstraintOwner::service);
  CHECK(update.sets[0].name == "api");

  const auto run = fixture("run-task.json");
  CHECK(run.kind == DocumentKind::run_task);
  REQUIRE(run.sets.size() == 1);
  CHECK(run.sets[0].owner == ConstraintOwner::run_task);
  CHECK(run.sets[0].task_definition == "batch:12");
  REQUIRE(run.sets[0].constraints.size() == 5);
  CHECK(!run.sets[0].constraints[3].expression.has_value());
  CHECK(run.sets[0].constraints[4].expression == "");
}

TEST_CASE("lint read: describe-services output and a bare constraint list", "[lint]") {
  const auto services = ecsq::read_constraint_document(R"({"services": [
    {"serviceName": "a", "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/a:2",
     "placementConstraints": [{"type": "distinctInstance"}]},
    {"serviceName": "b", "placementConstraints": []}], "failures": []})",
                                                       "services.json");
  CHECK(services.kind == DocumentKind::services_output);
  REQUIRE(services.sets.size() == 2);
  CHECK(services.sets[0].name == "a");
  CHECK(services.sets[0].constraints[0].type_at.path == "services[0].placementConstraints[0].type");
  CHECK(services.sets[1].constraints.empty());

  const auto list = fixture("constraint-list.json");
  CHECK(list.kind == DocumentKind::constraint_list);
  REQUIRE(list.sets.size() == 1);
  CHECK(list.sets[0].constraints.size() == 2);
  CHECK(list.sets[0].constraints[1].type_at.path == "[1].type");
}

TEST_CASE("lint read: CloudFormation YAML with short-form intrinsic functions", "[lint]") {
  const auto document = fixture("cloudformation.yaml");
  CHECK(!document.unreadable);
  CHECK(document.kind == DocumentKind::cloudformation);
  CHECK(document.diagnostics.empty());
  REQUIRE(document.sets.size() == 2);
  const auto& task = document.sets[0];
  CHECK(task.owner == ConstraintOwner::task_definition);
  CHECK(task.resource == "TaskDef");
  CHECK(task.family.empty());  // Family: !Sub ... is computed
  REQUIRE(task.constraints.size() == 7);
  CHECK(task.constraints[0].expression == "attribute:ecs.os-type == linux");
  CHECK(task.constraints[0].expression_text_offset.has_value());
  CHECK(task.constraints[1].expression == "attribute:ecs.instance_type =~ t3\\..*");  // single-quoted: raw
  REQUIRE(task.constraints[1].expression_text_offset.has_value());
  CHECK(document.text[*task.constraints[1].expression_text_offset - 1] == '\'');
  CHECK(task.constraints[2].computed_expression == "Fn::Sub");
  CHECK(!task.constraints[2].expression.has_value());
  CHECK(task.constraints[3].computed == "Fn::If");
  CHECK(task.constraints[4].expression ==
        "attribute:ecs.cpu-architecture == arm64 and attribute:ecs.os-family == WINDOWS_SERVER_2019");
  CHECK(!task.constraints[4].expression_text_offset.has_value());  // a folded block scalar
  CHECK(task.constraints[4].expression_at.path == "Resources.TaskDef.Properties.PlacementConstraints[4].Expression");
  CHECK(task.constraints[5].expression == "agentConnected == true");  // double-quoted, no escapes: verbatim
  CHECK(task.constraints[5].expression_text_offset.has_value());

  const auto& service = document.sets[1];
  CHECK(service.owner == ConstraintOwner::service);
  CHECK(service.resource == "Service");
  CHECK(service.task_definition_resource == "TaskDef");
  REQUIRE(service.constraints.size() == 5);
  CHECK(service.constraints[0].type == "distinctInstance");
  CHECK(service.constraints[4].computed_type == "Ref");
  CHECK(service.constraints[4].expression == "attribute:ecs.vpc-id == vpc-0abc");
}

TEST_CASE("lint read: CloudFormation JSON with long-form intrinsic functions", "[lint]") {
  const auto document = fixture("cloudformation.json");
  CHECK(document.kind == DocumentKind::cloudformation);
  REQUIRE(document.sets.size() == 2);  // the S3 bucket is not an ECS resource
  CHECK(document.sets[0].family == "worker");
  CHECK(document.sets[0].constraints[1].computed_expression == "Fn::Sub");
  CHECK(document.sets[1].task_definition_resource == "Worker");
  CHECK(document.sets[1].computed_list == "Fn::If");
  CHECK(document.sets[1].constraints.empty());
}

TEST_CASE("lint read: wrong types and unknown fields are recorded, not fatal", "[lint]") {
  const auto document = ecsq::read_constraint_document(R"({"family": "x", "placementConstraints": [
  "memberOf",
  {"type": 3, "expression": ["a"]},
  {"Type": "memberOf", "expression": "attribute:a exists"}
]})",
                                                       "x.json");
  CHECK(!document.unreadable);
  REQUIRE(document.diagnostics.size() == 3);
  for (const auto& d : document.diagnostics) CHECK(d.diagnostic.code == "ECSQ-L003");
  CHECK(document.diagnostics[0].path == "placementConstraints[0]");
  CHECK(document.diagnostics[0].diagnostic.message == "expected a constraint object, found a string");
  CHECK(document.diagnostics[1].path == "placementConstraints[1].type");
  CHECK(document.diagnostics[2].path == "placementConstraints[1].expression");
  REQUIRE(document.sets.size() == 1);
  REQUIRE(document.sets[0].constraints.size() == 2);
  const auto& extra = document.sets[0].constraints[1].extra_fields;
  REQUIRE(extra.size() == 1);
  CHECK(extra[0].name == "Type");
  CHECK(at(document.text, extra[0].at) == "\"Type\"");
  CHECK(extra[0].at.position.line == 4);
  CHECK(extra[0].at.position.column == 4);

  const auto not_a_list = ecsq::read_constraint_document("family: x\nplacementConstraints: memberOf\n", "x.yaml");
  REQUIRE(not_a_list.diagnostics.size() == 1);
  CHECK(not_a_list.diagnostics[0].diagnostic.message == "expected a list of constraints, found a string");
}

TEST_CASE("lint read: unreadable and unrecognised input", "[lint]") {
  const auto broken = fixture("broken.json");
  CHECK(broken.unreadable);
  REQUIRE(broken.diagnostics.size() == 1);
  CHECK(broken.diagnostics[0].diagnostic.code == "ECSQ-L001");
  CHECK(broken.diagnostics[0].diagnostic.message.starts_with("invalid JSON"));
  CHECK(ecsq::line_column(broken.text, broken.diagnostics[0].diagnostic.span.begin).line == 5);

  const auto yaml = ecsq::read_constraint_document("Resources:\n  A: [b\n  C: d\n", "t.yaml");
  CHECK(yaml.unreadable);
  REQUIRE(yaml.diagnostics.size() == 1);
  CHECK(yaml.diagnostics[0].diagnostic.message.starts_with("invalid YAML"));

  const auto missing = ecsq::read_constraint_file(std::string(ECSQ_TEST_DATA) + "/lint/no-such-file.json");
  CHECK(missing.unreadable);
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].diagnostic.message == "cannot read: No such file or directory");

  const auto empty = ecsq::read_constraint_document(" \n", "empty.json");
  CHECK(empty.unreadable);

  for (const char* text : {"42", "just text", "[1, 2]", "{\"name\": \"app\"}"}) {
    INFO(text);
    const auto other = ecsq::read_constraint_document(text, "other");
    CHECK(!other.unreadable);
    CHECK(other.kind == DocumentKind::unrecognized);
    REQUIRE(other.diagnostics.size() == 1);
    CHECK(other.diagnostics[0].diagnostic.code == "ECSQ-L002");
    CHECK(other.diagnostics[0].diagnostic.severity == ecsq::Severity::warning);
  }
}

TEST_CASE("lint read: the same request in YAML (--cli-input-yaml)", "[lint]") {
  const auto document = ecsq::read_constraint_document(R"(serviceName: web
taskDefinition: web:3
placementConstraints:
  - type: memberOf
    expression: "attribute:ecs.os-type == linux"
)",
                                                       "service.yaml");
  CHECK(document.kind == DocumentKind::create_service);
  REQUIRE(document.sets.size() == 1);
  REQUIRE(document.sets[0].constraints.size() == 1);
  const auto& c = document.sets[0].constraints[0];
  CHECK(c.expression_at.position.line == 5);
  CHECK(c.expression_at.position.column == 17);
  REQUIRE(c.expression_text_offset.has_value());
  CHECK(ecsq::line_column(document.text, *c.expression_text_offset).column == 18);
}
