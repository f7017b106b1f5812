#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "helpers.hpp"

using ecsq::FleetReadResult;
using ecsq::Instance;
using ecsq::testing::codes;
using ecsq::testing::documented_examples;

namespace {

const std::string fleets = std::string(ECSQ_TEST_DATA) + "/data/fleets/";

const Instance& instance(const FleetReadResult& result, std::string_view id) {
  REQUIRE(result.fleet);
  const auto& instances = result.fleet->instances;
  const auto it = std::find_if(instances.begin(), instances.end(),
                               [&](const Instance& i) { return i.ec2_instance_id == id; });
  REQUIRE(it != instances.end());
  return *it;
}

std::optional<std::string> attribute_value(const Instance& instance, std::string_view name) {
  const auto* attribute = instance.find_attribute(name);
  REQUIRE(attribute != nullptr);
  return attribute->value;
}

// The line:col a diagnostic points at in its own source.
std::string position(const FleetReadResult& result, std::size_t index) {
  REQUIRE(index < result.diagnostics.size());
  const auto& d = result.diagnostics[index];
  const auto at = ecsq::line_column(result.sources.at(d.source).text, d.diagnostic.span.begin);
  return std::to_string(at.line) + ":" + std::to_string(at.column);
}

// A one-error document: the diagnostic must be exactly `code` and carry `message`.
void require_single_error(const FleetReadResult& result, std::string_view code, std::string_view message) {
  INFO(ecsq::render_diagnostics(result));
  CHECK_FALSE(result.fleet);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].diagnostic.code == code);
  CHECK(result.diagnostics[0].diagnostic.message == message);
  CHECK(result.diagnostics[0].diagnostic.severity == ecsq::Severity::error);
}

}  // namespace

TEST_CASE("reads describe-container-instances output", "[aws_json]") {
  const auto result = ecsq::read_fleet_files({fleets + "describe-container-instances.json"});
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.fleet);
  REQUIRE(result.fleet->instances.size() == 3);
  CHECK(result.fleet->instances[0].ec2_instance_id == "i-0a1b2c3d4e5f60001");  // input order is kept
  CHECK(result.fleet->instances[2].ec2_instance_id == "i-0a1b2c3d4e5f60003");

  const Instance& first = instance(result, "i-0a1b2c3d4e5f60001");
  CHECK(first.container_instance_arn ==
        "arn:aws:ecs:us-east-1:123456789012:container-instance/default/0b5a6ab1d1b54d8a9a9e5e6d4c2b1a01");
  CHECK(first.status == "ACTIVE");
  CHECK(first.agent_connected);
  CHECK(first.agent_version == "1.68.2");
  REQUIRE(first.registered_at);
  CHECK(first.registered_at->seconds == 1529360908);  // 1529360908.951 truncated
  CHECK(first.running_tasks_count == 2);
  REQUIRE(first.attributes().size() == 6);
  CHECK(std::is_sorted(first.attributes().begin(), first.attributes().end(),
                       [](const auto& a, const auto& b) { return a.name < b.name; }));
  CHECK(attribute_value(first, "ecs.os-type") == "linux");
  CHECK(attribute_value(first, "stack") == "prod");
  CHECK_FALSE(attribute_value(first, "ecs.capability.secrets.asm.environment-variables"));
  CHECK_FALSE(attribute_value(first, "com.amazonaws.ecs.capability.docker-remote-api.1.40"));
  CHECK(first.task_groups().empty());  // no tasks were given

  const Instance& second = instance(result, "i-0a1b2c3d4e5f60002");
  CHECK(second.status == "DRAINING");
  CHECK_FALSE(second.agent_connected);
  CHECK(second.agent_version == "1.14.5");
  CHECK(second.registered_at == ecsq::parse_instant("2018-01-31"));
  CHECK(attribute_value(second, "ecs.os-family") == "WINDOWS_SERVER_2019_FULL");

  const Instance& third = instance(result, "i-0a1b2c3d4e5f60003");
  CHECK(third.attributes().empty());
  CHECK(third.registered_at == ecsq::parse_instant("2024-03-01T10:00:00Z"));
}

