// A columnar, dictionary-encoded fleet of container instances: what Matcher (matcher.hpp) scans.
//
// Every string is interned once: attribute names, each attribute's values, ec2InstanceIds, agent
// versions, task groups, and whole task-group sets. An instance is a slot id (InstanceId) and each
// field is a column indexed by it, so a scan touches only the columns a query names, and an
// equality test is an integer compare.
//
// Ids: add() returns a slot id that stays the instance's id until remove(); a removed slot is
// tombstoned (all its cells reset, its bit cleared in live()) and reused by a later add().
// Dictionaries only grow: values no longer used by any instance keep their ids. Memory is linear
// in the cells held: attributes few instances have are stored sparse (see attribute_is_dense).
// add(), update() and remove() cost O(attributes stored densely) plus a hash lookup per string; a
// change to a sparse attribute costs O(instances that have it), which is bounded by slot_count()/8.
//
// Threading: like a standard container. Const members may run concurrently; a mutation (any
// non-const member, and compile() in matcher.hpp, which interns literals) needs exclusive access.
// Spans and references returned by accessors are invalidated by the next mutation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ecsq/bitset.hpp"
#include "ecsq/dictionary.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/value.hpp"

namespace ecsq {

/// Codes in an attribute column: the attribute is absent, present without a value, or has the
/// value whose id in attribute_values(attribute) is `code - first_value_code`.
inline constexpr std::uint32_t missing_code = 0;
inline constexpr std::uint32_t no_value_code = 1;
inline constexpr std::uint32_t first_value_code = 2;

/// Column store of container instances (see the top of this header for ids and threading).
class Fleet {
 public:
  Fleet();
  /// A fleet holding `instances` with ids 0..n-1 in order.
  explicit Fleet(std::span<const Instance> instances);

  // ---- upkeep ------------------------------------------------------------------------------
  /// Adds an instance (ec2InstanceIds need not be unique) and returns its id.
  InstanceId add(const Instance& instance);
  /// Replaces every field of instance `id`; false if `id` is not live.
  bool update(InstanceId id, const Instance& instance);
  /// Tombstones instance `id` (its id may be reused by a later add); false if not live.
  bool remove(InstanceId id);
  /// Sets (or adds) an attribute; nullopt = present without a value. False if `id` is not live.
  bool set_attribute(InstanceId id, std::string_view name, std::optional<std::string_view> value);
  /// Removes an attribute; false if `id` is not live or had no such attribute.
  bool remove_attribute(InstanceId id, std::string_view name);
  /// Adds a task group; false if `id` is not live or already had it.
  bool add_task_group(InstanceId id, std::string_view group);
  /// Removes a task group; false if `id` is not live or did not have it.
  bool remove_task_group(InstanceId id, std::string_view group);
  /// Replaces the task groups (any order, duplicates ignored); false if `id` is not live.
  bool set_task_groups(InstanceId id, std::span<const std::string> groups);
  bool set_agent_connected(InstanceId id, bool connected);
  bool set_agent_version(InstanceId id, std::string_view version);
  bool set_registered_at(InstanceId id, std::optional<Instant> registered_at);
  bool set_running_tasks_count(InstanceId id, std::int64_t count);

  // ---- interning ---------------------------------------------------------------------------
  // What compile() (matcher.hpp) uses to turn a query's names and literals into codes. Each is
  // a mutation that only adds a dictionary entry when the text is new: no instance's cells, and
  // so no query's answer, change. Ids are those of the dictionaries below.

  /// The id of attribute `name` in attribute_names(), adding it (with an empty column) if new.
  std::uint32_t intern_attribute(std::string_view name);
  /// The id of `text` in attribute_values(attribute) (attribute < attribute_names().size()),
  /// adding it if new; the column code for it is first_value_code + this id.
  std::uint32_t intern_attribute_value(std::uint32_t attribute, std::string_view text);
  /// The id of `text` in ec2_instance_ids(), adding it if new.
  std::uint32_t intern_ec2_instance_id(std::string_view text);
  /// The id of `text` in task_groups(), adding it if new.
  std::uint32_t intern_task_group(std::string_view text);

