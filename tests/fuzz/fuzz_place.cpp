// libFuzzer harness: the placement engine on inputs made from the bytes, read through the real
// readers. The last byte picks the form: either a small fleet, task definition and request built
// field by field (FuzzedDataProvider), written as the JSON files `ecsq place` reads and read back,
// or three raw texts (fleet JSON, task definition, request) given to the readers as they are.
// Properties, against the reference placer of tests/placement_reference.hpp: no crash; the
// Cluster holds what the reference derives from the fleet; plan() leaves the cluster as it was
// and gives place()'s result; the same seed places the same way twice; the input errors are
// check_placement()'s; every placement passes every filter and is in the strategies' best class,
// every failure is the reference's, and with ties in fleet order and no `random` the whole result
// and the cluster afterwards are exactly the reference's.
//
// Seeds (tests/fuzz/corpus/fuzz_place/): raw-form seeds are the three texts, each ended by a
// backslash and a letter (ConsumeRandomLengthString), then the byte 0x00.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"
#include "placement_reference.hpp"

namespace {

using namespace ecsq;

struct Inputs {
  FleetData fleet;
  TaskDemand demand;
  PlacementRequest request;
  PlacementOptions options;
};

const reference::EniTable& eni_table() {
  static const reference::EniTable table = reference::load_eni_table(ECSQ_SOURCE_DIR "/data/eni-capacity.tsv");
  return table;
}

[[noreturn]] void fail(const Inputs& in, const std::string& what) {
  std::fprintf(
      stderr,
      "fuzz_place: %s\n=== fleet.json ===\n%s=== td.json ===\n%s=== request.json (%s, seed %llu, ties %s) ===\n%s",
      what.c_str(), reference::fleet_json(in.fleet).c_str(), reference::task_definition_json(in.demand).c_str(),
      in.request.count_max ? "--count max" : "count as written", static_cast<unsigned long long>(in.options.seed),
      in.options.ties == TieBreak::fleet_order ? "fleet-order" : "random",
      reference::request_json(in.request, in.demand).c_str());
  std::abort();
}

bool has_error(const std::vector<PlacementDiagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const PlacementDiagnostic& d) { return d.diagnostic.severity == Severity::error; });
}

void expect_same(const Inputs& in, const std::vector<std::string>& engine, const std::vector<std::string>& expected,
                 const char* what) {
  if (const auto difference = reference::first_difference(engine, expected, what)) fail(in, *difference);
}

template <class T>
const T& pick(FuzzedDataProvider& bytes, const std::vector<T>& items) {
  return items[bytes.ConsumeIntegralInRange<std::size_t>(0, items.size() - 1)];
}

std::vector<std::uint16_t> some_ports(FuzzedDataProvider& bytes, const std::vector<std::uint16_t>& vocabulary) {
  std::vector<std::uint16_t> ports;
  const auto mask = bytes.ConsumeIntegral<std::uint8_t>();
  for (std::size_t i = 0; i < vocabulary.size(); ++i) {
    if (mask & (1u << i)) ports.push_back(vocabulary[i]);
  }
  return ports;
}

const std::vector<std::uint16_t> tcp_vocabulary = {22, 80, 443, 8080};
const std::vector<std::uint16_t> udp_vocabulary = {53, 8125};
const std::vector<std::string> groups = {"service:web", "family:web", "database", "service:api"};
const std::vector<std::string> expressions = {
    "attribute:ecs.availability-zone == a",
    "attribute:ecs.instance-type =~ t2.*",
    "task:group == service:web",
    "not(task:group == database)",
    "runningTasksCount < 2",
    "attribute:stack exists",
    "attribute:stack in [prod, dev] or runningTasksCount == 0",
};

