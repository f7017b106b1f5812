// Placement (the placement contract; docs/placement-inputs.md for the inputs): what one task
// needs (TaskDemand), what is asked for (PlacementRequest), and the readers that build them from
// task definitions and RunTask/CreateService documents. The fleet side (resources, tasks) is read
// by ecsq/aws_json.hpp into FleetData.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/constraint.hpp"
#include "ecsq/diagnostic.hpp"

namespace ecsq {

// ---- Inputs: what one task needs and what is asked for ----------------------------------------

/// A task definition's `networkMode` (absent = bridge, as AWS).
enum class NetworkMode : std::uint8_t { bridge, host, awsvpc, none };

/// One `requiresAttributes` entry: the instance must have attribute `name` (with `value`, when given).
struct RequiredAttribute {
  std::string name;
  std::optional<std::string> value;
};

/// One placement constraint, from a task definition, a request document or the command line.
struct ConstraintSpec {
  enum class Kind : std::uint8_t { member_of, distinct_instance };
  Kind kind = Kind::member_of;
  std::string expression;  ///< member_of: the cluster query expression as written; distinct_instance: empty
  FileLocation at;         ///< the expression's value (member_of) or the constraint object; empty for flags
  std::string origin;      ///< the file it came from (ConstraintDocument::origin), or "command line"
  /// Byte offset in the file of the expression's first character when the file holds it verbatim.
  std::optional<std::uint32_t> expression_text_offset;
};

/// A placement strategy's type.
enum class StrategyType : std::uint8_t { random, spread, binpack };

/// What a strategy ranks by, read from its `field` (contract §3.3).
enum class StrategyTarget : std::uint8_t {
  none,         ///< random: no field
  cpu,          ///< binpack field `cpu`
  memory,       ///< binpack field `memory`
  instance_id,  ///< spread field `instanceId` or `host` (AWS: "the same effect")
  attribute,    ///< spread field `attribute:NAME`; the name is StrategySpec::attribute
};

/// One placement strategy, with its field already interpreted.
struct StrategySpec {
  StrategyType type = StrategyType::random;
  StrategyTarget target = StrategyTarget::none;
  std::string field;      ///< as written: "memory", "host", "attribute:ecs.availability-zone", "" for random
  std::string attribute;  ///< target attribute: the name after `attribute:`
  FileLocation at;        ///< the strategy object; empty for flags
  std::string origin;     ///< the file it came from, or "command line"
};

/// What ONE task of a task definition needs (contract §2 and §6a).
struct TaskDemand {
  std::string family;               ///< the default group is family:FAMILY
  std::string task_definition_arn;  ///< describe-task-definition output only; else empty
  std::int64_t cpu = 0;             ///< CPU units: task-level `cpu`, else the sum of container `cpu` (absent = 0)
  std::int64_t memory = 0;          ///< MiB: task-level `memory`, else per container memoryReservation, else memory
  NetworkMode network_mode = NetworkMode::bridge;
  std::vector<std::uint16_t> tcp_ports;  ///< host ports the task reserves (PORTS), sorted, unique
  std::vector<std::uint16_t> udp_ports;  ///< host ports the task reserves (PORTS_UDP), sorted, unique
  std::int64_t gpus = 0;                 ///< the sum of the containers' GPU resourceRequirements
  bool needs_eni = false;                ///< awsvpc: one free ENI attachment
  std::vector<RequiredAttribute> required_attributes;  ///< `requiresAttributes`, in file order
  std::vector<ConstraintSpec> constraints;             ///< the task definition's memberOf constraints

  /// "family:FAMILY", the group of a RunTask without `group`.
  [[nodiscard]] std::string default_group() const { return "family:" + family; }
};

/// How the tasks of a request are asked for.
enum class RequestKind : std::uint8_t {
  run_task,         ///< RunTask: `count` tasks (1..10)
  service_replica,  ///< CreateService, schedulingStrategy REPLICA (or absent): `desiredCount` tasks
  service_daemon,   ///< CreateService, schedulingStrategy DAEMON: one task per eligible instance
};

/// What is asked for: how many tasks, in which group, under which constraints and strategies.
struct PlacementRequest {
  RequestKind kind = RequestKind::run_task;
  std::string service_name;          ///< services: the group is service:NAME
  std::optional<std::string> group;  ///< RunTask `group`; absent: family:FAMILY
  std::int64_t count = 1;            ///< RunTask `count` or CreateService `desiredCount`
  bool count_given = false;          ///< the document wrote `count` / `desiredCount` (else count is 1)
  bool count_max = false;            ///< ecsq's `--count max`: place until the first task that fits nowhere
  std::string task_definition;       ///< `taskDefinition` as written (family[:revision] or ARN); may be empty
  std::vector<ConstraintSpec> constraints;  ///< the request's constraints, memberOf and distinctInstance
  std::vector<StrategySpec> strategies;     ///< empty: the default for the kind (contract §4)

