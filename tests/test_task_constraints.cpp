// task_constraints(): the constraints each task gets, a service's or RunTask request's together with
// those of the task definition it names (CloudFormation Ref, family, ARN), from the lint test inputs;
// and the matchers of ecsq/testing/catch2.hpp checking them against the lint test fleet.
#include "ecsq/testing/catch2.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/constraint.hpp"
#include "ecsq/task_constraints.hpp"

using namespace ecsq;
using ecsq::testing::Satisfies;
using ecsq::testing::SatisfiesConstraints;
using ecsq::testing::Selects;

namespace {

std::vector<ConstraintDocument> documents(const std::vector<std::string>& relative) {
  std::vector<ConstraintDocument> out;
  for (const std::string& path : relative) {
    std::ifstream file(std::string(ECSQ_SOURCE_DIR) + "/" + path, std::ios::binary);
    REQUIRE(file);
    std::ostringstream text;
    text << file.rdbuf();
    out.push_back(read_constraint_document(text.str(), path));
  }
  return out;
}

std::vector<ConstraintDocument> texts(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<ConstraintDocument> out;
  for (const auto& [name, text] : files) out.push_back(read_constraint_document(text, name));
  return out;
}

// Each constraint as "origin[index] type: expression", in order.
std::vector<std::string> listed(const TaskConstraints& task) {
  std::vector<std::string> out;
  for (const AppliedConstraint& c : task.constraints) {
    std::string line = c.origin + "[" + std::to_string(c.index) + "] " + c.type.value_or("?");
    if (c.expression) line += ": " + *c.expression;
    if (!c.computed.empty()) line += " (computed by " + c.computed + ")";
    out.push_back(line);
  }
  return out;
}

// The entry of `all` for the set `owner` paired with `task_definition`.
const TaskConstraints& entry(const std::vector<TaskConstraints>& all, SetRef owner,
                             std::optional<SetRef> task_definition) {
  for (const TaskConstraints& task : all) {
    if (task.owner == owner && task.task_definition == task_definition) return task;
  }
  FAIL("no entry for set " << owner.document << "/" << owner.set);
  throw std::logic_error("unreachable");
}

std::vector<Instance> lint_fleet() {
  const FleetReadResult fleet = read_fleet_files({std::string(ECSQ_TEST_DATA) + "/lint/fleet.json"});
  REQUIRE(fleet.fleet.has_value());
  REQUIRE(fleet.fleet->instances.size() == 3);
  return fleet.fleet->instances;
}

}  // namespace

TEST_CASE("task_definition_family: ARN, family:revision and family name the same family", "[task-constraints]") {
  CHECK(task_definition_family("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3") == "web");
  CHECK(task_definition_family("web:3") == "web");
  CHECK(task_definition_family("web") == "web");
  CHECK(task_definition_family("web:latest") == "web:latest");  // only a numeric revision is dropped
  CHECK(task_definition_family("") == "");
}

TEST_CASE("task_constraints: a CloudFormation service gets the task definition it Refs", "[task-constraints]") {
  const auto docs = documents({"tests/lint/cloudformation-good.yaml"});
  REQUIRE(docs[0].sets.size() == 2);
  REQUIRE(docs[0].sets[0].owner == ConstraintOwner::task_definition);
  REQUIRE(docs[0].sets[1].owner == ConstraintOwner::service);
  CHECK(named_task_definitions(docs, SetRef{0, 1}) == std::vector<SetRef>{SetRef{0, 0}});
  CHECK(named_task_definitions(docs, SetRef{0, 0}).empty());  // a task definition names none

  const auto all = task_constraints(docs);
  REQUIRE(all.size() == 2);
  const TaskConstraints& alone = entry(all, SetRef{0, 0}, std::nullopt);
  CHECK(alone.complete);
  CHECK(listed(alone) ==
        std::vector<std::string>{"tests/lint/cloudformation-good.yaml[0] memberOf: attribute:ecs.os-type == linux and "
                                 "attribute:ecs.instance-type =~ (r5|r6i)\\..*"});
  const TaskConstraints& service = entry(all, SetRef{0, 1}, SetRef{0, 0});
  CHECK(listed(service) ==
        std::vector<std::string>{
            "tests/lint/cloudformation-good.yaml[0] distinctInstance",
            "tests/lint/cloudformation-good.yaml[1] memberOf: attribute:ecs.availability-zone in [eu-west-1a, "
            "eu-west-1b] and not(task:group == service:batch)",
            "tests/lint/cloudformation-good.yaml[0] memberOf: attribute:ecs.os-type == linux and "
            "attribute:ecs.instance-type =~ (r5|r6i)\\..*"});
  REQUIRE(service.constraints.size() == 3);
  const AppliedConstraint& from_task_definition = service.constraints[2];
  CHECK(from_task_definition.owner == ConstraintOwner::task_definition);
  CHECK(from_task_definition.from == SetRef{0, 0});
  CHECK(from_task_definition.at.path == "Resources.TaskDef.Properties.PlacementConstraints[0]");
  CHECK(from_task_definition.at.position.line == 12);
  CHECK(service.constraints[0].is_distinct_instance());
  CHECK_FALSE(service.constraints[0].is_member_of());
  CHECK(service.constraints[1].is_member_of());
  CHECK(service.constraints[1].owner == ConstraintOwner::service);
}

