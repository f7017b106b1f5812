// A cluster as placement sees it: a Fleet (attributes, status, agent, task groups with their
// counts) plus, per instance slot, what is left for new tasks: CPU, memory, host ports per
// protocol, GPUs and ENI attachments (placement contract §1, §2, §6a).
//
//   ecsq::Cluster cluster(fleet_data);                  // from describe-container-instances + describe-tasks
//   ecsq::PlacementResult r = ecsq::place(cluster, demand, request);   // placement.hpp
//
// Resource columns are indexed by InstanceId like the fleet's own columns. Amounts a fleet file
// does not give are unlimited (CPU, MEMORY, ENI) or empty (ports, GPUs), as §6a says.
//
// Threading: as Fleet. plan() (placement.hpp) only reads a Cluster, so several may run at once;
// place(), add(), remove(), start_task() and stop_task() need exclusive access. Each thread that
// plans keeps its per-instance scratch arrays between runs (sized for the largest fleet it has
// planned on), so that a run over a large fleet touches no fresh memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/instance.hpp"

namespace ecsq {

struct TaskDemand;  // placement.hpp

/// What one instance has left for new tasks. An absent amount is unlimited.
struct InstanceCapacity {
  std::optional<std::int64_t> cpu;       ///< CPU units left; nullopt: unlimited
  std::optional<std::int64_t> memory;    ///< MiB left; nullopt: unlimited
  std::vector<std::uint16_t> tcp_ports;  ///< TCP host ports taken (remaining PORTS): sorted, unique
  std::vector<std::uint16_t> udp_ports;  ///< UDP host ports taken (remaining PORTS_UDP): sorted, unique
  std::int64_t gpus = 0;                 ///< free GPUs
  std::optional<std::int64_t> enis;      ///< free ENI attachments for awsvpc tasks; nullopt: not limited

  friend bool operator==(const InstanceCapacity&, const InstanceCapacity&) = default;
};

/// A Fleet plus the resources left on each instance; what place() and plan() work on.
class Cluster {
 public:
  /// An empty cluster.
  Cluster();
  /// The fleet of `data`, instance ids 0..n-1 in input order (fleet order), with per instance and
  /// resource (contract §6a): `remainingResources` when it lists the resource, else
  /// `registeredResources` minus the tasks whose desiredStatus is RUNNING (amounts not below 0;
  /// ports: registered ∪ the tasks' host ports; GPUs: registered minus the tasks' gpuIds), else
  /// CPU/MEMORY unlimited, ports empty, no GPU. ENI: the ENI table's capacity for
  /// `ecs.instance-type` (trunk limit with `ecs.awsvpc-trunk-id`) minus the RUNNING tasks with an
  /// ElasticNetworkInterface attachment; not limited for a type the table lacks. Task-group counts
  /// are the RUNNING tasks per (instance, group) (Fleet::set_task_count); runningTasksCount is
  /// the instance's own field.
  explicit Cluster(const FleetData& data);

  /// Adds an instance (task groups count 1 each, as Fleet::add) with what it has left; returns its id.
  InstanceId add(const Instance& instance, const InstanceCapacity& capacity = {});
  /// Removes instance `id` (its id may be reused by a later add); false if not live.
  bool remove(InstanceId id);
  /// Replaces what instance `id` has left; false if not live. Port lists need not be sorted.
  bool set_capacity(InstanceId id, const InstanceCapacity& capacity);

  /// A task needing `demand` started on `id` in `group`, exactly as place() records a placement:
  /// CPU, memory, GPUs and (awsvpc) an ENI drop, the host ports are taken, Fleet::start_task.
  /// False, changing nothing, if `id` is not live.
  bool start_task(InstanceId id, const TaskDemand& demand, std::string_view group);
  /// The reverse of start_task: resources come back (amounts that were unlimited stay so, the
  /// host ports are freed) and Fleet::stop_task. False, changing nothing, if `id` is not live or
  /// has no task of `group`.
  bool stop_task(InstanceId id, const TaskDemand& demand, std::string_view group);

  /// The fleet: attributes, status, agent, identities and task counts.
  [[nodiscard]] const Fleet& fleet() const noexcept { return fleet_; }
  /// For changes that do not move resources: attributes, status, agent, task counts (e.g.
  /// Fleet::set_status(id, "DRAINING")). Add and remove instances through the Cluster so that the
  /// resource columns stay aligned; an instance added to the fleet directly has unlimited
  /// CPU/MEMORY/ENI, no ports taken and no GPU.
  [[nodiscard]] Fleet& fleet() noexcept { return fleet_; }

  /// What instance `id` has left; all unlimited and empty if `id` is not live.
  [[nodiscard]] InstanceCapacity capacity(InstanceId id) const;
  /// CPU units left on `id`; nullopt when unlimited (or not live). No allocation, like the five below.
  [[nodiscard]] std::optional<std::int64_t> cpu_left(InstanceId id) const noexcept;
  /// MiB left on `id`; nullopt when unlimited.
  [[nodiscard]] std::optional<std::int64_t> memory_left(InstanceId id) const noexcept;
  /// TCP host ports taken on `id`, sorted.
  [[nodiscard]] std::span<const std::uint16_t> tcp_ports(InstanceId id) const noexcept;
  /// UDP host ports taken on `id`, sorted.
  [[nodiscard]] std::span<const std::uint16_t> udp_ports(InstanceId id) const noexcept;
  /// Free GPUs on `id`.
  [[nodiscard]] std::int64_t gpus_left(InstanceId id) const noexcept;
  /// Free ENI attachments on `id`; nullopt when not limited.
  [[nodiscard]] std::optional<std::int64_t> enis_left(InstanceId id) const noexcept;

  // ---- columns, for the engine (src/placement) ----------------------------------------------
  // One entry per slot up to columns_size() (slots added to the fleet directly may lie past it:
  // they read as unlimited/empty). Unlimited amounts are `unlimited`.

  /// The value of an unlimited CPU, memory or ENI column entry.
  static constexpr std::int64_t unlimited = std::numeric_limits<std::int64_t>::max();
  /// Entries in each column (slots past it read as unlimited/empty).
  [[nodiscard]] std::size_t columns_size() const noexcept { return cpu_.size(); }
  /// CPU units left per slot.
  [[nodiscard]] std::span<const std::int64_t> cpu_column() const noexcept { return cpu_; }
  /// MiB left per slot.
  [[nodiscard]] std::span<const std::int64_t> memory_column() const noexcept { return memory_; }
  /// Free GPUs per slot.
  [[nodiscard]] std::span<const std::int64_t> gpu_column() const noexcept { return gpus_; }
  /// Free ENI attachments per slot.
  [[nodiscard]] std::span<const std::int64_t> eni_column() const noexcept { return enis_; }

 private:
  void resize_columns(std::size_t slots);
  void assign_capacity(InstanceId id, const InstanceCapacity& capacity);

  Fleet fleet_;
  std::vector<std::int64_t> cpu_;
  std::vector<std::int64_t> memory_;
  std::vector<std::int64_t> gpus_;
  std::vector<std::int64_t> enis_;
  // Ports per slot; most instances hold only the agent's reserved ports, few enough that a
  // sorted vector beats a set.
  std::vector<std::vector<std::uint16_t>> tcp_ports_;
  std::vector<std::vector<std::uint16_t>> udp_ports_;
};

}  // namespace ecsq
