// The program a Matcher runs (matcher.hpp), seen from the header because matches() is inline:
// a leaf per comparison, each reading one Fleet column, and the tests that decide one instance.
// Not API: names here may change with any release.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "ecsq/fleet.hpp"

namespace ecsq {

namespace detail {

/// What a leaf of the compiled program tests; every kind reads one column.
enum class LeafKind : std::uint8_t {
  constant,          ///< `code` is the result
  attribute_eq,      ///< attribute code == `code`
  attribute_in,      ///< attribute code is one of `codes` (2 to 4; unused slots repeat codes[0])
  attribute_exists,  ///< attribute code != missing_code
  attribute_table,   ///< per-value table over attribute codes
  ec2_eq,            ///< ec2InstanceId code == `code`
  ec2_in,            ///< ec2InstanceId code is one of `codes`
  ec2_table,         ///< per-value table over ec2InstanceId codes
  group_table,       ///< per-value table over task-group set codes
  group_exists,      ///< task-group set is not the empty set (code 0)
  connected,         ///< result is bit 0 of `code` when connected, bit 1 when not
  version_table,     ///< per-value table over agentVersion codes
  registered_at,     ///< known and registeredAt `cmp` `number`
  running_count,     ///< runningTasksCount `cmp` `number`
};

enum class Cmp : std::uint8_t { eq, lt, le, gt, ge };

[[nodiscard]] constexpr bool compare(std::int64_t a, Cmp cmp, std::int64_t b) noexcept {
  switch (cmp) {
    case Cmp::eq: return a == b;
    case Cmp::lt: return a < b;
    case Cmp::le: return a <= b;
    case Cmp::gt: return a > b;
    case Cmp::ge: return a >= b;
  }
  return false;
}

/// Results of one comparison per dictionary code (1 = true). Entries below `size` never change
/// once published; a grown table is a new buffer, and old buffers live as long as the Matcher.
struct ValueCache {
  std::atomic<const std::uint8_t*> values{nullptr};
  std::atomic<std::uint32_t> size{0};
};

/// One comparison. `negate` applies to select(); matches() follows on_true/on_false, which
/// already account for it.
struct Leaf {
  LeafKind kind = LeafKind::constant;
  Cmp cmp = Cmp::eq;
  bool negate = false;
  std::uint32_t column = 0;  ///< attribute id
  std::uint32_t code = 0;
  std::array<std::uint32_t, 4> codes{};  ///< short `in` lists: four compares beat a table lookup
  std::int64_t number = 0;
  const ValueCache* cache = nullptr;
  std::uint32_t on_true = 0;   ///< next leaf, or accept/reject
  std::uint32_t on_false = 0;
};

inline constexpr std::uint32_t accept = 0xfffffffeu;
inline constexpr std::uint32_t reject = 0xffffffffu;

/// A table leaf's comparison on a code its table does not cover yet, computed from the text.
[[nodiscard]] bool test_uncached(const Leaf& leaf, const Fleet& fleet, std::uint32_t code) noexcept;

[[nodiscard]] inline bool test_cached(const Leaf& leaf, const Fleet& fleet, std::uint32_t code) noexcept {
  const ValueCache& cache = *leaf.cache;
  // Size first: a size seen here is never larger than the buffer loaded after it.
  if (code < cache.size.load(std::memory_order_acquire)) [[likely]] {
    return cache.values.load(std::memory_order_acquire)[code] != 0;
  }
  return test_uncached(leaf, fleet, code);
}

/// `code` is one of a short `in` list's four codes (Leaf::codes). Bitwise on purpose: four
/// compares without branches, which also lets select() vectorise them.
[[nodiscard]] inline bool in4(const std::array<std::uint32_t, 4>& codes, std::uint32_t code) noexcept {
  const unsigned any = static_cast<unsigned>(code == codes[0]) | static_cast<unsigned>(code == codes[1]) |
                       static_cast<unsigned>(code == codes[2]) | static_cast<unsigned>(code == codes[3]);
  return any != 0;
}

[[nodiscard]] inline bool test(const Leaf& leaf, const Fleet& fleet, InstanceId id) noexcept {
  switch (leaf.kind) {
    case LeafKind::constant: return leaf.code != 0;
    case LeafKind::attribute_eq: return fleet.attribute_code(leaf.column, id) == leaf.code;
    case LeafKind::attribute_in: return in4(leaf.codes, fleet.attribute_code(leaf.column, id));
    case LeafKind::attribute_exists: return fleet.attribute_code(leaf.column, id) != missing_code;
    case LeafKind::attribute_table: return test_cached(leaf, fleet, fleet.attribute_code(leaf.column, id));
    case LeafKind::ec2_eq: return fleet.ec2_instance_id_codes()[id] == leaf.code;
    case LeafKind::ec2_in: return in4(leaf.codes, fleet.ec2_instance_id_codes()[id]);
    case LeafKind::ec2_table: return test_cached(leaf, fleet, fleet.ec2_instance_id_codes()[id]);
    case LeafKind::group_table: return test_cached(leaf, fleet, fleet.task_group_set_codes()[id]);
    case LeafKind::group_exists: return fleet.task_group_set_codes()[id] != 0;
    case LeafKind::connected: return (leaf.code >> (fleet.agent_connected()[id] ? 0 : 1)) & 1;
    case LeafKind::version_table: return test_cached(leaf, fleet, fleet.agent_version_codes()[id]);
    case LeafKind::registered_at:
      return fleet.registered_at_known()[id] && compare(fleet.registered_at()[id], leaf.cmp, leaf.number);
    case LeafKind::running_count: return compare(fleet.running_tasks_count()[id], leaf.cmp, leaf.number);
  }
  return false;
}

}  // namespace detail

}  // namespace ecsq