  // ---- identity --------------------------------------------------------------------------
  /// Names this fleet's dictionaries, so a Matcher can tell the fleet it was compiled for
  /// (Matcher::compiled_for): process-unique at construction; a copy (constructed or assigned)
  /// takes its source's, since it holds the same dictionaries; a moved-from fleet gets a new one.
  [[nodiscard]] std::uint64_t identity() const noexcept { return identity_.value; }

  // ---- lookup ------------------------------------------------------------------------------
  /// Number of live instances.
  [[nodiscard]] std::size_t size() const noexcept { return live_count_; }
  /// One past the largest id ever handed out: the length of every column and of select's bitset.
  [[nodiscard]] std::uint32_t slot_count() const noexcept { return slots_; }
  [[nodiscard]] bool contains(InstanceId id) const noexcept { return id < slots_ && live_.test(id); }
  /// Live slots.
  [[nodiscard]] const Bitset& live() const noexcept { return live_; }
  /// A live instance with this ec2InstanceId (the lowest id if several share it).
  [[nodiscard]] std::optional<InstanceId> find(std::string_view ec2_instance_id) const;
  /// The fields of instance `id` the language can test, as an Instance (ARN and status are not
  /// kept); nullopt if not live.
  [[nodiscard]] std::optional<Instance> instance(InstanceId id) const;

  // ---- columns, for Matcher and for hand-written scans -------------------------------------
  // Column spans have slot_count() entries (tombstoned slots hold reset cells). An attribute is
  // identified by its id in attribute_names().

  /// Attribute names, interned.
  [[nodiscard]] const Dictionary& attribute_names() const noexcept { return attribute_names_; }
  /// Code of attribute `attribute` on instance `id`: missing_code, no_value_code, or
  /// first_value_code + an id into attribute_values(attribute).
  [[nodiscard]] std::uint32_t attribute_code(std::uint32_t attribute, InstanceId id) const noexcept {
    const AttributeColumn& column = attributes_[attribute];
    if (column.dense) return column.codes[id];
    const auto it = std::lower_bound(column.sparse_ids.begin(), column.sparse_ids.end(), id);
    if (it == column.sparse_ids.end() || *it != id) return missing_code;
    return column.sparse_codes[static_cast<std::size_t>(it - column.sparse_ids.begin())];
  }
  /// An attribute that at least one instance in eight has is dense: one code per slot. Rarer
  /// ones are sparse, so a fleet with many one-off attribute names stays linear in size.
  [[nodiscard]] bool attribute_is_dense(std::uint32_t attribute) const noexcept {
    return attributes_[attribute].dense;
  }
  /// A dense attribute's column (slot_count() codes); empty while the attribute is sparse.
  [[nodiscard]] std::span<const std::uint32_t> attribute_codes(std::uint32_t attribute) const noexcept {
    return attributes_[attribute].codes;
  }
  /// A sparse attribute: the ids that have it, ascending, and their codes (both empty when dense).
  struct SparseColumn {
    std::span<const InstanceId> ids;
    std::span<const std::uint32_t> codes;
  };
  [[nodiscard]] SparseColumn sparse_attribute(std::uint32_t attribute) const noexcept {
    return {attributes_[attribute].sparse_ids, attributes_[attribute].sparse_codes};
  }
  /// The values attribute `attribute` has taken.
  [[nodiscard]] const Dictionary& attribute_values(std::uint32_t attribute) const noexcept {
    return attributes_[attribute].values;
  }
  /// 1 if the agent is connected, else 0.
  [[nodiscard]] std::span<const std::uint8_t> agent_connected() const noexcept { return connected_; }
  /// Per slot, an id into agent_versions().
  [[nodiscard]] std::span<const std::uint32_t> agent_version_codes() const noexcept { return version_codes_; }
  [[nodiscard]] const Dictionary& agent_versions() const noexcept { return versions_; }
  /// The parsed agent version of id `code`; nullopt when the text is not a version (or empty).
  [[nodiscard]] const std::optional<Version>& parsed_agent_version(std::uint32_t code) const noexcept {
    return parsed_versions_[code];
  }
  /// Seconds since the epoch; meaningful where registered_at_known() is 1.
  [[nodiscard]] std::span<const std::int64_t> registered_at() const noexcept { return registered_; }
  [[nodiscard]] std::span<const std::uint8_t> registered_at_known() const noexcept { return registered_known_; }
  [[nodiscard]] std::span<const std::int64_t> running_tasks_count() const noexcept { return running_; }
  /// Per slot, an id into ec2_instance_ids().
  [[nodiscard]] std::span<const std::uint32_t> ec2_instance_id_codes() const noexcept { return ec2_codes_; }
  [[nodiscard]] const Dictionary& ec2_instance_ids() const noexcept { return ec2_ids_; }
  /// Per slot, the id of its set of task groups; set 0 is the empty set.
  [[nodiscard]] std::span<const std::uint32_t> task_group_set_codes() const noexcept { return group_set_codes_; }
  /// The sorted ids, in task_groups(), of the groups in set `code`.
  [[nodiscard]] std::span<const std::uint32_t> task_group_set(std::uint32_t code) const noexcept {
    return group_sets_[code];
  }
  [[nodiscard]] std::uint32_t task_group_set_count() const noexcept {
    return static_cast<std::uint32_t>(group_sets_.size());
  }
  [[nodiscard]] const Dictionary& task_groups() const noexcept { return groups_; }

