// A columnar, dictionary-encoded fleet of container instances: what Matcher (matcher.hpp) scans.
//
// Every string is interned once: attribute names, each attribute's values, ec2InstanceIds,
// containerInstanceArns, statuses, agent versions, task groups, and whole task-group sets. An
// instance is a slot id (InstanceId) and each field is a column indexed by it, so a scan touches
// only the columns a query names, and an equality test is an integer compare.
//
// Ids: add() returns a slot id that stays the instance's id until remove(); a removed slot is
// tombstoned (all its cells reset, its bit cleared in live()) and reused by a later add().
// Memory is linear in the cells held: attributes few instances have are stored sparse (see
// attribute_is_dense). add(), update() and remove() cost O(attributes stored densely) plus a hash
// lookup per string; a change to a sparse attribute costs O(instances that have it), which is
// bounded by slot_count()/8. start_task() and stop_task() cost O(groups on the instance) and, once
// the instance's task-group set has been seen, allocate nothing.
//
// Dictionaries: task-group sets are reference counted. When the unused ones outnumber
// max(256, the used ones, slot_count()/8), the next change to a set renumbers the used sets
// densely and bumps task_group_set_generation(); a Matcher notices and rebuilds its task-group
// tables, so this needs nothing from the caller. Every other dictionary only grows: an
// ec2InstanceId or attribute value no instance uses any more keeps its id until compact(), which
// keeps only what live instances use, and gives the fleet a new identity(), so Matchers compiled
// before it must be compiled again (call it between scheduling decisions, e.g. when
// dictionary_size() has doubled since the last compact()).
//
// Threading: like a standard container. Const members may run concurrently with each other (and
// with compile() and a Matcher's members, see matcher.hpp); a mutation (any non-const member)
// needs exclusive access. Spans, views and references returned by accessors are invalidated by the
// next mutation.
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

/// One task group's count on an instance (Fleet::task_counts): `group` is an id into task_groups().
struct TaskCount {
  std::uint32_t group = 0;
  std::uint32_t count = 0;
};

/// Column store of container instances (see the top of this header for ids, dictionaries and threading).
class Fleet {
 public:
  Fleet();
  /// A fleet holding `instances` with ids 0..n-1 in order.
  explicit Fleet(std::span<const Instance> instances);

  // ---- upkeep ------------------------------------------------------------------------------
  /// Adds an instance (ec2InstanceIds and ARNs need not be unique) and returns its id. Each of its
  /// task groups gets a task count of 1; a negative runningTasksCount is stored as 0.
  InstanceId add(const Instance& instance);
  /// Replaces every field of instance `id` (task counts as for add); false if `id` is not live.
  bool update(InstanceId id, const Instance& instance);
  /// Tombstones instance `id` (its id may be reused by a later add); false if not live.
  bool remove(InstanceId id);
  /// Sets (or adds) an attribute; nullopt = present without a value. False if `id` is not live.
  bool set_attribute(InstanceId id, std::string_view name, std::optional<std::string_view> value);
  /// Removes an attribute; false if `id` is not live or had no such attribute.
  bool remove_attribute(InstanceId id, std::string_view name);
  bool set_agent_connected(InstanceId id, bool connected);
  bool set_agent_version(InstanceId id, std::string_view version);
  bool set_registered_at(InstanceId id, std::optional<Instant> registered_at);
  /// Sets runningTasksCount alone (task counts are left as they are); false if `id` is not live or
  /// `count` is negative, which the JSON reader rejects too.
  bool set_running_tasks_count(InstanceId id, std::int64_t count);
  /// Sets the status (ACTIVE, DRAINING, ...); false if `id` is not live.
  bool set_status(InstanceId id, std::string_view status);
  /// Sets the caller's payload; false if `id` is not live.
  bool set_payload(InstanceId id, std::uint64_t payload);

  // ---- tasks -------------------------------------------------------------------------------
  // Each instance keeps a count of tasks per task group. It is in group G (task:group == G,
  // distinctInstance, task_groups() of instance()) exactly while its count for G is above zero.
  //  - start_task / stop_task are what a scheduler calls when it starts or stops a task: the
  //    group's count and runningTasksCount move together, by one.
  //  - The raw setters mirror what AWS reports and leave runningTasksCount alone:
  //    set_task_count (a count from describe-tasks), add_task_group / remove_task_group /
  //    set_task_groups (membership only: counts 1 or 0), set_running_tasks_count (the total only).
  // So after add_task_group(id, G), start_task(id, G) makes G's count 2, and one stop_task leaves
  // the instance in G.

