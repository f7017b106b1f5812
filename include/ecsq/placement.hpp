// Placement (the placement contract; docs/placement.md): what one task needs (TaskDemand), what
// is asked for (PlacementRequest), the readers that build them from task definitions and
// RunTask/CreateService documents, and the engine that places the tasks on a Cluster
// (ecsq/cluster.hpp: a Fleet plus the resources left per instance, built from FleetData).
//
//   ecsq::Cluster cluster(*ecsq::read_fleet_files({"fleet.json"}).fleet);
//   ecsq::TaskDefinitionInput td = ecsq::read_task_definition_file("web.json");
//   ecsq::PlacementRequest request;  request.kind = ecsq::RequestKind::service_replica;
//   request.service_name = "web";  request.count = 6;
//   ecsq::PlacementResult result = ecsq::place(cluster, *td.demand, request, {.seed = 7});
//
// The engine compiles the memberOf constraints once per request (one Matcher) and selects once;
// after each placement only the chosen instance is checked again, and the strategies rank with
// per-value task counts and per-instance keys kept up to date for that instance alone.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/cluster.hpp"
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

// ---- The engine: where the tasks of a request go (contract §3-§6a) ---------------------------

/// The checks of contract §3.2, in the order they run; the first an instance fails is its reason.
enum class PlacementFilter : std::uint8_t {
  agent,              ///< AGENT: the agent is not connected
  attribute,          ///< ATTRIBUTE: a required attribute (requiresAttributes) is missing
  cpu,                ///< RESOURCE:CPU
  memory,             ///< RESOURCE:MEMORY
  ports,              ///< RESOURCE:PORTS: a TCP host port is taken
  ports_udp,          ///< RESOURCE:PORTS_UDP
  gpu,                ///< RESOURCE:GPU
  eni,                ///< RESOURCE:ENI: no free ENI attachment (awsvpc)
  member_of,          ///< "MemberOf placement constraint unsatisfied."
  distinct_instance,  ///< "DistinctInstance placement constraint unsatisfied."
};

/// Number of PlacementFilter values.
inline constexpr std::size_t placement_filter_count = 10;

/// The failure reason AWS reports for `filter`: "AGENT", "RESOURCE:MEMORY",
/// "MemberOf placement constraint unsatisfied.", ...
[[nodiscard]] std::string_view failure_reason(PlacementFilter filter) noexcept;

/// The reason of a failure when the cluster has no ACTIVE instance at all.
inline constexpr std::string_view missing_reason = "MISSING";

/// How ties left after the strategies are broken (contract §3.3).
enum class TieBreak : std::uint8_t {
  random,       ///< uniformly among the tied instances, by the seeded generator
  fleet_order,  ///< the first in fleet order (lowest InstanceId)
};

/// How to run a placement.
struct PlacementOptions {
  std::uint64_t seed = 0;             ///< seeds the generator behind `random` and random ties
  TieBreak ties = TieBreak::random;   ///< never turns a `random` strategy into fleet order
  /// Fill PlacementResult::first_failures (one entry per instance slot; off by default, as it
  /// costs a pass over the fleet).
  bool record_first_failures = false;
};

/// A problem with the inputs of a placement: a limit broken (E0509, E0510, E0512..E0516), or a
/// memberOf expression that does not parse or check (its own E01xx/E02xx/E03xx code). Errors stop
/// the placement: nothing is placed.
struct PlacementDiagnostic {
  Diagnostic diagnostic;  ///< span: into `expression` when that is set, else into the origin file's text
  std::string origin;     ///< the file (ConstraintSpec/StrategySpec::origin), "command line", or empty
  FileLocation at;        ///< where in `origin`, when known
  std::string expression; ///< the memberOf expression the span points into; empty otherwise
};

/// One task placed.
struct PlacedTask {
  std::size_t index = 0;               ///< the task's position in the request (0-based)
  InstanceId instance = 0;             ///< in Cluster::fleet()
  std::string container_instance_arn;
  std::string ec2_instance_id;
  std::string group;                   ///< the request's task group
  std::optional<std::int64_t> cpu_left;     ///< CPU units left on the instance after this task; nullopt: unlimited
  std::optional<std::int64_t> memory_left;  ///< MiB left after this task; nullopt: unlimited
};

/// One task not placed, as RunTask reports it (contract §5).
struct PlacementFailure {
  std::size_t index = 0;                 ///< the task's position in the request
  std::optional<InstanceId> instance;    ///< the closest matching instance; none when no instance is ACTIVE
  std::string arn;                       ///< its containerInstanceArn ("" when none)
  std::string ec2_instance_id;           ///< its ec2InstanceId ("" when none)
  std::optional<PlacementFilter> filter; ///< the check it failed first; none when no instance is ACTIVE
  std::string reason;                    ///< failure_reason(*filter), else "MISSING"
};

