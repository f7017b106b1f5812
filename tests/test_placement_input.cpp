// The placement input readers (contract §1, §2, §4, §6a): task definitions into a TaskDemand,
// RunTask and CreateService documents into a PlacementRequest, and the fleet JSON's resources and
// tasks; every bad input a coded diagnostic with its file, path, line and column.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/codes.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/placement.hpp"

using ecsq::NetworkMode;
using ecsq::PlacementInputDiagnostic;
using ecsq::RequestKind;
using ecsq::StrategyTarget;
using ecsq::StrategyType;
using ecsq::TaskDemand;

namespace {

const std::string placement_data = std::string(ECSQ_TEST_DATA) + "/data/placement/";

std::string rendered(const ecsq::ConstraintDocument& document, const std::vector<PlacementInputDiagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += ecsq::render_text(d.diagnostic, document.text, document.origin) + "\n";
  for (const auto& d : document.diagnostics) out += ecsq::render_text(d.diagnostic, document.text, document.origin) + "\n";
  return out;
}

// The demand of a task definition that must read without any diagnostic.
TaskDemand demand_of(std::string text) {
  ecsq::TaskDefinitionInput input = ecsq::read_task_definition(std::move(text), "td.json");
  INFO(rendered(input.document, input.diagnostics));
  CHECK(input.diagnostics.empty());
  REQUIRE(input.demand);
  return std::move(*input.demand);
}

// A task definition whose only container is `container` (a JSON object's members).
TaskDemand demand_of_container(const std::string& container, const std::string& task_fields = "") {
  return demand_of(R"({"family": "web", )" + task_fields + R"("containerDefinitions": [{"name": "app", )" + container + "}]}");
}

ecsq::PlacementRequest request_of(std::string text) {
  ecsq::RequestInput input = ecsq::read_placement_request(std::move(text), "request.json");
  INFO(rendered(input.document, input.diagnostics));
  CHECK(input.diagnostics.empty());
  REQUIRE(input.request);
  return std::move(*input.request);
}

// The single diagnostic of a bad input: its code, path, line and column.
struct Expected {
  std::string code;
  std::string path;
  std::uint32_t line;
  std::uint32_t column;
};

template <class Input>
void require_single(const Input& input, const Expected& expected) {
  INFO(rendered(input.document, input.diagnostics));
  REQUIRE(input.diagnostics.size() == 1);
  const PlacementInputDiagnostic& d = input.diagnostics[0];
  CHECK(d.diagnostic.code == expected.code);
  CHECK(d.diagnostic.severity == ecsq::Severity::error);
  CHECK(d.at.path == expected.path);
  CHECK(d.at.position.line == expected.line);
  CHECK(d.at.position.column == expected.column);
  CHECK(d.at.offset == d.diagnostic.span.begin);
  if (!expected.path.empty()) CHECK(d.diagnostic.message.starts_with(expected.path + ": "));
}

void require_task_definition_error(std::string text, const Expected& expected) {
  const ecsq::TaskDefinitionInput input = ecsq::read_task_definition(std::move(text), "td.json");
  CHECK_FALSE(input.demand);
  require_single(input, expected);
}

void require_request_error(std::string text, const Expected& expected) {
  const ecsq::RequestInput input = ecsq::read_placement_request(std::move(text), "request.json");
  CHECK_FALSE(input.request);
  require_single(input, expected);
}

using Ports = std::vector<std::uint16_t>;

}  // namespace

// ---- CPU and memory (contract §2) --------------------------------------------------------------

TEST_CASE("task-level cpu and memory win over the containers' sums", "[placement]") {
  const TaskDemand demand = demand_of(R"({"family": "web", "cpu": "512", "memory": "1024", "containerDefinitions": [
    {"name": "a", "cpu": 256, "memory": 2048}, {"name": "b", "cpu": 1024, "memoryReservation": 4096}]})");
  CHECK(demand.cpu == 512);
  CHECK(demand.memory == 1024);
}

TEST_CASE("without task-level amounts, container cpu sums (absent = 0) and memory sums per container", "[placement]") {
  const TaskDemand demand = demand_of(R"({"family": "web", "containerDefinitions": [
    {"name": "a", "cpu": 256, "memory": 512},
    {"name": "b", "memoryReservation": 128, "memory": 300},
    {"name": "c", "cpu": 10, "memoryReservation": 64}]})");
  CHECK(demand.cpu == 266);
  CHECK(demand.memory == 512 + 128 + 64);
  // Task-level cpu alone: memory still comes from the containers, and the other way round.
  CHECK(demand_of_container(R"("cpu": 100, "memory": 300)", R"("cpu": "2048", )").cpu == 2048);
  CHECK(demand_of_container(R"("cpu": 100, "memory": 300)", R"("cpu": "2048", )").memory == 300);
  CHECK(demand_of_container(R"("cpu": 100)", R"("memory": "700", )").cpu == 100);
  CHECK(demand_of_container(R"("cpu": 100)", R"("memory": "700", )").memory == 700);
}

TEST_CASE("W9: memoryReservation 128 with memory 300 reserves 128", "[placement]") {
  CHECK(demand_of_container(R"("memoryReservation": 128, "memory": 300)").memory == 128);
  CHECK(demand_of_container(R"("memory": 300)").memory == 300);
}

TEST_CASE("W4: numbers are read as given, not rounded to an instance size", "[placement]") {
  CHECK(demand_of_container(R"("memory": 7985)").memory == 7985);
  CHECK(demand_of_container(R"("memory": 1)", R"("memory": "8192", )").memory == 8192);
  // A JSON number where the API has a string is read as given too.
  CHECK(demand_of_container(R"("memory": 1)", R"("memory": 8191, "cpu": 1000, )").memory == 8191);
  CHECK(demand_of_container(R"("memory": 1)", R"("memory": 8191, "cpu": 1000, )").cpu == 1000);
}