  /// A task of `group` started on `id`: its count and runningTasksCount +1. False if `id` is not live.
  bool start_task(InstanceId id, std::string_view group);
  /// A task of `group` stopped on `id`: its count -1, runningTasksCount -1 (not below 0). False,
  /// changing nothing, if `id` is not live or has no task of `group`.
  bool stop_task(InstanceId id, std::string_view group);
  /// Sets `group`'s count on `id` (0 leaves the group); runningTasksCount unchanged. False if not live.
  bool set_task_count(InstanceId id, std::string_view group, std::uint32_t count);
  /// Adds a task group with count 1; false if `id` is not live or already had it (count unchanged).
  bool add_task_group(InstanceId id, std::string_view group);
  /// Removes a task group (count 0); false if `id` is not live or did not have it.
  bool remove_task_group(InstanceId id, std::string_view group);
  /// Replaces the task groups (any order, duplicates ignored), each with count 1; false if `id` is not live.
  bool set_task_groups(InstanceId id, std::span<const std::string> groups);
  /// Tasks of `group` on `id`; 0 if `id` is not live.
  [[nodiscard]] std::uint32_t task_count(InstanceId id, std::string_view group) const noexcept;
  /// Every group with a count above zero on `id`, by group id; empty if `id` is not live.
  [[nodiscard]] std::span<const TaskCount> task_counts(InstanceId id) const noexcept;

  // ---- interning ---------------------------------------------------------------------------
  // Dictionary entries for texts no instance has yet. compile() (matcher.hpp) does not need them
  // (it reads a const Fleet); they are for hand-written scans. Each is a mutation that only adds a
  // dictionary entry when the text is new: no instance's cells, and so no query's answer, change.

  /// The id of attribute `name` in attribute_names(), adding it (with an empty column) if new.
  std::uint32_t intern_attribute(std::string_view name);
  /// The id of `text` in attribute_values(attribute) (attribute < attribute_names().size()),
  /// adding it if new; the column code for it is first_value_code + this id.
  std::uint32_t intern_attribute_value(std::uint32_t attribute, std::string_view text);
  /// The id of `text` in ec2_instance_ids(), adding it if new.
  std::uint32_t intern_ec2_instance_id(std::string_view text);
  /// The id of `text` in task_groups(), adding it if new.
  std::uint32_t intern_task_group(std::string_view text);

  // ---- identity and compaction -------------------------------------------------------------
  /// Names this fleet's dictionaries, so a Matcher can tell the fleet it was compiled for
  /// (Matcher::compiled_for): process-unique at construction and after compact(); a copy
  /// (constructed or assigned) takes its source's, since it holds the same dictionaries; a
  /// moved-from fleet gets a new one.
  [[nodiscard]] std::uint64_t identity() const noexcept { return identity_.value; }
  /// Bumped each time the task-group sets are renumbered (see the top of this header); Matchers
  /// compare it with the one their task-group tables were built for.
  [[nodiscard]] std::uint32_t task_group_set_generation() const noexcept { return group_set_generation_; }
  /// Entries in all dictionaries together (attribute names and values, ec2InstanceIds, ARNs,
  /// statuses, agent versions, task groups, task-group sets): what compact() shrinks.
  [[nodiscard]] std::size_t dictionary_size() const noexcept;
  /// Rebuilds every dictionary with only what live instances use, keeping instance ids. Codes
  /// change, so identity() changes: Matchers compiled before are no longer compiled_for() this
  /// fleet and must be compiled again. O(cells held).
  void compact();