// A fleet of up to 8 instances with every way of listing resources, and tasks on them.
FleetData fleet_from(FuzzedDataProvider& bytes) {
  FleetData data;
  const std::vector<std::string> types = {"c5.large", "t2.micro", "g4dn.xlarge", "x9.unknown"};
  const int size = bytes.ConsumeIntegralInRange(0, 8);
  for (int index = 0; index < size; ++index) {
    Instance instance;
    instance.ec2_instance_id = "i-" + std::to_string(index);
    instance.container_instance_arn = "arn:aws:ecs:us-east-1:1:container-instance/c/ci" + std::to_string(index);
    instance.status = pick(bytes, std::vector<std::string>{"ACTIVE", "ACTIVE", "ACTIVE", "DRAINING", ""});
    instance.agent_connected = bytes.ConsumeIntegralInRange(0, 7) != 0;
    const std::string& type = pick(bytes, types);
    instance.set_attribute("ecs.instance-type", type);
    switch (bytes.ConsumeIntegralInRange(0, 3)) {
      case 0: instance.set_attribute("ecs.availability-zone", "a"); break;
      case 1: instance.set_attribute("ecs.availability-zone", "b"); break;
      case 2: instance.set_attribute("ecs.availability-zone"); break;
      default: break;
    }
    if (bytes.ConsumeBool()) instance.set_attribute("stack", bytes.ConsumeBool() ? "prod" : "dev");
    if (bytes.ConsumeBool()) instance.set_attribute("ecs.awsvpc-trunk-id", "eni-1");
    if (bytes.ConsumeBool()) instance.set_attribute("ecs.capability.task-eni");

    InstanceResources resources;
    const auto amount = [&](std::optional<std::int64_t>& registered, std::optional<std::int64_t>& remaining) {
      const int listing = bytes.ConsumeIntegralInRange(0, 2);
      if (listing >= 1) registered = 256 * bytes.ConsumeIntegralInRange(0, 8);
      if (listing == 2) remaining = 256 * bytes.ConsumeIntegralInRange(0, 8);
    };
    amount(resources.registered.cpu, resources.remaining.cpu);
    amount(resources.registered.memory, resources.remaining.memory);
    const int port_listing = bytes.ConsumeIntegralInRange(0, 2);
    if (port_listing >= 1) resources.registered.ports = some_ports(bytes, tcp_vocabulary);
    if (port_listing == 2) resources.remaining.ports = some_ports(bytes, tcp_vocabulary);
    if (bytes.ConsumeBool()) resources.remaining.ports_udp = some_ports(bytes, udp_vocabulary);
    std::vector<std::string> gpu_ids;
    if (type == "g4dn.xlarge") {
      gpu_ids = {"GPU-a" + std::to_string(index), "GPU-b" + std::to_string(index)};
      switch (bytes.ConsumeIntegralInRange(0, 3)) {
        case 0:
          resources.registered.gpu_ids = gpu_ids;
          resources.registered.gpus = 2;
          break;
        case 1: resources.registered.gpus = 2; break;
        case 2: resources.remaining.gpus = bytes.ConsumeIntegralInRange(0, 2); break;
        default:
          resources.remaining.gpu_ids = {gpu_ids[1]};
          resources.remaining.gpus = 1;
          break;
      }
    }
    const int tasks = bytes.ConsumeIntegralInRange(0, 3);
    for (int t = 0; t < tasks; ++t) {
      FleetTask task;
      task.container_instance_arn = instance.container_instance_arn;
      task.instance = static_cast<std::size_t>(index);
      task.group = pick(bytes, groups);
      task.desired_status = bytes.ConsumeIntegralInRange(0, 3) ? "RUNNING" : "STOPPED";
      task.last_status = task.desired_status;
      if (bytes.ConsumeBool()) task.cpu = 128 * bytes.ConsumeIntegralInRange(0, 4);
      if (bytes.ConsumeBool()) task.memory = 128 * bytes.ConsumeIntegralInRange(0, 4);
      if (bytes.ConsumeIntegralInRange(0, 3) == 0) task.tcp_ports = some_ports(bytes, tcp_vocabulary);
      if (!gpu_ids.empty() && bytes.ConsumeBool()) task.gpu_ids = {gpu_ids[static_cast<std::size_t>(t % 2)]};
      task.uses_eni = bytes.ConsumeIntegralInRange(0, 3) == 0;
      data.tasks.push_back(task);
    }
    instance.running_tasks_count = tasks + bytes.ConsumeIntegralInRange(0, 2);
    data.instances.push_back(std::move(instance));
    data.resources.push_back(std::move(resources));
  }
  return data;
}

ConstraintSpec constraint_from(FuzzedDataProvider& bytes, bool in_request) {
  ConstraintSpec spec;
  if (in_request && bytes.ConsumeIntegralInRange(0, 3) == 0) {
    spec.kind = ConstraintSpec::Kind::distinct_instance;
    return spec;
  }
  // Mostly known expressions; sometimes the bytes themselves, which may not parse or check.
  spec.expression = bytes.ConsumeIntegralInRange(0, 4) ? pick(bytes, expressions) : bytes.ConsumeRandomLengthString(80);
  return spec;
}

