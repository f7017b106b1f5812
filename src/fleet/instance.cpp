// Instance: the evaluator's model of one container instance. Attributes and task groups are
// kept sorted so that lookups during evaluation are binary searches with no hashing.
#include "ecsq/instance.hpp"

#include <algorithm>

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
  const auto it = attribute_position(attributes, name);
  if (it != attributes.end() && it->name == name) {
    it->value = std::move(value);
    return;
  }
  attributes.insert(it, Attribute{std::move(name), std::move(value)});
}

bool Instance::remove_attribute(std::string_view name) {
  const auto it = attribute_position(attributes, name);
  if (it == attributes.end() || it->name != name) return false;
  attributes.erase(it);
  return true;
}

const Attribute* Instance::find_attribute(std::string_view name) const noexcept {
  const auto it = attribute_position(attributes, name);
  return it != attributes.end() && it->name == name ? &*it : nullptr;
}

void Instance::add_task_group(std::string group) {
  const auto it = group_position(task_groups, group);
  if (it != task_groups.end() && *it == group) return;
  task_groups.insert(it, std::move(group));
}

bool Instance::remove_task_group(std::string_view group) {
  const auto it = group_position(task_groups, group);
  if (it == task_groups.end() || *it != group) return false;
  task_groups.erase(it);
  return true;
}

bool Instance::has_task_group(std::string_view group) const noexcept {
  const auto it = group_position(task_groups, group);
  return it != task_groups.end() && *it == group;
}

}  // namespace ecsq
