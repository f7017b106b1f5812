// The reference placer (placement_reference.hpp): contract §2-§6a as plainly as it can be written,
// to be obviously right rather than fast. Every task scans every instance through every filter
// (ecsq::evaluate for memberOf), sorts all survivors by their strategy keys and fleet order, and
// updates plain per-instance fields. The placer never looks at the engine's code or its Cluster;
// only the judging functions near the end read a Cluster, through its public accessors.
#include "placement_reference.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "ecsq/diagnostic.hpp"
#include "ecsq/evaluate.hpp"

namespace ecsq::reference {

namespace {

constexpr std::int64_t unlimited_key = std::numeric_limits<std::int64_t>::max();

// The project's choice (docs/placement.md, E17): at most 100,000 tasks per request; `--count max`
// stops there when instances never fill.
constexpr std::int64_t max_tasks = 100000;

std::size_t tasks_asked(const PlacementRequest& request) {
  return static_cast<std::size_t>(request.count_max ? max_tasks : std::max<std::int64_t>(0, request.count));
}

bool is_active(const ReferenceInstance& instance) { return instance.instance.status == "ACTIVE"; }

std::int64_t tasks_of(const ReferenceInstance& instance, std::string_view group) {
  const auto it = instance.tasks_per_group.find(group);
  return it == instance.tasks_per_group.end() ? 0 : it->second;
}

bool contains(const std::vector<std::uint16_t>& sorted, std::uint16_t port) {
  return std::binary_search(sorted.begin(), sorted.end(), port);
}

void add_ports(std::vector<std::uint16_t>& taken, const std::vector<std::uint16_t>& ports) {
  taken.insert(taken.end(), ports.begin(), ports.end());
  std::sort(taken.begin(), taken.end());
  taken.erase(std::unique(taken.begin(), taken.end()), taken.end());
}

// §6a: remaining when listed, else registered minus the RUNNING tasks (not below 0), else unlimited.
std::optional<std::int64_t> amount_left(const std::optional<std::int64_t>& remaining,
                                        const std::optional<std::int64_t>& registered, std::int64_t used) {
  if (remaining) return remaining;
  if (registered) return std::max<std::int64_t>(0, *registered - used);
  return std::nullopt;
}

std::vector<std::uint16_t> ports_taken(const std::optional<std::vector<std::uint16_t>>& remaining,
                                       const std::optional<std::vector<std::uint16_t>>& registered,
                                       const std::vector<const FleetTask*>& running, bool udp) {
  if (remaining) return *remaining;
  if (!registered) return {};
  std::vector<std::uint16_t> taken = *registered;
  for (const FleetTask* task : running) add_ports(taken, udp ? task->udp_ports : task->tcp_ports);
  return taken;
}

std::int64_t gpus_left(const InstanceResources& resources, const std::vector<const FleetTask*>& running) {
  if (resources.remaining.gpus) return *resources.remaining.gpus;
  if (!resources.registered.gpus) return 0;
  const std::vector<std::string>& registered_ids = resources.registered.gpu_ids;
  if (!registered_ids.empty()) {
    std::int64_t free = 0;
    for (const std::string& id : registered_ids) {
      bool used = false;
      for (const FleetTask* task : running) {
        used = used || std::find(task->gpu_ids.begin(), task->gpu_ids.end(), id) != task->gpu_ids.end();
      }
      free += used ? 0 : 1;
    }
    return free;
  }
  std::int64_t used = 0;
  for (const FleetTask* task : running) used += static_cast<std::int64_t>(task->gpu_ids.size());
  return std::max<std::int64_t>(0, *resources.registered.gpus - used);
}

std::optional<std::int64_t> enis_left(const Instance& instance, const EniTable& table,
                                      const std::vector<const FleetTask*>& running) {
  const std::optional<std::string_view> type = instance.attribute_value("ecs.instance-type");
  if (!type) return std::nullopt;
  const auto row = table.find(*type);
  if (row == table.end()) return std::nullopt;
  const bool trunked = instance.find_attribute("ecs.awsvpc-trunk-id") != nullptr;
  std::int64_t capacity = row->second.max_network_interfaces - 1;
  if (trunked && row->second.trunk_task_limit) capacity = *row->second.trunk_task_limit;
  for (const FleetTask* task : running) capacity -= task->uses_eni ? 1 : 0;
  return std::max<std::int64_t>(0, capacity);
}

StrategySpec strategy(StrategyType type, StrategyTarget target, std::string field, std::string attribute = {}) {
  StrategySpec spec;
  spec.type = type;
  spec.target = target;
  spec.field = std::move(field);
  spec.attribute = std::move(attribute);
  return spec;
}

// The spread value of an instance: its attribute's value; missing and value-less share nullopt.
std::optional<std::string> spread_value(const ReferenceInstance& instance, const StrategySpec& spec) {
  const std::optional<std::string_view> value = instance.instance.attribute_value(spec.attribute);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

PlacedTask placed_at(const ReferenceCluster& cluster, std::size_t task, std::size_t index, const std::string& group) {
  const ReferenceInstance& instance = cluster.instances[index];
  PlacedTask placed;
  placed.index = task;
  placed.instance = static_cast<InstanceId>(index);
  placed.container_instance_arn = instance.instance.container_instance_arn;
  placed.ec2_instance_id = instance.instance.ec2_instance_id;
  placed.group = group;
  placed.cpu_left = instance.cpu;
  placed.memory_left = instance.memory;
  return placed;
}

void add_failure(ReferenceResult& result, const ReferenceRequest& request, PlacementFailure failure) {
  if (request.request->kind != RequestKind::run_task) {
    result.events.push_back(event_text(request.request->service_name, failure));
  }
  result.failures.push_back(std::move(failure));
}

// DAEMON (§4, §6a): each ACTIVE instance without a RUNNING task of the service, in fleet order.
ReferenceResult place_daemon(ReferenceCluster& cluster, const ReferenceRequest& request) {
  ReferenceResult result;
  std::vector<bool> runs_it(cluster.instances.size());
  for (std::size_t index = 0; index < cluster.instances.size(); ++index) {
    runs_it[index] = tasks_of(cluster.instances[index], request.group) > 0;
  }
  const Candidates tried = candidates(cluster, request, [&](std::size_t index) { return !runs_it[index]; });
  result.rejections = tried.rejections;
  for (const std::size_t index : tried.survivors) {
    record_task(cluster, index, request);
    result.tasks.push_back(placed_at(cluster, result.tasks.size(), index, request.group));
  }
  // A failure only when no instance at all could take the daemon: none ACTIVE (MISSING), or
  // every instance tried failed a filter.
  const bool any_active = std::any_of(cluster.instances.begin(), cluster.instances.end(), is_active);
  if (!any_active || (tried.closest && tried.survivors.empty())) {
    add_failure(result, request, failure_of(cluster, 0, tried));
  }
  return result;
}

}  // namespace

EniTable load_eni_table(const std::string& path) {
  EniTable table;
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    std::string type, interfaces, trunk;
    std::getline(fields, type, '\t');
    std::getline(fields, interfaces, '\t');
    std::getline(fields, trunk, '\t');
    EniLimits limits;
    limits.max_network_interfaces = std::stoll(interfaces);
    if (!trunk.empty()) limits.trunk_task_limit = std::stoll(trunk);
    table.emplace(type, limits);
  }
  return table;
}

ReferenceCluster build_cluster(const FleetData& data, const EniTable& enis) {
  ReferenceCluster cluster;
  for (std::size_t index = 0; index < data.instances.size(); ++index) {
    std::vector<const FleetTask*> running;
    for (const FleetTask& task : data.tasks) {
      if (task.instance == index && task.desired_status == "RUNNING") running.push_back(&task);
    }
    const InstanceResources& resources = data.resources[index];
    std::int64_t cpu_used = 0, memory_used = 0;
    for (const FleetTask* task : running) {
      cpu_used += task->cpu.value_or(0);
      memory_used += task->memory.value_or(0);
    }
    ReferenceInstance instance;
    instance.instance = data.instances[index];
    instance.cpu = amount_left(resources.remaining.cpu, resources.registered.cpu, cpu_used);
    instance.memory = amount_left(resources.remaining.memory, resources.registered.memory, memory_used);
    instance.tcp_ports = ports_taken(resources.remaining.ports, resources.registered.ports, running, false);
    instance.udp_ports = ports_taken(resources.remaining.ports_udp, resources.registered.ports_udp, running, true);
    instance.gpus = gpus_left(resources, running);
    instance.enis = enis_left(instance.instance, enis, running);
    for (const FleetTask* task : running) {
      if (!task->group.empty()) ++instance.tasks_per_group[task->group];
    }
    cluster.instances.push_back(std::move(instance));
  }
  return cluster;
}

ReferenceRequest resolve(const TaskDemand& demand, const PlacementRequest& request) {
  ReferenceRequest out;
  out.demand = &demand;
  out.request = &request;
  out.group = request.kind != RequestKind::run_task ? "service:" + request.service_name
              : request.group                       ? *request.group
                                                    : "family:" + demand.family;
  out.strategies = request.strategies;
  if (request.kind == RequestKind::service_daemon) {
    out.strategies.clear();
  } else if (out.strategies.empty() && request.kind == RequestKind::run_task) {
    out.strategies = {strategy(StrategyType::random, StrategyTarget::none, "")};
  } else if (out.strategies.empty()) {
    out.strategies = {strategy(StrategyType::spread, StrategyTarget::attribute, "attribute:ecs.availability-zone",
                               "ecs.availability-zone"),
                      strategy(StrategyType::spread, StrategyTarget::instance_id, "instanceId")};
  }
  // §4 limits.
  if (request.kind == RequestKind::run_task && !request.count_max && (request.count < 1 || request.count > 10)) {
    out.input_error = true;
  }
  if (request.kind == RequestKind::service_replica && (request.count < 0 || request.count > max_tasks)) {
    out.input_error = true;
  }
  if (request.strategies.size() > 5) out.input_error = true;
  for (const StrategySpec& spec : request.strategies) {
    const bool valid = spec.type == StrategyType::random ? spec.target == StrategyTarget::none
                       : spec.type == StrategyType::binpack
                           ? spec.target == StrategyTarget::cpu || spec.target == StrategyTarget::memory
                           : spec.target == StrategyTarget::instance_id ||
                                 (spec.target == StrategyTarget::attribute && !spec.attribute.empty());
    if (!valid) out.input_error = true;
  }
  if (demand.constraints.size() + request.constraints.size() > 10) out.input_error = true;
  const auto add_constraint = [&](const ConstraintSpec& spec, bool in_request) {
    if (spec.kind == ConstraintSpec::Kind::distinct_instance) {
      if (!in_request || !spec.expression.empty()) out.input_error = true;
      out.distinct_instance = true;
      return;
    }
    CheckResult checked = check(spec.expression);
    if (spec.expression.size() > 2000 || !checked.ok()) {
      out.input_error = true;
      return;
    }
    out.member_of.push_back(std::move(*checked.query));
  };
  for (const ConstraintSpec& spec : demand.constraints) add_constraint(spec, false);
  for (const ConstraintSpec& spec : request.constraints) add_constraint(spec, true);
  return out;
}

std::optional<PlacementFilter> first_failure(const ReferenceCluster& cluster, std::size_t index,
                                             const ReferenceRequest& request) {
  const ReferenceInstance& at = cluster.instances[index];
  const TaskDemand& demand = *request.demand;
  if (!at.instance.agent_connected) return PlacementFilter::agent;
  for (const RequiredAttribute& required : demand.required_attributes) {
    const Attribute* attribute = at.instance.find_attribute(required.name);
    if (attribute == nullptr || (required.value && attribute->value != required.value)) {
      return PlacementFilter::attribute;
    }
  }
  if (at.cpu && *at.cpu < demand.cpu) return PlacementFilter::cpu;
  if (at.memory && *at.memory < demand.memory) return PlacementFilter::memory;
  for (const std::uint16_t port : demand.tcp_ports) {
    if (contains(at.tcp_ports, port)) return PlacementFilter::ports;
  }
  for (const std::uint16_t port : demand.udp_ports) {
    if (contains(at.udp_ports, port)) return PlacementFilter::ports_udp;
  }
  if (at.gpus < demand.gpus) return PlacementFilter::gpu;
  if (demand.needs_eni && at.enis && *at.enis < 1) return PlacementFilter::eni;
  for (const CheckedQuery& query : request.member_of) {
    if (!evaluate(query, at.instance)) return PlacementFilter::member_of;
  }
  if (request.distinct_instance && tasks_of(at, request.group) > 0) return PlacementFilter::distinct_instance;
  return std::nullopt;
}

void record_task(ReferenceCluster& cluster, std::size_t index, const ReferenceRequest& request) {
  ReferenceInstance& at = cluster.instances[index];
  const TaskDemand& demand = *request.demand;
  if (at.cpu) *at.cpu -= demand.cpu;
  if (at.memory) *at.memory -= demand.memory;
  add_ports(at.tcp_ports, demand.tcp_ports);
  add_ports(at.udp_ports, demand.udp_ports);
  at.gpus -= demand.gpus;
  if (demand.needs_eni && at.enis) *at.enis -= 1;
  ++at.tasks_per_group[request.group];
  at.instance.add_task_group(request.group);
  ++at.instance.running_tasks_count;
}

std::vector<std::size_t> best_class(const ReferenceCluster& cluster, const std::vector<std::size_t>& survivors,
                                    const ReferenceRequest& request) {
  // Each survivor's keys, lower is better, then a full sort; std::sort on (keys, index) keeps
  // fleet order among equal keys.
  std::vector<std::pair<std::vector<std::int64_t>, std::size_t>> ranked;
  for (const std::size_t index : survivors) ranked.emplace_back(std::vector<std::int64_t>{}, index);
  for (const StrategySpec& spec : request.strategies) {
    if (spec.type == StrategyType::random) break;
    std::map<std::optional<std::string>, std::int64_t> tasks_per_value;
    if (spec.type == StrategyType::spread && spec.target == StrategyTarget::attribute) {
      for (const ReferenceInstance& instance : cluster.instances) {
        if (is_active(instance)) tasks_per_value[spread_value(instance, spec)] += tasks_of(instance, request.group);
      }
    }
    for (auto& [keys, index] : ranked) {
      const ReferenceInstance& instance = cluster.instances[index];
      if (spec.type == StrategyType::binpack) {
        const std::optional<std::int64_t>& left = spec.target == StrategyTarget::cpu ? instance.cpu : instance.memory;
        keys.push_back(left.value_or(unlimited_key));
      } else if (spec.target == StrategyTarget::attribute) {
        keys.push_back(tasks_per_value[spread_value(instance, spec)]);
      } else {
        keys.push_back(tasks_of(instance, request.group));
      }
    }
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::size_t> best;
  for (const auto& [keys, index] : ranked) {
    if (keys != ranked.front().first) break;
    best.push_back(index);
  }
  return best;
}

PlacementFailure failure_of(const ReferenceCluster& cluster, std::size_t task, const Candidates& candidates) {
  PlacementFailure failure;
  failure.index = task;
  if (!candidates.closest) {
    failure.reason = "MISSING";
    return failure;
  }
  const Instance& instance = cluster.instances[*candidates.closest].instance;
  failure.instance = static_cast<InstanceId>(*candidates.closest);
  failure.arn = instance.container_instance_arn;
  failure.ec2_instance_id = instance.ec2_instance_id;
  failure.filter = candidates.closest_filter;
  failure.reason = std::string(reason_text(*candidates.closest_filter));
  return failure;
}

ReferenceResult reference_place(ReferenceCluster& cluster, const TaskDemand& demand, const PlacementRequest& request) {
  const ReferenceRequest resolved = resolve(demand, request);
  ReferenceResult result;
  if (resolved.input_error) {
    result.input_error = true;
    return result;
  }
  if (request.kind == RequestKind::service_daemon) return place_daemon(cluster, resolved);
  for (const StrategySpec& spec : resolved.strategies) {
    if (spec.type == StrategyType::random) throw std::logic_error("the reference does not place with random");
  }
  bool unplaced_seen = false;
  for (std::size_t task = 0; task < tasks_asked(request); ++task) {
    const Candidates found = candidates(cluster, resolved, [](std::size_t) { return true; });
    if (!unplaced_seen) {
      result.rejections = found.rejections;
      result.rejections_task = task;
    }
    if (found.survivors.empty()) {
      unplaced_seen = true;
      add_failure(result, resolved, failure_of(cluster, task, found));
      if (request.count_max) break;
      continue;
    }
    // Ties in fleet order: the first of the best class.
    const std::size_t chosen = best_class(cluster, found.survivors, resolved).front();
    record_task(cluster, chosen, resolved);
    result.tasks.push_back(placed_at(cluster, task, chosen, resolved.group));
  }
  // No task asked for (desiredCount 0): the project's choice (docs/placement.md, E15) is to
  // report the rejections the first task would meet.
  if (!request.count_max && request.count == 0) {
    result.rejections = candidates(cluster, resolved, [](std::size_t) { return true; }).rejections;
  }
  return result;
}

std::string_view reason_text(PlacementFilter filter) {
  switch (filter) {
    case PlacementFilter::agent: return "AGENT";
    case PlacementFilter::attribute: return "ATTRIBUTE";
    case PlacementFilter::cpu: return "RESOURCE:CPU";
    case PlacementFilter::memory: return "RESOURCE:MEMORY";
    case PlacementFilter::ports: return "RESOURCE:PORTS";
    case PlacementFilter::ports_udp: return "RESOURCE:PORTS_UDP";
    case PlacementFilter::gpu: return "RESOURCE:GPU";
    case PlacementFilter::eni: return "RESOURCE:ENI";
    case PlacementFilter::member_of: return "MemberOf placement constraint unsatisfied.";
    case PlacementFilter::distinct_instance: return "DistinctInstance placement constraint unsatisfied.";
  }
  return "?";
}

std::string event_text(std::string_view service_name, const PlacementFailure& failure) {
  std::string text = "(service " + std::string(service_name) +
                     ") was unable to place a task because no container instance met all of its requirements.";
  if (failure.filter) {
    const std::string_view arn = failure.arn;
    const std::string id = arn.empty() ? failure.ec2_instance_id : std::string(arn.substr(arn.rfind('/') + 1));
    std::string phrase;
    switch (*failure.filter) {
      case PlacementFilter::cpu: phrase = "has insufficient CPU units available"; break;
      case PlacementFilter::memory: phrase = "has insufficient memory available"; break;
      case PlacementFilter::ports:
      case PlacementFilter::ports_udp: phrase = "is already using a port required by your task"; break;
      case PlacementFilter::attribute: phrase = "is missing an attribute required by your task"; break;
      default: phrase = "encountered error \"" + failure.reason + "\"";
    }
    text += " The closest matching (container-instance " + id + ") " + phrase + ".";
  }
  return text + " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
}

// ---- Judging an engine result ---------------------------------------------------------------

namespace {

std::string amount(const std::optional<std::int64_t>& value) { return value ? std::to_string(*value) : "unlimited"; }

std::string ports_text(const std::vector<std::uint16_t>& ports) { return fmt::format("[{}]", fmt::join(ports, ",")); }

std::vector<std::string> fact_lines(bool error, const std::vector<PlacedTask>& tasks,
                                    const std::vector<PlacementFailure>& failures,
                                    const std::vector<std::string>& events,
                                    const std::array<std::size_t, placement_filter_count>& rejections,
                                    std::size_t rejections_task) {
  std::vector<std::string> lines;
  lines.push_back(error ? "input error" : "no input error");
  if (error) return lines;
  for (const PlacedTask& t : tasks) {
    lines.push_back(fmt::format("task {} -> instance {} ({}, {}) group {} cpu left {} memory left {}", t.index,
                                t.instance, t.ec2_instance_id, t.container_instance_arn, t.group, amount(t.cpu_left),
                                amount(t.memory_left)));
  }
  for (const PlacementFailure& f : failures) {
    lines.push_back(fmt::format("failure {}: closest {} ({}, arn '{}') reason {}", f.index,
                                f.instance ? std::to_string(*f.instance) : "none", f.ec2_instance_id, f.arn, f.reason));
  }
  for (const std::string& event : events) lines.push_back("event " + event);
  std::string rejected = fmt::format("rejections at task {}:", rejections_task);
  for (std::size_t filter = 0; filter < placement_filter_count; ++filter) {
    if (rejections[filter]) {
      rejected += fmt::format(" {}={}", reason_text(static_cast<PlacementFilter>(filter)), rejections[filter]);
    }
  }
  lines.push_back(rejected);
  return lines;
}

}  // namespace

std::vector<std::string> result_lines(const PlacementResult& r) {
  return fact_lines(r.has_errors(), r.tasks, r.failures, r.events, r.rejections, r.rejections_task);
}
std::vector<std::string> result_lines(const ReferenceResult& r) {
  return fact_lines(r.input_error, r.tasks, r.failures, r.events, r.rejections, r.rejections_task);
}

std::optional<std::string> first_difference(const std::vector<std::string>& engine,
                                            const std::vector<std::string>& expected, std::string_view what) {
  for (std::size_t i = 0; i < std::max(engine.size(), expected.size()); ++i) {
    const std::string a = i < engine.size() ? engine[i] : "(nothing)";
    const std::string b = i < expected.size() ? expected[i] : "(nothing)";
    if (a != b) return fmt::format("{}:\n  engine:    {}\n  reference: {}", what, a, b);
  }
  return std::nullopt;
}

std::vector<std::string> state_lines(const Cluster& cluster) {
  std::vector<std::string> lines;
  const Fleet& fleet = cluster.fleet();
  for (InstanceId id = 0; id < fleet.slot_count(); ++id) {
    const InstanceCapacity c = cluster.capacity(id);
    std::map<std::string, std::uint32_t> by_name;
    for (const TaskCount& count : fleet.task_counts(id)) {
      by_name[std::string(fleet.task_groups().text(count.group))] = count.count;
    }
    std::string groups;
    for (const auto& [group, count] : by_name) groups += fmt::format(" {}={}", group, count);
    lines.push_back(
        fmt::format("instance {}: cpu {} memory {} tcp {} udp {} gpus {} enis {} runningTasksCount {} tasks{}", id,
                    amount(c.cpu), amount(c.memory), ports_text(c.tcp_ports), ports_text(c.udp_ports), c.gpus,
                    amount(c.enis), fleet.running_tasks_count()[id], groups));
  }
  return lines;
}

std::vector<std::string> state_lines(const ReferenceCluster& cluster) {
  std::vector<std::string> lines;
  for (std::size_t id = 0; id < cluster.instances.size(); ++id) {
    const ReferenceInstance& i = cluster.instances[id];
    std::string groups;
    for (const auto& [group, count] : i.tasks_per_group) {
      if (count > 0) groups += fmt::format(" {}={}", group, count);
    }
    lines.push_back(
        fmt::format("instance {}: cpu {} memory {} tcp {} udp {} gpus {} enis {} runningTasksCount {} tasks{}", id,
                    amount(i.cpu), amount(i.memory), ports_text(i.tcp_ports), ports_text(i.udp_ports), i.gpus,
                    amount(i.enis), i.instance.running_tasks_count, groups));
  }
  return lines;
}

std::optional<std::string> check_result(ReferenceCluster& expected, const TaskDemand& demand,
                                        const PlacementRequest& asked, const PlacementResult& result) {
  const ReferenceRequest request = resolve(demand, asked);
  if (request.input_error || result.has_errors()) {
    if (request.input_error != result.has_errors()) {
      return fmt::format("input error: engine {}, reference {}", result.has_errors(), request.input_error);
    }
    if (!result.tasks.empty() || !result.failures.empty()) return "tasks or failures despite an input error";
    return std::nullopt;
  }
  if (asked.kind == RequestKind::service_daemon) {  // deterministic: strategies and ties do not apply
    return first_difference(result_lines(result), result_lines(reference_place(expected, demand, asked)),
                            "the daemon result");
  }
  std::map<std::size_t, const PlacedTask*> placed;
  std::map<std::size_t, const PlacementFailure*> failed;
  for (const PlacedTask& t : result.tasks) placed[t.index] = &t;
  for (const PlacementFailure& f : result.failures) failed[f.index] = &f;
  if (placed.size() + failed.size() != result.tasks.size() + result.failures.size()) return "a task index twice";
  std::vector<std::string> events;
  std::array<std::size_t, placement_filter_count> rejections{};
  std::size_t rejections_task = 0;
  bool unplaced_seen = false;
  std::size_t visited = 0;
  for (std::size_t task = 0; task < tasks_asked(asked); ++task) {
    const Candidates found = candidates(expected, request, [](std::size_t) { return true; });
    if (!unplaced_seen) {
      rejections = found.rejections;
      rejections_task = task;
    }
    const auto p = placed.find(task);
    const auto f = failed.find(task);
    if (p != placed.end() && f != failed.end()) return fmt::format("task {} both placed and failed", task);
    if (p == placed.end() && f == failed.end()) return fmt::format("task {} neither placed nor failed", task);
    ++visited;
    if (f != failed.end()) {
      if (!found.survivors.empty()) {
        return fmt::format("task {} failed, but instance {} passes every filter", task, found.survivors.front());
      }
      const PlacementFailure want = failure_of(expected, task, found);
      const std::vector<std::string> engine_line = fact_lines(false, {}, {*f->second}, {}, {}, 0);
      const std::vector<std::string> want_line = fact_lines(false, {}, {want}, {}, {}, 0);
      if (auto d = first_difference(engine_line, want_line, "a failure")) return d;
      if (asked.kind != RequestKind::run_task) events.push_back(event_text(asked.service_name, want));
      unplaced_seen = true;
      if (asked.count_max) break;
      continue;
    }
    const PlacedTask& t = *p->second;
    if (t.instance >= expected.instances.size()) {
      return fmt::format("task {} on instance {}: no such instance", task, t.instance);
    }
    if (expected.instances[t.instance].instance.status != "ACTIVE") {
      return fmt::format("task {} on instance {}, which is not ACTIVE", task, t.instance);
    }
    if (const auto filter = first_failure(expected, t.instance, request)) {
      return fmt::format("task {} on instance {}, which fails {}", task, t.instance, reason_text(*filter));
    }
    const std::vector<std::size_t> best = best_class(expected, found.survivors, request);
    if (!std::binary_search(best.begin(), best.end(), static_cast<std::size_t>(t.instance))) {
      return fmt::format("task {} on instance {}, not among the {} the strategies rank best (first {})", task,
                         t.instance, best.size(), best.front());
    }
    record_task(expected, t.instance, request);
    const ReferenceInstance& at = expected.instances[t.instance];
    if (t.group != request.group || t.cpu_left != at.cpu || t.memory_left != at.memory ||
        t.ec2_instance_id != at.instance.ec2_instance_id ||
        t.container_instance_arn != at.instance.container_instance_arn) {
      return fmt::format("task {}: group, identity or resources left differ", task);
    }
  }
  if (visited != placed.size() + failed.size()) return "a task index past the tasks asked for";
  if (!asked.count_max && asked.count == 0) {  // as reference_place: what the first task would meet
    rejections = candidates(expected, request, [](std::size_t) { return true; }).rejections;
  }
  if (auto d = first_difference(result.events, events, "the events")) return d;
  return first_difference(fact_lines(false, {}, {}, {}, result.rejections, result.rejections_task),
                          fact_lines(false, {}, {}, {}, rejections, rejections_task), "the rejections");
}

// ---- Inputs as files -------------------------------------------------------------------------

namespace {

std::string quoted(std::string_view text) { return json_quote(text); }

template <class Items, class Each>
std::string json_list(const Items& items, Each each) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? ", " : "") + each(item);
  return out + "]";
}

std::string port_strings(const std::vector<std::uint16_t>& ports) {
  return json_list(ports, [](std::uint16_t port) { return quoted(std::to_string(port)); });
}

std::string resource_list(const ResourceAmounts& amounts) {
  std::vector<std::string> entries;
  const auto integer = [&](const char* name, const std::optional<std::int64_t>& value) {
    if (value) {
      entries.push_back(std::string("{\"name\": \"") + name +
                        "\", \"type\": \"INTEGER\", \"integerValue\": " + std::to_string(*value) + "}");
    }
  };
  const auto ports = [&](const char* name, const std::optional<std::vector<std::uint16_t>>& value) {
    if (value) {
      entries.push_back(std::string("{\"name\": \"") + name +
                        "\", \"type\": \"STRINGSET\", \"stringSetValue\": " + port_strings(*value) + "}");
    }
  };
  integer("CPU", amounts.cpu);
  integer("MEMORY", amounts.memory);
  ports("PORTS", amounts.ports);
  ports("PORTS_UDP", amounts.ports_udp);
  if (!amounts.gpu_ids.empty()) {
    entries.push_back(
        "{\"name\": \"GPU\", \"type\": \"STRINGSET\", \"stringSetValue\": " + json_list(amounts.gpu_ids, quoted) + "}");
  } else {
    integer("GPU", amounts.gpus);
  }
  return json_list(entries, [](const std::string& entry) { return entry; });
}

std::string instance_json(const Instance& instance, const InstanceResources& resources) {
  std::string out = "{\"ec2InstanceId\": " + quoted(instance.ec2_instance_id);
  if (!instance.container_instance_arn.empty()) {
    out += ", \"containerInstanceArn\": " + quoted(instance.container_instance_arn);
  }
  if (!instance.status.empty()) out += ", \"status\": " + quoted(instance.status);
  out += std::string(", \"agentConnected\": ") + (instance.agent_connected ? "true" : "false");
  if (!instance.agent_version.empty()) {
    out += ", \"versionInfo\": {\"agentVersion\": " + quoted(instance.agent_version) + "}";
  }
  if (instance.registered_at) out += ", \"registeredAt\": " + std::to_string(instance.registered_at->seconds);
  out += ", \"runningTasksCount\": " + std::to_string(instance.running_tasks_count);
  out += ", \"attributes\": " + json_list(instance.attributes(), [](const Attribute& attribute) {
           return "{\"name\": " + quoted(attribute.name) +
                  (attribute.value ? ", \"value\": " + quoted(*attribute.value) : std::string()) + "}";
         });
  out += ",\n   \"registeredResources\": " + resource_list(resources.registered);
  out += ",\n   \"remainingResources\": " + resource_list(resources.remaining);
  return out + "}";
}

std::string task_json(const FleetTask& task) {
  std::string out =
      "{\"desiredStatus\": " + quoted(task.desired_status) + ", \"lastStatus\": " + quoted(task.last_status);
  if (!task.container_instance_arn.empty()) out += ", \"containerInstanceArn\": " + quoted(task.container_instance_arn);
  if (!task.group.empty()) out += ", \"group\": " + quoted(task.group);
  if (!task.task_definition_arn.empty()) out += ", \"taskDefinitionArn\": " + quoted(task.task_definition_arn);
  if (task.cpu) out += ", \"cpu\": " + quoted(std::to_string(*task.cpu));
  if (task.memory) out += ", \"memory\": " + quoted(std::to_string(*task.memory));
  std::vector<std::string> bindings;
  for (const std::uint16_t port : task.tcp_ports) {
    bindings.push_back("{\"hostPort\": " + std::to_string(port) + ", \"protocol\": \"tcp\"}");
  }
  for (const std::uint16_t port : task.udp_ports) {
    bindings.push_back("{\"hostPort\": " + std::to_string(port) + ", \"protocol\": \"udp\"}");
  }
  out += ", \"containers\": [{\"networkBindings\": " + json_list(bindings, [](const std::string& b) { return b; }) +
         ", \"gpuIds\": " + json_list(task.gpu_ids, quoted) + "}]";
  if (task.uses_eni) out += ", \"attachments\": [{\"type\": \"ElasticNetworkInterface\"}]";
  return out + "}";
}

std::string_view mode_text(NetworkMode mode) {
  switch (mode) {
    case NetworkMode::bridge: return "bridge";
    case NetworkMode::host: return "host";
    case NetworkMode::awsvpc: return "awsvpc";
    case NetworkMode::none: return "none";
  }
  return "bridge";
}

std::string_view strategy_text(StrategyType type) {
  switch (type) {
    case StrategyType::random: return "random";
    case StrategyType::spread: return "spread";
    case StrategyType::binpack: return "binpack";
  }
  return "random";
}

std::string constraint_json(const ConstraintSpec& spec) {
  if (spec.kind == ConstraintSpec::Kind::distinct_instance) return "{\"type\": \"distinctInstance\"}";
  return "{\"type\": \"memberOf\", \"expression\": " + quoted(spec.expression) + "}";
}

}  // namespace

