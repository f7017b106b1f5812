// Reading a fleet (container instances and the tasks placed on them) from the JSON the AWS CLI
// prints for `aws ecs describe-container-instances` and `aws ecs describe-tasks`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/diagnostic.hpp"
#include "ecsq/instance.hpp"

namespace ecsq {

// Accepted documents: an object with `containerInstances` and/or `tasks` arrays (other keys, such
// as `failures`, are ignored), or a plain array of container instances. Unknown fields anywhere are
// ignored. Per instance: `ec2InstanceId` (required), `containerInstanceArn`, `status`,
// `agentConnected`, `versionInfo.agentVersion`, `registeredAt` (epoch seconds, fraction dropped, or
// ISO-8601 text, fractional seconds allowed), `runningTasksCount`, `attributes: [{name, value?}]`.
// An instance's task groups are the `group`s of the tasks whose `desiredStatus` is RUNNING and whose
// `containerInstanceArn` is the instance's; other tasks (stopped, Fargate, other clusters) are ignored.
//
// Diagnostic codes are E04xx, in the catalogue of ecsq/codes.hpp. Messages start with the field
// path (`containerInstances[3].attributes[1].name: expected a string, found a number`) and spans
// are byte offsets into the source text.

/// Container instances read from one or more fleet documents, in input order.
struct FleetData {
  std::vector<Instance> instances;
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

}  // namespace ecsq
