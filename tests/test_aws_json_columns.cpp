// The columnar fleet reader (read_fleet_columns) against the record reader (read_fleet_sources +
// Fleet(instances)): the same diagnostics and the same Fleet, column by column and dictionary by
// dictionary, on every fleet file of the repository, on generated fleets (fields in any order,
// nulls, unknown fields, tasks before or after the instances, several files) and on broken variants.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/fleet.hpp"
#include "fleet/aws_json_internal.hpp"

using ecsq::Fleet;
using ecsq::FleetSource;

namespace {

void require_same_dictionary(const ecsq::Dictionary& a, const ecsq::Dictionary& b) {
  REQUIRE(a.size() == b.size());
  for (std::uint32_t i = 0; i < a.size(); ++i) REQUIRE(a.text(i) == b.text(i));
}

template <class Span>
void require_same_span(const Span& a, const Span& b) {
  REQUIRE(std::vector(a.begin(), a.end()) == std::vector(b.begin(), b.end()));
}

// Every column, every dictionary (in order) and every instance's observable values.
void require_same_fleet(const Fleet& a, const Fleet& b) {
  REQUIRE(a.size() == b.size());
  REQUIRE(a.slot_count() == b.slot_count());
  require_same_dictionary(a.attribute_names(), b.attribute_names());
  for (std::uint32_t attribute = 0; attribute < a.attribute_names().size(); ++attribute) {
    INFO("attribute " << a.attribute_names().text(attribute));
    REQUIRE(a.attribute_is_dense(attribute) == b.attribute_is_dense(attribute));
    require_same_span(a.attribute_codes(attribute), b.attribute_codes(attribute));
    require_same_span(a.sparse_attribute(attribute).ids, b.sparse_attribute(attribute).ids);
    require_same_span(a.sparse_attribute(attribute).codes, b.sparse_attribute(attribute).codes);
    require_same_dictionary(a.attribute_values(attribute), b.attribute_values(attribute));
  }
  require_same_span(a.agent_connected(), b.agent_connected());
  require_same_span(a.agent_version_codes(), b.agent_version_codes());
  require_same_dictionary(a.agent_versions(), b.agent_versions());
  require_same_span(a.registered_at_known(), b.registered_at_known());
  require_same_span(a.registered_at(), b.registered_at());
  require_same_span(a.running_tasks_count(), b.running_tasks_count());
  require_same_span(a.ec2_instance_id_codes(), b.ec2_instance_id_codes());
  require_same_dictionary(a.ec2_instance_ids(), b.ec2_instance_ids());
  require_same_span(a.container_instance_arn_codes(), b.container_instance_arn_codes());
  require_same_dictionary(a.container_instance_arns(), b.container_instance_arns());
  require_same_span(a.status_codes(), b.status_codes());
  require_same_dictionary(a.statuses(), b.statuses());
  require_same_dictionary(a.task_groups(), b.task_groups());
  require_same_span(a.task_group_set_codes(), b.task_group_set_codes());
  REQUIRE(a.task_group_set_count() == b.task_group_set_count());
  for (std::uint32_t set = 0; set < a.task_group_set_count(); ++set) {
    require_same_span(a.task_group_set(set), b.task_group_set(set));
  }
  for (ecsq::InstanceId id = 0; id < a.slot_count(); ++id) {
    REQUIRE(a.contains(id) == b.contains(id));
    const auto left = a.task_counts(id);
    const auto right = b.task_counts(id);
    REQUIRE(left.size() == right.size());
    for (std::size_t i = 0; i < left.size(); ++i) {
      REQUIRE(left[i].group == right[i].group);
      REQUIRE(left[i].count == right[i].count);
    }
    const auto x = a.instance(id);
    const auto y = b.instance(id);
    REQUIRE(x.has_value() == y.has_value());
    if (x) {
      std::ostringstream left_text;
      std::ostringstream right_text;
      left_text << *x;
      right_text << *y;
      REQUIRE(left_text.str() == right_text.str());
    }
  }
}

// Texts with simdjson's padding reserved, as the file readers load them.
std::vector<FleetSource> sources_of(const std::vector<std::string>& texts) {
  std::vector<FleetSource> sources;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    FleetSource source{fmt::format("fleet-{}.json", i), {}};
    source.text.reserve(texts[i].size() + 64);
    source.text.append(texts[i]);
    sources.push_back(std::move(source));
  }
  return sources;
}