std::string fleet_json(const FleetData& data) {
  std::string out = "{\"containerInstances\": [\n  ";
  for (std::size_t index = 0; index < data.instances.size(); ++index) {
    out += (index ? ",\n  " : "") + instance_json(data.instances[index], data.resources[index]);
  }
  out += "],\n \"tasks\": [\n  ";
  for (std::size_t index = 0; index < data.tasks.size(); ++index) {
    out += (index ? ",\n  " : "") + task_json(data.tasks[index]);
  }
  return out + "]}\n";
}

std::string task_definition_json(const TaskDemand& demand) {
  std::string out =
      "{\"family\": " + quoted(demand.family) + ", \"networkMode\": " + quoted(mode_text(demand.network_mode)) +
      ", \"cpu\": " + quoted(std::to_string(demand.cpu)) + ", \"memory\": " + quoted(std::to_string(demand.memory));
  std::vector<std::string> mappings;
  for (const std::uint16_t port : demand.tcp_ports) {
    mappings.push_back("{\"containerPort\": " + std::to_string(port) + ", \"hostPort\": " + std::to_string(port) + "}");
  }
  for (const std::uint16_t port : demand.udp_ports) {
    mappings.push_back("{\"containerPort\": " + std::to_string(port) + ", \"hostPort\": " + std::to_string(port) +
                       ", \"protocol\": \"udp\"}");
  }
  out += ",\n \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app\", \"portMappings\": " +
         json_list(mappings, [](const std::string& m) { return m; });
  if (demand.gpus > 0) {
    out += ", \"resourceRequirements\": [{\"type\": \"GPU\", \"value\": " + quoted(std::to_string(demand.gpus)) + "}]";
  }
  out += "}]";
  if (!demand.required_attributes.empty()) {
    out +=
        ",\n \"requiresAttributes\": " + json_list(demand.required_attributes, [](const RequiredAttribute& a) {
          return "{\"name\": " + quoted(a.name) + (a.value ? ", \"value\": " + quoted(*a.value) : std::string()) + "}";
        });
  }
  if (!demand.constraints.empty()) {
    out += ",\n \"placementConstraints\": " + json_list(demand.constraints, constraint_json);
  }
  return out + "}\n";
}

std::string request_json(const PlacementRequest& request, const TaskDemand& demand) {
  std::string out;
  if (request.kind == RequestKind::run_task) {
    out = "{\"taskDefinition\": " + quoted(demand.family) + ", \"count\": " + std::to_string(request.count);
    if (request.group) out += ", \"group\": " + quoted(*request.group);
  } else {
    out = "{\"serviceName\": " + quoted(request.service_name) + ", \"taskDefinition\": " + quoted(demand.family) +
          ", \"desiredCount\": " + std::to_string(request.count) +
          ", \"schedulingStrategy\": " + (request.kind == RequestKind::service_daemon ? "\"DAEMON\"" : "\"REPLICA\"");
  }
  if (!request.constraints.empty()) {
    out += ",\n \"placementConstraints\": " + json_list(request.constraints, constraint_json);
  }
  if (!request.strategies.empty()) {
    out += ",\n \"placementStrategy\": " + json_list(request.strategies, [](const StrategySpec& spec) {
             return "{\"type\": " + quoted(strategy_text(spec.type)) +
                    (spec.field.empty() ? std::string() : ", \"field\": " + quoted(spec.field)) + "}";
           });
  }
  return out + "}\n";
}

}  // namespace ecsq::reference
