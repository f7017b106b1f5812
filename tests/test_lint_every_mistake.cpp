// Issue 17's "Done when": a Terraform plan, a CDK template and a CloudFormation template that each
// hold every placement mistake of the issue their format can express produce exactly the findings
// expected, one `RULE@LINE` per mistake, so a rule that stops firing (or fires twice) shows here.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ecsq/lint.hpp"

namespace {

namespace fs = std::filesystem;

ecsq::LintReport lint_every_mistake_file(const std::string& name) {
  const std::string relative = "tests/lint/every-mistake/" + name;
  std::ifstream file(fs::path(ECSQ_SOURCE_DIR) / relative, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  std::vector<ecsq::ConstraintDocument> docs;
  docs.push_back(ecsq::read_constraint_document(text.str(), relative));
  return ecsq::lint(std::move(docs), {});
}

// "RULE@LINE" of the findings that are shown (`suppressed` false) or suppressed by a comment.
std::vector<std::string> listed(const ecsq::LintReport& report, bool suppressed) {
  std::vector<std::string> out;
  for (const auto& f : report.findings) {
    if (f.suppression.has_value() == suppressed) out.push_back(f.rule + "@" + std::to_string(f.position.line));
  }
  return out;
}

const ecsq::LintFinding* finding_at(const ecsq::LintReport& report, std::string_view rule, int line) {
  for (const auto& f : report.findings) {
    if (f.rule == rule && static_cast<int>(f.position.line) == line) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("lint: a Terraform plan with every mistake its format can express", "[lint]") {
  // Terraform writes the keys of a plan from the provider's schema, so unknown keys in a
  // constraint or strategy and properties in the wrong case cannot occur; nor can !Sub or !If.
  const auto report = lint_every_mistake_file("terraform-plan.json");
  CHECK(listed(report, false) == std::vector<std::string>{
    "ECSQ-L007@17",  // root aws_ecs_service.batch: launch_type FARGATE with a constraint and a strategy
    "ECSQ-L040@46",  // module.inference service: strategy type "binpak"
    "ECSQ-L014@48",  // the service's 6 constraints and its task definition's 6 (task_definition = "inference"): 12 together
    "ECSQ-L029@49",  // across constraints: service os-type == linux, task definition os-type == windows
    "ECSQ-L025@50",  // glob as regex with ?: ami-0?23* -> ami-0.23.*
    "ECSQ-L020@51",  // *.xlarge is not a valid regex (dangling *)
    "ECSQ-L025@51",  // ... and reads like a glob -> .*\.xlarge
    "ECSQ-L029@53",  // inside one list: stack == dev against stack == prod
    "ECSQ-L028@54",  // inside one expression: runningTasksCount > 5 and runningTasksCount < 3
    "ECSQ-L023@74",  // ecs.os-family == linux
    "ECSQ-L024@75",  // misspelt built-in attribute ecs.instance_type
    "ECSQ-L052@76",  // ecs.instance-type == Inf1.xlarge
    "ECSQ-L050@77",  // typographic quotes ‘t2.micro’
    "ECSQ-L050@77",  // typographic quotes “t3.micro”
    "ECSQ-L051@78",  // a region as an availability zone: us-east-1
  });
  CHECK(listed(report, true).empty());  // JSON has no comments
  // The plan's JSON path names the child module's resource.
  const auto* os_family = finding_at(report, "ECSQ-L023", 74);
  REQUIRE(os_family != nullptr);
  CHECK(os_family->path == "planned_values.root_module.child_modules[0].resources[1].values.placement_constraints[1].expression");
}

TEST_CASE("lint: a CDK-synthesised template with every mistake its format can express", "[lint]") {
  const auto report = lint_every_mistake_file("cdk-template.json");
  CHECK(listed(report, false) == std::vector<std::string>{
    "ECSQ-L023@49",   // ecs.os-family == linux
    "ECSQ-L024@53",   // misspelt built-in attribute ecs.instance_type
    "ECSQ-L052@57",   // ecs.instance-type == Inf1.xlarge
    "ECSQ-L050@61",   // typographic quotes ‘t2.micro’
    "ECSQ-L050@61",   // typographic quotes “t3.micro”
    "ECSQ-L051@65",   // a region as an availability zone: us-east-1
    "ECSQ-L014@90",   // 10 constraints in the service and 6 in its task definition (Ref): 16 together
    "ECSQ-L029@92",   // across constraints: service os-type == linux, task definition os-type == windows
    "ECSQ-L025@96",   // glob as regex with ?: ami-0?23* -> ami-0.23.*
    "ECSQ-L020@100",  // *.xlarge is not a valid regex (dangling *)
    "ECSQ-L025@100",  // ... and reads like a glob -> .*\.xlarge
    "ECSQ-L029@108",  // inside one list: stack == dev against stack == prod
    "ECSQ-L028@112",  // inside one expression: runningTasksCount > 5 and runningTasksCount < 3
    "ECSQ-L023@116",  // Fn::Sub with a placeholder: os-family == ${OsFamily}_SERVER, a note that names it
    "ECSQ-L023@123",  // Fn::Sub without a placeholder, checked as text: cpu-architecture == amd64
    "ECSQ-L052@131",  // Fn::If, first branch: instance-type == M5.large
    "ECSQ-L024@135",  // Fn::If, second branch: misspelt ecs.availabilty-zone
    "ECSQ-L010@140",  // "Type " (trailing space) leaves the constraint without a type ...
    "ECSQ-L004@142",  // ... and is an unknown key, did you mean 'Type'
    "ECSQ-L041@154",  // "Feild" leaves the binpack strategy without a field ...
    "ECSQ-L004@155",  // ... and is an unknown key, did you mean 'Field'
    "ECSQ-L040@160",  // strategy type "spred"
    "ECSQ-L007@182",  // BatchService: LaunchType FARGATE with a strategy
    "ECSQ-L006@212",  // ReportsService: placementConstraints in the wrong case under Properties
  });
  // Binpack on "CPU" (line 151) and "MEMORY" (line 193), as CDK writes them, is not a mistake.
  CHECK(finding_at(report, "ECSQ-L041", 151) == nullptr);
  CHECK(finding_at(report, "ECSQ-L041", 193) == nullptr);
  const auto* placeholder = finding_at(report, "ECSQ-L023", 116);
  REQUIRE(placeholder != nullptr);
  CHECK(placeholder->diagnostic.severity == ecsq::Severity::note);
  CHECK(placeholder->diagnostic.message == "ecs.os-family is never '${OsFamily}_SERVER'");
}

TEST_CASE("lint: a hand-written CloudFormation YAML template with every mistake in short-form tags and one suppression", "[lint]") {
  const auto report = lint_every_mistake_file("cloudformation.yaml");
  CHECK(listed(report, false) == std::vector<std::string>{
    "ECSQ-L023@31",   // ecs.os-family == linux
    "ECSQ-L024@33",   // misspelt built-in attribute ecs.instance_type
    "ECSQ-L052@35",   // ecs.instance-type == Inf1.xlarge
    "ECSQ-L050@37",   // typographic quotes ‘t2.micro’
    "ECSQ-L050@37",   // typographic quotes “t3.micro”
    "ECSQ-L051@39",   // a region as an availability zone: us-east-1
    "ECSQ-L023@41",   // !Sub without a placeholder, checked as text: cpu-architecture == amd64
    "ECSQ-L014@50",   // 10 constraints in the service and 7 in its task definition (!Ref): 17 together
    "ECSQ-L029@51",   // across constraints: service os-type == linux, task definition os-type == windows
    "ECSQ-L025@53",   // glob as regex with ?: ami-0?23* -> ami-0.23.*
    "ECSQ-L020@55",   // *.xlarge is not a valid regex (dangling *)
    "ECSQ-L025@55",   // ... and reads like a glob -> .*\.xlarge
    "ECSQ-L029@59",   // inside one list: stack == dev against stack == prod
    "ECSQ-L028@61",   // inside one expression: runningTasksCount > 5 and runningTasksCount < 3
    "ECSQ-L023@63",   // !Sub with a placeholder: os-family == ${OsFamily}_SERVER, a note that names it
    "ECSQ-L052@67",   // !If, first branch: instance-type == M5.large
    "ECSQ-L024@69",   // !If, second branch: misspelt ecs.availabilty-zone
    "ECSQ-L004@70",   // "Type " (trailing space) is an unknown key, did you mean 'Type' ...
    "ECSQ-L010@70",   // ... and leaves the constraint without a type
    "ECSQ-L041@80",   // "Feild" leaves the binpack strategy without a field ...
    "ECSQ-L004@81",   // ... and is an unknown key, did you mean 'Field'
    "ECSQ-L040@82",   // strategy type "spred"
    "ECSQ-L007@89",   // BatchService: LaunchType FARGATE with a strategy
    "ECSQ-L006@104",  // ReportsService: placementConstraints in the wrong case under Properties
    "ECSQ-L007@117",  // AWS::Events::Rule target: EcsParameters LaunchType FARGATE with a constraint
  });
  // The glob ami-east-1* on line 74, suppressed by the comment on line 73: reported as suppressed.
  CHECK(listed(report, true) == std::vector<std::string>{"ECSQ-L025@74"});
  CHECK(report.suppressed() == 1);
  const auto* suppressed = finding_at(report, "ECSQ-L025", 74);
  REQUIRE(suppressed != nullptr);
  CHECK(*suppressed->suppression == "our AMIs are named ami-east-1, ami-east-11, ...");
  // Binpack on "CPU" (line 79) is not a mistake.
  CHECK(finding_at(report, "ECSQ-L041", 79) == nullptr);
  const auto* placeholder = finding_at(report, "ECSQ-L023", 63);
  REQUIRE(placeholder != nullptr);
  CHECK(placeholder->diagnostic.severity == ecsq::Severity::note);
}