/// What a placement did, or why it could not run.
struct PlacementResult {
  std::vector<PlacementDiagnostic> diagnostics;  ///< input problems; with an error, nothing below is set
  std::string group;                             ///< the tasks' group (PlacementRequest::task_group)
  std::vector<StrategySpec> strategies;          ///< the strategies applied (the defaults when none were given)
  std::vector<PlacedTask> tasks;                 ///< in task order
  std::vector<PlacementFailure> failures;        ///< in task order
  std::vector<std::string> events;               ///< services: one event text per failure
  /// Per filter (indexed by PlacementFilter), the ACTIVE instances it rejected when the first
  /// unplaced task was tried (the last task when all were placed), each under its first failure.
  std::array<std::size_t, placement_filter_count> rejections{};
  std::size_t rejections_task = 0;               ///< the index of that task
  /// With PlacementOptions::record_first_failures, per instance slot (InstanceId): the filter
  /// under which `rejections` counts the instance, nullopt when it does not count it (it passed
  /// every filter, is not ACTIVE, or for a DAEMON service already runs one of its tasks). Without
  /// it, empty.
  std::vector<std::optional<PlacementFilter>> first_failures;
  std::uint64_t seed = 0;                        ///< PlacementOptions::seed
  std::vector<std::string> notes;                ///< e.g. "CPU is unlimited on 2 instances ...", each once

  /// True when an input problem is an error (nothing was placed).
  [[nodiscard]] bool has_errors() const noexcept;
  /// The exit status `ecsq place` gives (contract §7): 0 when every task was placed (and for
  /// `--count max`, which a DAEMON service ignores), 1 when a task was not placed or an input has
  /// an error.
  [[nodiscard]] int exit_code(const PlacementRequest& request) const noexcept;
};

/// The strategies a request runs with: its own, else the default for its kind (contract §4):
/// RunTask `random`; REPLICA `spread(attribute:ecs.availability-zone)`, `spread(instanceId)`;
/// DAEMON none (strategies are ignored).
[[nodiscard]] std::vector<StrategySpec> effective_strategies(const PlacementRequest& request);

/// The input problems place() and plan() would report for these inputs (limits of contract §4,
/// memberOf expressions that do not check), without placing anything.
[[nodiscard]] std::vector<PlacementDiagnostic> check_placement(const TaskDemand& demand,
                                                               const PlacementRequest& request);

/// A strategy or constraint written on the command line (`ecsq place --strategy/--constraint`).
template <typename Spec>
struct SpecText {
  std::optional<Spec> spec;                      ///< set when there is no error
  std::vector<PlacementDiagnostic> diagnostics;  ///< spans into the text (PlacementDiagnostic::expression)
};

/// `random`, `spread:FIELD` (instanceId, host, attribute:NAME) or `binpack:FIELD` (cpu, memory),
/// as `ecsq place --strategy` takes it; anything else is an E0516 diagnostic.
[[nodiscard]] SpecText<StrategySpec> parse_strategy(std::string_view text, std::string origin = "command line");

/// `distinctInstance`, `memberOf(EXPR)` or a bare EXPR, as `ecsq place --constraint` takes it; the
/// expression's parse and check errors (E01xx..E03xx), or E0514 for distinctInstance with an
/// expression, are diagnostics.
[[nodiscard]] SpecText<ConstraintSpec> parse_constraint(std::string_view text, std::string origin = "command line");

/// Places the request's tasks one at a time (contract §3-§6a) and records each placement in
/// `cluster` (resources, ports, task counts): the cluster afterwards is as if the tasks ran.
[[nodiscard]] PlacementResult place(Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
                                    const PlacementOptions& options = {});

/// The dry run: the same result as place() on the same cluster, leaving the cluster untouched.
[[nodiscard]] PlacementResult plan(const Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
                                   const PlacementOptions& options = {});

/// "(service web) was unable to place a task because no container instance met all of its
/// requirements. The closest matching (container-instance ID) has insufficient memory available.
/// For more information, see the Troubleshooting section of the Amazon ECS Developer Guide." for
/// `failure`; ID is the last segment of the failure's ARN (its ec2InstanceId when the ARN is empty).
/// Reasons other than CPU, MEMORY, PORTS, PORTS_UDP and ATTRIBUTE read `encountered error "REASON"`.
[[nodiscard]] std::string service_event(std::string_view service_name, const PlacementFailure& failure);

/// "bridge", "host", "awsvpc" or "none".
[[nodiscard]] std::string_view to_string(NetworkMode mode) noexcept;

/// "random", "spread" or "binpack".
[[nodiscard]] std::string_view to_string(StrategyType type) noexcept;

/// "RunTask", "REPLICA service" or "DAEMON service".
[[nodiscard]] std::string_view to_string(RequestKind kind) noexcept;

}  // namespace ecsq