 private:
  // identity(), with its copy and move rules.
  struct Identity {
    Identity() noexcept;
    Identity(const Identity&) noexcept = default;
    Identity(Identity&& other) noexcept;
    Identity& operator=(const Identity&) noexcept = default;
    Identity& operator=(Identity&& other) noexcept;
    ~Identity() = default;
    std::uint64_t value;
  };

  struct AttributeColumn {
    bool dense = false;
    std::vector<std::uint32_t> codes;         // dense: one per slot
    std::vector<InstanceId> sparse_ids;       // sparse: ascending ids that have the attribute
    std::vector<std::uint32_t> sparse_codes;  // sparse: their codes
    Dictionary values;
  };
  struct SetHash {
    std::size_t operator()(const std::vector<std::uint32_t>& set) const noexcept;
  };

  void set_cell(std::uint32_t attribute, InstanceId id, std::uint32_t code);
  void make_dense(std::uint32_t attribute);
  std::uint32_t intern_version(std::string_view text);
  std::uint32_t intern_group_set(std::vector<std::uint32_t> sorted_groups);
  InstanceId allocate_slot();
  void reset_slot(InstanceId id);
  void assign(InstanceId id, const Instance& instance);
  void unindex_ec2(InstanceId id);

  Dictionary attribute_names_;
  std::vector<AttributeColumn> attributes_;
  std::vector<std::uint32_t> dense_attributes_;
  std::vector<std::vector<std::uint32_t>> sparse_by_slot_;  // per slot: the sparse attributes it has
  std::vector<std::uint8_t> connected_;
  Dictionary versions_;
  std::vector<std::optional<Version>> parsed_versions_;
  std::vector<std::uint32_t> version_codes_;
  std::vector<std::int64_t> registered_;
  std::vector<std::uint8_t> registered_known_;
  std::vector<std::int64_t> running_;
  Dictionary ec2_ids_;
  std::vector<std::uint32_t> ec2_codes_;
  std::unordered_multimap<std::uint32_t, InstanceId> ec2_index_;
  Dictionary groups_;
  std::vector<std::vector<std::uint32_t>> group_sets_;
  std::unordered_map<std::vector<std::uint32_t>, std::uint32_t, SetHash> group_set_index_;
  std::vector<std::uint32_t> group_set_codes_;

  Bitset live_;
  std::vector<InstanceId> free_;
  std::uint32_t slots_ = 0;
  std::size_t live_count_ = 0;
  Identity identity_;
};

}  // namespace ecsq
