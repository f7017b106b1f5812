// The overlay of one placement run (see run_state.hpp): a change record per instance that
// received a task, indexed by slot, so an untouched instance costs one compare to read.
#include "placement/run_state.hpp"

#include <algorithm>

namespace ecsq::detail {

namespace {

std::int64_t minus(std::int64_t left, std::int64_t need) {
  if (left == Cluster::unlimited) return left;
  return need >= left ? 0 : left - need;
}

void take(std::vector<std::uint16_t>& taken, const std::vector<std::uint16_t>& ports) {
  if (ports.empty()) return;
  taken.insert(taken.end(), ports.begin(), ports.end());
  std::sort(taken.begin(), taken.end());
  taken.erase(std::unique(taken.begin(), taken.end()), taken.end());
}

}  // namespace

RunState::RunState(const Cluster& cluster, const TaskDemand& demand, std::string_view group,
                   std::vector<std::uint32_t>& change_index)
    : cluster_(cluster),
      demand_(demand),
      group_id_(cluster.fleet().task_groups().find(group)),
      change_index_(change_index) {
  change_index_.clear();
}

std::uint32_t RunState::fleet_group_tasks(InstanceId id) const noexcept {
  if (!group_id_) return 0;
  const std::span<const TaskCount> counts = fleet().task_counts(id);
  const auto it = std::lower_bound(counts.begin(), counts.end(), *group_id_,
                                   [](const TaskCount& c, std::uint32_t group) { return c.group < group; });
  return it != counts.end() && it->group == *group_id_ ? it->count : 0;
}

void RunState::record(InstanceId id) {
  if (change_index_.empty()) change_index_.assign(fleet().slot_count(), no_change);
  if (change_index_[id] == no_change) {
    Change fresh;
    fresh.cpu = cpu(id);
    fresh.memory = memory(id);
    fresh.gpus = gpus(id);
    fresh.enis = enis(id);
    const auto tcp = tcp_ports(id);
    fresh.tcp_ports.assign(tcp.begin(), tcp.end());
    const auto udp = udp_ports(id);
    fresh.udp_ports.assign(udp.begin(), udp.end());
    change_index_[id] = static_cast<std::uint32_t>(changes_.size());
    changes_.push_back(std::move(fresh));
  }
  Change& c = changes_[change_index_[id]];
  c.cpu = minus(c.cpu, demand_.cpu);
  c.memory = minus(c.memory, demand_.memory);
  c.gpus = c.gpus > demand_.gpus ? c.gpus - demand_.gpus : 0;
  if (demand_.needs_eni) c.enis = minus(c.enis, 1);
  take(c.tcp_ports, demand_.tcp_ports);
  take(c.udp_ports, demand_.udp_ports);
  ++c.placed;
}

}  // namespace ecsq::detail