TEST_CASE("task_constraints: a service and a RunTask request name a task definition by family or ARN",
          "[task-constraints]") {
  // fleet-service.json names "web"; fleet-run-task.json names ".../task-definition/web:4".
  const auto docs = documents({"tests/lint/task-definition-good.json", "tests/lint/fleet-service.json",
                               "tests/lint/fleet-run-task.json", "tests/lint/run-task.json"});
  CHECK(named_task_definitions(docs, SetRef{1, 0}) == std::vector<SetRef>{SetRef{0, 0}});
  CHECK(named_task_definitions(docs, SetRef{2, 0}) == std::vector<SetRef>{SetRef{0, 0}});
  CHECK(named_task_definitions(docs, SetRef{3, 0}).empty());  // batch:12 is not among the documents

  const auto all = task_constraints(docs);
  REQUIRE(all.size() == 4);
  const TaskConstraints& service = entry(all, SetRef{1, 0}, SetRef{0, 0});
  CHECK(service.constraints.size() == 4);  // memberOf + distinctInstance, then the task definition's two
  CHECK(service.constraints[2].origin == "tests/lint/task-definition-good.json");
  const TaskConstraints& run_task = entry(all, SetRef{2, 0}, SetRef{0, 0});
  CHECK(listed(run_task) ==
        std::vector<std::string>{
            "tests/lint/fleet-run-task.json[0] memberOf: attribute:ecs.os-type == linux and "
            "(attribute:ecs.availability-zone == us-east-1c or attribute:stack == staging)",
            "tests/lint/task-definition-good.json[0] memberOf: attribute:ecs.os-type == linux and "
            "attribute:ecs.cpu-architecture == arm64",
            "tests/lint/task-definition-good.json[1] memberOf: attribute:ecs.instance-type =~ t4g.* or "
            "attribute:ecs.instance-type in [m6g.large, m7g.large]"});
  const TaskConstraints& unresolved = entry(all, SetRef{3, 0}, std::nullopt);
  CHECK(unresolved.constraints.size() == 5);
  CHECK(unresolved.constraints[3].type == "memberOf");
  CHECK_FALSE(unresolved.constraints[3].expression.has_value());  // written without one
}

TEST_CASE("task_constraints: describe-task-definition output and a CreateService naming its ARN", "[task-constraints]") {
  const auto docs = documents({"tests/lint/describe-task-definition.json", "tests/lint/create-service.json"});
  const auto all = task_constraints(docs);
  REQUIRE(all.size() == 2);
  const TaskConstraints& service = entry(all, SetRef{1, 0}, SetRef{0, 0});
  CHECK(service.constraints.size() == 4 + 7);
  CHECK(service.constraints.front().origin == "tests/lint/create-service.json");
  CHECK(service.constraints.back().expression == "agentVersion >= 1.60.0");
  CHECK(service.constraints.back().at.path == "taskDefinition.placementConstraints[6]");
}