TEST_CASE("text forms of cpu and memory convert as AWS does at registration", "[placement]") {
  CHECK(demand_of_container(R"("memory": 1)", R"("cpu": "1 vCPU", )").cpu == 1024);
  CHECK(demand_of_container(R"("memory": 1)", R"("cpu": "0.5 vCPU", )").cpu == 512);
  CHECK(demand_of_container(R"("memory": 1)", R"("memory": "2GB", )").memory == 2048);
  CHECK(demand_of_container(R"("memory": 1)", R"("memory": "2 GB", )").memory == 2048);

  CHECK(ecsq::parse_cpu_units("1024") == 1024);
  CHECK(ecsq::parse_cpu_units(" 256 ") == 256);
  CHECK(ecsq::parse_cpu_units("1 vCPU") == 1024);
  CHECK(ecsq::parse_cpu_units("1vCPU") == 1024);
  CHECK(ecsq::parse_cpu_units("0.25 vCPU") == 256);
  CHECK(ecsq::parse_cpu_units(".25 vCPU") == 256);
  CHECK(ecsq::parse_cpu_units("0.125 vcpu") == 128);
  CHECK(ecsq::parse_cpu_units("192 VCPU") == 196608);
  CHECK(ecsq::parse_cpu_units("2.50 vCPU") == 2560);
  CHECK(ecsq::parse_cpu_units("0") == 0);
  CHECK(ecsq::parse_memory_mib("512") == 512);
  CHECK(ecsq::parse_memory_mib("1GB") == 1024);
  CHECK(ecsq::parse_memory_mib("0.5 GB") == 512);
  CHECK(ecsq::parse_memory_mib("1.5gb") == 1536);
  CHECK(ecsq::parse_memory_mib("120 GB") == 122880);

  // Not AWS forms, not whole, negative or past 64 bits: rejected, never guessed.
  for (const char* bad : {"", " ", "vCPU", "1 core", "1 vCPUs", "0.3 vCPU", "1. vCPU", "-1", "+1", "1e3", "1.5",
                          "0x10", "1 2", "99999999999999999999", "99999999999999999 vCPU"}) {
    INFO(bad);
    CHECK_FALSE(ecsq::parse_cpu_units(bad));
  }
  for (const char* bad : {"", "GB", "512 MiB", "512MB", "2 GiB", "1 TB", "0.0001 GB", "-512", "1.5", "2 G B", "1 vCPU"}) {
    INFO(bad);
    CHECK_FALSE(ecsq::parse_memory_mib(bad));
  }
}

// ---- Ports per network mode (contract §2, §6a) ------------------------------------------------

TEST_CASE("bridge mode counts non-zero host ports, hostPort 0 or absent is dynamic", "[placement]") {
  const TaskDemand demand = demand_of_container(R"("memory": 64, "portMappings": [
    {"containerPort": 80, "hostPort": 8080}, {"containerPort": 81, "hostPort": 0}, {"containerPort": 82},
    {"containerPort": 83, "hostPort": 443, "protocol": "tcp"}, {"containerPortRange": "9000-9010"}])");
  CHECK(demand.network_mode == NetworkMode::bridge);  // absent = bridge
  CHECK(demand.tcp_ports == Ports{443, 8080});
  CHECK(demand.udp_ports.empty());
  CHECK_FALSE(demand.needs_eni);
}

TEST_CASE("host mode counts hostPort, or containerPort when hostPort is absent", "[placement]") {
  const TaskDemand demand = demand_of_container(R"("memory": 64, "portMappings": [
    {"containerPort": 80}, {"containerPort": 443, "hostPort": 443}, {"containerPort": 53, "protocol": "udp"},
    {"containerPort": 9000, "hostPort": 0}])", R"("networkMode": "host", )");
  CHECK(demand.network_mode == NetworkMode::host);
  CHECK(demand.tcp_ports == Ports{80, 443, 9000});
  CHECK(demand.udp_ports == Ports{53});
  CHECK_FALSE(demand.needs_eni);
}

TEST_CASE("awsvpc mode reserves no host port and needs an ENI", "[placement]") {
  const TaskDemand demand = demand_of_container(R"("memory": 64, "portMappings": [
    {"containerPort": 80}, {"containerPort": 443, "hostPort": 443}, {"containerPortRange": "9000-9010"}])",
                                                R"("networkMode": "awsvpc", )");
  CHECK(demand.network_mode == NetworkMode::awsvpc);
  CHECK(demand.tcp_ports.empty());
  CHECK(demand.udp_ports.empty());
  CHECK(demand.needs_eni);
}

TEST_CASE("none mode reserves no port and needs no ENI", "[placement]") {
  const TaskDemand demand = demand_of_container(R"("memory": 64, "portMappings": [{"containerPort": 80, "hostPort": 80}])",
                                                R"("networkMode": "none", )");
  CHECK(demand.network_mode == NetworkMode::none);
  CHECK(demand.tcp_ports.empty());
  CHECK_FALSE(demand.needs_eni);
}

