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
  // Fn::Sub with a placeholder is checked around it; each branch of an If is read.
  CHECK(task.constraints[2].computed_expression.empty());
  CHECK(task.constraints[2].expression == "attribute:stack == ${Environment}");
  CHECK(task.constraints[2].placeholders.size() == 1);
  CHECK(task.constraints[3].computed.empty());
  CHECK(task.constraints[3].if_branch == 1);
  CHECK(task.constraints[3].expression == "attribute:tier == gold");
  CHECK(task.constraints[3].at.path == "Resources.TaskDef.Properties.PlacementConstraints[3][1]");
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
  CHECK(document.sets[0].constraints[1].expression == "attribute:stack == ${AWS::StackName}");
  CHECK(document.sets[0].constraints[1].placeholders.size() == 1);
  CHECK(document.sets[1].task_definition_resource == "Worker");
  CHECK(document.sets[1].computed_list.empty());  // both branches of the If are read
  REQUIRE(document.sets[1].constraints.size() == 1);
  CHECK(document.sets[1].constraints[0].if_branch == 1);
  CHECK(document.sets[1].constraints[0].at.path == "Resources.WorkerService.Properties.PlacementConstraints.Fn::If[1][0]");
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

TEST_CASE("lint read: create-service and update-service output is a service", "[lint]") {
  const auto document = fixture("create-service-output.json");
  CHECK(document.kind == DocumentKind::service_output);
  CHECK(ecsq::to_string(document.kind) == "create-service/update-service output");
  REQUIRE(document.sets.size() == 1);
  const auto& set = document.sets[0];
  CHECK(set.owner == ConstraintOwner::service);
  CHECK(set.name == "ecs-simple-service");
  CHECK(set.task_definition == "arn:aws:ecs:us-west-2:123456789012:task-definition/sleep360:2");
  CHECK(set.constraints.size() == 2);
  CHECK(set.constraints[1].expression_at.path == "service.placementConstraints[1].expression");
  REQUIRE(set.strategies.size() == 2);
  CHECK(set.strategies[1].field == "MEMORY");
  CHECK(set.desired_count == 4);
  CHECK(set.desired_count_at.path == "service.desiredCount");
  CHECK(set.launch_type == "EC2");
  // UpdateService input names the service with a string, and stays UpdateService input.
  CHECK(ecsq::read_constraint_document(R"({"service": "web", "placementConstraints": []})", "u.json").kind ==
        DocumentKind::update_service);
}

TEST_CASE("lint read: a list of strategies, bare or under placementStrategy", "[lint]") {
  const auto document = fixture("strategy-list.json");
  CHECK(document.kind == DocumentKind::strategy_list);
  REQUIRE(document.sets.size() == 1);
  REQUIRE(document.sets[0].strategies.size() == 3);
  CHECK(document.sets[0].strategies[0].type == "spread");
  REQUIRE(document.sets[0].strategies[2].extra_fields.size() == 1);
  CHECK(document.sets[0].strategies[2].extra_fields[0].name == "feild");
  CHECK(document.sets[0].strategies[2].extra_fields[0].at.path == "[2].feild");
  const auto object = ecsq::read_constraint_document(R"({"placementStrategy": [{"type": "random"}]})", "s.json");
  CHECK(object.kind == DocumentKind::strategy_list);
  REQUIRE(object.sets.size() == 1);
  CHECK(object.sets[0].strategies.size() == 1);
  // A list of constraints is still one.
  CHECK(ecsq::read_constraint_document(R"([{"type": "distinctInstance"}])", "c.json").kind == DocumentKind::constraint_list);
}