  /// The group of the request's tasks: service:NAME for services, else `group`, else family:FAMILY.
  [[nodiscard]] std::string task_group(const TaskDemand& demand) const {
    if (kind != RequestKind::run_task) return "service:" + service_name;
    return group ? *group : demand.default_group();
  }
};

// ---- Reading the inputs -----------------------------------------------------------------------

/// A problem with a placement input: an E05xx code (ecsq/codes.hpp), its span into the document's
/// text, and where that is (JSON/YAML path, line, column).
struct PlacementInputDiagnostic {
  Diagnostic diagnostic;
  FileLocation at;
};

/// A task definition as read for placement.
///
/// `document` is the lint reader's view of the same file: give it to ecsq::lint for the rules on its
/// constraints (bad expressions, distinctInstance in a task definition, more than 10 constraints),
/// which are not repeated here. Reading problems the lint reader reports (ECSQ-L001: not JSON or
/// YAML; ECSQ-L003: a malformed constraint) are in `document.diagnostics`; `diagnostics` holds only
/// the placement codes. `demand` is set when neither has an error.
struct TaskDefinitionInput {
  ConstraintDocument document;
  std::optional<TaskDemand> demand;
  std::vector<PlacementInputDiagnostic> diagnostics;
};

/// A RunTask or CreateService document as read for placement; as TaskDefinitionInput, lint finds
/// the problems of its constraints and strategies (more than 5 strategies, `binpack:disk`,
/// distinctInstance with an expression), which are left out of `request.constraints/strategies`.
struct RequestInput {
  ConstraintDocument document;
  std::optional<PlacementRequest> request;
  std::vector<PlacementInputDiagnostic> diagnostics;
};

/// Reads a RegisterTaskDefinition input or `aws ecs describe-task-definition` output, JSON or YAML.
/// `origin` names the file in diagnostics and in ConstraintSpec::origin. Never throws.
[[nodiscard]] TaskDefinitionInput read_task_definition(std::string text, std::string origin);

/// As read_task_definition, from the file at `path` ("-" is standard input).
[[nodiscard]] TaskDefinitionInput read_task_definition_file(const std::string& path);

/// Reads a RunTask or CreateService input, JSON or YAML. Never throws.
[[nodiscard]] RequestInput read_placement_request(std::string text, std::string origin);

/// As read_placement_request, from the file at `path` ("-" is standard input).
[[nodiscard]] RequestInput read_placement_request_file(const std::string& path);

/// CPU units written as AWS accepts them: "1024", "1 vCPU", "0.5 vCPU", ".25vcpu" (vCPU × 1024,
/// a whole number of units). nullopt for anything else, negative values and overflow.
[[nodiscard]] std::optional<std::int64_t> parse_cpu_units(std::string_view text) noexcept;

/// MiB written as AWS accepts them: "512", "2GB", "2 GB", "0.5 GB" (GB × 1024, a whole number of
/// MiB). nullopt for anything else ("512 MiB" and "2 GiB" are not AWS forms), negatives and overflow.
[[nodiscard]] std::optional<std::int64_t> parse_memory_mib(std::string_view text) noexcept;

/// "bridge", "host", "awsvpc" or "none".
[[nodiscard]] std::string_view to_string(NetworkMode mode) noexcept;

/// "random", "spread" or "binpack".
[[nodiscard]] std::string_view to_string(StrategyType type) noexcept;

/// "RunTask", "REPLICA service" or "DAEMON service".
[[nodiscard]] std::string_view to_string(RequestKind kind) noexcept;

}  // namespace ecsq