TEST_CASE("udp ports are kept apart from tcp ports, protocol absent is tcp, ports are sorted and unique", "[placement]") {
  const TaskDemand demand = demand_of(R"({"family": "dns", "containerDefinitions": [
    {"name": "a", "memory": 64, "portMappings": [{"containerPort": 53, "hostPort": 53, "protocol": "udp"},
                                                  {"containerPort": 53, "hostPort": 53}]},
    {"name": "b", "memory": 64, "portMappings": [{"containerPort": 1, "hostPort": 9000}, {"containerPort": 2, "hostPort": 22},
                                                  {"containerPort": 3, "hostPort": 22, "protocol": "tcp"}]}]})");
  CHECK(demand.tcp_ports == Ports{22, 53, 9000});
  CHECK(demand.udp_ports == Ports{53});
}

// ---- GPUs, required attributes, constraints ---------------------------------------------------

TEST_CASE("GPUs sum over the containers' GPU resourceRequirements", "[placement]") {
  const TaskDemand demand = demand_of(R"({"family": "train", "containerDefinitions": [
    {"name": "a", "memory": 64, "resourceRequirements": [{"type": "GPU", "value": "2"}, {"type": "InferenceAccelerator", "value": "dev1"}]},
    {"name": "b", "memory": 64, "resourceRequirements": [{"type": "GPU", "value": "1"}]},
    {"name": "c", "memory": 64, "resourceRequirements": [{"type": "GPU", "value": 3}]},
    {"name": "d", "memory": 64}]})");
  CHECK(demand.gpus == 6);
  CHECK(demand_of_container(R"("memory": 64)").gpus == 0);
}

TEST_CASE("describe-task-definition output: requiresAttributes, ARN, awsvpc, string amounts", "[placement]") {
  const ecsq::TaskDefinitionInput input = ecsq::read_task_definition_file(placement_data + "task-definition-describe.json");
  INFO(rendered(input.document, input.diagnostics));
  REQUIRE(input.demand);
  CHECK(input.document.kind == ecsq::DocumentKind::task_definition_output);
  const TaskDemand& demand = *input.demand;
  CHECK(demand.family == "web");
  CHECK(demand.default_group() == "family:web");
  CHECK(demand.task_definition_arn == "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7");
  CHECK(demand.cpu == 512);
  CHECK(demand.memory == 1024);
  CHECK(demand.network_mode == NetworkMode::awsvpc);
  CHECK(demand.needs_eni);
  CHECK(demand.tcp_ports.empty());
  CHECK(demand.udp_ports.empty());
  REQUIRE(demand.required_attributes.size() == 4);
  CHECK(demand.required_attributes[0].name == "com.amazonaws.ecs.capability.ecr-auth");
  CHECK_FALSE(demand.required_attributes[0].value);
  CHECK(demand.required_attributes[2].name == "ecs.capability.task-eni");
  CHECK(demand.required_attributes[3].name == "ecs.os-type");
  CHECK(demand.required_attributes[3].value == "linux");
  // The task definition's memberOf constraint, located at its expression in the file.
  REQUIRE(demand.constraints.size() == 1);
  const ecsq::ConstraintSpec& constraint = demand.constraints[0];
  CHECK(constraint.kind == ecsq::ConstraintSpec::Kind::member_of);
  CHECK(constraint.expression == "attribute:ecs.instance-type =~ m5.*");
  CHECK(constraint.origin == placement_data + "task-definition-describe.json");
  CHECK(constraint.at.path == "taskDefinition.placementConstraints[0].expression");
  CHECK(constraint.at.position.line == 55);
  CHECK(constraint.at.position.column == 31);
  REQUIRE(constraint.expression_text_offset);
  CHECK(input.document.text.substr(*constraint.expression_text_offset, constraint.expression.size()) == constraint.expression);
}

TEST_CASE("RegisterTaskDefinition input in YAML reads as its JSON does", "[placement]") {
  const ecsq::TaskDefinitionInput input = ecsq::read_task_definition_file(placement_data + "task-definition.yaml");
  INFO(rendered(input.document, input.diagnostics));
  REQUIRE(input.demand);
  const TaskDemand& demand = *input.demand;
  CHECK(demand.family == "gateway");
  CHECK(demand.cpu == 512);               // "0.5 vCPU"
  CHECK(demand.memory == 256 + 128);      // envoy's reservation, the agent's memory
  CHECK(demand.network_mode == NetworkMode::host);
  CHECK(demand.tcp_ports == Ports{443, 9901});
  CHECK(demand.udp_ports == Ports{53});
  CHECK(demand.gpus == 1);
  CHECK(demand.required_attributes.empty());  // RegisterTaskDefinition has none; AWS derives them
  REQUIRE(demand.constraints.size() == 1);
  CHECK(demand.constraints[0].expression == "attribute:ecs.os-type == linux");
  CHECK(demand.constraints[0].at.path == "placementConstraints[0].expression");
  CHECK(demand.constraints[0].at.position.line == 24);
  CHECK(demand.constraints[0].at.position.column == 17);
}

TEST_CASE("describe-task-definition output in YAML", "[placement]") {
  const TaskDemand demand = demand_of(R"(taskDefinition:
  family: worker
  memory: 1GB
  containerDefinitions:
    - name: w
      cpu: 128
  requiresAttributes:
    - name: ecs.capability.efsAuth
)");
  CHECK(demand.family == "worker");
  CHECK(demand.memory == 1024);
  CHECK(demand.cpu == 128);
  REQUIRE(demand.required_attributes.size() == 1);
  CHECK(demand.required_attributes[0].name == "ecs.capability.efsAuth");
}