TEST_CASE("lint read: EventBridge targets, Scheduler targets and ecs-params.yml", "[lint]") {
  const auto targets = fixture("eventbridge-targets.json");
  CHECK(targets.kind == DocumentKind::eventbridge_targets);
  REQUIRE(targets.sets.size() == 1);  // the SNS target has no EcsParameters
  CHECK(targets.sets[0].owner == ConstraintOwner::run_task);
  CHECK(targets.sets[0].name == "nightly-report");
  CHECK(targets.sets[0].task_definition == "arn:aws:ecs:us-east-1:123456789012:task-definition/report:3");
  REQUIRE(targets.sets[0].constraints.size() == 1);
  CHECK(targets.sets[0].constraints[0].expression_at.path == "Targets[0].EcsParameters.PlacementConstraints[0].expression");
  REQUIRE(targets.sets[0].strategies.size() == 1);
  CHECK(targets.sets[0].strategies[0].field == "MEMORY");

  const auto schedule = fixture("scheduler-schedule.json");
  CHECK(schedule.kind == DocumentKind::scheduler_target);
  REQUIRE(schedule.sets.size() == 1);
  CHECK(schedule.sets[0].name == "cleanup");
  CHECK(schedule.sets[0].launch_type == "FARGATE");
  CHECK(schedule.sets[0].launch_type_at.path == "Target.EcsParameters.LaunchType");
  CHECK(schedule.sets[0].constraints.size() == 1);

  const auto template_ = fixture("eventbridge-rule.yaml");
  CHECK(template_.kind == DocumentKind::cloudformation);
  REQUIRE(template_.sets.size() == 3);
  const auto& rule = template_.sets[1];
  CHECK(rule.owner == ConstraintOwner::run_task);
  CHECK(rule.name == "NightlyReportRule/nightly-report");
  CHECK(rule.task_definition_resource == "ReportTaskDefinition");
  REQUIRE(rule.constraints.size() == 2);
  CHECK(rule.constraints[0].expression == "attribute:stack == ${Stage}");
  REQUIRE(rule.constraints[0].placeholders.size() == 1);
  CHECK(rule.constraints[0].placeholders[0] == ecsq::Span{19, 27});
  CHECK(rule.strategies.size() == 1);
  const auto& scheduled = template_.sets[2];
  CHECK(scheduled.name == "CleanupSchedule");
  CHECK(scheduled.launch_type == "FARGATE");
  REQUIRE(scheduled.strategies.size() == 1);
  CHECK(scheduled.strategies[0].field_at.path == "Resources.CleanupSchedule.Properties.Target.EcsParameters.PlacementStrategy[0].Field");

  const auto params = fixture("ecs-params.yml");
  CHECK(params.kind == DocumentKind::ecs_params);
  REQUIRE(params.sets.size() == 1);
  CHECK(params.sets[0].constraints.size() == 2);
  CHECK(params.sets[0].strategies.size() == 2);
  CHECK(params.sets[0].constraints[1].expression_at.path == "run_params.task_placement.constraints[1].expression");
  CHECK(params.sets[0].constraints[1].expression_at.position.line == 20);
}

TEST_CASE("lint read: Terraform plan with a child module, and state", "[lint]") {
  const auto plan = fixture("terraform-plan.json");
  CHECK(plan.kind == DocumentKind::terraform_plan);
  REQUIRE(plan.sets.size() == 3);
  const auto& worker = plan.sets[0];
  CHECK(worker.owner == ConstraintOwner::service);
  CHECK(worker.name == "aws_ecs_service.worker");
  CHECK(worker.task_definition == "worker:12");
  CHECK(worker.launch_type == "FARGATE");
  CHECK(worker.strategies.size() == 1);
  const auto& api = plan.sets[1];
  CHECK(api.name == "module.api.aws_ecs_service.this");
  CHECK(api.task_definition.empty());  // unknown until applied: resolved through the configuration
  CHECK(api.task_definition_resource == "module.api.aws_ecs_task_definition.this");
  CHECK(api.desired_count == 6);
  REQUIRE(api.constraints.size() == 5);
  CHECK(api.constraints[1].expression_at.path ==
        "planned_values.root_module.child_modules[0].resources[0].values.placement_constraints[1].expression");
  CHECK(api.strategies.size() == 2);
  const auto& task_definition = plan.sets[2];
  CHECK(task_definition.owner == ConstraintOwner::task_definition);
  CHECK(task_definition.family == "api");
  CHECK(task_definition.resource == "module.api.aws_ecs_task_definition.this");
  CHECK(task_definition.constraints.size() == 6);

  const auto state = fixture("terraform-state.json");
  CHECK(state.kind == DocumentKind::terraform_state);
  REQUIRE(state.sets.size() == 2);
  CHECK(state.sets[0].family == "batch-job");
  CHECK(state.sets[1].task_definition == "arn:aws:ecs:eu-west-1:123456789012:task-definition/batch-job:7");
  CHECK(state.sets[1].constraints[0].expression_at.path ==
        "values.root_module.child_modules[0].resources[1].values.placement_constraints[0].expression");
}