TEST_CASE("task_constraints: every task definition of the family, each paired once", "[task-constraints]") {
  const auto docs = texts({
      {"web-3.json", R"({"family": "web", "placementConstraints": [{"type": "memberOf", "expression": "attribute:a exists"}]})"},
      {"web-4.json", R"({"taskDefinition": {"family": "web", "revision": 4, "placementConstraints": []}})"},
      {"other.json", R"({"family": "other", "placementConstraints": [{"type": "memberOf", "expression": "attribute:o exists"}]})"},
      {"svc.json", R"({"serviceName": "s", "taskDefinition": "web:4", "placementConstraints": [{"type": "distinctInstance"}]})"},
  });
  CHECK(named_task_definitions(docs, SetRef{3, 0}) == std::vector<SetRef>{SetRef{0, 0}, SetRef{1, 0}});
  const auto all = task_constraints(docs);
  REQUIRE(all.size() == 5);  // three task definitions alone, the service once per task definition
  CHECK(all[3].owner == SetRef{3, 0});
  CHECK(all[3].task_definition == SetRef{0, 0});
  CHECK(listed(all[3]) == std::vector<std::string>{"svc.json[0] distinctInstance", "web-3.json[0] memberOf: attribute:a exists"});
  CHECK(all[4].task_definition == SetRef{1, 0});
  CHECK(listed(all[4]) == std::vector<std::string>{"svc.json[0] distinctInstance"});
}

