// Instance: the evaluator's model of one container instance, and its one-line printout. Attributes
// and task groups are kept sorted so that lookups during evaluation are binary searches with no hashing.
#include "ecsq/instance.hpp"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>

#include "common/text.hpp"
#include "ecsq/diagnostic.hpp"

namespace ecsq {

namespace {

// Both vectors stay sorted so lookups during evaluation are binary searches. Templates cover the
// const and non-const vectors alike.
template <class Attributes>
auto attribute_position(Attributes& attributes, std::string_view name) {
  return std::lower_bound(attributes.begin(), attributes.end(), name,
                          [](const Attribute& a, std::string_view n) { return std::string_view(a.name) < n; });
}

template <class Groups>
auto group_position(Groups& groups, std::string_view group) {
  return std::lower_bound(groups.begin(), groups.end(), group,
                          [](const std::string& g, std::string_view n) { return std::string_view(g) < n; });
}

}  // namespace

void Instance::set_attribute(std::string name, std::optional<std::string> value) {
  const auto it = attribute_position(attributes_, name);
  if (it != attributes_.end() && it->name == name) {
    it->value = std::move(value);
    return;
  }
  attributes_.insert(it, Attribute{std::move(name), std::move(value)});
}

bool Instance::remove_attribute(std::string_view name) {
  const auto it = attribute_position(attributes_, name);
  if (it == attributes_.end() || it->name != name) return false;
  attributes_.erase(it);
  return true;
}

const Attribute* Instance::find_attribute(std::string_view name) const noexcept {
  const auto it = attribute_position(attributes_, name);
  return it != attributes_.end() && it->name == name ? &*it : nullptr;
}

void Instance::add_task_group(std::string group) {
  const auto it = group_position(task_groups_, group);
  if (it != task_groups_.end() && *it == group) return;
  task_groups_.insert(it, std::move(group));
}

bool Instance::remove_task_group(std::string_view group) {
  const auto it = group_position(task_groups_, group);
  if (it == task_groups_.end() || *it != group) return false;
  task_groups_.erase(it);
  return true;
}

void Instance::set_attributes(std::vector<Attribute> attributes) {
  std::stable_sort(attributes.begin(), attributes.end(), [](const Attribute& a, const Attribute& b) { return a.name < b.name; });
  // Keep the last of each run of equal names: walk backwards, keep the first seen.
  std::vector<Attribute> unique;
  unique.reserve(attributes.size());
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    if (unique.empty() || unique.back().name != it->name) unique.push_back(std::move(*it));
  }
  std::reverse(unique.begin(), unique.end());
  attributes_ = std::move(unique);
}

std::optional<std::string_view> Instance::attribute_value(std::string_view name) const noexcept {
  const Attribute* attribute = find_attribute(name);
  if (attribute == nullptr || !attribute->value) return std::nullopt;
  return std::string_view(*attribute->value);
}

void Instance::set_task_groups(std::vector<std::string> groups) {
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  task_groups_ = std::move(groups);
}

bool Instance::has_task_group(std::string_view group) const noexcept {
  const auto it = group_position(task_groups_, group);
  return it != task_groups_.end() && *it == group;
}

std::ostream& operator<<(std::ostream& out, const Instance& instance) {
  std::string text = "Instance{";
  text += instance.ec2_instance_id.empty() ? "(no ec2InstanceId)" : instance.ec2_instance_id;
  if (!instance.container_instance_arn.empty()) text += ", arn=" + instance.container_instance_arn;
  if (!instance.status.empty()) text += ", status=" + instance.status;
  if (instance.payload != 0) text += fmt::format(", payload={}", instance.payload);
  text += fmt::format(", agentConnected={}", instance.agent_connected);
  text += ", agentVersion=" + (instance.agent_version.empty() ? "(missing)" : json_quote(instance.agent_version));
  text += ", registeredAt=" + (instance.registered_at ? to_string(*instance.registered_at) : "(missing)");
  text += fmt::format(", runningTasksCount={}, attributes={{", instance.running_tasks_count);
  const char* separator = "";
  for (const Attribute& attribute : instance.attributes()) {
    text += separator + attribute.name;
    if (attribute.value) text += "=" + json_quote(*attribute.value);
    separator = ", ";
  }
  text += "}, task:group={";
  separator = "";
  for (const std::string& group : instance.task_groups()) {
    text += separator + group;
    separator = ", ";
  }
  text += "}}";
  // Names, ids and groups are whatever a fleet file held: never echo control characters raw.
  return out << detail::printable(text, false);
}

}  // namespace ecsq