TEST_CASE("lint read: Fn::Sub with and without placeholders, and both branches of Fn::If", "[lint]") {
  const auto document = fixture("cdk-mistakes.json");
  CHECK(document.kind == DocumentKind::cloudformation);
  REQUIRE(document.sets.size() == 3);
  const auto& service = document.sets[1];
  REQUIRE(service.constraints.size() == 5);
  CHECK(service.constraints[1].expression == "attribute:stack == ${Stage}");
  CHECK(service.constraints[1].placeholders.size() == 1);
  CHECK(service.constraints[1].computed_expression.empty());
  CHECK(service.constraints[2].expression == "attribute:ecs.os-family == linux");
  CHECK(service.constraints[2].placeholders.empty());
  REQUIRE(service.constraints[2].expression_text_offset.has_value());
  CHECK(document.text.substr(*service.constraints[2].expression_text_offset, 5) == "attri");
  CHECK(service.constraints[3].if_branch == 1);
  CHECK(service.constraints[3].expression == "attribute:ecs.instance-type == M5.large");
  CHECK(service.constraints[3].at.path == "Resources.ApiService4A7C6E19.Properties.PlacementConstraints[3].Fn::If[1]");
  CHECK(service.constraints[4].if_branch == 2);
  CHECK(service.desired_count == 4);

  // YAML short forms, an If on the whole list and on one expression.
  const auto yaml = ecsq::read_constraint_document(R"(Resources:
  TD:
    Type: AWS::ECS::TaskDefinition
    Properties:
      PlacementConstraints: !If
        - IsArm
        - - Type: memberOf
            Expression: attribute:ecs.cpu-architecture == arm64
        - !Ref AWS::NoValue
  S:
    Type: AWS::ECS::Service
    Properties:
      PlacementConstraints:
        - Type: memberOf
          Expression: !If [IsProd, 'attribute:stack == prod', 'attribute:stack == dev']
        - Type: !Sub memberOf
          Expression: !Sub 'attribute:ecs.instance-type == ${InstanceType}'
)", "t.yaml");
  REQUIRE(yaml.sets.size() == 2);
  REQUIRE(yaml.sets[0].constraints.size() == 1);
  CHECK(yaml.sets[0].constraints[0].if_branch == 1);
  CHECK(yaml.sets[0].constraints[0].at.path == "Resources.TD.Properties.PlacementConstraints[1][0]");
  CHECK(yaml.sets[0].computed_list.empty());
  REQUIRE(yaml.sets[1].constraints.size() == 3);
  CHECK(yaml.sets[1].constraints[0].expression == "attribute:stack == prod");
  CHECK(yaml.sets[1].constraints[1].expression == "attribute:stack == dev");
  CHECK(yaml.sets[1].constraints[1].expression_at.path == "Resources.S.Properties.PlacementConstraints[0].Expression[2]");
  CHECK(yaml.sets[1].constraints[2].type == "memberOf");
  CHECK(yaml.sets[1].constraints[2].placeholders.size() == 1);
}

TEST_CASE("lint read: a UTF-8 byte order mark before JSON", "[lint]") {
  const auto document = ecsq::read_constraint_document(
      "\xEF\xBB\xBF{\"family\": \"web\", \"placementConstraints\": [{\"type\": \"memberOf\", \"expression\": \"attribute:a exists\"}]}",
      "bom.json");
  CHECK(!document.unreadable);
  CHECK(document.kind == DocumentKind::register_task_definition);
  REQUIRE(document.sets.size() == 1);
  REQUIRE(document.sets[0].constraints.size() == 1);
  const auto& c = document.sets[0].constraints[0];
  REQUIRE(c.expression_text_offset.has_value());
  CHECK(document.text.substr(*c.expression_text_offset, c.expression->size()) == *c.expression);
}

