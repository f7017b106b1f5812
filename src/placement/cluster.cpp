// Cluster: a Fleet plus per-slot columns of what is left for new tasks (contract §1, §2, §6a).
// Design: amounts are plain int64 columns with `unlimited` as the largest value, so the engine's
// fit test is one compare and binpack ranks unlimited instances last without a special case.
// Ports stay per-slot sorted vectors: an instance holds a handful (the agent's reserved ports and
// its tasks' static host ports), so a binary search in a small vector is the cheapest test.
#include "ecsq/cluster.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "ecsq/placement.hpp"
#include "placement/eni_capacity.hpp"

namespace ecsq {

namespace {

constexpr std::int64_t unlimited = Cluster::unlimited;

std::int64_t amount_or_unlimited(const std::optional<std::int64_t>& amount) {
  return amount ? std::max<std::int64_t>(*amount, 0) : unlimited;
}

std::optional<std::int64_t> limited(std::int64_t amount) {
  if (amount == unlimited) return std::nullopt;
  return amount;
}

void sort_unique(std::vector<std::uint16_t>& ports) {
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
}

// a - b, saturating at 0 (a task list that claims more than was registered leaves nothing).
std::int64_t minus(std::int64_t a, std::int64_t b) { return b >= a ? 0 : a - b; }

// a + b without passing `unlimited`.
std::int64_t plus(std::int64_t a, std::int64_t b) { return b > unlimited - a ? unlimited - 1 : a + b; }

// What the RUNNING tasks on one instance hold.
struct TasksHeld {
  std::int64_t cpu = 0;
  std::int64_t memory = 0;
  std::vector<std::uint16_t> tcp_ports;
  std::vector<std::uint16_t> udp_ports;
  std::vector<std::string> gpu_ids;
  std::int64_t enis = 0;
};

bool desired_running(const FleetTask& task) { return task.desired_status == "RUNNING"; }

// Contract §6a, one resource at a time: remaining when listed, else registered minus the tasks.
InstanceCapacity capacity_from(const Instance& instance, const InstanceResources& resources, const TasksHeld& held) {
  InstanceCapacity out;
  const ResourceAmounts& remaining = resources.remaining;
  const ResourceAmounts& registered = resources.registered;
  if (remaining.cpu) out.cpu = std::max<std::int64_t>(*remaining.cpu, 0);
  else if (registered.cpu) out.cpu = minus(*registered.cpu, held.cpu);
  if (remaining.memory) out.memory = std::max<std::int64_t>(*remaining.memory, 0);
  else if (registered.memory) out.memory = minus(*registered.memory, held.memory);

  const auto ports_of = [](const std::optional<std::vector<std::uint16_t>>& left,
                           const std::optional<std::vector<std::uint16_t>>& reserved,
                           const std::vector<std::uint16_t>& tasks) {
    if (left) return *left;
    std::vector<std::uint16_t> taken = reserved.value_or(std::vector<std::uint16_t>{});
    if (reserved) taken.insert(taken.end(), tasks.begin(), tasks.end());
    sort_unique(taken);
    return taken;
  };
  out.tcp_ports = ports_of(remaining.ports, registered.ports, held.tcp_ports);
  out.udp_ports = ports_of(remaining.ports_udp, registered.ports_udp, held.udp_ports);

  if (remaining.gpus) {
    out.gpus = std::max<std::int64_t>(*remaining.gpus, 0);
  } else if (!registered.gpu_ids.empty()) {
    // Device ids: the registered ones no RUNNING task holds.
    out.gpus = static_cast<std::int64_t>(std::count_if(
        registered.gpu_ids.begin(), registered.gpu_ids.end(), [&](const std::string& id) {
          return !std::binary_search(held.gpu_ids.begin(), held.gpu_ids.end(), id);
        }));
  } else if (registered.gpus) {
    out.gpus = minus(*registered.gpus, static_cast<std::int64_t>(held.gpu_ids.size()));
  }

  const std::optional<std::string_view> type = instance.attribute_value("ecs.instance-type");
  const bool trunked = instance.find_attribute("ecs.awsvpc-trunk-id") != nullptr;
  if (const auto slots = type ? detail::awsvpc_task_capacity(*type, trunked) : std::nullopt) {
    out.enis = minus(static_cast<std::int64_t>(*slots), held.enis);
  }
  return out;
}

}  // namespace

Cluster::Cluster() = default;

Cluster::Cluster(const FleetData& data) : fleet_(data.instances) {
  std::vector<TasksHeld> held(data.instances.size());
  // Per (instance, group): RUNNING tasks, for the fleet's task counts.
  std::map<std::pair<std::size_t, std::string_view>, std::uint32_t> counts;
  for (const FleetTask& task : data.tasks) {
    if (!task.instance || *task.instance >= held.size() || !desired_running(task)) continue;
    TasksHeld& h = held[*task.instance];
    h.cpu = plus(h.cpu, task.cpu.value_or(0));
    h.memory = plus(h.memory, task.memory.value_or(0));
    h.tcp_ports.insert(h.tcp_ports.end(), task.tcp_ports.begin(), task.tcp_ports.end());
    h.udp_ports.insert(h.udp_ports.end(), task.udp_ports.begin(), task.udp_ports.end());
    h.gpu_ids.insert(h.gpu_ids.end(), task.gpu_ids.begin(), task.gpu_ids.end());
    if (task.uses_eni) ++h.enis;
    if (!task.group.empty()) ++counts[{*task.instance, task.group}];
  }
  for (const auto& [key, count] : counts) {
    fleet_.set_task_count(static_cast<InstanceId>(key.first), key.second, count);
  }
  resize_columns(fleet_.slot_count());
  for (std::size_t i = 0; i < data.instances.size(); ++i) {
    std::sort(held[i].gpu_ids.begin(), held[i].gpu_ids.end());
    const InstanceResources none;
    const InstanceResources& resources = i < data.resources.size() ? data.resources[i] : none;
    assign_capacity(static_cast<InstanceId>(i), capacity_from(data.instances[i], resources, held[i]));
  }
}

void Cluster::resize_columns(std::size_t slots) {
  if (slots <= cpu_.size()) return;
  cpu_.resize(slots, unlimited);
  memory_.resize(slots, unlimited);
  gpus_.resize(slots, 0);
  enis_.resize(slots, unlimited);
  tcp_ports_.resize(slots);
  udp_ports_.resize(slots);
}

void Cluster::assign_capacity(InstanceId id, const InstanceCapacity& capacity) {
  cpu_[id] = amount_or_unlimited(capacity.cpu);
  memory_[id] = amount_or_unlimited(capacity.memory);
  gpus_[id] = std::max<std::int64_t>(capacity.gpus, 0);
  enis_[id] = amount_or_unlimited(capacity.enis);
  tcp_ports_[id] = capacity.tcp_ports;
  sort_unique(tcp_ports_[id]);
  udp_ports_[id] = capacity.udp_ports;
  sort_unique(udp_ports_[id]);
}

InstanceId Cluster::add(const Instance& instance, const InstanceCapacity& capacity) {
  const InstanceId id = fleet_.add(instance);
  resize_columns(fleet_.slot_count());
  assign_capacity(id, capacity);
  return id;
}

bool Cluster::remove(InstanceId id) {
  if (!fleet_.remove(id)) return false;
  if (id < cpu_.size()) assign_capacity(id, InstanceCapacity{});
  return true;
}

bool Cluster::set_capacity(InstanceId id, const InstanceCapacity& capacity) {
  if (!fleet_.contains(id)) return false;
  resize_columns(fleet_.slot_count());
  assign_capacity(id, capacity);
  return true;
}

bool Cluster::start_task(InstanceId id, const TaskDemand& demand, std::string_view group) {
  if (!fleet_.contains(id)) return false;
  resize_columns(fleet_.slot_count());
  if (cpu_[id] != unlimited) cpu_[id] = minus(cpu_[id], demand.cpu);
  if (memory_[id] != unlimited) memory_[id] = minus(memory_[id], demand.memory);
  gpus_[id] = minus(gpus_[id], demand.gpus);
  if (demand.needs_eni && enis_[id] != unlimited) enis_[id] = minus(enis_[id], 1);
  auto take = [](std::vector<std::uint16_t>& taken, const std::vector<std::uint16_t>& ports) {
    taken.insert(taken.end(), ports.begin(), ports.end());
    sort_unique(taken);
  };
  take(tcp_ports_[id], demand.tcp_ports);
  take(udp_ports_[id], demand.udp_ports);
  fleet_.start_task(id, group);
  return true;
}

bool Cluster::stop_task(InstanceId id, const TaskDemand& demand, std::string_view group) {
  if (!fleet_.contains(id) || fleet_.task_count(id, group) == 0) return false;
  resize_columns(fleet_.slot_count());
  if (cpu_[id] != unlimited) cpu_[id] = plus(cpu_[id], demand.cpu);
  if (memory_[id] != unlimited) memory_[id] = plus(memory_[id], demand.memory);
  gpus_[id] = plus(gpus_[id], demand.gpus);
  if (demand.needs_eni && enis_[id] != unlimited) enis_[id] = plus(enis_[id], 1);
  auto release = [](std::vector<std::uint16_t>& taken, const std::vector<std::uint16_t>& ports) {
    std::erase_if(taken, [&](std::uint16_t port) { return std::find(ports.begin(), ports.end(), port) != ports.end(); });
  };
  release(tcp_ports_[id], demand.tcp_ports);
  release(udp_ports_[id], demand.udp_ports);
  fleet_.stop_task(id, group);
  return true;
}

InstanceCapacity Cluster::capacity(InstanceId id) const {
  InstanceCapacity out;
  if (!fleet_.contains(id)) return out;
  out.cpu = cpu_left(id);
  out.memory = memory_left(id);
  const auto tcp = tcp_ports(id);
  out.tcp_ports.assign(tcp.begin(), tcp.end());
  const auto udp = udp_ports(id);
  out.udp_ports.assign(udp.begin(), udp.end());
  out.gpus = gpus_left(id);
  out.enis = enis_left(id);
  return out;
}

std::optional<std::int64_t> Cluster::cpu_left(InstanceId id) const noexcept {
  if (!fleet_.contains(id) || id >= cpu_.size()) return std::nullopt;
  return limited(cpu_[id]);
}

std::optional<std::int64_t> Cluster::memory_left(InstanceId id) const noexcept {
  if (!fleet_.contains(id) || id >= memory_.size()) return std::nullopt;
  return limited(memory_[id]);
}

std::span<const std::uint16_t> Cluster::tcp_ports(InstanceId id) const noexcept {
  if (!fleet_.contains(id) || id >= tcp_ports_.size()) return {};
  return tcp_ports_[id];
}

std::span<const std::uint16_t> Cluster::udp_ports(InstanceId id) const noexcept {
  if (!fleet_.contains(id) || id >= udp_ports_.size()) return {};
  return udp_ports_[id];
}

std::int64_t Cluster::gpus_left(InstanceId id) const noexcept {
  if (!fleet_.contains(id) || id >= gpus_.size()) return 0;
  return gpus_[id];
}

std::optional<std::int64_t> Cluster::enis_left(InstanceId id) const noexcept {
  if (!fleet_.contains(id) || id >= enis_.size()) return std::nullopt;
  return limited(enis_[id]);
}

}  // namespace ecsq