TEST_CASE("only the task definition's memberOf constraints are kept, lint reports the others", "[placement]") {
  const std::string text = R"({"family": "web", "containerDefinitions": [{"name": "a", "memory": 64}], "placementConstraints": [
    {"type": "distinctInstance"}, {"type": "memberOf", "expression": "attribute:a exists"},
    {"type": "memberOf", "expression": ""}, {"type": "memberof", "expression": "attribute:b exists"}]})";
  const TaskDemand demand = demand_of(text);
  REQUIRE(demand.constraints.size() == 1);
  CHECK(demand.constraints[0].expression == "attribute:a exists");
  // What was left out is lint's to report.
  std::vector<ecsq::ConstraintDocument> documents;
  documents.push_back(ecsq::read_constraint_document(text, "td.json"));
  std::vector<std::string> rules;
  for (const auto& f : ecsq::lint(std::move(documents)).findings) rules.push_back(f.rule);
  CHECK(std::count(rules.begin(), rules.end(), ecsq::rule::distinct_instance_in_task_definition) == 1);
  CHECK(std::count(rules.begin(), rules.end(), ecsq::rule::unknown_constraint_type) == 1);
}

// ---- Bad task definitions: every code with its file, path, line and column ---------------------

TEST_CASE("E0501: a document that is not a task definition", "[placement]") {
  require_task_definition_error(R"({"serviceName": "web"})", {"E0501", "", 1, 1});
  require_task_definition_error("\n\n[1, 2]", {"E0501", "", 3, 1});
  require_task_definition_error(R"({"Resources": {}})", {"E0501", "", 1, 1});
}

TEST_CASE("unreadable JSON or YAML: no demand, the lint reader's ECSQ-L001, never a crash", "[placement]") {
  for (const char* text : {R"({"family": "web", )", "", "family: [", "{\"family\": \"\xff\"}"}) {
    INFO(text);
    const ecsq::TaskDefinitionInput input = ecsq::read_task_definition(text, "td.json");
    CHECK_FALSE(input.demand);
    CHECK(input.diagnostics.empty());
    CHECK(input.document.unreadable);
    REQUIRE(input.document.diagnostics.size() == 1);
    CHECK(input.document.diagnostics[0].diagnostic.code == ecsq::rule::unreadable_input);
    const ecsq::RequestInput request = ecsq::read_placement_request(text, "request.json");
    CHECK_FALSE(request.request);
    CHECK(request.document.unreadable);
  }
}

TEST_CASE("E0503: a missing or wrongly typed field", "[placement]") {
  require_task_definition_error(R"({"containerDefinitions": [{"name": "a", "memory": 64}]})", {"E0503", "", 1, 1});
  require_task_definition_error("{\"family\": \"web\",\n \"containerDefinitions\": [{\"name\": \"a\", \"memory\": \"64\"}]}",
                                {"E0503", "containerDefinitions[0].memory", 2, 51});
  require_task_definition_error(R"({"family": "web", "containerDefinitions": {"name": "a"}})",
                                {"E0503", "containerDefinitions", 1, 43});
  require_task_definition_error(R"({"family": "web"})", {"E0503", "", 1, 1});
  require_task_definition_error(R"({"family": 7, "containerDefinitions": [{"name": "a", "memory": 1}]})", {"E0503", "family", 1, 12});
  require_task_definition_error(R"({"family": "w", "containerDefinitions": [{"name": "a", "memory": 1.5}]})",
                                {"E0503", "containerDefinitions[0].memory", 1, 66});
  require_task_definition_error(R"({"family": "w", "containerDefinitions": [{"name": "a", "memory": 1, "portMappings": [{"hostPort": 80}]}]})",
                                {"E0503", "containerDefinitions[0].portMappings[0]", 1, 86});
  require_task_definition_error(R"({"family": "w", "containerDefinitions": [{"name": "a", "memory": 1}], "requiresAttributes": [{"value": "x"}]})",
                                {"E0503", "requiresAttributes[0]", 1, 94});
  // YAML scalars carry no type: a number is any scalar that reads as one, and only that.
  CHECK(demand_of("family: w\ncontainerDefinitions:\n  - name: a\n    memory: '64'\n").memory == 64);
  require_task_definition_error("family: w\ncontainerDefinitions:\n  - name: a\n    memory: lots\n",
                                {"E0503", "containerDefinitions[0].memory", 4, 13});
}

TEST_CASE("E0504: a container without memory in a task definition without memory", "[placement]") {
  require_task_definition_error("{\"family\": \"web\", \"containerDefinitions\": [\n  {\"name\": \"a\", \"memory\": 64},\n  {\"name\": \"b\", \"cpu\": 256}]}",
                                {"E0504", "containerDefinitions[1]", 3, 3});
  // Task-level memory makes container memory optional.
  CHECK(demand_of(R"({"family": "web", "memory": "512", "containerDefinitions": [{"name": "b"}]})").memory == 512);
}

TEST_CASE("E0505: an amount that cannot be read", "[placement]") {
  require_task_definition_error(R"({"family": "w", "memory": "512 MiB", "containerDefinitions": [{"name": "a"}]})",
                                {"E0505", "memory", 1, 27});
  require_task_definition_error(R"({"family": "w", "cpu": "0.3 vCPU", "containerDefinitions": [{"name": "a", "memory": 1}]})",
                                {"E0505", "cpu", 1, 24});
  require_task_definition_error(R"({"family": "w", "containerDefinitions": [{"name": "a", "memory": -1}]})",
                                {"E0505", "containerDefinitions[0].memory", 1, 66});
  require_task_definition_error(R"({"family": "w", "containerDefinitions": [{"name": "a", "memory": 1, "resourceRequirements": [{"type": "GPU", "value": "two"}]}]})",
                                {"E0505", "containerDefinitions[0].resourceRequirements[0].value", 1, 119});
}