struct Outcome {
  bool fast_accepted = false;
  bool has_fleet = false;
  std::size_t diagnostics = 0;
};

// Both readers on the same texts: identical diagnostics, identical fleets; and the fast path
// accepts nothing the record reader reports.
Outcome compare_readers(const std::vector<std::string>& texts) {
  const ecsq::FleetReadResult records = ecsq::read_fleet_sources(sources_of(texts));
  const ecsq::FleetColumnsResult columns = ecsq::read_fleet_columns(sources_of(texts));
  const std::optional<Fleet> fast = ecsq::detail::read_fleet_columns_fast(sources_of(texts));
  INFO(ecsq::render_diagnostics(records));
  REQUIRE(records.diagnostics.size() == columns.diagnostics.size());
  for (std::size_t i = 0; i < records.diagnostics.size(); ++i) {
    const ecsq::Diagnostic& a = records.diagnostics[i].diagnostic;
    const ecsq::Diagnostic& b = columns.diagnostics[i].diagnostic;
    REQUIRE(records.diagnostics[i].source == columns.diagnostics[i].source);
    REQUIRE(a.code == b.code);
    REQUIRE(a.message == b.message);
    REQUIRE(a.span.begin == b.span.begin);
    REQUIRE(a.span.end == b.span.end);
    REQUIRE(a.notes == b.notes);
    REQUIRE(a.severity == b.severity);
  }
  REQUIRE(records.fleet.has_value() == columns.fleet.has_value());
  if (!records.diagnostics.empty()) REQUIRE_FALSE(fast);
  if (records.fleet) {
    const Fleet expected(records.fleet->instances);
    require_same_fleet(expected, *columns.fleet);
    if (fast) require_same_fleet(expected, *fast);
  }
  return Outcome{fast.has_value(), records.fleet.has_value(), records.diagnostics.size()};
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- generated fleets ------------------------------------------------------------------------

std::string json_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// Fields in random order, joined as a JSON object.
std::string object_of(std::vector<std::string> fields, std::mt19937_64& rng) {
  std::shuffle(fields.begin(), fields.end(), rng);
  std::string out = "{";
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + fields[i];
  return out + "}";
}

std::string arn_of(std::size_t instance) {
  return fmt::format("arn:aws:ecs:us-east-1:123456789012:container-instance/c1/{:08x}", instance);
}

// One instance written the ways AWS and people write it: optional, null and unknown fields,
// timestamps as integers, fractions or ISO text, escapes, rare attributes.
std::string instance_text(std::size_t index, std::mt19937_64& rng) {
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  const auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(*(options.begin() + rng() % options.size()));
  };
  std::vector<std::string> fields;
  fields.push_back(fmt::format("\"ec2InstanceId\": \"i-{:06x}\"", index));
  if (chance(90)) {
    fields.push_back("\"containerInstanceArn\": " + json_quoted(arn_of(index)));
  } else if (chance(50)) {
    fields.push_back("\"containerInstanceArn\": null");
  }
  if (chance(90)) fields.push_back("\"status\": " + pick({"\"ACTIVE\"", "\"DRAINING\"", "\"ACTIVE\"", "null"}));
  if (chance(90)) fields.push_back("\"agentConnected\": " + pick({"true", "false", "true", "null"}));
  if (chance(85)) {
    fields.push_back("\"versionInfo\": " +
                     pick({"{\"agentVersion\": \"1.68.2\", \"agentHash\": \"abc\", \"dockerVersion\": \"20.10\"}",
                           "{\"dockerVersion\": \"20.10\", \"agentVersion\": \"1.14.5\"}", "{\"agentVersion\": null}",
                           "null", "{}", "{\"agentVersion\": \"not-a-version\"}"}));
  }
  if (chance(85)) {
    fields.push_back("\"registeredAt\": " +
                     pick({"1527890000", "1527890000.725", "1.5e9", "\"2018-06-01T10:00:00.123000+00:00\"",
                           "\"2018-06-18\"", "\"2024-03-01T10:00:00Z\"", "null", "-1.5"}));
  }
  if (chance(90)) {
    fields.push_back(fmt::format("\"runningTasksCount\": {}", rng() % 7));
  } else if (chance(50)) {
    fields.push_back("\"runningTasksCount\": null");
  }
  std::vector<std::string> attributes;
  static const char* const names[] = {"ecs.os-type", "ecs.instance-type", "ecs.availability-zone",
                                      "ecs.cpu-architecture", "ecs.capability.task-eni", "stack", "weight",
                                      "ecs.capability.docker-remote-api.1.30"};
  for (const char* name : names) {
    if (!chance(70)) continue;
    std::vector<std::string> attribute{"\"name\": " + json_quoted(name)};
    const int kind = static_cast<int>(rng() % 5);
    if (kind == 0) attribute.push_back("\"value\": null");
    if (kind >= 2) attribute.push_back("\"value\": " + json_quoted(fmt::format("v{}", rng() % 6)));
    if (kind == 4) attribute.push_back("\"value\": \"esc\\u0041\\n\\\"q\\\"\"");
    if (chance(10)) attribute.push_back("\"targetType\": \"container-instance\"");
    if (kind == 4) attribute.erase(attribute.begin() + 1);  // one value only
    attributes.push_back(object_of(attribute, rng));
  }
  if (chance(10)) attributes.push_back(fmt::format("{{\"name\": \"rare.{}\", \"value\": \"x\"}}", rng() % 1000));
  if (chance(10)) attributes.push_back(fmt::format("{{\"name\": \"rare.{}\"}}", rng() % 1000 + 1000));
  std::string list = "[";
  for (std::size_t i = 0; i < attributes.size(); ++i) list += (i ? ", " : "") + attributes[i];
  if (chance(95)) fields.push_back("\"attributes\": " + list + "]");
  if (chance(80)) {
    fields.push_back(
        "\"registeredResources\": [{\"name\": \"CPU\", \"type\": \"INTEGER\", \"integerValue\": 2048, \"doubleValue\": 0.0, "
        "\"longValue\": 0}, {\"integerValue\": 3953, \"name\": \"MEMORY\", \"type\": \"INTEGER\"}, {\"name\": \"PORTS\", "
        "\"type\": \"STRINGSET\", \"stringSetValue\": [\"22\", \"2376\", \"51678\"]}, {\"name\": \"PORTS_UDP\", "
        "\"type\": \"STRINGSET\", \"stringSetValue\": []}, {\"name\": \"NEURON_CORES\", \"type\": 7}]");
  }
  if (chance(80)) {
    fields.push_back(
        "\"remainingResources\": [{\"name\": \"CPU\", \"doubleValue\": 1024.0}, {\"name\": \"MEMORY\", \"longValue\": 2000}, "
        "{\"name\": \"GPU\", \"type\": \"STRINGSET\", \"stringSetValue\": [\"g1\", \"g0\", \"g1\"]}]");
  }
  if (chance(30)) fields.push_back("\"ec2Extras\": {\"nested\": [1, 2.5, -3e-2, true, false, null, \"x\", {\"a\": []}]}");
  if (chance(10)) fields.push_back("\"pendingTasksCount\": 0, \"agentUpdateStatus\": null");
  return object_of(fields, rng);
}