StrategySpec strategy(StrategyType type, StrategyTarget target, std::string field, std::string attribute = {}) {
  StrategySpec spec;
  spec.type = type;
  spec.target = target;
  spec.field = std::move(field);
  spec.attribute = std::move(attribute);
  return spec;
}

StrategySpec strategy_from(FuzzedDataProvider& bytes) {
  switch (bytes.ConsumeIntegralInRange(0, 6)) {
    case 0: return strategy(StrategyType::random, StrategyTarget::none, "");
    case 1: return strategy(StrategyType::binpack, StrategyTarget::cpu, "cpu");
    case 2: return strategy(StrategyType::binpack, StrategyTarget::memory, "memory");
    case 3: return strategy(StrategyType::spread, StrategyTarget::instance_id, "instanceId");
    case 4: return strategy(StrategyType::spread, StrategyTarget::attribute, "attribute:stack", "stack");
    case 5:
      return strategy(StrategyType::spread, StrategyTarget::attribute, "attribute:ecs.availability-zone",
                      "ecs.availability-zone");
    default:  // a type with a field it does not take: an input error
      return bytes.ConsumeBool()
                 ? strategy(StrategyType::binpack, StrategyTarget::instance_id, "instanceId")
                 : strategy(pick(bytes, std::vector<StrategyType>{StrategyType::random, StrategyType::spread}),
                            StrategyTarget::memory, "memory");
  }
}

Inputs structured(FuzzedDataProvider& bytes) {
  Inputs in;
  in.fleet = fleet_from(bytes);
  TaskDemand& demand = in.demand;
  demand.family = "web";
  demand.cpu = 128 * bytes.ConsumeIntegralInRange(0, 8);
  demand.memory = 128 * bytes.ConsumeIntegralInRange(0, 8);
  demand.network_mode =
      pick(bytes, std::vector<NetworkMode>{NetworkMode::bridge, NetworkMode::host, NetworkMode::awsvpc});
  demand.needs_eni = demand.network_mode == NetworkMode::awsvpc;
  if (!demand.needs_eni) {
    demand.tcp_ports = some_ports(bytes, tcp_vocabulary);
    demand.udp_ports = some_ports(bytes, udp_vocabulary);
  }
  demand.gpus = bytes.ConsumeIntegralInRange(0, 3) == 0 ? 1 : 0;
  if (bytes.ConsumeBool()) demand.required_attributes.push_back({"ecs.capability.task-eni", std::nullopt});
  if (bytes.ConsumeIntegralInRange(0, 3) == 0) demand.required_attributes.push_back({"stack", std::string("prod")});
  const int td_constraints = bytes.ConsumeIntegralInRange(0, 2);
  for (int i = 0; i < td_constraints; ++i) demand.constraints.push_back(constraint_from(bytes, false));

  PlacementRequest& request = in.request;
  request.kind = pick(bytes, std::vector<RequestKind>{RequestKind::run_task, RequestKind::service_replica,
                                                      RequestKind::service_daemon});
  request.service_name = "web";
  if (bytes.ConsumeBool()) request.group = pick(bytes, groups);
  request.count = bytes.ConsumeIntegralInRange(0, 12);  // RunTask 0 and 11+ break a limit
  const int constraints = bytes.ConsumeIntegralInRange(0, 11);
  for (int i = 0; i < constraints; ++i) request.constraints.push_back(constraint_from(bytes, true));
  const int strategies = bytes.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < strategies; ++i) request.strategies.push_back(strategy_from(bytes));
  request.count_max = bytes.ConsumeIntegralInRange(0, 5) == 0;
  in.options.seed = bytes.ConsumeIntegral<std::uint8_t>();
  in.options.ties = bytes.ConsumeBool() ? TieBreak::fleet_order : TieBreak::random;

  // Through the files `ecsq place` reads, as far as they carry the inputs: a limit broken or an
  // expression that does not check is left out by the readers (lint reports it), so such inputs go
  // to the engine as built.
  FleetReadResult fleet = read_fleet_json(reference::fleet_json(in.fleet), "fleet.json");
  if (!fleet.fleet) fail(in, "the fleet reader rejects the fleet written from it:\n" + render_diagnostics(fleet));
  in.fleet = std::move(*fleet.fleet);
  if (has_error(check_placement(demand, request))) return in;
  TaskDefinitionInput definition = read_task_definition(reference::task_definition_json(demand), "td.json");
  RequestInput read = read_placement_request(reference::request_json(request, demand), "request.json");
  if (definition.demand && read.request) {
    read.request->count_max = request.count_max;
    in.demand = std::move(*definition.demand);
    in.request = std::move(*read.request);
  }
  return in;
}

