// What one placement run sees of a cluster: the cluster's columns, and over them the changes made
// by the tasks placed so far in this run. The overlay is what lets plan() work on a const Cluster;
// place() replays the placements on the cluster afterwards (Cluster::start_task), which applies
// exactly the changes record() makes here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"

namespace ecsq::detail {

/// A cluster as the tasks placed so far in one run have left it.
class RunState {
 public:
  /// `demand`, `cluster` and `change_index` (a buffer reused between runs, cleared here) must
  /// outlive the state; `group` is the run's task group.
  RunState(const Cluster& cluster, const TaskDemand& demand, std::string_view group,
           std::vector<std::uint32_t>& change_index);

  [[nodiscard]] const Fleet& fleet() const noexcept { return cluster_.fleet(); }
  [[nodiscard]] const TaskDemand& demand() const noexcept { return demand_; }

  /// CPU units left on `id` (Cluster::unlimited when unlimited).
  [[nodiscard]] std::int64_t cpu(InstanceId id) const noexcept {
    const Change* c = change(id);
    return c ? c->cpu : column(cluster_.cpu_column(), id, Cluster::unlimited);
  }
  /// MiB left on `id`.
  [[nodiscard]] std::int64_t memory(InstanceId id) const noexcept {
    const Change* c = change(id);
    return c ? c->memory : column(cluster_.memory_column(), id, Cluster::unlimited);
  }
  /// Free GPUs on `id`.
  [[nodiscard]] std::int64_t gpus(InstanceId id) const noexcept {
    const Change* c = change(id);
    return c ? c->gpus : column(cluster_.gpu_column(), id, 0);
  }
  /// Free ENI attachments on `id` (Cluster::unlimited when not limited).
  [[nodiscard]] std::int64_t enis(InstanceId id) const noexcept {
    const Change* c = change(id);
    return c ? c->enis : column(cluster_.eni_column(), id, Cluster::unlimited);
  }
  /// TCP host ports taken on `id`, sorted.
  [[nodiscard]] std::span<const std::uint16_t> tcp_ports(InstanceId id) const noexcept {
    const Change* c = change(id);
    return c ? std::span<const std::uint16_t>(c->tcp_ports) : cluster_.tcp_ports(id);
  }
  /// UDP host ports taken on `id`, sorted.
  [[nodiscard]] std::span<const std::uint16_t> udp_ports(InstanceId id) const noexcept {
    const Change* c = change(id);
    return c ? std::span<const std::uint16_t>(c->udp_ports) : cluster_.udp_ports(id);
  }
  /// Tasks of the run's group on `id`: the fleet's count plus those placed in this run.
  [[nodiscard]] std::uint32_t group_tasks(InstanceId id) const noexcept {
    const Change* c = change(id);
    return fleet_group_tasks(id) + (c ? c->placed : 0);
  }
  /// Tasks placed on `id` in this run.
  [[nodiscard]] std::uint32_t placed(InstanceId id) const noexcept {
    const Change* c = change(id);
    return c ? c->placed : 0;
  }

  /// One task of the demand placed on `id`: what Cluster::start_task does, in the overlay.
  void record(InstanceId id);

 private:
  struct Change {
    std::int64_t cpu = 0;
    std::int64_t memory = 0;
    std::int64_t gpus = 0;
    std::int64_t enis = 0;
    std::vector<std::uint16_t> tcp_ports;
    std::vector<std::uint16_t> udp_ports;
    std::uint32_t placed = 0;
  };
  static constexpr std::uint32_t no_change = UINT32_MAX;

  static std::int64_t column(std::span<const std::int64_t> values, InstanceId id, std::int64_t absent) noexcept {
    return id < values.size() ? values[id] : absent;
  }
  [[nodiscard]] const Change* change(InstanceId id) const noexcept {
    if (id >= change_index_.size() || change_index_[id] == no_change) return nullptr;
    return &changes_[change_index_[id]];
  }
  [[nodiscard]] std::uint32_t fleet_group_tasks(InstanceId id) const noexcept;

  const Cluster& cluster_;
  const TaskDemand& demand_;
  std::optional<std::uint32_t> group_id_;    // in fleet().task_groups(); none: no instance has the group
  std::vector<std::uint32_t>& change_index_;  // per slot, sized at the first record()
  std::vector<Change> changes_;
};

}  // namespace ecsq::detail
