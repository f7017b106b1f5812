// Fleet files for the evaluating subcommands: `--fleet` files merged in order, or the bundled
// sample fleet (the source tree's copy first, then the installed one).
#include "fleet_input.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "ecsq/aws_json.hpp"

namespace ecsq::cli {

std::string sample_fleet_path() {
  std::error_code ignored;
  if (std::filesystem::exists(ECSQ_SAMPLE_FLEET_SOURCE, ignored)) return ECSQ_SAMPLE_FLEET_SOURCE;
  return ECSQ_SAMPLE_FLEET_INSTALLED;
}

std::optional<std::vector<Instance>> load_fleet(const std::vector<std::string>& paths) {
  FleetReadResult result = read_fleet_files(paths.empty() ? std::vector<std::string>{sample_fleet_path()} : paths);
  if (!result.diagnostics.empty()) fmt::print(stderr, "{}", render_diagnostics(result));
  if (!result.fleet) return std::nullopt;
  return std::move(result.fleet->instances);
}

std::optional<CheckedQuery> load_query(const std::string& expression) {
  CheckResult result = check(expression);
  for (const Diagnostic& d : result.diagnostics) fmt::print(stderr, "{}", render_text(d, expression));
  return std::move(result.query);
}

}  // namespace ecsq::cli