std::optional<Inputs> raw(FuzzedDataProvider& bytes) {
  const std::string fleet_text = bytes.ConsumeRandomLengthString(4096);
  const std::string definition_text = bytes.ConsumeRandomLengthString(4096);
  const std::string request_text = bytes.ConsumeRandomLengthString(4096);
  FleetReadResult fleet = read_fleet_json(fleet_text, "fleet.json");
  TaskDefinitionInput definition = read_task_definition(definition_text, "td.json");
  RequestInput request = read_placement_request(request_text, "request.json");
  if (!fleet.fleet || !definition.demand || !request.request) return std::nullopt;
  Inputs in{std::move(*fleet.fleet), std::move(*definition.demand), std::move(*request.request), {}};
  // A desiredCount of millions would only make the run slow.
  if (in.fleet.instances.size() > 64 || in.request.count > 64) return std::nullopt;
  in.request.count_max = bytes.ConsumeBool();
  in.options.seed = bytes.ConsumeIntegral<std::uint8_t>();
  in.options.ties = bytes.ConsumeBool() ? TieBreak::fleet_order : TieBreak::random;
  return in;
}

// --count max runs until a task fits nowhere; without distinctInstance or a host port that may
// be never (unlimited CPU and memory), so such requests ask for their count instead.
void bound_count_max(Inputs& in) {
  const bool distinct =
      std::any_of(in.request.constraints.begin(), in.request.constraints.end(),
                  [](const ConstraintSpec& c) { return c.kind == ConstraintSpec::Kind::distinct_instance; });
  if (!distinct && in.demand.tcp_ports.empty()) in.request.count_max = false;
}

void run(Inputs& in) {
  bound_count_max(in);
  Cluster cluster(in.fleet);
  reference::ReferenceCluster expected = reference::build_cluster(in.fleet, eni_table());
  const std::vector<std::string> before = reference::state_lines(cluster);
  expect_same(in, before, reference::state_lines(expected), "the cluster built from the fleet");

  const PlacementResult dry = plan(cluster, in.demand, in.request, in.options);
  expect_same(in, reference::state_lines(cluster), before, "plan() changed the cluster");
  Cluster copy = cluster;
  const PlacementResult result = place(cluster, in.demand, in.request, in.options);
  const PlacementResult again = place(copy, in.demand, in.request, in.options);
  expect_same(in, reference::result_lines(dry), reference::result_lines(result), "plan() and place() (engine = plan)");
  expect_same(in, reference::result_lines(again), reference::result_lines(result), "the same seed twice");
  if (has_error(check_placement(in.demand, in.request)) != result.has_errors()) {
    fail(in, "place() reports input errors other than check_placement()'s");
  }

  const reference::ReferenceRequest resolved = reference::resolve(in.demand, in.request);
  const bool random = std::any_of(resolved.strategies.begin(), resolved.strategies.end(),
                                  [](const StrategySpec& s) { return s.type == StrategyType::random; });
  if (!resolved.input_error && !random && in.options.ties == TieBreak::fleet_order) {
    const reference::ReferenceResult wanted = reference::reference_place(expected, in.demand, in.request);
    expect_same(in, reference::result_lines(result), reference::result_lines(wanted), "the result");
  } else if (const auto problem = reference::check_result(expected, in.demand, in.request, result)) {
    fail(in, *problem);
  }
  expect_same(in, reference::state_lines(cluster), reference::state_lines(expected), "the cluster afterwards");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (eni_table().empty()) {
    std::fprintf(stderr, "fuzz_place: cannot read %s\n", ECSQ_SOURCE_DIR "/data/eni-capacity.tsv");
    std::abort();
  }
  FuzzedDataProvider bytes(data, size);
  // The form byte comes off the end, so a raw seed is its texts followed by 0x00.
  if (bytes.ConsumeIntegralInRange(0, 3) == 0) {
    std::optional<Inputs> in = raw(bytes);
    if (in) run(*in);
  } else {
    Inputs in = structured(bytes);
    run(in);
  }
  return 0;
}
