// Fleets and expressions as the evaluating subcommands (select, explain, lint --fleet) take them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/instance.hpp"

namespace ecsq::cli {

/// The bundled sample fleet: next to the sources when run from a build tree, else installed.
[[nodiscard]] std::string sample_fleet_path();

/// Reads and merges `paths` (the sample fleet when empty); prints diagnostics to stderr and
/// returns nothing if any file has an error.
[[nodiscard]] std::optional<std::vector<Instance>> load_fleet(const std::vector<std::string>& paths);

/// Parses and checks `expression`; prints its diagnostics (warnings too) to stderr.
[[nodiscard]] std::optional<CheckedQuery> load_query(const std::string& expression);

}  // namespace ecsq::cli