TEST_CASE("task groups come from RUNNING tasks in any file", "[aws_json]") {
  const auto result = ecsq::read_fleet_files(
      {fleets + "describe-container-instances.json", fleets + "describe-tasks.json", fleets + "instances-array.json"});
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.fleet);
  REQUIRE(result.fleet->instances.size() == 5);
  // Two tasks of service:production collapse into one group; a PENDING task meant to run counts.
  CHECK(instance(result, "i-0a1b2c3d4e5f60001").task_groups() ==
        std::vector<std::string>{"databases", "service:production"});
  // Its only task is STOPPED.
  CHECK(instance(result, "i-0a1b2c3d4e5f60002").task_groups().empty());
  CHECK(instance(result, "i-0a1b2c3d4e5f60003").task_groups() == std::vector<std::string>{"database"});
  // Fargate tasks and tasks on instances outside the fleet place nothing anywhere.
  for (const Instance& i : result.fleet->instances) {
    CHECK_FALSE(i.has_task_group("family:batch"));
    CHECK_FALSE(i.has_task_group("service:elsewhere"));
    CHECK_FALSE(i.has_task_group("family:web"));
  }
}

TEST_CASE("tasks may come before the instances they refer to", "[aws_json]") {
  const auto result = ecsq::read_fleet_files({fleets + "describe-tasks.json", fleets + "describe-container-instances.json"});
  REQUIRE(result.diagnostics.empty());
  CHECK(instance(result, "i-0a1b2c3d4e5f60003").has_task_group("database"));
}

TEST_CASE("a plain array of instances with ISO timestamps", "[aws_json]") {
  const auto result = ecsq::read_fleet_files({fleets + "instances-array.json"});
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.diagnostics.empty());
  const Instance& arm = instance(result, "i-0feedfacecafe0001");
  // 2024-03-01T10:00:00.123000+01:00: the fraction goes, the offset applies.
  CHECK(arm.registered_at == ecsq::parse_instant("2024-03-01T09:00:00Z"));
  CHECK(attribute_value(arm, "ecs.cpu-architecture") == "arm64");
  CHECK(arm.running_tasks_count == 4);
  CHECK(instance(result, "i-0feedfacecafe0002").registered_at == ecsq::parse_instant("2023-12-31T23:59:59Z"));
}

TEST_CASE("defaults for optional fields", "[aws_json]") {
  const auto result = ecsq::read_fleet_json(R"([{"ec2InstanceId": "i-1", "registeredAt": null,
      "attributes": [{"name": "a", "value": null}, {"name": "b", "value": ""}]}])");
  REQUIRE(result.diagnostics.empty());
  const Instance& i = instance(result, "i-1");
  CHECK(i.agent_connected);
  CHECK(i.agent_version.empty());
  CHECK_FALSE(i.registered_at);
  CHECK(i.running_tasks_count == 0);
  CHECK_FALSE(attribute_value(i, "a"));        // null reads as no value
  CHECK(attribute_value(i, "b") == std::string{});  // the empty string is a value
}

TEST_CASE("empty fleets are fleets", "[aws_json]") {
  for (const char* json : {"[]", R"({"containerInstances": []})", R"({"tasks": [], "failures": []})"}) {
    INFO(json);
    const auto result = ecsq::read_fleet_json(json);
    CHECK(result.diagnostics.empty());
    REQUIRE(result.fleet);
    CHECK(result.fleet->instances.empty());
  }
}