TEST_CASE("E0506: a port out of range or an unknown protocol", "[placement]") {
  const std::string head = R"({"family": "w", "containerDefinitions": [{"name": "a", "memory": 1, "portMappings": [)";
  require_task_definition_error(head + R"({"containerPort": 70000}]}]})", {"E0506", "containerDefinitions[0].portMappings[0].containerPort", 1, 104});
  require_task_definition_error(head + R"({"containerPort": 0}]}]})", {"E0506", "containerDefinitions[0].portMappings[0].containerPort", 1, 104});
  require_task_definition_error(head + R"({"containerPort": 80, "hostPort": 65536}]}]})", {"E0506", "containerDefinitions[0].portMappings[0].hostPort", 1, 120});
  require_task_definition_error(head + R"({"containerPort": 80, "protocol": "TCP"}]}]})", {"E0506", "containerDefinitions[0].portMappings[0].protocol", 1, 120});
  require_task_definition_error(head + R"({"containerPortRange": "9000-8000"}]}]})", {"E0506", "containerDefinitions[0].portMappings[0].containerPortRange", 1, 109});
  require_task_definition_error(head + R"({"containerPortRange": "80"}]}]})", {"E0506", "containerDefinitions[0].portMappings[0].containerPortRange", 1, 109});
}

TEST_CASE("E0507: a host port the network mode does not allow", "[placement]") {
  const auto head = [](const char* mode) {
    return std::string(R"({"family": "w", "networkMode": ")") + mode +
           R"(", "containerDefinitions": [{"name": "a", "memory": 1, "portMappings": [)";
  };
  require_task_definition_error(head("host") + R"({"containerPort": 80, "hostPort": 8080}]}]})",
                                {"E0507", "containerDefinitions[0].portMappings[0].hostPort", 1, 143});
  require_task_definition_error(head("awsvpc") + R"({"containerPort": 80, "hostPort": 8080}]}]})",
                                {"E0507", "containerDefinitions[0].portMappings[0].hostPort", 1, 145});
  require_task_definition_error(head("host") + R"({"containerPortRange": "8000-8010"}]}]})",
                                {"E0507", "containerDefinitions[0].portMappings[0].containerPortRange", 1, 132});
  require_task_definition_error(head("bridge") + R"({"containerPortRange": "8000-8010", "hostPort": 8000}]}]})",
                                {"E0507", "containerDefinitions[0].portMappings[0].hostPort", 1, 159});
  // Equal ports are what AWS asks for.
  CHECK(demand_of(head("host") + R"({"containerPort": 80, "hostPort": 80}]}]})").tcp_ports == Ports{80});
}

TEST_CASE("E0508: an unknown network mode", "[placement]") {
  require_task_definition_error(R"({"family": "w", "networkMode": "AWSVPC", "containerDefinitions": [{"name": "a", "memory": 1}]})",
                                {"E0508", "networkMode", 1, 32});
  require_task_definition_error("taskDefinition:\n  family: w\n  networkMode: nat\n  containerDefinitions: [{name: a, memory: 1}]\n",
                                {"E0508", "taskDefinition.networkMode", 3, 16});
}

TEST_CASE("every problem of a task definition is reported, not only the first", "[placement]") {
  const ecsq::TaskDefinitionInput input = ecsq::read_task_definition(
      R"({"family": "w", "networkMode": "nat", "containerDefinitions": [{"name": "a", "portMappings": [{"containerPort": 0}]}]})",
      "td.json");
  CHECK_FALSE(input.demand);
  std::vector<std::string> found;
  for (const auto& d : input.diagnostics) found.push_back(d.diagnostic.code);
  CHECK(found == std::vector<std::string>{"E0508", "E0504", "E0506"});
}

// ---- Requests (contract §1, §4) -----------------------------------------------------------------

TEST_CASE("RunTask input: count, group, task definition, constraints and strategies with locations", "[placement]") {
  const ecsq::RequestInput input = ecsq::read_placement_request_file(placement_data + "run-task.json");
  INFO(rendered(input.document, input.diagnostics));
  REQUIRE(input.request);
  const ecsq::PlacementRequest& request = *input.request;
  CHECK(request.kind == RequestKind::run_task);
  CHECK(request.count == 3);
  CHECK(request.count_given);
  CHECK(request.group == "batch");
  CHECK(request.task_definition == "web:7");
  REQUIRE(request.constraints.size() == 2);
  CHECK(request.constraints[0].kind == ecsq::ConstraintSpec::Kind::distinct_instance);
  CHECK(request.constraints[0].at.path == "placementConstraints[0]");
  CHECK(request.constraints[0].at.position.line == 8);
  CHECK(request.constraints[1].kind == ecsq::ConstraintSpec::Kind::member_of);
  CHECK(request.constraints[1].expression == "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]");
  CHECK(request.constraints[1].at.position.line == 13);
  REQUIRE(request.strategies.size() == 2);
  CHECK(request.strategies[0].type == StrategyType::spread);
  CHECK(request.strategies[0].target == StrategyTarget::attribute);
  CHECK(request.strategies[0].attribute == "ecs.availability-zone");
  CHECK(request.strategies[0].at.position.line == 17);
  CHECK(request.strategies[1].type == StrategyType::binpack);
  CHECK(request.strategies[1].target == StrategyTarget::memory);
  CHECK(request.strategies[1].field == "memory");
  CHECK(request.strategies[1].origin == placement_data + "run-task.json");
  TaskDemand demand;
  demand.family = "web";
  CHECK(request.task_group(demand) == "batch");
}

TEST_CASE("RunTask defaults: count 1, group family:FAMILY, no strategy", "[placement]") {
  const ecsq::PlacementRequest request = request_of(R"({"taskDefinition": "web"})");
  CHECK(request.kind == RequestKind::run_task);
  CHECK(request.count == 1);
  CHECK_FALSE(request.count_given);
  CHECK_FALSE(request.group);
  CHECK(request.strategies.empty());
  TaskDemand demand;
  demand.family = "web";
  CHECK(request.task_group(demand) == "family:web");
  // An empty group is no group.
  CHECK_FALSE(request_of(R"({"taskDefinition": "web", "group": ""})").group);
  CHECK(request_of(R"({"taskDefinition": "web", "count": 10})").count == 10);
}

TEST_CASE("strategies: every field AWS accepts, and what lint rejects left out", "[placement]") {
  const ecsq::PlacementRequest request = request_of(R"({"serviceName": "web", "desiredCount": 2, "placementStrategy": [
    {"type": "random"}, {"type": "spread", "field": "instanceId"}, {"type": "spread", "field": "host"},
    {"type": "binpack", "field": "cpu"}, {"type": "binpack", "field": "disk"}, {"type": "spread", "field": "attribute:stack"}]})");
  REQUIRE(request.strategies.size() == 5);
  CHECK(request.strategies[0].type == StrategyType::random);
  CHECK(request.strategies[0].target == StrategyTarget::none);
  CHECK(request.strategies[1].target == StrategyTarget::instance_id);
  CHECK(request.strategies[2].target == StrategyTarget::instance_id);
  CHECK(request.strategies[2].field == "host");
  CHECK(request.strategies[3].target == StrategyTarget::cpu);
  CHECK(request.strategies[4].target == StrategyTarget::attribute);
  CHECK(request.strategies[4].attribute == "stack");
}