  // ---- lookup ------------------------------------------------------------------------------
  /// Number of live instances.
  [[nodiscard]] std::size_t size() const noexcept { return live_count_; }
  /// One past the largest id ever handed out: the length of every column and of select's bitset.
  [[nodiscard]] std::uint32_t slot_count() const noexcept { return slots_; }
  [[nodiscard]] bool contains(InstanceId id) const noexcept { return id < slots_ && live_.test(id); }
  /// Live slots.
  [[nodiscard]] const Bitset& live() const noexcept { return live_; }
  /// The live instance with this ec2InstanceId, else the one with this containerInstanceArn (the
  /// lowest id if several share it). No allocation.
  [[nodiscard]] std::optional<InstanceId> find(std::string_view ec2_instance_id_or_arn) const noexcept;
  /// Every field instance `id` was given (by add, update and the setters); nullopt if not live.
  [[nodiscard]] std::optional<Instance> instance(InstanceId id) const;
  /// The ec2InstanceId of `id`; empty if not live. No allocation, like the three below.
  [[nodiscard]] std::string_view ec2_instance_id(InstanceId id) const noexcept;
  /// The containerInstanceArn of `id`; empty if not live.
  [[nodiscard]] std::string_view container_instance_arn(InstanceId id) const noexcept;
  /// The status of `id` (ACTIVE, DRAINING, ...); empty if not live.
  [[nodiscard]] std::string_view status(InstanceId id) const noexcept;
  /// The caller's payload of `id`; 0 if not live.
  [[nodiscard]] std::uint64_t payload(InstanceId id) const noexcept { return contains(id) ? payloads_[id] : 0; }

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
  /// Per slot, an id into container_instance_arns().
  [[nodiscard]] std::span<const std::uint32_t> container_instance_arn_codes() const noexcept { return arn_codes_; }
  [[nodiscard]] const Dictionary& container_instance_arns() const noexcept { return arns_; }
  /// Per slot, an id into statuses().
  [[nodiscard]] std::span<const std::uint32_t> status_codes() const noexcept { return status_codes_; }
  [[nodiscard]] const Dictionary& statuses() const noexcept { return statuses_; }
  /// Per slot, the code of its set of task groups; set 0 is the empty set.
  [[nodiscard]] std::span<const std::uint32_t> task_group_set_codes() const noexcept { return group_set_codes_; }
  /// The sorted ids, in task_groups(), of the groups in set `code` (< task_group_set_count()).
  [[nodiscard]] std::span<const std::uint32_t> task_group_set(std::uint32_t code) const noexcept {
    return group_sets_[code];
  }
  /// Number of set codes, unused ones included: the size a table indexed by set code needs.
  [[nodiscard]] std::uint32_t task_group_set_count() const noexcept {
    return static_cast<std::uint32_t>(group_sets_.size());
  }
  /// Set codes that some live instance has (the empty set always counts).
  [[nodiscard]] std::uint32_t used_task_group_set_count() const noexcept {
    return task_group_set_count() - unused_group_sets_;
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
    void renew() noexcept;
    std::uint64_t value;
  };

  struct AttributeColumn {
    bool dense = false;
    std::vector<std::uint32_t> codes;         // dense: one per slot
    std::vector<InstanceId> sparse_ids;       // sparse: ascending ids that have the attribute
    std::vector<std::uint32_t> sparse_codes;  // sparse: their codes
    Dictionary values;
  };
  // Task-group sets are looked up by a span, so a lookup of a known set allocates nothing.
  struct SetHash {
    using is_transparent = void;
    std::size_t operator()(std::span<const std::uint32_t> set) const noexcept;
  };
  struct SetEqual {
    using is_transparent = void;
    bool operator()(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) const noexcept {
      return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }
  };
  // Ids by the code of their ec2InstanceId or ARN, for find().
  using Index = std::unordered_multimap<std::uint32_t, InstanceId>;

  void set_cell(std::uint32_t attribute, InstanceId id, std::uint32_t code);
  void make_dense(std::uint32_t attribute);
  std::uint32_t intern_version(std::string_view text);
  std::uint32_t intern_group_set(std::span<const std::uint32_t> sorted_groups);
  std::uint32_t count_of(InstanceId id, std::uint32_t group) const noexcept;
  void set_group_count(InstanceId id, std::uint32_t group, std::uint32_t count);
  void use_group_set(InstanceId id, std::uint32_t code);
  void compact_group_sets();
  InstanceId allocate_slot();
  void reset_slot(InstanceId id);
  void assign(InstanceId id, const Instance& instance);
  void unindex(InstanceId id);
  static std::optional<InstanceId> lowest(const Index& index, std::uint32_t code) noexcept;

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
  Index ec2_index_;
  Dictionary arns_;
  std::vector<std::uint32_t> arn_codes_;
  Index arn_index_;  // non-empty ARNs only
  Dictionary statuses_;
  std::vector<std::uint32_t> status_codes_;
  std::vector<std::uint64_t> payloads_;
  Dictionary groups_;
  std::vector<std::vector<TaskCount>> task_counts_;  // per slot, by group id, counts above zero
  std::vector<std::vector<std::uint32_t>> group_sets_;
  std::vector<std::uint32_t> group_set_users_;       // live slots per set code (0 for set 0)
  std::uint32_t unused_group_sets_ = 0;              // codes other than 0 with no users
  std::uint32_t group_set_generation_ = 0;
  std::unordered_map<std::vector<std::uint32_t>, std::uint32_t, SetHash, SetEqual> group_set_index_;
  std::vector<std::uint32_t> group_set_codes_;
  std::vector<std::uint32_t> scratch_set_;  // the next set of one instance, reused

  Bitset live_;
  std::vector<InstanceId> free_;
  std::uint32_t slots_ = 0;
  std::size_t live_count_ = 0;
  Identity identity_;
};

}  // namespace ecsq
