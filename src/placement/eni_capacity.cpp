// ENI capacity lookups over the table compiled from data/eni-capacity.tsv.
// Design: the table is a constant-initialized array sorted by instance type (checked when CMake
// generates it and again by static_assert), so a lookup is a binary search with no start-up
// work, no allocation and nothing to synchronize between threads.
#include "placement/eni_capacity.hpp"

#include <algorithm>

namespace ecsq::detail {

std::optional<EniCapacity> eni_capacity(std::string_view instance_type) noexcept {
  const auto table = eni_capacity_table();
  const auto it = std::lower_bound(
      table.begin(), table.end(), instance_type,
      [](const EniTableRow& row, std::string_view type) { return row.instance_type < type; });
  if (it == table.end() || it->instance_type != instance_type) return std::nullopt;
  EniCapacity capacity;
  capacity.max_network_interfaces = it->max_network_interfaces;
  if (it->trunk_task_limit != 0) capacity.trunk_task_limit = it->trunk_task_limit;
  return capacity;
}

std::optional<std::uint32_t> awsvpc_task_capacity(std::string_view instance_type,
                                                  bool trunked) noexcept {
  const auto capacity = eni_capacity(instance_type);
  if (!capacity) return std::nullopt;
  if (trunked && capacity->trunk_task_limit) return *capacity->trunk_task_limit;
  // Untrunked, the primary interface takes one slot. A trunk on a type the table says ECS cannot
  // trunk means the sources are older than the instance's support; its exact limit is unknown,
  // but the trunk carries at least one branch ENI for the slot it takes, so the untrunked count
  // is a floor the instance surely reaches. The table guarantees at least one interface.
  return capacity->max_network_interfaces - 1U;
}

}  // namespace ecsq::detail
