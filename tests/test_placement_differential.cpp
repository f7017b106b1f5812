// Differential test of the placement engine: ecsq::place and ecsq::plan against the reference
// placer (placement_reference.hpp), written from the contract alone, on random fleets (read back
// through the fleet JSON reader), task definitions and requests (through their readers).
//  - Ties in fleet order, no `random`: tasks, failures, events and rejections must be identical,
//    and so must the cluster the two leave behind (resources, ports, task counts) after each
//    request; plan() must equal place() and leave the cluster untouched.
//  - `random` strategies and random ties: every placement passes every filter and is in the best
//    class of the strategies before it, every failure is the reference's, and a seed gives the
//    same placements twice.
// Each case is a fleet and a few requests placed in turn on it. On a difference the case is shrunk
// (instances, tasks, requests, constraints, strategies dropped while the difference stays) and
// written as files for `ecsq place` (the failure message gives the commands). The seeds are fixed (CI reproduces every run); Catch's
// `--rng-seed N` shifts them, for longer hunts: `ecsq_tests "[differential]" --rng-seed 12`.
#include <catch2/catch.hpp>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"
#include "placement_reference.hpp"

namespace {

using namespace ecsq;
using Rng = std::mt19937_64;

template <class T>
const T& pick(Rng& rng, const std::vector<T>& items) {
  return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(rng)];
}
bool chance(Rng& rng, double p) { return std::bernoulli_distribution(p)(rng); }
int between(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

const reference::EniTable& eni_table() {
  static const reference::EniTable table = reference::load_eni_table(ECSQ_SOURCE_DIR "/data/eni-capacity.tsv");
  return table;
}

// ---- random inputs -------------------------------------------------------------------------------

struct InstanceType {
  std::string name;
  int vcpus;
  int memory_gib;
  int gpus;
};
// ENI-limited types (t2.micro: 1 awsvpc task, no trunking), trunk-capable ones (c5.large: 2, or 10
// trunked), GPU types, and a type the ENI table lacks (not limited).
const std::vector<InstanceType> instance_types = {
    {"c5.large", 2, 4, 0},  {"t2.micro", 1, 1, 0},     {"t2.small", 1, 2, 0},    {"m5.large", 2, 8, 0},
    {"a1.medium", 1, 2, 0}, {"g4dn.xlarge", 4, 16, 1}, {"p3.2xlarge", 8, 61, 2}, {"x9.hyper", 16, 64, 0},
};
const std::vector<std::string> zones = {"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"};
const std::vector<std::string> fleet_groups = {"service:web", "service:api",    "family:batch",
                                               "database",    "service:daemon", "family:web"};
const std::vector<std::uint16_t> tcp_vocabulary = {80, 443, 8080, 9000};
const std::vector<std::uint16_t> udp_vocabulary = {53, 8125};

// memberOf expressions over attributes, task groups and runningTasksCount that hit and miss.
const std::vector<std::string> expression_atoms = {
    "attribute:ecs.availability-zone == us-east-1a",
    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
    "attribute:ecs.availability-zone != us-east-1c",
    "attribute:ecs.instance-type =~ t2.*",
    "attribute:ecs.instance-type !~ (g4dn|p3).*",
    "attribute:stack == prod",
    "attribute:stack exists",
    "attribute:rack in [r1, r2]",
    "attribute:ecs.os-type == linux",
    "task:group == service:web",
    "task:group == database",
    "task:group != service:api",
    "task:group exists",
    "runningTasksCount < 3",
    "runningTasksCount <= 5",
    "runningTasksCount == 0",
    "agentConnected == true",
    "attribute:special == yes",
    "attribute:special !exists",
};

std::string random_expression(Rng& rng) {
  std::string text = pick(rng, expression_atoms);
  if (chance(rng, 0.3)) text = "not(" + text + ")";
  if (chance(rng, 0.35)) text = "(" + text + (chance(rng, 0.5) ? ") and " : ") or ") + pick(rng, expression_atoms);
  return text;
}

std::string hex(Rng& rng, int digits) {
  std::string out;
  for (int i = 0; i < digits; ++i) out += "0123456789abcdef"[rng() % 16];
  return out;
}

std::vector<std::uint16_t> some_ports(Rng& rng, const std::vector<std::uint16_t>& vocabulary, double p) {
  std::vector<std::uint16_t> ports;
  for (const std::uint16_t port : vocabulary) {
    if (chance(rng, p)) ports.push_back(port);
  }
  return ports;
}

std::vector<std::uint16_t> merged(std::vector<std::uint16_t> a, const std::vector<std::uint16_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

// How a fleet lists one resource: remainingResources, registeredResources only, or neither.
enum class Listing { remaining, registered, none };

Listing random_listing(Rng& rng, double remaining, double registered) {
  const double x = std::uniform_real_distribution<double>(0, 1)(rng);
  return x < remaining ? Listing::remaining : x < remaining + registered ? Listing::registered : Listing::none;
}

FleetData random_fleet(Rng& rng) {
  FleetData data;
  const int size_class = between(rng, 0, 99);
  const int size = size_class < 3    ? 0
                   : size_class < 40 ? between(rng, 1, 10)
                   : size_class < 75 ? between(rng, 11, 60)
                   : size_class < 95 ? between(rng, 61, 150)
                                     : between(rng, 151, 300);
  const int zone_count = between(rng, 1, 4);
  const double active = pick(rng, std::vector<double>{1.0, 0.9, 0.7, 0.1});
  const double connected = pick(rng, std::vector<double>{1.0, 0.95, 0.6});
  const double trunked = pick(rng, std::vector<double>{0.0, 0.2, 0.8});
  const double task_rate = pick(rng, std::vector<double>{0.0, 1.0, 2.5});
  for (int index = 0; index < size; ++index) {
    Instance instance;
    instance.ec2_instance_id = fmt::format("i-{:04x}{}", index, hex(rng, 6));
    if (!chance(rng, 0.02)) {
      instance.container_instance_arn = "arn:aws:ecs:us-east-1:123456789012:container-instance/c1/" + hex(rng, 32);
    }
    instance.status = chance(rng, active) ? "ACTIVE" : pick(rng, std::vector<std::string>{"DRAINING", "INACTIVE", ""});
    instance.agent_connected = chance(rng, connected);
    instance.agent_version = "1.68.2";
    const InstanceType& type = pick(rng, instance_types);
    if (!chance(rng, 0.03)) instance.set_attribute("ecs.instance-type", type.name);
    const double zone_roll = std::uniform_real_distribution<double>(0, 1)(rng);
    if (zone_roll < 0.94) {
      instance.set_attribute("ecs.availability-zone", zones[static_cast<std::size_t>(between(rng, 0, zone_count - 1))]);
    } else if (zone_roll < 0.97) {
      instance.set_attribute("ecs.availability-zone");  // present without a value: spreads as missing
    }
    instance.set_attribute("ecs.os-type", chance(rng, 0.9) ? "linux" : "windows");
    if (chance(rng, 0.7)) {
      instance.set_attribute("stack", pick(rng, std::vector<std::string>{"prod", "dev", "staging"}));
    }
    if (chance(rng, 0.4)) {
      instance.set_attribute("rack", chance(rng, 0.1) ? "" : fmt::format("r{}", between(rng, 1, 4)));
    }
    // Few instances have `special`: the fleet stores such an attribute sparse.
    if (chance(rng, 0.05)) instance.set_attribute("special", chance(rng, 0.7) ? "yes" : "no");
    if (chance(rng, 0.8)) instance.set_attribute("ecs.capability.task-eni");
    if (chance(rng, 0.9)) instance.set_attribute("com.amazonaws.ecs.capability.docker-remote-api.1.19");
    if (chance(rng, trunked)) instance.set_attribute("ecs.awsvpc-trunk-id", "eni-" + hex(rng, 8));
    if (type.gpus > 0) instance.set_attribute("ecs.capability.gpu");

    // Tasks: RUNNING and STOPPED, of several groups, some holding ports, GPUs and ENIs.
    std::vector<std::string> gpu_ids;
    for (int gpu = 0; gpu < type.gpus; ++gpu) gpu_ids.push_back(fmt::format("GPU-{}{}", index, gpu));
    std::vector<FleetTask> tasks;
    const int task_count = instance.container_instance_arn.empty() ? 0 : std::poisson_distribution<int>(task_rate)(rng);
    std::set<std::string> free_gpus(gpu_ids.begin(), gpu_ids.end());
    for (int t = 0; t < task_count; ++t) {
      FleetTask task;
      task.container_instance_arn = instance.container_instance_arn;
      task.instance = static_cast<std::size_t>(index);
      task.group = pick(rng, fleet_groups);
      task.desired_status = chance(rng, 0.8) ? "RUNNING" : "STOPPED";
      task.last_status =
          task.desired_status == "RUNNING" ? pick(rng, std::vector<std::string>{"RUNNING", "PENDING"}) : "STOPPED";
      task.task_definition_arn =
          "arn:aws:ecs:us-east-1:123456789012:task-definition/" + task.group.substr(task.group.find(':') + 1) + ":1";
      if (chance(rng, 0.8)) task.cpu = 128 * between(rng, 0, 4);
      if (chance(rng, 0.8)) task.memory = 128 * between(rng, 1, 8);
      if (chance(rng, 0.25)) task.tcp_ports = some_ports(rng, tcp_vocabulary, 0.4);
      if (chance(rng, 0.1)) task.udp_ports = some_ports(rng, udp_vocabulary, 0.5);
      if (!free_gpus.empty() && chance(rng, 0.3)) {
        task.gpu_ids = {*free_gpus.begin()};
        free_gpus.erase(free_gpus.begin());
      }
      task.uses_eni = chance(rng, 0.25);
      tasks.push_back(task);
    }
    std::vector<FleetTask> running;
    for (const FleetTask& task : tasks) {
      if (task.desired_status == "RUNNING") running.push_back(task);
    }
    instance.running_tasks_count = static_cast<std::int64_t>(running.size()) + between(rng, 0, 2);

    // Resources, each listed its own way.
    InstanceResources resources;
    std::int64_t cpu_used = 0, memory_used = 0;
    std::vector<std::uint16_t> tcp_used, udp_used;
    for (const FleetTask& task : running) {
      cpu_used += task.cpu.value_or(0);
      memory_used += task.memory.value_or(0);
      tcp_used = merged(tcp_used, task.tcp_ports);
      udp_used = merged(udp_used, task.udp_ports);
    }
    const std::int64_t cpu = 1024LL * type.vcpus, memory = 1024LL * type.memory_gib - 256;
    const auto amounts = [&](Listing listing, std::optional<std::int64_t>& registered,
                             std::optional<std::int64_t>& remaining, std::int64_t total, std::int64_t used, int step) {
      if (listing == Listing::none) return;
      registered = total;
      if (listing == Listing::remaining) {
        remaining = chance(rng, 0.8) ? std::max<std::int64_t>(0, total - used) : step * between(rng, 0, 6);
      }
    };
    amounts(random_listing(rng, 0.55, 0.3), resources.registered.cpu, resources.remaining.cpu, cpu, cpu_used, 128);
    amounts(random_listing(rng, 0.55, 0.3), resources.registered.memory, resources.remaining.memory, memory,
            memory_used, 256);
    const std::vector<std::uint16_t> agent_ports =
        merged({22, 2375, 2376, 51678, 51679}, some_ports(rng, tcp_vocabulary, 0.1));
    switch (random_listing(rng, 0.6, 0.3)) {
      case Listing::remaining:
        resources.registered.ports = agent_ports;
        resources.remaining.ports = merged(agent_ports, tcp_used);
        break;
      case Listing::registered: resources.registered.ports = agent_ports; break;
      case Listing::none: break;
    }
    switch (random_listing(rng, 0.3, 0.3)) {
      case Listing::remaining:
        resources.registered.ports_udp = std::vector<std::uint16_t>{};
        resources.remaining.ports_udp = udp_used;
        break;
      case Listing::registered: resources.registered.ports_udp = some_ports(rng, udp_vocabulary, 0.2); break;
      case Listing::none: break;
    }
    if (type.gpus > 0) {
      // GPUs as INTEGER or as a STRINGSET of device ids, remaining listed or derived.
      if (chance(rng, 0.5)) {
        resources.registered.gpu_ids = gpu_ids;
        resources.registered.gpus = type.gpus;
      } else {
        resources.registered.gpus = type.gpus;
      }
      switch (random_listing(rng, 0.5, 0.5)) {
        case Listing::remaining:
          if (chance(rng, 0.5)) {
            resources.remaining.gpu_ids.assign(free_gpus.begin(), free_gpus.end());
            resources.remaining.gpus = static_cast<std::int64_t>(free_gpus.size());
            if (free_gpus.empty()) resources.remaining.gpus = 0;
          } else {
            resources.remaining.gpus = static_cast<std::int64_t>(free_gpus.size());
          }
          break;
        default: break;
      }
    } else if (chance(rng, 0.2)) {
      resources.remaining.gpus = 0;
    }
    data.instances.push_back(std::move(instance));
    data.resources.push_back(std::move(resources));
    for (FleetTask& task : tasks) data.tasks.push_back(std::move(task));
  }
  // A Fargate task: no instance, counted nowhere.
  if (chance(rng, 0.2)) {
    FleetTask fargate;
    fargate.group = "service:web";
    fargate.desired_status = "RUNNING";
    fargate.last_status = "RUNNING";
    fargate.cpu = 256;
    fargate.memory = 512;
    data.tasks.push_back(fargate);
  }
  return data;
}

ConstraintSpec member_of(std::string expression) {
  ConstraintSpec spec;
  spec.kind = ConstraintSpec::Kind::member_of;
  spec.expression = std::move(expression);
  return spec;
}

ConstraintSpec distinct_instance() {
  ConstraintSpec spec;
  spec.kind = ConstraintSpec::Kind::distinct_instance;
  return spec;
}

StrategySpec random_strategy(Rng& rng, bool allow_random) {
  StrategySpec spec;
  const int kind = between(rng, allow_random ? 0 : 1, 8);
  if (kind == 0) {
    spec.type = StrategyType::random;
  } else if (kind <= 2) {
    spec.type = StrategyType::binpack;
    spec.target = kind == 1 ? StrategyTarget::cpu : StrategyTarget::memory;
    spec.field = kind == 1 ? "cpu" : "memory";
  } else {
    spec.type = StrategyType::spread;
    const std::vector<std::string> fields = {"instanceId",
                                             "host",
                                             "attribute:ecs.availability-zone",
                                             "attribute:ecs.instance-type",
                                             "attribute:stack",
                                             "attribute:rack",
                                             "attribute:special",
                                             "attribute:no-such-attribute"};
    spec.field = pick(rng, fields);
    spec.target = spec.field.starts_with("attribute:") ? StrategyTarget::attribute : StrategyTarget::instance_id;
    if (spec.target == StrategyTarget::attribute) spec.attribute = spec.field.substr(10);
  }
  return spec;
}

TaskDemand random_demand(Rng& rng) {
  TaskDemand demand;
  demand.family = pick(rng, std::vector<std::string>{"web", "batch", "worker"});
  demand.cpu = chance(rng, 0.3) ? 0 : 128 * between(rng, 1, 12);
  demand.memory = 128 * between(rng, chance(rng, 0.1) ? 0 : 1, 24);
  const int mode = between(rng, 0, 9);
  demand.network_mode = mode < 5   ? NetworkMode::bridge
                        : mode < 7 ? NetworkMode::host
                        : mode < 9 ? NetworkMode::awsvpc
                                   : NetworkMode::none;
  demand.needs_eni = demand.network_mode == NetworkMode::awsvpc;
  if (demand.network_mode == NetworkMode::bridge || demand.network_mode == NetworkMode::host) {
    if (chance(rng, 0.35)) demand.tcp_ports = some_ports(rng, tcp_vocabulary, 0.35);
    if (chance(rng, 0.1)) demand.udp_ports = some_ports(rng, udp_vocabulary, 0.5);
  }
  if (chance(rng, 0.12)) demand.gpus = between(rng, 1, 2);
  const std::vector<RequiredAttribute> requirable = {
      {"ecs.capability.task-eni", std::nullopt},
      {"com.amazonaws.ecs.capability.docker-remote-api.1.19", std::nullopt},
      {"ecs.os-type", "linux"},
      {"stack", std::nullopt},
      {"ecs.capability.gpu", std::nullopt},
  };
  for (const RequiredAttribute& attribute : requirable) {
    if (chance(rng, 0.12)) demand.required_attributes.push_back(attribute);
  }
  const int constraints = chance(rng, 0.6) ? 0 : between(rng, 1, 2);
  for (int i = 0; i < constraints; ++i) demand.constraints.push_back(member_of(random_expression(rng)));
  return demand;
}

PlacementRequest random_request(Rng& rng, const TaskDemand& demand, bool allow_random) {
  PlacementRequest request;
  const int kind = between(rng, 0, 19);
  request.kind = kind < 9    ? RequestKind::run_task
                 : kind < 18 ? RequestKind::service_replica
                             : RequestKind::service_daemon;
  if (request.kind == RequestKind::run_task) {
    request.count = between(rng, 1, 10);
    if (chance(rng, 0.4)) {
      request.group = pick(rng, std::vector<std::string>{"database", "family:batch", "service:web", "adhoc"});
    }
  } else {
    request.service_name = pick(rng, std::vector<std::string>{"web", "api", "daemon", "new"});
    request.count = chance(rng, 0.05) ? 0 : between(rng, 1, chance(rng, 0.3) ? 80 : 20);
  }
  request.count_given = true;
  const int room = 10 - static_cast<int>(demand.constraints.size());
  const int constraints = chance(rng, 0.4) ? 0 : between(rng, 1, chance(rng, 0.9) ? std::min(room, 2) : room);
  for (int i = 0; i < constraints; ++i) {
    request.constraints.push_back(chance(rng, 0.25) ? distinct_instance() : member_of(random_expression(rng)));
  }
  // RunTask without strategies is `random` (contract §4): only where random is allowed.
  const int strategies = chance(rng, allow_random ? 0.2 : 0.15) ? 0 : between(rng, 1, chance(rng, 0.85) ? 2 : 5);
  for (int i = 0; i < strategies; ++i) request.strategies.push_back(random_strategy(rng, allow_random));
  if (!allow_random && request.kind == RequestKind::run_task && request.strategies.empty()) {
    request.strategies.push_back(random_strategy(rng, false));
  }
  // --count max only where something bounds it: distinctInstance or a host port.
  const bool bounded =
      std::any_of(request.constraints.begin(), request.constraints.end(),
                  [](const ConstraintSpec& c) { return c.kind == ConstraintSpec::Kind::distinct_instance; }) ||
      !demand.tcp_ports.empty();
  if (bounded && request.kind != RequestKind::service_daemon && chance(rng, 0.15)) request.count_max = true;
  return request;
}

// A request that breaks one limit of contract §4: nothing may be placed.
PlacementRequest broken_request(Rng& rng, const TaskDemand& demand) {
  PlacementRequest request = random_request(rng, demand, false);
  request.count_max = false;
  switch (between(rng, 0, 5)) {
    case 0:
      request.kind = RequestKind::run_task;
      request.count = chance(rng, 0.5) ? 11 : 0;
      break;
    case 1:
      while (request.strategies.size() < 6) request.strategies.push_back(random_strategy(rng, false));
      break;
    case 2:
      while (demand.constraints.size() + request.constraints.size() < 11) {
        request.constraints.push_back(distinct_instance());
      }
      break;
    case 3: request.constraints.push_back(member_of("attribute:stack =~ (")); break;
    case 5: {
      StrategySpec spread_memory;  // spread takes no cpu or memory field
      spread_memory.type = StrategyType::spread;
      spread_memory.target = StrategyTarget::memory;
      spread_memory.field = "memory";
      request.strategies.push_back(spread_memory);
      break;
    }
    case 4: {
      ConstraintSpec with_expression = distinct_instance();
      with_expression.expression = "attribute:stack == prod";
      request.constraints.push_back(with_expression);
      break;
    }
  }
  return request;
}

// ---- a case: a fleet and requests placed in turn ------------------------------------------------

struct Step {
  TaskDemand demand;
  PlacementRequest request;
  PlacementOptions options;
};

struct Scenario {
  FleetData fleet;
  std::vector<Step> steps;
};

// The fleet as the reader gives it back from its JSON: what the reproducer's file would give.
std::optional<FleetData> through_json(const FleetData& data) {
  FleetReadResult read = read_fleet_json(reference::fleet_json(data), "fleet.json");
  if (!read.fleet) return std::nullopt;
  return std::move(*read.fleet);
}

// The demand and request as their readers give them back from the reproducer's files.
std::optional<std::pair<TaskDemand, PlacementRequest>> through_readers(const TaskDemand& demand,
                                                                       const PlacementRequest& request) {
  TaskDefinitionInput definition =
      read_task_definition(reference::task_definition_json(demand), "task-definition.json");
  RequestInput read = read_placement_request(reference::request_json(request, demand), "request.json");
  if (!definition.demand || !read.request) return std::nullopt;
  read.request->count_max = request.count_max;
  return std::make_pair(std::move(*definition.demand), std::move(*read.request));
}

Scenario random_scenario(Rng& rng, bool allow_random) {
  Scenario scenario;
  std::optional<FleetData> fleet = through_json(random_fleet(rng));
  REQUIRE(fleet);
  scenario.fleet = std::move(*fleet);
  const int steps = between(rng, 1, 5);
  for (int i = 0; i < steps; ++i) {
    Step step;
    const TaskDemand demand = random_demand(rng);
    if (chance(rng, 0.03)) {
      step.demand = demand;
      step.request = broken_request(rng, demand);
    } else {
      auto read = through_readers(demand, random_request(rng, demand, allow_random));
      INFO(reference::task_definition_json(demand));
      REQUIRE(read);
      step.demand = std::move(read->first);
      step.request = std::move(read->second);
    }
    step.options.seed = rng() % 1000;
    step.options.ties = allow_random && chance(rng, 0.7) ? TieBreak::random : TieBreak::fleet_order;
    scenario.steps.push_back(std::move(step));
  }
  return scenario;
}

struct Run {
  std::optional<std::string> difference;
  std::size_t failing_step = 0;
  std::size_t placed = 0;  // tasks placed by the steps that agreed
};

// Exact comparison: ties in fleet order and no `random` strategy in any step.
Run run_exact(const Scenario& scenario) {
  Run run;
  try {
    Cluster cluster(scenario.fleet);
    reference::ReferenceCluster expected = reference::build_cluster(scenario.fleet, eni_table());
    if ((run.difference = reference::first_difference(reference::state_lines(cluster), reference::state_lines(expected),
                                                      "the cluster built from the fleet"))) {
      return run;
    }
    for (std::size_t s = 0; s < scenario.steps.size(); ++s) {
      const Step& step = scenario.steps[s];
      run.failing_step = s;
      const std::vector<std::string> before = reference::state_lines(cluster);
      const PlacementResult dry = plan(cluster, step.demand, step.request, step.options);
      if ((run.difference =
               reference::first_difference(reference::state_lines(cluster), before, "plan() changed the cluster")))
        return run;
      const PlacementResult result = place(cluster, step.demand, step.request, step.options);
      const reference::ReferenceResult wanted = reference::reference_place(expected, step.demand, step.request);
      if ((run.difference = reference::first_difference(reference::result_lines(result),
                                                        reference::result_lines(wanted), "the result"))) {
        return run;
      }
      if ((run.difference = reference::first_difference(reference::result_lines(dry), reference::result_lines(result),
                                                        "plan() and place() (engine = plan)"))) {
        return run;
      }
      if (!result.has_errors() && result.seed != step.options.seed) {
        run.difference = "the result's seed is not the options' seed";
        return run;
      }
      if ((run.difference = reference::first_difference(reference::state_lines(cluster),
                                                        reference::state_lines(expected), "the cluster afterwards"))) {
        return run;
      }
      run.placed += wanted.tasks.size();
    }
  } catch (const std::exception& e) {
    run.difference = std::string("exception: ") + e.what();
  }
  return run;
}

// Random strategies and ties: filters, best class, failures, determinism and plan() = place().
Run run_random(const Scenario& scenario) {
  Run run;
  try {
    Cluster cluster(scenario.fleet);
    reference::ReferenceCluster expected = reference::build_cluster(scenario.fleet, eni_table());
    for (std::size_t s = 0; s < scenario.steps.size(); ++s) {
      const Step& step = scenario.steps[s];
      run.failing_step = s;
      Cluster again = cluster;
      const PlacementResult dry = plan(cluster, step.demand, step.request, step.options);
      const PlacementResult result = place(cluster, step.demand, step.request, step.options);
      const PlacementResult repeated = place(again, step.demand, step.request, step.options);
      if ((run.difference =
               reference::first_difference(reference::result_lines(repeated), reference::result_lines(result),
                                           "the same seed twice (engine = second)"))) {
        return run;
      }
      if ((run.difference = reference::first_difference(reference::result_lines(dry), reference::result_lines(result),
                                                        "plan() and place() (engine = plan)"))) {
        return run;
      }
      if ((run.difference = reference::check_result(expected, step.demand, step.request, result))) return run;
      if ((run.difference = reference::first_difference(reference::state_lines(cluster),
                                                        reference::state_lines(expected), "the cluster afterwards"))) {
        return run;
      }
      run.placed += result.tasks.size();
    }
  } catch (const std::exception& e) {
    run.difference = std::string("exception: ") + e.what();
  }
  return run;
}

// ---- shrinking and printing a case --------------------------------------------------------------

// Removes instance `index` and its tasks from a fleet.
FleetData without_instance(const FleetData& data, std::size_t index) {
  FleetData out;
  for (std::size_t i = 0; i < data.instances.size(); ++i) {
    if (i == index) continue;
    out.instances.push_back(data.instances[i]);
    out.resources.push_back(data.resources[i]);
  }
  for (const FleetTask& task : data.tasks) {
    if (task.instance == index) continue;
    out.tasks.push_back(task);
    if (task.instance && *task.instance > index) --*out.tasks.back().instance;
  }
  return out;
}

// Drops whatever can go while `fails` still holds: later and earlier steps, instances, tasks,
// constraints, strategies, and extra tasks asked for.
Scenario shrink(Scenario scenario, std::size_t failing_step, const std::function<bool(const Scenario&)>& fails) {
  int budget = 3000;
  const auto attempt = [&](const Scenario& candidate) { return budget-- > 0 && fails(candidate); };
  scenario.steps.resize(failing_step + 1);
  for (bool progress = true; progress && budget > 0;) {
    progress = false;
    for (std::size_t s = 0; s + 1 < scenario.steps.size(); ++s) {
      Scenario candidate = scenario;
      candidate.steps.erase(candidate.steps.begin() + static_cast<std::ptrdiff_t>(s));
      if (attempt(candidate)) scenario = std::move(candidate), progress = true, --s;
    }
    for (std::size_t chunk = std::max<std::size_t>(1, scenario.fleet.instances.size() / 2); chunk >= 1; chunk /= 2) {
      for (std::size_t i = 0; i < scenario.fleet.instances.size();) {
        Scenario candidate = scenario;
        for (std::size_t k = 0; k < chunk && i < candidate.fleet.instances.size(); ++k) {
          candidate.fleet = without_instance(candidate.fleet, i);
        }
        std::optional<FleetData> read = through_json(candidate.fleet);
        if (read) candidate.fleet = std::move(*read);
        if (read && attempt(candidate)) {
          scenario = std::move(candidate), progress = true;
        } else {
          i += chunk;
        }
      }
      if (chunk == 1) break;
    }
    for (std::size_t t = 0; t < scenario.fleet.tasks.size();) {
      Scenario candidate = scenario;
      candidate.fleet.tasks.erase(candidate.fleet.tasks.begin() + static_cast<std::ptrdiff_t>(t));
      std::optional<FleetData> read = through_json(candidate.fleet);
      if (read && (candidate.fleet = std::move(*read), attempt(candidate))) {
        scenario = std::move(candidate), progress = true;
      } else {
        ++t;
      }
    }
    for (std::size_t s = 0; s < scenario.steps.size(); ++s) {
      const auto try_each = [&](auto list) {
        for (std::size_t k = 0; k < list(scenario.steps[s]).size();) {
          Scenario candidate = scenario;
          auto& items = list(candidate.steps[s]);
          items.erase(items.begin() + static_cast<std::ptrdiff_t>(k));
          if (attempt(candidate)) {
            scenario = std::move(candidate), progress = true;
          } else {
            ++k;
          }
        }
      };
      try_each([](Step & step) -> auto& { return step.request.constraints; });
      try_each([](Step & step) -> auto& { return step.demand.constraints; });
      try_each([](Step & step) -> auto& { return step.request.strategies; });
      try_each([](Step & step) -> auto& { return step.demand.required_attributes; });
      while (scenario.steps[s].request.count > 1) {
        Scenario candidate = scenario;
        --candidate.steps[s].request.count;
        if (!attempt(candidate)) break;
        scenario = std::move(candidate), progress = true;
      }
    }
  }
  return scenario;
}

// The case as files for `ecsq place` in a directory of its own under the temporary directory
// (Catch wraps long lines, which would break the JSON if it were only printed), and how to run them.
std::string reproducer(const Scenario& scenario) {
  const std::filesystem::path directory = std::filesystem::temp_directory_path() / "ecsq-placement-reproducer";
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(directory / name) << text;
    return (directory / name).string();
  };
  std::string out = "reproducer (each step runs on the fleet the steps before it left):\n";
  out += "fleet: " + write("fleet.json", reference::fleet_json(scenario.fleet));
  for (std::size_t s = 0; s < scenario.steps.size(); ++s) {
    const Step& step = scenario.steps[s];
    const std::string td =
        write(fmt::format("step{}-task-definition.json", s), reference::task_definition_json(step.demand));
    const std::string request =
        write(fmt::format("step{}-request.json", s), reference::request_json(step.request, step.demand));
    out += fmt::format("\nstep {}: ecsq place --fleet {} --task-definition {} --{} {}{} --seed {} --ties {}", s,
                       (directory / "fleet.json").string(), td,
                       step.request.kind == RequestKind::run_task ? "run-task" : "service", request,
                       step.request.count_max ? " --count max" : "", step.options.seed,
                       step.options.ties == TieBreak::fleet_order ? "fleet-order" : "random");
  }
  return out;
}

// Runs cases from `seed` until `wanted` tasks were placed; on the first difference, shrinks it and
// fails with the reproducer.
void differential(std::uint64_t seed, bool allow_random, std::size_t wanted, std::size_t max_cases,
                  const std::function<Run(const Scenario&)>& run_case) {
  Rng rng(seed);
  std::size_t placed = 0, cases = 0;
  while (placed < wanted && cases < max_cases) {
    const Scenario scenario = random_scenario(rng, allow_random);
    ++cases;
    const Run run = run_case(scenario);
    if (run.difference) {
      // Shrink while the same check fails (the first line names it), not merely any check.
      const auto check_of = [](const std::string& difference) { return difference.substr(0, difference.find('\n')); };
      const std::string failing_check = check_of(*run.difference);
      const Scenario small = shrink(scenario, run.failing_step, [&](const Scenario& s) {
        const Run r = run_case(s);
        return r.difference && check_of(*r.difference) == failing_check;
      });
      const Run again = run_case(small);
      INFO("case " << cases << " of seed " << seed << ", step " << run.failing_step << ": " << *run.difference);
      INFO("shrunk to " << small.fleet.instances.size() << " instances, " << small.steps.size()
                        << " steps: " << again.difference.value_or("(the shrunk case passes)"));
      INFO(reproducer(small));
      FAIL("the engine and the reference differ");
    }
    placed += run.placed;
  }
  INFO(cases << " cases");
  REQUIRE(placed >= wanted);
}

}  // namespace