TEST_CASE("registeredAt forms and ranges", "[aws_json]") {
  const auto read = [](std::string_view value) {
    return ecsq::read_fleet_json(fmt::format(R"([{{"ec2InstanceId": "i-1", "registeredAt": {}}}])", value));
  };
  CHECK(instance(read("0"), "i-1").registered_at->seconds == 0);
  CHECK(instance(read("1.5e9"), "i-1").registered_at->seconds == 1500000000);
  CHECK(instance(read("-0.5"), "i-1").registered_at->seconds == -1);  // floor: the second it falls in
  CHECK(instance(read("\"2018-06-18\""), "i-1").registered_at == ecsq::parse_instant("2018-06-18"));
  CHECK(instance(read("\"2018-06-18T22:28:28.9\""), "i-1").registered_at->seconds == 1529360908);
  CHECK(instance(read("253402300799"), "i-1").registered_at == ecsq::parse_instant("9999-12-31T23:59:59Z"));

  require_single_error(read("\"2018-06-18T22:28:28.Z\""), "E0406",
                       "[0].registeredAt: invalid timestamp \"2018-06-18T22:28:28.Z\"");
  require_single_error(read("\"2018-02-30\""), "E0406", "[0].registeredAt: invalid timestamp \"2018-02-30\"");
  require_single_error(read("253402300800"), "E0406", "[0].registeredAt: timestamp out of range (years 0000 to 9999)");
  require_single_error(read("1e300"), "E0406", "[0].registeredAt: timestamp out of range (years 0000 to 9999)");
  require_single_error(read("18446744073709551615"), "E0406",
                       "[0].registeredAt: timestamp out of range (years 0000 to 9999)");
  require_single_error(read("true"), "E0402", "[0].registeredAt: expected a number or a string, found a boolean");
}

TEST_CASE("runningTasksCount must be a non-negative integer", "[aws_json]") {
  const auto read = [](std::string_view value) {
    return ecsq::read_fleet_json(fmt::format(R"([{{"ec2InstanceId": "i-1", "runningTasksCount": {}}}])", value));
  };
  CHECK(instance(read("12"), "i-1").running_tasks_count == 12);
  require_single_error(read("-1"), "E0406", "[0].runningTasksCount: must not be negative, found -1");
  require_single_error(read("2.0"), "E0402",
                       "[0].runningTasksCount: expected an integer, found a number with a fraction or exponent");
  require_single_error(read("\"3\""), "E0402", "[0].runningTasksCount: expected an integer, found a string");
  require_single_error(read("18446744073709551615"), "E0406", "[0].runningTasksCount: count out of range");
}

TEST_CASE("wrong types and missing fields are located", "[aws_json]") {
  const auto result = ecsq::read_fleet_files({fleets + "bad-fields.json"});
  CHECK_FALSE(result.fleet);
  CHECK(codes(result) == std::vector<std::string>{"E0402", "E0402", "E0406", "E0402", "E0403", "E0404", "E0402",
                                                  "E0403", "E0402"});
  REQUIRE(result.diagnostics.size() == 9);
  const auto message = [&](std::size_t i) { return result.diagnostics[i].diagnostic.message; };
  CHECK(message(0) == "containerInstances[0].agentConnected: expected a boolean, found a string");
  CHECK(position(result, 0) == "5:25");
  CHECK(message(1) == "containerInstances[0].runningTasksCount: expected an integer, found a number with a "
                      "fraction or exponent");
  CHECK(position(result, 1) == "6:28");
  CHECK(message(2) == "containerInstances[0].registeredAt: invalid timestamp \"13/02/2018\"");
  CHECK(position(result, 2) == "7:23");
  CHECK(message(3) == "containerInstances[0].versionInfo.agentVersion: expected a string, found a number");
  CHECK(position(result, 3) == "8:39");
  CHECK(message(4) == "containerInstances[0].attributes[1]: missing required field \"name\"");
  CHECK(position(result, 4) == "11:9");
  CHECK(message(5) == "containerInstances[0].attributes[2].name: duplicate attribute \"stack\"");
  CHECK(position(result, 5) == "12:18");
  CHECK(message(6) == "containerInstances[0].attributes[3]: expected an object, found a string");
  CHECK(message(7) == "containerInstances[1]: missing required field \"ec2InstanceId\"");
  CHECK(position(result, 7) == "16:5");
  CHECK(message(8) == "tasks[0].containerInstanceArn: expected a string, found a number");
  CHECK(position(result, 8) == "21:30");
  // The span covers the whole offending token.
  CHECK(result.diagnostics[0].diagnostic.span.size() == 5);  // "yes" with its quotes
}

