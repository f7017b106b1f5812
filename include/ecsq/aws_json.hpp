// Reading a fleet (container instances and the tasks placed on them) from the JSON the AWS CLI
// prints for `aws ecs describe-container-instances` and `aws ecs describe-tasks`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/diagnostic.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/instance.hpp"

namespace ecsq {

// Accepted documents: an object with `containerInstances` and/or `tasks` arrays (other keys, such
// as `failures`, are ignored), or a plain array of container instances. Unknown fields anywhere are
// ignored. Per instance: `ec2InstanceId` (required), `containerInstanceArn`, `status`,
// `agentConnected`, `versionInfo.agentVersion`, `registeredAt` (epoch seconds, fraction dropped, or
// ISO-8601 text, fractional seconds allowed), `runningTasksCount`, `attributes: [{name, value?}]`.
// An instance's task groups are the `group`s of the tasks whose `desiredStatus` is RUNNING and whose
// `containerInstanceArn` is the instance's; other tasks (stopped, Fargate, other clusters) are ignored.
// For placement, each instance's `registeredResources`/`remainingResources` (CPU, MEMORY, PORTS,
// PORTS_UDP, GPU) and every task's record (FleetTask) are kept as well.
//
// Diagnostic codes are E04xx, in the catalogue of ecsq/codes.hpp. Messages start with the field
// path (`containerInstances[3].attributes[1].name: expected a string, found a number`) and spans
// are byte offsets into the source text.

/// The resources placement reads from one resource list of an instance (`registeredResources` or
/// `remainingResources`). Each is nullopt when the list does not name that resource; other
/// resources (user-defined ones, NEURON_CORES) are not read.
struct ResourceAmounts {
  std::optional<std::int64_t> cpu;     ///< CPU: CPU units (INTEGER, LONG or a whole DOUBLE)
  std::optional<std::int64_t> memory;  ///< MEMORY: MiB
  std::optional<std::vector<std::uint16_t>> ports;      ///< PORTS (STRINGSET): TCP ports, sorted, unique
  std::optional<std::vector<std::uint16_t>> ports_udp;  ///< PORTS_UDP (STRINGSET): UDP ports, sorted, unique
  std::optional<std::int64_t> gpus;    ///< GPU: the INTEGER, or the number of STRINGSET ids
  std::vector<std::string> gpu_ids;    ///< GPU as a STRINGSET: the device ids, sorted, unique; else empty
};

/// What an instance lists under `registeredResources` and `remainingResources`.
struct InstanceResources {
  ResourceAmounts registered;
  ResourceAmounts remaining;  ///< authoritative when present (AWS has already subtracted running tasks)
};

/// One task of a `tasks` array (`aws ecs describe-tasks`), whatever its status or launch type.
struct FleetTask {
  std::string container_instance_arn;  ///< empty for Fargate tasks
  std::optional<std::size_t> instance; ///< index into FleetData::instances of that ARN, when in the fleet
  std::string group;                   ///< "service:web", "family:batch", ...; may be empty
  std::string desired_status;          ///< RUNNING, STOPPED, ...
  std::string last_status;
  std::string task_definition_arn;
  /// CPU units and MiB: the task-level `cpu`/`memory` strings ("1024", "1 vCPU", "2GB"), else the
  /// sum over `containers` of cpu and of memoryReservation-else-memory; nullopt when neither is written.
  std::optional<std::int64_t> cpu;
  std::optional<std::int64_t> memory;
  std::vector<std::uint16_t> tcp_ports;  ///< host ports of `containers[].networkBindings` (tcp), sorted, unique
  std::vector<std::uint16_t> udp_ports;  ///< the same for udp
  std::vector<std::string> gpu_ids;      ///< `containers[].gpuIds`, sorted, unique
  bool uses_eni = false;                 ///< an `attachments` entry of type ElasticNetworkInterface
};

/// Container instances read from one or more fleet documents, in input order, with what placement
/// reads besides: each instance's resources and every task.
struct FleetData {
  std::vector<Instance> instances;
  std::vector<InstanceResources> resources;  ///< aligned with `instances`
  std::vector<FleetTask> tasks;              ///< in input order, file by file
};

/// One input document: the name diagnostics print (usually its path) and its text.
struct FleetSource {
  std::string origin;
  std::string text;
};

/// A diagnostic and the index, in FleetReadResult::sources, of the text its span points into.
struct FleetDiagnostic {
  Diagnostic diagnostic;
  std::size_t source = 0;
};

/// What a read produced: a fleet only if no error was found, plus every diagnostic.
struct FleetReadResult {
  std::optional<FleetData> fleet;
  std::vector<FleetSource> sources;  ///< one per input, in order (text empty if unreadable)
  std::vector<FleetDiagnostic> diagnostics;
};

/// Reads one fleet document held in memory; `origin` names it in diagnostics.
[[nodiscard]] FleetReadResult read_fleet_json(std::string_view json, std::string_view origin = {});

/// Reads several documents as one fleet: tasks in one may refer to instances in another, and an
/// ec2InstanceId or containerInstanceArn appearing in two documents is an error.
[[nodiscard]] FleetReadResult read_fleet_sources(std::vector<FleetSource> sources);

/// Reads and merges fleet files ("-" is standard input); a file that cannot be read is an E0405.
[[nodiscard]] FleetReadResult read_fleet_files(const std::vector<std::string>& paths);

/// All diagnostics of `result`, each rendered by render_text against its own source and origin.
[[nodiscard]] std::string render_diagnostics(const FleetReadResult& result);

/// What a columnar read produced: a Fleet (instance ids 0..n-1 in input order) only if no error
/// was found, plus every diagnostic, exactly those the record reader (read_fleet_sources) reports.
struct FleetColumnsResult {
  std::optional<Fleet> fleet;
  std::vector<FleetSource> sources;  ///< one per input, in order (text empty if unreadable)
  std::vector<FleetDiagnostic> diagnostics;
};

/// Reads documents as read_fleet_sources does, straight into a Fleet equal to one built from its
/// instances (same columns, same dictionary order), without holding a DOM or an Instance per instance.
[[nodiscard]] FleetColumnsResult read_fleet_columns(std::vector<FleetSource> sources);

/// Reads and merges fleet files into a Fleet, as read_fleet_files does into records.
[[nodiscard]] FleetColumnsResult read_fleet_columns_files(const std::vector<std::string>& paths);

/// All diagnostics of `result`, rendered as for a FleetReadResult.
[[nodiscard]] std::string render_diagnostics(const FleetColumnsResult& result);

}  // namespace ecsq