std::string task_text(std::size_t instances, std::mt19937_64& rng) {
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  std::vector<std::string> fields;
  if (chance(85)) fields.push_back("\"containerInstanceArn\": " + json_quoted(arn_of(rng() % (instances + 3))));
  if (chance(90)) {
    fields.push_back(fmt::format("\"group\": \"service:s{}\"", rng() % 12));
  } else if (chance(50)) {
    fields.push_back("\"group\": null");
  }
  fields.push_back(std::string("\"desiredStatus\": ") + (chance(80) ? "\"RUNNING\"" : "\"STOPPED\""));
  if (chance(80)) fields.push_back("\"lastStatus\": \"RUNNING\", \"taskDefinitionArn\": \"arn:td/web:3\"");
  if (chance(50)) fields.push_back(std::string("\"cpu\": ") + (chance(50) ? "\"1 vCPU\"" : "\"256\""));
  if (chance(50)) fields.push_back(std::string("\"memory\": ") + (chance(50) ? "\"2GB\"" : "512"));
  if (chance(70)) {
    fields.push_back(
        "\"containers\": [{\"name\": \"app\", \"cpu\": \"128\", \"memoryReservation\": 256, \"memory\": null, "
        "\"networkBindings\": [{\"bindIP\": \"0.0.0.0\", \"hostPort\": 8080, \"protocol\": \"tcp\"}, {\"hostPort\": 53, "
        "\"protocol\": \"udp\"}, {\"hostPort\": 0}], \"gpuIds\": [\"g0\"]}, {\"cpu\": 64}]");
  }
  if (chance(20)) fields.push_back("\"attachments\": [{\"type\": \"ElasticNetworkInterface\", \"details\": []}]");
  if (chance(20)) fields.push_back("\"overrides\": {\"containerOverrides\": [{\"name\": \"app\"}]}, \"tags\": []");
  return object_of(fields, rng);
}