TEST_CASE("diagnostics render with file, line, column and caret", "[aws_json]") {
  const auto result = ecsq::read_fleet_files({fleets + "bad-fields.json"});
  const std::string text = ecsq::render_diagnostics(result);
  const std::string origin = fleets + "bad-fields.json";
  CHECK_THAT(text, Catch::Contains("error[E0402]: containerInstances[0].agentConnected: expected a boolean, found a "
                                   "string\n --> " + origin + ":5:25\n"));
  CHECK_THAT(text, Catch::Contains("5 |       \"agentConnected\": \"yes\",\n  |                         ^^^^^\n"));
  CHECK_THAT(text, Catch::Contains("error[E0402]: tasks[0].containerInstanceArn"));
}

TEST_CASE("top-level shape", "[aws_json]") {
  require_single_error(ecsq::read_fleet_json("\"fleet\""), "E0402",
                       "top level: expected an object or an array, found a string");
  require_single_error(ecsq::read_fleet_json(R"({"ContainerInstances": []})"), "E0403",
                       "top level: expected a \"containerInstances\" or \"tasks\" array");
  require_single_error(ecsq::read_fleet_json(R"({"containerInstances": {}})"), "E0402",
                       "containerInstances: expected an array, found an object");
  require_single_error(ecsq::read_fleet_json(R"([["i-1"]])"), "E0402", "[0]: expected an object, found an array");
  require_single_error(ecsq::read_fleet_json(R"([{"ec2InstanceId": ""}])"), "E0406",
                       "[0].ec2InstanceId: must not be empty");
  require_single_error(ecsq::read_fleet_json(R"([{"ec2InstanceId": "i-1", "attributes": [{"name": ""}]}])"), "E0406",
                       "[0].attributes[0].name: must not be empty");
  require_single_error(ecsq::read_fleet_json(R"({"tasks": [{"group": ["a"]}]})"), "E0402",
                       "tasks[0].group: expected a string, found an array");
}

TEST_CASE("invalid JSON is E0401 at the place it breaks", "[aws_json]") {
  const auto truncated = ecsq::read_fleet_files({fleets + "truncated.json"});
  require_single_error(truncated, "E0401", "invalid JSON: missing or superfluous comma, colon, brace or bracket");
  CHECK(position(truncated, 0) == "7:25");  // the missing comma before "value"

  const auto check = [](std::string_view json, std::string_view message, std::string_view where) {
    const auto result = ecsq::read_fleet_json(json, "inline");
    require_single_error(result, "E0401", message);
    CHECK(position(result, 0) == where);
  };
  check("", "invalid JSON: the input is empty", "1:1");
  check("[1, 2,]", "invalid JSON: missing or superfluous comma, colon, brace or bracket", "1:7");
  check("[{\"ec2InstanceId\": \"i-1\"},\n {\"ec2InstanceId\": tru}]", "invalid JSON: unknown literal (expected true, "
        "false or null)", "2:20");
  check("[{\"ec2InstanceId\": \"i-\xff\"}]", "invalid JSON: the input is not valid UTF-8", "1:23");
  check("[{\"ec2InstanceId\": \"i-1}]", "invalid JSON: a string is never closed", "1:20");
  check("[]\n]", "invalid JSON: missing or superfluous comma, colon, brace or bracket", "2:1");
  check("{\"containerInstances\": [\n", "invalid JSON: missing or superfluous comma, colon, brace or bracket",
        "1:25");  // just past the last token
  check("[{\"a\": \"\\q\"}]", "invalid JSON: invalid escape sequence in a string", "1:8");
  check(std::string(2000, '[') + std::string(2000, ']'), "invalid JSON: nested deeper than 1024 levels", "1:1026");
}