TEST_CASE("limits the lint rules cover stay lint's: binpack:disk, 6 strategies, distinctInstance with an expression", "[placement]") {
  const std::string text = R"({"taskDefinition": "web", "placementStrategy": [
    {"type": "binpack", "field": "disk"}, {"type": "random"}, {"type": "random"}, {"type": "random"}, {"type": "random"},
    {"type": "random"}], "placementConstraints": [{"type": "distinctInstance", "expression": "attribute:a exists"}]})";
  const ecsq::RequestInput input = ecsq::read_placement_request(text, "request.json");
  CHECK(input.diagnostics.empty());  // not repeated here
  REQUIRE(input.request);
  CHECK(input.request->constraints.empty());
  CHECK(input.request->strategies.size() == 5);
  std::vector<ecsq::ConstraintDocument> documents;
  documents.push_back(ecsq::read_constraint_document(text, "request.json"));
  std::vector<std::string> rules;
  for (const auto& f : ecsq::lint(std::move(documents)).findings) rules.push_back(f.rule);
  CHECK(std::count(rules.begin(), rules.end(), ecsq::rule::invalid_strategy_field) == 1);
  CHECK(std::count(rules.begin(), rules.end(), ecsq::rule::too_many_strategies) == 1);
  CHECK(std::count(rules.begin(), rules.end(), ecsq::rule::distinct_instance_expression) == 1);
}

TEST_CASE("CreateService input: REPLICA by default, DAEMON, desiredCount, group service:NAME", "[placement]") {
  const ecsq::PlacementRequest replica = request_of(R"({"serviceName": "web", "taskDefinition": "web:3", "desiredCount": 4})");
  CHECK(replica.kind == RequestKind::service_replica);
  CHECK(replica.service_name == "web");
  CHECK(replica.count == 4);
  CHECK(replica.count_given);
  CHECK(replica.task_definition == "web:3");
  TaskDemand demand;
  demand.family = "other";
  CHECK(replica.task_group(demand) == "service:web");
  CHECK(request_of(R"({"serviceName": "web", "schedulingStrategy": "REPLICA", "desiredCount": 0})").count == 0);
  // desiredCount left out: count 1, and the caller knows it was not given.
  CHECK_FALSE(request_of(R"({"serviceName": "web"})").count_given);

  const ecsq::RequestInput daemon = ecsq::read_placement_request_file(placement_data + "service.yaml");
  INFO(rendered(daemon.document, daemon.diagnostics));
  REQUIRE(daemon.request);
  CHECK(daemon.request->kind == RequestKind::service_daemon);
  CHECK(daemon.request->service_name == "metrics");
  REQUIRE(daemon.request->constraints.size() == 1);
  CHECK(daemon.request->constraints[0].expression == "attribute:ecs.cpu-architecture == arm64");
  CHECK(daemon.request->constraints[0].at.position.line == 8);
  CHECK(daemon.request->constraints[0].at.position.column == 17);
}

TEST_CASE("E0502: a document that is not a RunTask or CreateService request", "[placement]") {
  require_request_error(R"({"family": "web", "containerDefinitions": []})", {"E0502", "", 1, 1});
  require_request_error(R"(  {"service": "web", "desiredCount": 2})", {"E0502", "", 1, 3});
  require_request_error("cluster: prod\ncount: 2\n", {"E0502", "", 1, 1});
}

TEST_CASE("E0503, E0509: RunTask count that is not an integer, or outside 1 to 10", "[placement]") {
  require_request_error("{\"taskDefinition\": \"web\",\n  \"count\": 11}", {"E0509", "count", 2, 12});
  require_request_error(R"({"taskDefinition": "web", "count": 0})", {"E0509", "count", 1, 36});
  require_request_error(R"({"taskDefinition": "web", "count": -3})", {"E0509", "count", 1, 36});
  require_request_error(R"({"taskDefinition": "web", "count": "2"})", {"E0503", "count", 1, 36});
  require_request_error(R"({"taskDefinition": "web", "count": 2.5})", {"E0503", "count", 1, 36});
  require_request_error(R"({"taskDefinition": "web", "group": 5})", {"E0503", "group", 1, 36});
  require_request_error("taskDefinition: web\ncount: 99999999999999999999\n", {"E0503", "count", 2, 8});
  CHECK(request_of("taskDefinition: web\ncount: 4\n").count == 4);
}