std::string list_of(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n  " : "\n  ") + items[i];
  return out + "]";
}

// A fleet as 1 to 3 documents: instances (maybe split in two, maybe a plain array) and tasks,
// which may come before the instances or sit in a document of their own.
std::vector<std::string> generated_fleet(std::size_t count, std::mt19937_64& rng) {
  std::vector<std::string> instances;
  for (std::size_t i = 0; i < count; ++i) instances.push_back(instance_text(i, rng));
  std::vector<std::string> tasks;
  for (std::size_t i = 0; i < count * 2; ++i) tasks.push_back(task_text(count, rng));
  const int layout = static_cast<int>(rng() % 5);
  if (layout == 0) return {list_of(instances)};
  if (layout == 1) {
    return {"{\"tasks\": " + list_of(tasks) + ", \"failures\": [], \"containerInstances\": " + list_of(instances) + "}"};
  }
  if (layout == 2) {
    const std::size_t half = count / 2;
    return {"{\"containerInstances\": " + list_of({instances.begin(), instances.begin() + static_cast<long>(half)}) + "}",
            "\xEF\xBB\xBF{\"nextToken\": null, \"containerInstances\": " +
                list_of({instances.begin() + static_cast<long>(half), instances.end()}) + "}\n",
            "{\"tasks\": " + list_of(tasks) + "}"};
  }
  if (layout == 3) return {"{\"tasks\": " + list_of(tasks) + "}", "  {\"containerInstances\": " + list_of(instances) + "}  "};
  return {"{\"containerInstances\": " + list_of(instances) + ",\n \"tasks\": " + list_of(tasks) + "}"};
}

}  // namespace