TEST_CASE("byte order marks", "[aws_json]") {
  // A UTF-8 byte order mark is skipped, and offsets still count it.
  const auto bom = ecsq::read_fleet_json("\xEF\xBB\xBF[{\"ec2InstanceId\": \"i-1\"}]");
  REQUIRE(bom.diagnostics.empty());
  CHECK(instance(bom, "i-1").ec2_instance_id == "i-1");
  const auto bad = ecsq::read_fleet_json("\xEF\xBB\xBF[{\"ec2InstanceId\": 1}]");
  require_single_error(bad, "E0402", "[0].ec2InstanceId: expected a string, found a number");
  CHECK(bad.diagnostics[0].diagnostic.span.begin == 22);  // 3 BOM bytes + [{"ec2InstanceId": 

  const auto utf16 = ecsq::read_fleet_json(std::string("\xFF\xFE[\0]\0", 6));
  require_single_error(utf16, "E0401", "invalid JSON: the input is not valid UTF-8");
  CHECK(utf16.diagnostics[0].diagnostic.notes ==
        std::vector<std::string>{"the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"});
}

TEST_CASE("duplicates across files are errors", "[aws_json]") {
  const auto result =
      ecsq::read_fleet_files({fleets + "describe-container-instances.json", fleets + "duplicate-instance.json"});
  require_single_error(result, "E0404", "containerInstances[0].ec2InstanceId: duplicate ec2InstanceId "
                                        "\"i-0a1b2c3d4e5f60002\"");
  CHECK(result.diagnostics[0].source == 1);
  CHECK(position(result, 0) == "5:24");
  REQUIRE(result.diagnostics[0].diagnostic.notes.size() == 1);
  CHECK(result.diagnostics[0].diagnostic.notes[0] ==
        "first seen at " + fleets + "describe-container-instances.json:41:30");

  const auto arns = ecsq::read_fleet_sources(
      {{"a.json", R"([{"ec2InstanceId": "i-1", "containerInstanceArn": "arn:x"}])"},
       {"b.json", R"([{"ec2InstanceId": "i-2", "containerInstanceArn": "arn:y"},
                      {"ec2InstanceId": "i-3", "containerInstanceArn": "arn:x"}])"}});
  require_single_error(arns, "E0404", "[1].containerInstanceArn: duplicate containerInstanceArn \"arn:x\"");
  CHECK(arns.diagnostics[0].source == 1);
  CHECK(position(arns, 0) == "2:72");
  CHECK(arns.diagnostics[0].diagnostic.notes.at(0) == "first seen at a.json:1:51");
}

TEST_CASE("instances without an ARN never collide", "[aws_json]") {
  const auto result = ecsq::read_fleet_json(R"([{"ec2InstanceId": "i-1"}, {"ec2InstanceId": "i-2"}])");
  REQUIRE(result.diagnostics.empty());
  CHECK(result.fleet->instances.size() == 2);
}

TEST_CASE("an unreadable file is E0405 and spoils the fleet", "[aws_json]") {
  const auto result = ecsq::read_fleet_files({fleets + "describe-container-instances.json", fleets + "missing.json"});
  require_single_error(result, "E0405",
                       "cannot read fleet file \"" + fleets + "missing.json\": No such file or directory");
  CHECK(result.diagnostics[0].source == 1);
  CHECK(result.sources.size() == 2);
  CHECK(result.sources[1].text.empty());

  const auto directory = ecsq::read_fleet_files({fleets});
  require_single_error(directory, "E0405", "cannot read fleet file \"" + fleets + "\": Is a directory");
  CHECK_THAT(ecsq::render_diagnostics(directory), Catch::Contains("--> " + fleets + ":1:1"));
}

TEST_CASE("errors in several files keep their own sources", "[aws_json]") {
  const auto result = ecsq::read_fleet_sources({{"one.json", "[{\"ec2InstanceId\": 1}]"},
                                                {"two.json", "[\n  {\"ec2InstanceId\": \"i-2\", \"status\": 3}]"}});
  CHECK_FALSE(result.fleet);
  REQUIRE(result.diagnostics.size() == 2);
  CHECK(result.diagnostics[0].source == 0);
  CHECK(result.diagnostics[1].source == 1);
  const std::string text = ecsq::render_diagnostics(result);
  CHECK_THAT(text, Catch::Contains("--> one.json:1:20"));
  CHECK_THAT(text, Catch::Contains("--> two.json:2:38"));
}

TEST_CASE("a flood of errors is capped per file", "[aws_json]") {
  std::string json = "[";
  for (int i = 0; i < 60; ++i) json += fmt::format("{}{{\"ec2InstanceId\": \"i-{}\", \"agentConnected\": 1}}", i ? "," : "", i);
  json += "]";
  const auto result = ecsq::read_fleet_json(json);
  CHECK_FALSE(result.fleet);
  REQUIRE(result.diagnostics.size() == 50);
  CHECK(result.diagnostics.back().diagnostic.message == "[49].agentConnected: expected a boolean, found a number");
  CHECK(result.diagnostics.back().diagnostic.notes == std::vector<std::string>{"10 more error(s) in this file not shown"});
}

TEST_CASE("the sample fleet reads cleanly", "[aws_json][sample]") {
  const auto result = ecsq::read_fleet_files({std::string(ECSQ_SOURCE_DIR) + "/data/sample-fleet.json"});
  INFO(ecsq::render_diagnostics(result));
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.fleet);
  const auto& instances = result.fleet->instances;
  CHECK(instances.size() >= 60);

  // The documentation's ids; groups are those of RUNNING tasks, deduplicated.
  CHECK(instance(result, "i-abcd1234").task_groups() == std::vector<std::string>{"service:production"});
  CHECK(instance(result, "i-wxyx7890").task_groups() ==
        std::vector<std::string>{"family:web", "service:daemon-service"});
  CHECK(instance(result, "i-wxyx7890").running_tasks_count == 3);
  CHECK(attribute_value(instance(result, "i-abcd1234"), "ecs.instance-type") == "t2.small");
  CHECK(instance(result, "i-abcd1234").registered_at == ecsq::parse_instant("2018-01-31T00:00:00Z"));

  const auto count = [&](auto predicate) { return std::count_if(instances.begin(), instances.end(), predicate); };
  CHECK(count([](const Instance& i) { return !i.agent_connected; }) > 0);
  CHECK(count([](const Instance& i) { return i.status == "DRAINING"; }) > 0);
  // Windows instances run no daemon service; every instance has an os-type.
  CHECK(count([](const Instance& i) {
          const auto* os = i.find_attribute("ecs.os-type");
          return os == nullptr || (os->value == "windows" && i.has_task_group("service:daemon-service"));
        }) == 0);
  // Old agents predate ecs.cpu-architecture, so the attribute is sometimes missing.
  CHECK(count([](const Instance& i) { return i.find_attribute("ecs.cpu-architecture") == nullptr; }) > 0);
  CHECK(count([](const Instance& i) {
          const auto* arch = i.find_attribute("ecs.cpu-architecture");
          return arch != nullptr && arch->value == "arm64";
        }) > 0);
}

TEST_CASE("every documented expression selects some but not all of the sample fleet", "[aws_json][sample]") {
  const auto fleet = ecsq::read_fleet_files({std::string(ECSQ_SOURCE_DIR) + "/data/sample-fleet.json"});
  REQUIRE(fleet.fleet);
  const auto& instances = fleet.fleet->instances;
  std::size_t expressions = 0;
  for (const std::string& line : documented_examples()) {
    ++expressions;
    INFO(line);
    const auto checked = ecsq::check(line);
    REQUIRE(checked.query);
    const auto selected = std::count_if(instances.begin(), instances.end(),
                                        [&](const Instance& i) { return ecsq::evaluate(*checked.query, i); });
    CHECK(selected > 0);
    CHECK(static_cast<std::size_t>(selected) < instances.size());
  }
  CHECK(expressions >= 20);

  const auto ids = ecsq::check("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']");
  REQUIRE(ids.query);
  std::vector<std::string> matched;
  for (const Instance& i : instances) {
    if (ecsq::evaluate(*ids.query, i)) matched.push_back(i.ec2_instance_id);
  }
  CHECK(matched == std::vector<std::string>{"i-abcd1234", "i-wxyx7890"});
}