TEST_CASE("E0510, E0511: negative desiredCount, unknown schedulingStrategy", "[placement]") {
  require_request_error(R"({"serviceName": "web", "desiredCount": -1})", {"E0510", "desiredCount", 1, 40});
  require_request_error("serviceName: web\nschedulingStrategy: daemon\n", {"E0511", "schedulingStrategy", 2, 21});
  require_request_error(R"({"serviceName": "web", "desiredCount": "3"})", {"E0503", "desiredCount", 1, 40});
}

// ---- The fleet side: resources and tasks (contract §1, §6a) -----------------------------------

TEST_CASE("fleet JSON: registered and remaining resources per instance, aligned with the instances", "[placement]") {
  const ecsq::FleetReadResult result = ecsq::read_fleet_files({placement_data + "fleet-resources.json"});
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.fleet);
  const ecsq::FleetData& fleet = *result.fleet;
  REQUIRE(fleet.instances.size() == 2);
  REQUIRE(fleet.resources.size() == 2);

  const ecsq::InstanceResources& first = fleet.resources[0];
  CHECK(first.registered.cpu == 2048);
  CHECK(first.registered.memory == 7985);
  CHECK(first.remaining.cpu == 1536);  // integerValue, not the longValue/doubleValue zeros beside it
  CHECK(first.remaining.memory == 6961);
  CHECK(first.registered.ports == Ports{22, 2375, 2376, 51678, 51679});
  CHECK(first.remaining.ports == Ports{22, 2375, 2376, 8080, 51678, 51679});
  CHECK(first.remaining.ports_udp == Ports{});  // listed, and empty
  CHECK_FALSE(first.remaining.gpus);             // no GPU entry: no GPU
  CHECK(fleet.instances[0].status == "ACTIVE");

  // Only registeredResources: remaining is not invented here (the engine subtracts the tasks).
  const ecsq::InstanceResources& second = fleet.resources[1];
  CHECK(second.registered.cpu == 4096);
  CHECK_FALSE(second.remaining.cpu);
  CHECK_FALSE(second.remaining.memory);
  CHECK_FALSE(second.registered.ports);
  CHECK(second.registered.gpus == 2);
  CHECK(second.registered.gpu_ids == std::vector<std::string>{"GPU-0f2c3e11", "GPU-b8d1a8a0"});
  CHECK(fleet.instances[1].status == "DRAINING");
}

TEST_CASE("fleet JSON: task records with status, converted amounts, ports, GPUs and ENIs", "[placement]") {
  const ecsq::FleetReadResult result = ecsq::read_fleet_files({placement_data + "fleet-resources.json"});
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.fleet);
  const auto& tasks = result.fleet->tasks;
  REQUIRE(tasks.size() == 3);

  CHECK(tasks[0].group == "service:web");
  CHECK(tasks[0].desired_status == "RUNNING");
  CHECK(tasks[0].last_status == "RUNNING");
  CHECK(tasks[0].instance == 0u);
  CHECK(tasks[0].task_definition_arn == "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7");
  CHECK(tasks[0].cpu == 512);
  CHECK(tasks[0].memory == 1024);
  CHECK(tasks[0].tcp_ports == Ports{8080});
  CHECK(tasks[0].udp_ports.empty());
  CHECK_FALSE(tasks[0].uses_eni);  // an empty attachments list

  CHECK(tasks[1].instance == 1u);
  CHECK(tasks[1].cpu == 2048);     // "2 vCPU"
  CHECK(tasks[1].memory == 8192);  // "8GB"
  CHECK(tasks[1].uses_eni);
  CHECK(tasks[1].gpu_ids == std::vector<std::string>{"GPU-b8d1a8a0"});

  // No task-level amounts: the containers' sums, memoryReservation before memory.
  CHECK(tasks[2].desired_status == "STOPPED");
  CHECK(tasks[2].last_status == "RUNNING");
  CHECK(tasks[2].cpu == 256 + 128);
  CHECK(tasks[2].memory == 300 + 64);

  // Task groups are as before: only RUNNING tasks place their group on the instance.
  CHECK(result.fleet->instances[1].has_task_group("family:trainer"));
  CHECK_FALSE(result.fleet->instances[1].has_task_group("family:batch"));
}

