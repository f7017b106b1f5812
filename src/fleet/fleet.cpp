// The columnar fleet store: dictionaries, dense and sparse attribute columns, task counts and
// task-group sets. Design: every string is interned once, so a column cell is a 32-bit code and
// equality is an integer compare; attributes few instances have stay sparse (sorted id/code pairs)
// until one instance in eight has them. Task-group sets are reference counted and renumbered in
// bulk when unused ones pile up (a generation tells Matchers), so a long-running scheduler's sets
// stay proportional to its live fleet; the other dictionaries shrink only in compact().
#include "ecsq/fleet.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <utility>

namespace ecsq {

// ---- Fleet -----------------------------------------------------------------------------------

std::size_t Fleet::SetHash::operator()(std::span<const std::uint32_t> set) const noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ set.size();
  for (const std::uint32_t g : set) h = (h ^ g) * 0x100000001b3ull + (h >> 29);
  return static_cast<std::size_t>(h);
}

namespace {

std::uint64_t next_identity() noexcept {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

constexpr std::uint32_t no_code = std::numeric_limits<std::uint32_t>::max();

// A dictionary of the entries of `old` that `used` marks, in their old order; `remap` maps old
// ids to new ones (no_code for dropped entries).
Dictionary kept_entries(const Dictionary& old, const std::vector<std::uint8_t>& used, std::vector<std::uint32_t>& remap) {
  Dictionary kept;
  remap.assign(old.size(), no_code);
  for (std::uint32_t id = 0; id < old.size(); ++id) {
    if (used[id]) remap[id] = kept.intern(old.text(id));
  }
  return kept;
}

// The entries of a dictionary that `codes` uses at the live slots, plus the empty text (the value
// of a tombstoned slot); rewrites `codes` (tombstones included) to the new ids.
Dictionary compact_column(const Dictionary& old, std::vector<std::uint32_t>& codes, const Bitset& live) {
  std::vector<std::uint8_t> used(old.size(), 0);
  for (const InstanceId id : live) used[codes[id]] = 1;
  std::vector<std::uint32_t> remap;
  Dictionary kept = kept_entries(old, used, remap);
  const std::uint32_t empty = kept.intern("");
  for (std::size_t id = 0; id < codes.size(); ++id) codes[id] = live.test(id) ? remap[codes[id]] : empty;
  return kept;
}

}  // namespace

Fleet::Identity::Identity() noexcept : value(next_identity()) {}

// The moved-from fleet's dictionaries went with `other`'s identity; what is left is a new fleet.
Fleet::Identity::Identity(Identity&& other) noexcept : value(other.value) { other.value = next_identity(); }

Fleet::Identity& Fleet::Identity::operator=(Identity&& other) noexcept {
  if (this != &other) {
    value = other.value;
    other.value = next_identity();
  }
  return *this;
}

void Fleet::Identity::renew() noexcept { value = next_identity(); }

Fleet::Fleet() {
  // Set 0 is the empty set, so "no task groups" is code 0 in every fleet.
  intern_group_set({});
  unused_group_sets_ = 0;
}

Fleet::Fleet(std::span<const Instance> instances) : Fleet() {
  connected_.reserve(instances.size());
  version_codes_.reserve(instances.size());
  registered_.reserve(instances.size());
  registered_known_.reserve(instances.size());
  running_.reserve(instances.size());
  ec2_codes_.reserve(instances.size());
  arn_codes_.reserve(instances.size());
  status_codes_.reserve(instances.size());
  payloads_.reserve(instances.size());
  task_counts_.reserve(instances.size());
  group_set_codes_.reserve(instances.size());
  for (const Instance& instance : instances) add(instance);
}

std::uint32_t Fleet::intern_attribute(std::string_view name) {
  const std::uint32_t id = attribute_names_.intern(name);
  if (id == attributes_.size()) attributes_.emplace_back();  // sparse and empty: costs nothing per slot
  return id;
}

std::uint32_t Fleet::intern_attribute_value(std::uint32_t attribute, std::string_view text) {
  return attributes_[attribute].values.intern(text);
}

std::uint32_t Fleet::intern_ec2_instance_id(std::string_view text) { return ec2_ids_.intern(text); }

std::uint32_t Fleet::intern_task_group(std::string_view text) { return groups_.intern(text); }

// A sparse column turns dense once one instance in eight has the attribute: from then on a
// dense column is at most 8x the cells it holds, and a sparse one never costs per slot.
void Fleet::set_cell(std::uint32_t attribute, InstanceId id, std::uint32_t code) {
  AttributeColumn& column = attributes_[attribute];
  if (column.dense) {
    column.codes[id] = code;
    return;
  }
  const auto it = std::lower_bound(column.sparse_ids.begin(), column.sparse_ids.end(), id);
  const auto pos = it - column.sparse_ids.begin();
  const bool present = it != column.sparse_ids.end() && *it == id;
  if (code == missing_code) {
    if (!present) return;
    column.sparse_ids.erase(it);
    column.sparse_codes.erase(column.sparse_codes.begin() + pos);
    std::vector<std::uint32_t>& mine = sparse_by_slot_[id];
    mine.erase(std::find(mine.begin(), mine.end(), attribute));
    return;
  }
  if (present) {
    column.sparse_codes[static_cast<std::size_t>(pos)] = code;
    return;
  }
  column.sparse_ids.insert(it, id);
  column.sparse_codes.insert(column.sparse_codes.begin() + pos, code);
  sparse_by_slot_[id].push_back(attribute);
  if (column.sparse_ids.size() >= 32 && column.sparse_ids.size() * 8 > slots_) make_dense(attribute);
}

void Fleet::make_dense(std::uint32_t attribute) {
  AttributeColumn& column = attributes_[attribute];
  column.codes.assign(slots_, missing_code);
  for (std::size_t i = 0; i < column.sparse_ids.size(); ++i) {
    const InstanceId id = column.sparse_ids[i];
    column.codes[id] = column.sparse_codes[i];
    std::vector<std::uint32_t>& mine = sparse_by_slot_[id];
    mine.erase(std::find(mine.begin(), mine.end(), attribute));
  }
  column.sparse_ids = {};
  column.sparse_codes = {};
  column.dense = true;
  dense_attributes_.push_back(attribute);
}

std::uint32_t Fleet::intern_version(std::string_view text) {
  const std::uint32_t id = versions_.intern(text);
  if (id == parsed_versions_.size()) parsed_versions_.push_back(parse_version(text));
  return id;
}

// A new set starts unused; use_group_set() counts the instance that asked for it.
std::uint32_t Fleet::intern_group_set(std::span<const std::uint32_t> sorted_groups) {
  if (const auto it = group_set_index_.find(sorted_groups); it != group_set_index_.end()) return it->second;
  const auto code = static_cast<std::uint32_t>(group_sets_.size());
  group_sets_.emplace_back(sorted_groups.begin(), sorted_groups.end());
  group_set_users_.push_back(0);
  ++unused_group_sets_;
  group_set_index_.emplace(group_sets_.back(), code);
  return code;
}

// Moves instance `id` to set `code`, counting users; renumbers the sets once unused ones pile up.
void Fleet::use_group_set(InstanceId id, std::uint32_t code) {
  const std::uint32_t old = group_set_codes_[id];
  if (old == code) return;
  if (old != 0 && --group_set_users_[old] == 0) ++unused_group_sets_;
  if (code != 0 && group_set_users_[code]++ == 0) --unused_group_sets_;
  group_set_codes_[id] = code;
  // Renumbering costs O(slots + sets); the bound makes it O(1) per set that fell out of use.
  const std::size_t bound = std::max<std::size_t>({256, used_task_group_set_count(), slots_ / 8});
  if (unused_group_sets_ > bound) compact_group_sets();
}

void Fleet::compact_group_sets() {
  std::vector<std::uint32_t> remap(group_sets_.size(), no_code);
  std::vector<std::vector<std::uint32_t>> kept;
  std::vector<std::uint32_t> users;
  kept.reserve(group_sets_.size() - unused_group_sets_);
  users.reserve(group_sets_.size() - unused_group_sets_);
  for (std::uint32_t code = 0; code < group_sets_.size(); ++code) {
    if (code != 0 && group_set_users_[code] == 0) {
      group_set_index_.erase(group_sets_[code]);
      continue;
    }
    remap[code] = static_cast<std::uint32_t>(kept.size());
    kept.push_back(std::move(group_sets_[code]));
    users.push_back(group_set_users_[code]);
  }
  for (auto& [set, code] : group_set_index_) code = remap[code];
  for (std::uint32_t& code : group_set_codes_) code = remap[code];
  group_sets_ = std::move(kept);
  group_set_users_ = std::move(users);
  unused_group_sets_ = 0;
  group_set_index_.rehash(0);
  ++group_set_generation_;
}

// Sets `group`'s count on `id`; the instance's set changes when the count crosses zero.
void Fleet::set_group_count(InstanceId id, std::uint32_t group, std::uint32_t count) {
  std::vector<TaskCount>& counts = task_counts_[id];
  const auto it = std::lower_bound(counts.begin(), counts.end(), group,
                                   [](const TaskCount& c, std::uint32_t g) { return c.group < g; });
  const bool present = it != counts.end() && it->group == group;
  if (present && count > 0) {
    it->count = count;
    return;
  }
  if (!present && count == 0) return;
  if (count > 0) {
    counts.insert(it, TaskCount{group, count});
  } else {
    counts.erase(it);
  }
  scratch_set_.clear();
  for (const TaskCount& c : counts) scratch_set_.push_back(c.group);
  use_group_set(id, intern_group_set(scratch_set_));
}

InstanceId Fleet::allocate_slot() {
  if (!free_.empty()) {
    const InstanceId id = free_.back();
    free_.pop_back();
    return id;
  }
  const InstanceId id = slots_++;
  for (const std::uint32_t a : dense_attributes_) attributes_[a].codes.push_back(missing_code);
  sparse_by_slot_.emplace_back();
  connected_.push_back(0);
  version_codes_.push_back(intern_version(""));
  registered_.push_back(0);
  registered_known_.push_back(0);
  running_.push_back(0);
  ec2_codes_.push_back(ec2_ids_.intern(""));
  arn_codes_.push_back(arns_.intern(""));
  status_codes_.push_back(statuses_.intern(""));
  payloads_.push_back(0);
  task_counts_.emplace_back();
  group_set_codes_.push_back(0);
  live_.resize(slots_);
  return id;
}

void Fleet::reset_slot(InstanceId id) {
  for (const std::uint32_t a : dense_attributes_) attributes_[a].codes[id] = missing_code;
  const std::vector<std::uint32_t> sparse = sparse_by_slot_[id];
  for (const std::uint32_t a : sparse) set_cell(a, id, missing_code);
  connected_[id] = 0;
  version_codes_[id] = intern_version("");
  registered_[id] = 0;
  registered_known_[id] = 0;
  running_[id] = 0;
  ec2_codes_[id] = ec2_ids_.intern("");
  arn_codes_[id] = arns_.intern("");
  status_codes_[id] = statuses_.intern("");
  payloads_[id] = 0;
  task_counts_[id].clear();
  use_group_set(id, 0);
}

void Fleet::unindex(InstanceId id) {
  const auto erase = [id](Index& index, std::uint32_t code) {
    auto [first, last] = index.equal_range(code);
    for (auto it = first; it != last; ++it) {
      if (it->second == id) {
        index.erase(it);
        return;
      }
    }
  };
  erase(ec2_index_, ec2_codes_[id]);
  erase(arn_index_, arn_codes_[id]);
}

void Fleet::assign(InstanceId id, const Instance& instance) {
  reset_slot(id);
  for (const Attribute& attribute : instance.attributes()) {
    set_attribute(id, attribute.name, attribute.value ? std::optional<std::string_view>(*attribute.value) : std::nullopt);
  }
  connected_[id] = instance.agent_connected ? 1 : 0;
  version_codes_[id] = intern_version(instance.agent_version);
  registered_known_[id] = instance.registered_at ? 1 : 0;
  registered_[id] = instance.registered_at ? instance.registered_at->seconds : 0;
  running_[id] = std::max<std::int64_t>(instance.running_tasks_count, 0);
  ec2_codes_[id] = ec2_ids_.intern(instance.ec2_instance_id);
  ec2_index_.emplace(ec2_codes_[id], id);
  arn_codes_[id] = arns_.intern(instance.container_instance_arn);
  if (!instance.container_instance_arn.empty()) arn_index_.emplace(arn_codes_[id], id);
  status_codes_[id] = statuses_.intern(instance.status);
  payloads_[id] = instance.payload;
  set_task_groups(id, instance.task_groups());
}

InstanceId Fleet::add(const Instance& instance) {
  const InstanceId id = allocate_slot();
  live_.set(id);
  ++live_count_;
  assign(id, instance);
  return id;
}

bool Fleet::update(InstanceId id, const Instance& instance) {
  if (!contains(id)) return false;
  unindex(id);
  assign(id, instance);
  return true;
}

bool Fleet::remove(InstanceId id) {
  if (!contains(id)) return false;
  unindex(id);
  reset_slot(id);
  live_.set(id, false);
  --live_count_;
  free_.push_back(id);
  return true;
}

bool Fleet::set_attribute(InstanceId id, std::string_view name, std::optional<std::string_view> value) {
  if (!contains(id)) return false;
  const std::uint32_t attribute = intern_attribute(name);
  set_cell(attribute, id, value ? first_value_code + attributes_[attribute].values.intern(*value) : no_value_code);
  return true;
}

bool Fleet::remove_attribute(InstanceId id, std::string_view name) {
  if (!contains(id)) return false;
  const auto attribute = attribute_names_.find(name);
  if (!attribute || attribute_code(*attribute, id) == missing_code) return false;
  set_cell(*attribute, id, missing_code);
  return true;
}

bool Fleet::start_task(InstanceId id, std::string_view group) {
  if (!contains(id)) return false;
  const std::uint32_t g = groups_.intern(group);
  const std::uint32_t count = count_of(id, g);
  if (count == std::numeric_limits<std::uint32_t>::max()) return false;
  set_group_count(id, g, count + 1);
  ++running_[id];
  return true;
}

bool Fleet::stop_task(InstanceId id, std::string_view group) {
  const std::uint32_t count = task_count(id, group);
  if (count == 0) return false;
  set_group_count(id, *groups_.find(group), count - 1);
  if (running_[id] > 0) --running_[id];
  return true;
}

bool Fleet::set_task_count(InstanceId id, std::string_view group, std::uint32_t count) {
  if (!contains(id)) return false;
  if (count == 0) {
    // Nothing to intern for a group that is not there.
    if (const auto g = groups_.find(group)) set_group_count(id, *g, 0);
    return true;
  }
  set_group_count(id, groups_.intern(group), count);
  return true;
}

bool Fleet::add_task_group(InstanceId id, std::string_view group) {
  if (!contains(id) || task_count(id, group) > 0) return false;
  set_group_count(id, groups_.intern(group), 1);
  return true;
}

bool Fleet::remove_task_group(InstanceId id, std::string_view group) {
  if (task_count(id, group) == 0) return false;
  set_group_count(id, *groups_.find(group), 0);
  return true;
}

bool Fleet::set_task_groups(InstanceId id, std::span<const std::string> groups) {
  if (!contains(id)) return false;
  std::vector<TaskCount>& counts = task_counts_[id];
  counts.clear();
  for (const std::string& group : groups) counts.push_back(TaskCount{groups_.intern(group), 1});
  std::sort(counts.begin(), counts.end(), [](const TaskCount& a, const TaskCount& b) { return a.group < b.group; });
  counts.erase(std::unique(counts.begin(), counts.end(), [](const TaskCount& a, const TaskCount& b) { return a.group == b.group; }),
               counts.end());
  scratch_set_.clear();
  for (const TaskCount& c : counts) scratch_set_.push_back(c.group);
  use_group_set(id, intern_group_set(scratch_set_));
  return true;
}

std::uint32_t Fleet::count_of(InstanceId id, std::uint32_t group) const noexcept {
  const std::vector<TaskCount>& counts = task_counts_[id];
  const auto it = std::lower_bound(counts.begin(), counts.end(), group,
                                   [](const TaskCount& c, std::uint32_t g) { return c.group < g; });
  return it != counts.end() && it->group == group ? it->count : 0;
}

std::uint32_t Fleet::task_count(InstanceId id, std::string_view group) const noexcept {
  if (!contains(id)) return 0;
  const auto g = groups_.find(group);
  return g ? count_of(id, *g) : 0;
}

std::span<const TaskCount> Fleet::task_counts(InstanceId id) const noexcept {
  if (!contains(id)) return {};
  return task_counts_[id];
}

bool Fleet::set_agent_connected(InstanceId id, bool connected) {
  if (!contains(id)) return false;
  connected_[id] = connected ? 1 : 0;
  return true;
}

bool Fleet::set_agent_version(InstanceId id, std::string_view version) {
  if (!contains(id)) return false;
  version_codes_[id] = intern_version(version);
  return true;
}

bool Fleet::set_registered_at(InstanceId id, std::optional<Instant> registered_at) {
  if (!contains(id)) return false;
  registered_known_[id] = registered_at ? 1 : 0;
  registered_[id] = registered_at ? registered_at->seconds : 0;
  return true;
}

bool Fleet::set_running_tasks_count(InstanceId id, std::int64_t count) {
  if (!contains(id) || count < 0) return false;
  running_[id] = count;
  return true;
}

bool Fleet::set_status(InstanceId id, std::string_view status) {
  if (!contains(id)) return false;
  status_codes_[id] = statuses_.intern(status);
  return true;
}

bool Fleet::set_payload(InstanceId id, std::uint64_t payload) {
  if (!contains(id)) return false;
  payloads_[id] = payload;
  return true;
}

std::optional<InstanceId> Fleet::lowest(const Index& index, std::uint32_t code) noexcept {
  std::optional<InstanceId> lowest;
  auto [first, last] = index.equal_range(code);
  for (auto it = first; it != last; ++it) {
    if (!lowest || it->second < *lowest) lowest = it->second;
  }
  return lowest;
}

std::optional<InstanceId> Fleet::find(std::string_view ec2_instance_id_or_arn) const noexcept {
  if (const auto code = ec2_ids_.find(ec2_instance_id_or_arn)) {
    if (const auto id = lowest(ec2_index_, *code)) return id;
  }
  if (const auto code = arns_.find(ec2_instance_id_or_arn)) return lowest(arn_index_, *code);
  return std::nullopt;
}

std::string_view Fleet::ec2_instance_id(InstanceId id) const noexcept {
  return contains(id) ? ec2_ids_.text(ec2_codes_[id]) : std::string_view();
}

std::string_view Fleet::container_instance_arn(InstanceId id) const noexcept {
  return contains(id) ? arns_.text(arn_codes_[id]) : std::string_view();
}

std::string_view Fleet::status(InstanceId id) const noexcept {
  return contains(id) ? statuses_.text(status_codes_[id]) : std::string_view();
}

std::optional<Instance> Fleet::instance(InstanceId id) const {
  if (!contains(id)) return std::nullopt;
  Instance instance;
  instance.ec2_instance_id = std::string(ec2_ids_.text(ec2_codes_[id]));
  instance.container_instance_arn = std::string(arns_.text(arn_codes_[id]));
  instance.status = std::string(statuses_.text(status_codes_[id]));
  instance.agent_connected = connected_[id] != 0;
  instance.agent_version = std::string(versions_.text(version_codes_[id]));
  if (registered_known_[id]) instance.registered_at = Instant{registered_[id]};
  instance.running_tasks_count = running_[id];
  instance.payload = payloads_[id];
  std::vector<std::uint32_t> present = sparse_by_slot_[id];
  present.insert(present.end(), dense_attributes_.begin(), dense_attributes_.end());
  std::vector<Attribute> attributes;
  for (const std::uint32_t a : present) {
    const std::uint32_t code = attribute_code(a, id);
    if (code == missing_code) continue;
    std::optional<std::string> value;
    if (code != no_value_code) value = std::string(attributes_[a].values.text(code - first_value_code));
    attributes.push_back({std::string(attribute_names_.text(a)), std::move(value)});
  }
  instance.set_attributes(std::move(attributes));
  std::vector<std::string> groups;
  for (const std::uint32_t g : group_sets_[group_set_codes_[id]]) groups.emplace_back(groups_.text(g));
  instance.set_task_groups(std::move(groups));
  return instance;
}

std::size_t Fleet::dictionary_size() const noexcept {
  std::size_t n = attribute_names_.size();
  for (const AttributeColumn& column : attributes_) n += column.values.size();
  return n + versions_.size() + ec2_ids_.size() + arns_.size() + statuses_.size() + groups_.size() + group_sets_.size();
}

// Every dictionary is rebuilt from what the live slots use, in the old order; each column is then
// rewritten to the new codes. Attribute ids change too, so per-slot lists of sparse attributes and
// the dense list are remapped; task counts are re-sorted, since group ids change order-preservingly
// but sets are rebuilt from the counts anyway.
void Fleet::compact() {
  // Attributes: a name stays if a live instance has it; its values, if a live instance has them.
  std::vector<std::uint32_t> attribute_remap(attributes_.size(), no_code);
  std::vector<std::uint8_t> names_used(attributes_.size(), 0);
  std::vector<AttributeColumn> columns;
  for (std::uint32_t a = 0; a < attributes_.size(); ++a) {
    AttributeColumn& column = attributes_[a];
    std::vector<std::uint32_t>& codes = column.dense ? column.codes : column.sparse_codes;
    std::vector<std::uint8_t> used(column.values.size(), 0);
    bool any = false;
    for (const std::uint32_t code : codes) {
      any = any || code != missing_code;
      if (code >= first_value_code) used[code - first_value_code] = 1;
    }
    if (!any) continue;
    std::vector<std::uint32_t> remap;
    column.values = kept_entries(column.values, used, remap);
    for (std::uint32_t& code : codes) {
      if (code >= first_value_code) code = first_value_code + remap[code - first_value_code];
    }
    names_used[a] = 1;
    attribute_remap[a] = static_cast<std::uint32_t>(columns.size());
    columns.push_back(std::move(column));
  }
  std::vector<std::uint32_t> name_remap;
  attribute_names_ = kept_entries(attribute_names_, names_used, name_remap);
  attributes_ = std::move(columns);
  std::vector<std::uint32_t> dense;
  for (const std::uint32_t a : dense_attributes_) {
    if (attribute_remap[a] != no_code) dense.push_back(attribute_remap[a]);
  }
  dense_attributes_ = std::move(dense);
  for (std::vector<std::uint32_t>& mine : sparse_by_slot_) {
    for (std::uint32_t& a : mine) a = attribute_remap[a];
  }

  versions_ = compact_column(versions_, version_codes_, live_);
  parsed_versions_.clear();
  for (std::uint32_t code = 0; code < versions_.size(); ++code) parsed_versions_.push_back(parse_version(versions_.text(code)));
  ec2_ids_ = compact_column(ec2_ids_, ec2_codes_, live_);
  arns_ = compact_column(arns_, arn_codes_, live_);
  statuses_ = compact_column(statuses_, status_codes_, live_);
  ec2_index_.clear();
  arn_index_.clear();
  for (const InstanceId id : live_) {
    ec2_index_.emplace(ec2_codes_[id], id);
    if (!arns_.text(arn_codes_[id]).empty()) arn_index_.emplace(arn_codes_[id], id);
  }

  // Task groups: those some live instance counts; then every set is rebuilt from the counts.
  std::vector<std::uint8_t> groups_used(groups_.size(), 0);
  for (const InstanceId id : live_) {
    for (const TaskCount& c : task_counts_[id]) groups_used[c.group] = 1;
  }
  std::vector<std::uint32_t> group_remap;
  groups_ = kept_entries(groups_, groups_used, group_remap);
  group_sets_.clear();
  group_set_users_.clear();
  group_set_index_.clear();
  unused_group_sets_ = 0;
  intern_group_set({});
  unused_group_sets_ = 0;
  std::fill(group_set_codes_.begin(), group_set_codes_.end(), 0);
  for (const InstanceId id : live_) {
    std::vector<TaskCount>& counts = task_counts_[id];
    for (TaskCount& c : counts) c.group = group_remap[c.group];
    std::sort(counts.begin(), counts.end(), [](const TaskCount& a, const TaskCount& b) { return a.group < b.group; });
    scratch_set_.clear();
    for (const TaskCount& c : counts) scratch_set_.push_back(c.group);
    use_group_set(id, intern_group_set(scratch_set_));
  }
  ++group_set_generation_;
  identity_.renew();
}

}  // namespace ecsq
