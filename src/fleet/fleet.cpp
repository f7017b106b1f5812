// The columnar fleet store: dictionaries, dense and sparse attribute columns, task-group sets.
// Design: every string is interned once, so a column cell is a 32-bit code and equality is an
// integer compare; attributes few instances have stay sparse (sorted id/code pairs) until one
// instance in eight has them, which keeps fleets with many one-off names linear in memory.
#include "ecsq/fleet.hpp"

#include <algorithm>
#include <atomic>

namespace ecsq {

// ---- Fleet -----------------------------------------------------------------------------------

std::size_t Fleet::SetHash::operator()(const std::vector<std::uint32_t>& set) const noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ set.size();
  for (const std::uint32_t g : set) h = (h ^ g) * 0x100000001b3ull + (h >> 29);
  return static_cast<std::size_t>(h);
}

namespace {

std::uint64_t next_identity() noexcept {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
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

Fleet::Fleet() {
  // Set 0 is the empty set, so "no task groups" is code 0 in every fleet.
  intern_group_set({});
}

Fleet::Fleet(std::span<const Instance> instances) : Fleet() {
  connected_.reserve(instances.size());
  version_codes_.reserve(instances.size());
  registered_.reserve(instances.size());
  registered_known_.reserve(instances.size());
  running_.reserve(instances.size());
  ec2_codes_.reserve(instances.size());
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

std::uint32_t Fleet::intern_group_set(std::vector<std::uint32_t> sorted_groups) {
  if (const auto it = group_set_index_.find(sorted_groups); it != group_set_index_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(group_sets_.size());
  group_sets_.push_back(sorted_groups);
  group_set_index_.emplace(std::move(sorted_groups), id);
  return id;
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
  group_set_codes_[id] = 0;
}

void Fleet::unindex_ec2(InstanceId id) {
  auto [first, last] = ec2_index_.equal_range(ec2_codes_[id]);
  for (auto it = first; it != last; ++it) {
    if (it->second == id) {
      ec2_index_.erase(it);
      return;
    }
  }
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
  running_[id] = instance.running_tasks_count;
  ec2_codes_[id] = ec2_ids_.intern(instance.ec2_instance_id);
  ec2_index_.emplace(ec2_codes_[id], id);
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
  unindex_ec2(id);
  assign(id, instance);
  return true;
}

bool Fleet::remove(InstanceId id) {
  if (!contains(id)) return false;
  unindex_ec2(id);
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

bool Fleet::add_task_group(InstanceId id, std::string_view group) {
  if (!contains(id)) return false;
  const std::uint32_t g = groups_.intern(group);
  std::vector<std::uint32_t> set = group_sets_[group_set_codes_[id]];
  const auto it = std::lower_bound(set.begin(), set.end(), g);
  if (it != set.end() && *it == g) return false;
  set.insert(it, g);
  group_set_codes_[id] = intern_group_set(std::move(set));
  return true;
}

bool Fleet::remove_task_group(InstanceId id, std::string_view group) {
  if (!contains(id)) return false;
  const auto g = groups_.find(group);
  if (!g) return false;
  std::vector<std::uint32_t> set = group_sets_[group_set_codes_[id]];
  const auto it = std::lower_bound(set.begin(), set.end(), *g);
  if (it == set.end() || *it != *g) return false;
  set.erase(it);
  group_set_codes_[id] = intern_group_set(std::move(set));
  return true;
}

bool Fleet::set_task_groups(InstanceId id, std::span<const std::string> groups) {
  if (!contains(id)) return false;
  std::vector<std::uint32_t> set;
  set.reserve(groups.size());
  for (const std::string& group : groups) set.push_back(groups_.intern(group));
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  group_set_codes_[id] = intern_group_set(std::move(set));
  return true;
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
  if (!contains(id)) return false;
  running_[id] = count;
  return true;
}

std::optional<InstanceId> Fleet::find(std::string_view ec2_instance_id) const {
  const auto code = ec2_ids_.find(ec2_instance_id);
  if (!code) return std::nullopt;
  std::optional<InstanceId> lowest;
  auto [first, last] = ec2_index_.equal_range(*code);
  for (auto it = first; it != last; ++it) {
    if (!lowest || it->second < *lowest) lowest = it->second;
  }
  return lowest;
}

std::optional<Instance> Fleet::instance(InstanceId id) const {
  if (!contains(id)) return std::nullopt;
  Instance instance;
  instance.ec2_instance_id = std::string(ec2_ids_.text(ec2_codes_[id]));
  instance.agent_connected = connected_[id] != 0;
  instance.agent_version = std::string(versions_.text(version_codes_[id]));
  if (registered_known_[id]) instance.registered_at = Instant{registered_[id]};
  instance.running_tasks_count = running_[id];
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

}  // namespace ecsq