TEST_CASE("fleet JSON: GPU as INTEGER or STRINGSET, a task outside the fleet has no instance", "[placement]") {
  const auto result = ecsq::read_fleet_json(R"({"containerInstances": [
    {"ec2InstanceId": "i-1", "containerInstanceArn": "arn:1", "remainingResources": [{"name": "GPU", "type": "INTEGER", "integerValue": 4}]},
    {"ec2InstanceId": "i-2", "remainingResources": [{"name": "GPU", "type": "STRINGSET", "stringSetValue": ["b", "a", "b"]},
                                                    {"name": "NEURON_CORES", "type": "STRINGSET", "stringSetValue": ["0"]},
                                                    {"name": "MEMORY", "integerValue": 512},
                                                    {"name": "CPU", "type": "LONG", "longValue": 1024, "integerValue": 0}]},
    {"ec2InstanceId": "i-3", "registeredResources": [{"name": "CPU", "type": "DOUBLE", "doubleValue": 2048.0}]}],
    "tasks": [{"containerInstanceArn": "arn:other", "group": "g", "desiredStatus": "RUNNING"}, {"group": "fargate"}]})");
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.fleet);
  const auto& resources = result.fleet->resources;
  CHECK(resources[0].remaining.gpus == 4);
  CHECK(resources[0].remaining.gpu_ids.empty());
  CHECK(resources[1].remaining.gpus == 2);
  CHECK(resources[1].remaining.gpu_ids == std::vector<std::string>{"a", "b"});
  CHECK(resources[1].remaining.memory == 512);  // no type: the value field present
  CHECK(resources[1].remaining.cpu == 1024);    // LONG: longValue
  CHECK(resources[2].registered.cpu == 2048);
  REQUIRE(result.fleet->tasks.size() == 2);
  CHECK_FALSE(result.fleet->tasks[0].instance);
  CHECK(result.fleet->tasks[1].container_instance_arn.empty());
  CHECK_FALSE(result.fleet->tasks[1].instance);
  CHECK_FALSE(result.fleet->tasks[1].cpu);
}

TEST_CASE("fleet JSON: bad resource and task values are E04xx diagnostics at their path", "[placement]") {
  struct Case {
    const char* json;
    const char* code;
    const char* message;
  };
  for (const Case& c : {
           Case{R"([{"ec2InstanceId": "i-1", "remainingResources": [{"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "http"]}]}])",
                "E0406", "[0].remainingResources[0].stringSetValue[1]: \"http\" is not a port number (0 to 65535)"},
           Case{R"([{"ec2InstanceId": "i-1", "remainingResources": [{"name": "PORTS", "stringSetValue": ["65536"]}]}])",
                "E0406", "[0].remainingResources[0].stringSetValue[0]: \"65536\" is not a port number (0 to 65535)"},
           Case{R"([{"ec2InstanceId": "i-1", "remainingResources": [{"name": "CPU", "type": "INTEGER", "integerValue": -5}]}])",
                "E0406", "[0].remainingResources[0].integerValue: must not be negative, found -5"},
           Case{R"([{"ec2InstanceId": "i-1", "remainingResources": [{"name": "CPU", "type": "INTEGER", "integerValue": "5"}]}])",
                "E0402", "[0].remainingResources[0].integerValue: expected a number, found a string"},
           Case{R"([{"ec2InstanceId": "i-1", "registeredResources": [{"name": "MEMORY", "type": "INTEGER"}]}])",
                "E0403", "[0].registeredResources[0]: missing required field \"integerValue\""},
           Case{R"([{"ec2InstanceId": "i-1", "registeredResources": [{"type": "INTEGER", "integerValue": 1}]}])",
                "E0403", "[0].registeredResources[0]: missing required field \"name\""},
           Case{R"([{"ec2InstanceId": "i-1", "registeredResources": {"CPU": 1}}])",
                "E0402", "[0].registeredResources: expected an array, found an object"},
           Case{R"([{"ec2InstanceId": "i-1", "registeredResources": [{"name": "CPU", "integerValue": 1}, {"name": "CPU", "integerValue": 2}]}])",
                "E0406", "[0].registeredResources[1].name: resource CPU listed twice"},
           Case{R"([{"ec2InstanceId": "i-1", "registeredResources": [{"name": "PORTS", "type": "INTEGER", "integerValue": 1}]}])",
                "E0406", "[0].registeredResources[0].type: resource PORTS has type INTEGER; expected STRINGSET"},
           Case{R"([{"ec2InstanceId": "i-1", "registeredResources": [{"name": "CPU", "type": "DOUBLE", "doubleValue": 1.5}]}])",
                "E0406", "[0].registeredResources[0].doubleValue: expected a whole amount, found 1.5"},
           Case{R"({"tasks": [{"group": "g", "cpu": "lots"}]})", "E0406",
                "tasks[0].cpu: cannot read \"lots\" as CPU units (\"1024\", \"1 vCPU\")"},
           Case{R"({"tasks": [{"group": "g", "memory": "512 MiB"}]})", "E0406",
                "tasks[0].memory: cannot read \"512 MiB\" as MiB (\"2048\", \"2GB\")"},
           Case{R"({"tasks": [{"group": "g", "memory": true}]})", "E0402",
                "tasks[0].memory: expected MiB (\"2048\", \"2GB\"), found a boolean"},
           Case{R"({"tasks": [{"containers": [{"networkBindings": [{"hostPort": 70000}]}]}]})", "E0406",
                "tasks[0].containers[0].networkBindings[0].hostPort: port 70000 out of range (0 to 65535)"},
           Case{R"({"tasks": [{"attachments": [{"type": 5}]}]})", "E0402",
                "tasks[0].attachments[0].type: expected a string, found a number"},
       }) {
    INFO(c.json);
    const auto result = ecsq::read_fleet_json(c.json);
    INFO(ecsq::render_diagnostics(result));
    CHECK_FALSE(result.fleet);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].diagnostic.code == c.code);
    CHECK(result.diagnostics[0].diagnostic.message == c.message);
  }
}

TEST_CASE("fleet JSON: resources placement does not read are ignored, not rejected", "[placement]") {
  const auto result = ecsq::read_fleet_json(R"([{"ec2InstanceId": "i-1", "registeredResources": [
    {"name": "NEURON_CORES", "type": "STRINGSET", "stringSetValue": [1, 2]}, {"name": "custom", "type": "DOUBLE", "doubleValue": 0.5}]}])");
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.fleet);
  CHECK_FALSE(result.fleet->resources[0].registered.cpu);
}
