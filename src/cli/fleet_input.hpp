// Fleets as the evaluating subcommands (select, explain, lint --fleet) take them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/instance.hpp"

namespace ecsq::cli {

/// The bundled sample fleet: next to the sources when run from a build tree, else installed.
[[nodiscard]] std::string sample_fleet_path();

/// Reads and merges `paths` (the sample fleet when empty); prints diagnostics to stderr and
/// returns nothing if any file has an error. A file given twice (the same path, or the same file
/// by another path or link) is bad usage: one error, thrown as CLI::RuntimeError(exit_usage).
[[nodiscard]] std::optional<std::vector<Instance>> load_fleet(const std::vector<std::string>& paths);

/// As load_fleet, read straight into a columnar Fleet (instance ids in input order): what select
/// scans. Same diagnostics, same exit behaviour.
[[nodiscard]] std::optional<Fleet> load_fleet_columns(const std::vector<std::string>& paths);

/// As load_fleet, keeping everything the files say (resources and tasks, for placement). When it
/// returns nothing, `unreadable` tells whether a file could not be read or is not JSON (E0405,
/// E0401) rather than holding a bad value.
[[nodiscard]] std::optional<FleetData> load_fleet_data(const std::vector<std::string>& paths, bool& unreadable);

}  // namespace ecsq::cli
