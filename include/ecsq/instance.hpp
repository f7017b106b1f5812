// A container instance as the evaluator sees it.
#pragma once

#include <cstdint>
#include <iosfwd>
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

/// A container instance: the fields expressions can test, plus its identity. Scalar fields are
/// plain members; attributes and task groups sit behind setters that keep them sorted and unique, so
/// the binary searches of evaluate() can never see an order they did not expect.
class Instance {
 public:
  std::string ec2_instance_id;
  std::string container_instance_arn;
  std::string status;  ///< ACTIVE, DRAINING, ... (not a subject; placement skips non-ACTIVE instances)
  bool agent_connected = true;
  std::string agent_version;               ///< as reported, e.g. "1.68.2"
  std::optional<Instant> registered_at;    ///< whole seconds; fractions are truncated
  std::int64_t running_tasks_count = 0;
  std::uint64_t payload = 0;               ///< the caller's own handle; ecsq only stores it

  /// Attributes, sorted by name, names unique.
  [[nodiscard]] const std::vector<Attribute>& attributes() const noexcept { return attributes_; }
  /// Groups of the tasks placed here, sorted and unique.
  [[nodiscard]] const std::vector<std::string>& task_groups() const noexcept { return task_groups_; }

  /// Adds or replaces an attribute.
  void set_attribute(std::string name, std::optional<std::string> value = std::nullopt);
  /// Removes an attribute; false if it was not there.
  bool remove_attribute(std::string_view name);
  /// Replaces every attribute (any order; of two with one name, the later wins).
  void set_attributes(std::vector<Attribute> attributes);
  /// The attribute named `name`, or nullptr.
  [[nodiscard]] const Attribute* find_attribute(std::string_view name) const noexcept;
  /// The value of attribute `name`: nullopt when it is missing or has no value.
  [[nodiscard]] std::optional<std::string_view> attribute_value(std::string_view name) const noexcept;
  /// Adds a task group (no-op if present).
  void add_task_group(std::string group);
  /// Removes a task group; false if it was not there.
  bool remove_task_group(std::string_view group);
  /// Replaces the task groups (any order; duplicates are dropped).
  void set_task_groups(std::vector<std::string> groups);
  [[nodiscard]] bool has_task_group(std::string_view group) const noexcept;

 private:
  std::vector<Attribute> attributes_;
  std::vector<std::string> task_groups_;
};

/// Prints `instance` on one line, for test output and logs: its id, then the ARN, status and payload
/// when set, the built-in subjects, the attributes (values quoted) and the task groups:
/// `Instance{i-web, status=ACTIVE, agentConnected=true, agentVersion="1.14.5", registeredAt=(missing),
/// runningTasksCount=2, attributes={ecs.capability.task-eni, stack="prod"}, task:group={service:web}}`.
std::ostream& operator<<(std::ostream& out, const Instance& instance);

}  // namespace ecsq
