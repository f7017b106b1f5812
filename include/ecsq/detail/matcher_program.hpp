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
  attribute_pending, ///< an attribute the fleet had not named at compile: test_pending
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

/// The head of a published table: which (generation, size) it covers, as one word
/// (generation << 32 | size); the results of one comparison per dictionary code (1 = true)
/// follow it in memory (table_values). Entries below the size never change; a table that grows
/// within its capacity publishes the larger size after writing the entries; a table for another
/// generation, or one that outgrows its capacity, is a new buffer. Buffers live as long as the
/// Matcher, since a reader may still hold one. A reader that loads a table reads the coverage from
/// that same buffer, so it can never pair a size with another buffer.
struct ValueTable {
  std::atomic<std::uint64_t> coverage{0};
};

[[nodiscard]] inline const std::uint8_t* table_values(const ValueTable* table) noexcept {
  return reinterpret_cast<const std::uint8_t*>(table + 1);
}

/// Covers nothing: what a table leaf reads before its first refresh.
inline const ValueTable empty_table{};

/// The current table of a table leaf.
struct ValueCache {
  std::atomic<const ValueTable*> table{&empty_table};
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

/// An attribute_pending leaf: the column once a refresh has found the name, else a lookup by name.
[[nodiscard]] bool test_pending(const Leaf& leaf, const Fleet& fleet, InstanceId id) noexcept;

/// A table leaf on `code`, whose table must be for `generation` (the fleet's task-group set
/// generation for task-group tables, 0 for the others).
[[nodiscard]] inline bool test_cached(const Leaf& leaf, const Fleet& fleet, std::uint32_t code,
                                      std::uint32_t generation = 0) noexcept {
  const ValueTable* table = leaf.cache->table.load(std::memory_order_acquire);
  const std::uint64_t coverage = table->coverage.load(std::memory_order_acquire);
  if (code < static_cast<std::uint32_t>(coverage) && (coverage >> 32) == generation) [[likely]] {
    return table_values(table)[code] != 0;
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
    case LeafKind::attribute_pending: return test_pending(leaf, fleet, id);
    case LeafKind::ec2_eq: return fleet.ec2_instance_id_codes()[id] == leaf.code;
    case LeafKind::ec2_in: return in4(leaf.codes, fleet.ec2_instance_id_codes()[id]);
    case LeafKind::ec2_table: return test_cached(leaf, fleet, fleet.ec2_instance_id_codes()[id]);
    case LeafKind::group_table:
      return test_cached(leaf, fleet, fleet.task_group_set_codes()[id], fleet.task_group_set_generation());
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
