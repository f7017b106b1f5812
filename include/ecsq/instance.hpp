// A container instance as the evaluator sees it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/value.hpp"

namespace ecsq {

/// An attribute; capability attributes (ecs.capability.*) usually have no value.
struct Attribute {
  std::string name;
  std::optional<std::string> value;
};

/// The fields of a container instance that expressions can test. Build it directly from your own
/// data; keep `attributes` sorted by name and `task_groups` sorted and unique (the setters do).
struct Instance {
  std::string ec2_instance_id;
  std::string container_instance_arn;
  std::string status;  ///< ACTIVE, DRAINING, ... (informational; not a subject)
  bool agent_connected = true;
  std::string agent_version;               ///< as reported, e.g. "1.68.2"
  std::optional<Instant> registered_at;    ///< whole seconds; fractions are truncated
  std::int64_t running_tasks_count = 0;
  std::vector<Attribute> attributes;       ///< sorted by name, names unique
  std::vector<std::string> task_groups;    ///< sorted, unique: groups of the tasks placed here

  /// Adds or replaces an attribute, keeping `attributes` sorted.
  void set_attribute(std::string name, std::optional<std::string> value = std::nullopt);
  /// Removes an attribute; false if it was not there.
  bool remove_attribute(std::string_view name);
  /// The attribute named `name`, or nullptr.
  [[nodiscard]] const Attribute* find_attribute(std::string_view name) const noexcept;
  /// Adds a task group (no-op if present), keeping `task_groups` sorted.
  void add_task_group(std::string group);
  /// Removes a task group; false if it was not there.
  bool remove_task_group(std::string_view group);
  [[nodiscard]] bool has_task_group(std::string_view group) const noexcept;
};

}  // namespace ecsq