TEST_CASE("lint read: broken JSON names the bracket left open", "[lint]") {
  const auto document = ecsq::read_constraint_document("{\n  \"family\": \"web\",\n  \"placementConstraints\": [\n", "b.json");
  CHECK(document.unreadable);
  REQUIRE(document.diagnostics.size() == 1);
  CHECK(document.diagnostics[0].diagnostic.message ==
        "invalid JSON: unexpected end of file; `[` opened at 3:27 is not closed");
  const auto truncated = ecsq::read_constraint_document("{\"family\": \"web\"", "t.json");
  REQUIRE(truncated.diagnostics.size() == 1);
  CHECK(truncated.diagnostics[0].diagnostic.message == "invalid JSON: unexpected end of file; `{` opened at 1:1 is not closed");
  // A stray comma is no unclosed bracket: the message stays about the syntax.
  const auto comma = ecsq::read_constraint_document("{\"family\": \"web\",}", "c.json");
  REQUIRE(comma.diagnostics.size() == 1);
  CHECK(comma.diagnostics[0].diagnostic.message.find("opened at") == std::string::npos);
}

TEST_CASE("lint read: property names in the wrong case are reported, not silently skipped", "[lint]") {
  const auto api = ecsq::read_constraint_document(
      R"({"family": "web", "PlacementConstraints": [{"type": "memberOf", "expression": "attribute:a exists"}]})", "a.json");
  CHECK(api.kind == DocumentKind::register_task_definition);
  REQUIRE(api.diagnostics.size() == 1);
  CHECK(api.diagnostics[0].diagnostic.code == "ECSQ-L006");
  CHECK(api.diagnostics[0].path == "PlacementConstraints");
  CHECK(api.diagnostics[0].diagnostic.message == "property 'PlacementConstraints' is not read; did you mean 'placementConstraints'?");
  REQUIRE(api.diagnostics[0].diagnostic.fixits.size() == 1);
  CHECK(api.diagnostics[0].diagnostic.fixits[0].replacement == "\"placementConstraints\"");
  const auto cloudformation = fixture("cdk-mistakes.json");
  REQUIRE(!cloudformation.diagnostics.empty());
  CHECK(cloudformation.diagnostics[0].path == "Resources.ApiTaskDef9C5B1A5E.Properties.placementConstraints");
  const auto service = ecsq::read_constraint_document(R"({"serviceName": "web", "LaunchType": "EC2", "PlacementStrategy": []})", "s.json");
  REQUIRE(service.diagnostics.size() == 2);
  CHECK(service.diagnostics[1].diagnostic.message == "property 'PlacementStrategy' is not read; did you mean 'placementStrategy'?");
  // The API's singular and CloudFormation's plural, each in the other's place.
  const auto plural = ecsq::read_constraint_document(R"({"serviceName": "web", "placementStrategies": []})", "p.json");
  REQUIRE(plural.diagnostics.size() == 1);
  CHECK(plural.diagnostics[0].diagnostic.message == "property 'placementStrategies' is not read; did you mean 'placementStrategy'?");
  const auto singular = ecsq::read_constraint_document(
      "Resources:\n  S:\n    Type: AWS::ECS::Service\n    Properties:\n      PlacementStrategy: []\n", "s.yaml");
  REQUIRE(singular.diagnostics.size() == 1);
  CHECK(singular.diagnostics[0].diagnostic.message == "property 'PlacementStrategy' is not read; did you mean 'PlacementStrategies'?");
  CHECK(singular.diagnostics[0].diagnostic.fixits[0].replacement == "PlacementStrategies");
  // Other properties are left alone.
  CHECK(ecsq::read_constraint_document(R"({"serviceName": "web", "desiredCount": 2, "platformVersion": "LATEST", "runningCount": 1})", "o.json")
            .diagnostics.empty());
}
