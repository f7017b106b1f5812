// How many awsvpc tasks an EC2 instance type can hold (placement contract §2, ENI): a lookup in
// data/eni-capacity.tsv, which CMake compiles into the library (cmake/EniCapacityTable.cmake).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ecsq::detail {

/// One row of data/eni-capacity.tsv as compiled into the library.
struct EniTableRow {
  std::string_view instance_type;
  std::uint16_t max_network_interfaces;  ///< EC2's limit, the primary interface included
  std::uint16_t trunk_task_limit;        ///< awsvpc tasks with ENI trunking; 0 when unsupported
};

/// The network-interface limits ecsq knows for one instance type.
struct EniCapacity {
  std::uint32_t max_network_interfaces = 0;       ///< EC2's limit, the primary interface included
  std::optional<std::uint32_t> trunk_task_limit;  ///< with ENI trunking; none when unsupported
};

/// The compiled table: sorted by instance type, one row per type.
[[nodiscard]] std::span<const EniTableRow> eni_capacity_table() noexcept;

/// The limits for `instance_type` (e.g. "c5.large"); nullopt when the table lacks the type.
[[nodiscard]] std::optional<EniCapacity> eni_capacity(std::string_view instance_type) noexcept;

/// How many awsvpc tasks an empty instance of `instance_type` holds, `trunked` when it has
/// `ecs.awsvpc-trunk-id`; nullopt when the type is not in the table (then it is not limited).
[[nodiscard]] std::optional<std::uint32_t> awsvpc_task_capacity(std::string_view instance_type,
                                                                bool trunked) noexcept;

}  // namespace ecsq::detail