TEST_CASE("task_constraints: computed constraints and lists make the set incomplete", "[task-constraints]") {
  SECTION("entries and fields built by intrinsic functions") {
    const auto docs = documents({"tests/lint/cloudformation.yaml"});
    const auto all = task_constraints(docs);
    REQUIRE(all.size() == 2);
    const TaskConstraints& task_definition = entry(all, SetRef{0, 0}, std::nullopt);
    CHECK_FALSE(task_definition.complete);
    const auto lines = listed(task_definition);
    REQUIRE(lines.size() == 7);
    // Lint checks a Fn::Sub around its placeholders and both branches of an If; placement cannot
    // evaluate either, so they stay computed here.
    CHECK(lines[2] == "tests/lint/cloudformation.yaml[2] memberOf: attribute:stack == ${Environment} (computed by Fn::Sub)");
    CHECK(lines[3] == "tests/lint/cloudformation.yaml[3] memberOf: attribute:tier == gold (computed by Fn::If)");
    const TaskConstraints& service = entry(all, SetRef{0, 1}, SetRef{0, 0});
    CHECK_FALSE(service.complete);
    CHECK(service.constraints.size() == 5 + 7);
    CHECK(service.constraints[4].computed == "Ref");  // Type: !Ref ConstraintType
    CHECK_THROWS_WITH(SatisfiesConstraints(service),
                      Catch::Contains("the constraint at tests/lint/cloudformation.yaml:") &&
                          Catch::Contains("is computed by Ref, so it cannot be evaluated"));
  }
  SECTION("a whole list built by Fn::If") {
    const auto docs = documents({"tests/lint/cloudformation.json"});
    const auto all = task_constraints(docs);
    REQUIRE(all.size() == 2);
    const TaskConstraints& service = entry(all, SetRef{0, 1}, SetRef{0, 0});
    CHECK_FALSE(service.complete);
    CHECK(service.constraints.size() == 1 + 4);  // the If's branch, which may not apply, and the task definition's
    CHECK(service.constraints[0].from == SetRef{0, 1});
    CHECK(service.constraints[0].computed == "Fn::If");
    CHECK(service.constraints[1].from == SetRef{0, 0});
  }
  SECTION("only a list built by Fn::If") {
    const auto docs = texts({{"t.yaml", R"(Resources:
  S:
    Type: AWS::ECS::Service
    Properties:
      PlacementConstraints: !If [Cond, [{Type: distinctInstance}], !Ref AWS::NoValue]
)"}});
    const auto all = task_constraints(docs);
    REQUIRE(all.size() == 1);
    CHECK_FALSE(all[0].complete);
    REQUIRE(all[0].constraints.size() == 1);
    CHECK(all[0].constraints[0].computed == "Fn::If");
    CHECK_THROWS_WITH(SatisfiesConstraints(all[0]), Catch::Contains("is computed by Fn::If, so it cannot be evaluated"));
  }
}

TEST_CASE("task_constraints: a bare constraint list stands alone", "[task-constraints]") {
  const auto docs = documents({"tests/lint/constraint-list.json"});
  const auto all = task_constraints(docs);
  REQUIRE(all.size() == 1);
  CHECK(all[0].owner == SetRef{0, 0});
  CHECK_FALSE(all[0].task_definition.has_value());
  CHECK(all[0].constraints.size() == 2);
  CHECK(all[0].constraints[0].owner == ConstraintOwner::unknown);
}

TEST_CASE("the lint fleet against the constraints each task gets", "[task-constraints][testing]") {
  // The same documents and fleet as the lint test "fleet-aware checks", which reports ECSQ-L032 for the
  // service and ECSQ-L031 for the RunTask request: here, instance by instance.
  const auto docs = documents({"tests/lint/task-definition-good.json", "tests/lint/fleet-service.json",
                               "tests/lint/fleet-run-task.json"});
  const auto all = task_constraints(docs);
  const std::vector<Instance> fleet = lint_fleet();
  const Instance& x86_m5 = fleet[0];
  const Instance& graviton = fleet[1];

  const TaskConstraints& task_definition = entry(all, SetRef{0, 0}, std::nullopt);
  CHECK_THAT(graviton, SatisfiesConstraints(task_definition));
  CHECK_THAT(x86_m5, !SatisfiesConstraints(task_definition));
  for (const AppliedConstraint& c : task_definition.constraints) {
    CHECK_THAT(fleet, Selects(*c.expression, {"i-0000000000000002"}));
  }

  const TaskConstraints& service = entry(all, SetRef{1, 0}, SetRef{0, 0});
  const TaskConstraints& run_task = entry(all, SetRef{2, 0}, SetRef{0, 0});
  for (const Instance& instance : fleet) {
    CHECK_THAT(instance, !SatisfiesConstraints(service));
    CHECK_THAT(instance, !SatisfiesConstraints(run_task));
  }
  CHECK_THAT(x86_m5, Satisfies(*service.constraints[0].expression));  // the service's own, alone

  // The description names each constraint by file position and explains it.
  const SatisfiesConstraints matcher(service);
  CHECK_FALSE(matcher.match(graviton));
  const std::string message = matcher.toString();
  INFO(message);
  CHECK(message ==
        "satisfies the 3 memberOf constraints of the task\n"
        "  tests/lint/fleet-service.json:6:5 attribute:ecs.os-type == linux and attribute:ecs.instance-type =~ m5\\..*\n"
        "    ✗ and\n"
        "      ✓ attribute:ecs.os-type == linux    saw \"linux\"\n"
        "      ✗ attribute:ecs.instance-type =~ m5\\..*    saw \"m6g.large\"\n"
        "  tests/lint/task-definition-good.json:8:5 attribute:ecs.os-type == linux and attribute:ecs.cpu-architecture == arm64\n"
        "    ✓ and\n"
        "      ✓ attribute:ecs.os-type == linux    saw \"linux\"\n"
        "      ✓ attribute:ecs.cpu-architecture == arm64    saw \"arm64\"\n"
        "  tests/lint/task-definition-good.json:9:5 attribute:ecs.instance-type =~ t4g.* or attribute:ecs.instance-type in "
        "[m6g.large, m7g.large]\n"
        "    ✓ or\n"
        "      ✗ attribute:ecs.instance-type =~ t4g.*    saw \"m6g.large\"\n"
        "      ✓ attribute:ecs.instance-type in [m6g.large, m7g.large]    saw \"m6g.large\"\n");
}

TEST_CASE("SatisfiesConstraints: an expression with an error names the constraint", "[task-constraints][testing]") {
  const auto docs = texts({{"td.json", "{\"family\": \"f\",\n \"placementConstraints\": [{\"type\": \"memberOf\", "
                                       "\"expression\": \"attribute:a = b\"}]}"}});
  const auto all = task_constraints(docs);
  REQUIRE(all.size() == 1);
  CHECK_THROWS_WITH(SatisfiesConstraints(all[0]), Catch::StartsWith("the constraint at td.json:2:27 does not check:\n"
                                                                    "error[E0105]: '=' is not an operator"));
}