TEST_CASE("placement differential: the engine places exactly as the reference with ties in fleet order",
          "[placement][differential]") {
  REQUIRE(eni_table().size() > 1000);
  // At least 10,000 placed tasks (contract tests, issue 12); a fixed seed keeps CI reproducible.
  differential(20261130 + Catch::rngSeed(), false, 10000, 4000, run_exact);
}

TEST_CASE("placement differential: random strategies and ties place only where every filter passes, the same way twice",
          "[placement][differential]") {
  REQUIRE(eni_table().size() > 1000);
  differential(7 + Catch::rngSeed(), true, 3000, 2000, run_random);
}

namespace {

// A fleet written as describe-container-instances JSON: instances `i-N` with ARN id `ciN`, ACTIVE
// and connected unless said otherwise, each `fields` text spliced into its object.
FleetData fleet_of(const std::vector<std::string>& fields, const std::string& tasks = "") {
  std::string json = "{\"containerInstances\": [";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    json += fmt::format(
        "{}{{\"ec2InstanceId\": \"i-{}\", \"containerInstanceArn\": "
        "\"arn:aws:ecs:us-east-1:123456789012:container-instance/c1/ci{}\", {}"
        "\"agentConnected\": true, {}}}",
        i ? ", " : "", i, i, fields[i].find("\"status\"") == std::string::npos ? "\"status\": \"ACTIVE\", " : "",
        fields[i]);
  }
  json += "], \"tasks\": [" + tasks + "]}";
  FleetReadResult read = read_fleet_json(json, "fleet.json");
  INFO(json);
  REQUIRE(read.fleet);
  return std::move(*read.fleet);
}

