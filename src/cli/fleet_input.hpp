// Fleets as the evaluating subcommands (select, explain, lint --fleet) take them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ecsq/instance.hpp"

namespace ecsq::cli {

/// The bundled sample fleet: next to the sources when run from a build tree, else installed.
[[nodiscard]] std::string sample_fleet_path();

/// Reads and merges `paths` (the sample fleet when empty); prints diagnostics to stderr and
/// returns nothing if any file has an error. A file given twice (the same path, or the same file
/// by another path or link) is bad usage: one error, thrown as CLI::RuntimeError(exit_usage).
[[nodiscard]] std::optional<std::vector<Instance>> load_fleet(const std::vector<std::string>& paths);

}  // namespace ecsq::cli