TEST_CASE("columnar reader = record reader on every fleet file of the repository", "[aws_json][columns]") {
  std::vector<std::filesystem::path> files;
  for (const char* root : {"tests", "data"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(ECSQ_SOURCE_DIR) + "/" + root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  std::size_t fleets = 0;
  for (const auto& file : files) {
    INFO(file.string());
    const Outcome outcome = compare_readers({read_file(file)});
    if (outcome.has_fleet) {
      ++fleets;
      // A document the record reader accepts whole is one the fast path accepts too.
      CHECK(outcome.fast_accepted);
    }
  }
  CHECK(fleets >= 5);
  const std::string dir = std::string(ECSQ_SOURCE_DIR) + "/tests/";
  for (const auto& pair : std::vector<std::vector<std::string>>{
           {"data/fleets/describe-container-instances.json", "data/fleets/describe-tasks.json"},
           {"data/fleets/describe-tasks.json", "data/fleets/describe-container-instances.json"},
           {"cli/place/fleet-a.json", "cli/place/fleet-b.json"},
           {"data/fleets/describe-container-instances.json", "data/fleets/describe-container-instances.json"}}) {
    INFO(pair[0] << " + " << pair[1]);
    compare_readers({read_file(dir + pair[0]), read_file(dir + pair[1])});
  }
}

TEST_CASE("columnar reader = record reader on generated fleets", "[aws_json][columns]") {
  std::mt19937_64 rng(20261130 + Catch::rngSeed());
  std::size_t accepted = 0;
  for (int round = 0; round < 60; ++round) {
    const std::vector<std::string> texts = generated_fleet(1 + rng() % 40, rng);
    INFO("round " << round << "\n" << texts.front().substr(0, 2000));
    const Outcome outcome = compare_readers(texts);
    REQUIRE(outcome.has_fleet);
    CHECK(outcome.fast_accepted);
    accepted += outcome.fast_accepted ? 1 : 0;
  }
  CHECK(accepted == 60);
}

TEST_CASE("columnar reader = record reader on broken and odd variants", "[aws_json][columns]") {
  std::mt19937_64 rng(7 + Catch::rngSeed());
  const std::string base = generated_fleet(6, rng).back();
  std::size_t broken = 0;
  // Truncations, and one byte replaced by a character that changes the structure or a token.
  for (std::size_t at = 0; at < base.size(); at += 1 + rng() % 7) {
    INFO("truncated at " << at);
    broken += compare_readers({base.substr(0, at)}).diagnostics > 0 ? 1 : 0;
  }
  for (std::size_t at = 0; at < base.size(); at += 1 + rng() % 5) {
    for (const char* with : {",", "]", "}", "\"", "x", "0", "-", "\\", ":", "\x01", "\xff", "", ",,", "[", "{", " null"}) {
      std::string variant = base;
      variant.replace(at, 1, with);
      INFO("at " << at << " with '" << with << "'\n" << variant);
      broken += compare_readers({variant}).diagnostics > 0 ? 1 : 0;
    }
  }
  CHECK(broken > 100);
  // Values of the wrong type or out of range in each field the readers look at, and duplicates.
  const std::vector<std::string> odd = {
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "ec2InstanceId": "i-2"}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1"}], "containerInstances": []})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1"}, {"ec2InstanceId": "i-1"}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "containerInstanceArn": "a"}, {"ec2InstanceId": "i-2", "containerInstanceArn": "a"}]})",
      R"({"containerInstances": [{"ec2InstanceId": ""}]})",
      R"({"containerInstances": [{"ec2InstanceId": 5}]})",
      R"({"containerInstances": [{"status": "ACTIVE"}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "attributes": [{"name": "a"}, {"name": "a", "value": "b"}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "attributes": [{"value": "b", "name": ""}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "attributes": [{"value": 3, "name": "x"}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "registeredAt": 99999999999999}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "registeredAt": 18446744073709551615}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "registeredAt": "yesterday"}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "runningTasksCount": -1}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "runningTasksCount": 1.0}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "agentConnected": "yes"}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "versionInfo": []}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "remainingResources": [{"name": "CPU", "integerValue": -1}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "remainingResources": [{"name": "CPU", "type": "DOUBLE", "doubleValue": 1.5}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "remainingResources": [{"name": "CPU"}, {"name": "CPU", "integerValue": 1}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "remainingResources": [{"name": "PORTS", "stringSetValue": ["70000"]}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "remainingResources": [{"name": "PORTS", "stringSetValue": null}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "remainingResources": [{"name": "GPU", "stringSetValue": [1]}]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "remainingResources": [{"name": "OTHER", "stringSetValue": [1]}]}]})",
      R"({"containerInstances": [], "tasks": [{"cpu": "lots"}]})",
      R"({"containerInstances": [], "tasks": [{"cpu": "1024", "containers": [{"cpu": "lots"}]}]})",
      R"({"containerInstances": [], "tasks": [{"containers": [{"networkBindings": [{"hostPort": 70000}]}]}]})",
      R"({"containerInstances": [], "tasks": [{"containers": [{"networkBindings": [{"hostPort": 0, "protocol": 5}]}]}]})",
      R"({"containerInstances": [], "tasks": [{"attachments": [{"type": 1}]}]})",
      R"({"containerInstances": [], "tasks": [{"group": ["g"]}]})",
      R"({"failures": []})",
      R"({"containerInstances": null, "tasks": null})",
      R"({"containerInstances": {}})",
      R"("just text")",
      R"([] [])",
      R"({"containerInstances": []} x)",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "x": [1,]}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "x": tru}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "x": 01}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "x": "\q"}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "x": {"a" 1}}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "x": {"a": 1 "b": 2}}]})",
      R"({"containerInstances": [{"ec2InstanceId": "i-1", "x": 123456789012345678901234567890}]})",
      R"({"containerInstances": [{"ec2Instance\u0049d": "i-1"}]})",
      std::string(2000, '[') + std::string(2000, ']'),
      "\xFF\xFE{}",
  };
  for (const std::string& text : odd) {
    INFO(text.substr(0, 200));
    compare_readers({text});
  }
  // More errors than the per-file cap: the same first 50, the same count of the rest.
  std::string many = "{\"containerInstances\": [";
  for (int i = 0; i < 80; ++i) many += fmt::format("{}{{\"ec2InstanceId\": \"i-{}\", \"runningTasksCount\": -1}}", i ? "," : "", i);
  many += "]}";
  CHECK(compare_readers({many}).diagnostics == 50);
}