std::string resources(std::int64_t cpu, std::int64_t memory, const std::string& extra = "") {
  return fmt::format(
      "\"remainingResources\": [{{\"name\": \"CPU\", \"type\": \"INTEGER\", \"integerValue\": {}}}, "
      "{{\"name\": \"MEMORY\", \"type\": \"INTEGER\", \"integerValue\": {}}}{}]",
      cpu, memory, extra);
}

TaskDemand needing(std::int64_t cpu, std::int64_t memory) {
  TaskDemand demand;
  demand.family = "web";
  demand.cpu = cpu;
  demand.memory = memory;
  return demand;
}

PlacementRequest run_task(std::int64_t count, std::vector<StrategySpec> strategies) {
  PlacementRequest request;
  request.count = count;
  request.strategies = std::move(strategies);
  return request;
}

StrategySpec binpack(StrategyTarget target) {
  StrategySpec spec;
  spec.type = StrategyType::binpack;
  spec.target = target;
  spec.field = target == StrategyTarget::cpu ? "cpu" : "memory";
  return spec;
}

std::vector<std::size_t> instances_of(const reference::ReferenceResult& result) {
  std::vector<std::size_t> out;
  for (const PlacedTask& task : result.tasks) out.push_back(task.instance);
  return out;
}

// The reference's answer on one request; the engine must give the same (run_exact).
reference::ReferenceResult reference_and_engine(const FleetData& fleet, const TaskDemand& demand,
                                                const PlacementRequest& request) {
  reference::ReferenceCluster cluster = reference::build_cluster(fleet, eni_table());
  reference::ReferenceResult result = reference::reference_place(cluster, demand, request);
  Scenario scenario{fleet, {Step{demand, request, PlacementOptions{0, TieBreak::fleet_order}}}};
  const Run engine = run_exact(scenario);
  if (engine.difference) {  // the reproducer's files are written only then
    INFO(*engine.difference);
    INFO(reproducer(scenario));
    FAIL_CHECK("the engine and the reference differ");
  }
  return result;
}

}  // namespace

TEST_CASE("the reference placer follows the contract's worked examples", "[placement][differential]") {
  SECTION("W3: an exact fit fits; W2: the next task fails on CPU, closest in fleet order") {
    const FleetData fleet = fleet_of({resources(1024, 4096), resources(768, 4096)});
    const auto result = reference_and_engine(fleet, needing(512, 128), run_task(4, {binpack(StrategyTarget::cpu)}));
    CHECK(instances_of(result) == std::vector<std::size_t>{1, 0, 0});
    REQUIRE(result.failures.size() == 1);
    CHECK(result.failures[0].index == 3);
    CHECK(result.failures[0].reason == "RESOURCE:CPU");
    CHECK(result.failures[0].arn == "arn:aws:ecs:us-east-1:123456789012:container-instance/c1/ci0");
    CHECK(result.rejections_task == 3);
    CHECK(result.rejections[static_cast<std::size_t>(PlacementFilter::cpu)] == 2);
  }
  SECTION("W18: binpack(memory) takes the least memory that fits") {
    const FleetData fleet = fleet_of({resources(4096, 6144), resources(4096, 2048), resources(4096, 4096)});
    const auto result = reference_and_engine(fleet, needing(0, 1024), run_task(1, {binpack(StrategyTarget::memory)}));
    CHECK(instances_of(result) == std::vector<std::size_t>{1});
    CHECK(result.tasks[0].memory_left == 1024);
  }
  SECTION("W8 and section 5: memory fails before ports; the service event names the closest instance") {
    const FleetData fleet = fleet_of(
        {resources(2048, 3717, ", {\"name\": \"PORTS\", \"type\": \"STRINGSET\", \"stringSetValue\": [\"1935\"]}")});
    TaskDemand demand = needing(0, 4096);
    demand.network_mode = NetworkMode::host;
    demand.tcp_ports = {1935};
    PlacementRequest request;
    request.kind = RequestKind::service_replica;
    request.service_name = "web";
    const auto result = reference_and_engine(fleet, demand, request);
    REQUIRE(result.failures.size() == 1);
    CHECK(result.failures[0].reason == "RESOURCE:MEMORY");
    REQUIRE(result.events.size() == 1);
    CHECK(result.events[0] ==
          "(service web) was unable to place a task because no container instance met all of its requirements. The "
          "closest matching (container-instance ci0) has insufficient memory available. For more information, see the "
          "Troubleshooting section of the Amazon ECS Developer Guide.");
  }
  SECTION("W11: distinctInstance counts a RUNNING task of the group; the closest passed the most filters") {
    const FleetData fleet = fleet_of(
        {resources(100, 4096), resources(4096, 4096)},
        "{\"containerInstanceArn\": \"arn:aws:ecs:us-east-1:123456789012:container-instance/c1/ci1\", \"group\": "
        "\"family:web\", \"desiredStatus\": \"RUNNING\", \"lastStatus\": \"RUNNING\"}");
    PlacementRequest request = run_task(1, {binpack(StrategyTarget::cpu)});
    request.constraints.push_back(distinct_instance());
    const auto result = reference_and_engine(fleet, needing(512, 128), request);
    REQUIRE(result.failures.size() == 1);
    CHECK(result.failures[0].instance == InstanceId{1});
    CHECK(result.failures[0].reason == "DistinctInstance placement constraint unsatisfied.");
  }
  SECTION("W10: the REPLICA default spreads over zones, then instances") {
    const auto in_zone = [](const char* zone) {
      return resources(4096, 4096) + ", \"attributes\": [{\"name\": \"ecs.availability-zone\", \"value\": \"" + zone +
             "\"}]";
    };
    const FleetData fleet = fleet_of(
        {in_zone("a"), in_zone("b"), in_zone("b"), in_zone("c")},
        "{\"containerInstanceArn\": \"arn:aws:ecs:us-east-1:123456789012:container-instance/c1/ci0\", \"group\": "
        "\"service:web\", \"desiredStatus\": \"RUNNING\", \"lastStatus\": \"RUNNING\"}");
    PlacementRequest request;
    request.kind = RequestKind::service_replica;
    request.service_name = "web";
    request.count = 5;
    const auto result = reference_and_engine(fleet, needing(0, 0), request);
    // Zone counts a1 b0 c0: b (ci1 first in fleet order), then c; at a1 b1 c1 the instances
    // decide (ci2 has none); then a and c tie at 1 (ci0 first), then c.
    CHECK(instances_of(result) == std::vector<std::size_t>{1, 3, 2, 0, 3});
  }
  SECTION("--count max stops at 100,000 tasks when nothing fills (docs/placement.md E17)") {
    const FleetData fleet = fleet_of({"\"attributes\": []"});
    PlacementRequest request;
    request.kind = RequestKind::service_replica;
    request.service_name = "web";
    request.count_max = true;
    const auto result = reference_and_engine(fleet, needing(0, 0), request);
    CHECK(result.tasks.size() == 100000);
    CHECK(result.failures.empty());
    request.count_max = false;
    request.count = 100001;
    CHECK(reference_and_engine(fleet, needing(0, 0), request).input_error);
  }
  SECTION("a strategy whose type and field do not go together is an input error") {
    const FleetData fleet = fleet_of({resources(4096, 4096)});
    StrategySpec binpack_instance = binpack(StrategyTarget::cpu);
    binpack_instance.target = StrategyTarget::instance_id;
    binpack_instance.field = "instanceId";
    CHECK(reference_and_engine(fleet, needing(0, 0), run_task(1, {binpack_instance})).input_error);
  }
  SECTION("no ACTIVE instance: MISSING with no ARN") {
    const FleetData fleet = fleet_of({resources(4096, 4096) + ", \"status\": \"DRAINING\""});
    const auto result = reference_and_engine(fleet, needing(0, 0), run_task(2, {binpack(StrategyTarget::cpu)}));
    REQUIRE(result.failures.size() == 2);
    CHECK(result.failures[1].reason == "MISSING");
    CHECK(result.failures[1].arn.empty());
    CHECK(result.rejections == std::array<std::size_t, placement_filter_count>{});
  }
}
