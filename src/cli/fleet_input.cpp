// Fleet files for the evaluating subcommands: `--fleet` files merged in order, or the bundled
// sample fleet (the source tree's copy first, then the installed one). A file named twice is
// refused before reading, by file identity rather than spelling: merging it with itself would
// report every instance as a duplicate of itself.
#include "fleet_input.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "commands.hpp"
#include "ecsq/aws_json.hpp"
#include "ecsq/codes.hpp"

namespace ecsq::cli {

namespace {

bool same_file(const std::string& a, const std::string& b) {
  if (a == "-" || b == "-") return a == b;
  if (a == b) return true;
  std::error_code error;
  return std::filesystem::equivalent(a, b, error) && !error;  // unreadable paths are left to the reader
}

void refuse_repeated_files(const std::vector<std::string>& paths) {
  for (std::size_t later = 1; later < paths.size(); ++later) {
    for (std::size_t earlier = 0; earlier < later; ++earlier) {
      if (!same_file(paths[earlier], paths[later])) continue;
      if (paths[earlier] == paths[later]) {
        usage_error(fmt::format("--fleet '{}' is given twice; give each fleet file once", paths[later]));
      }
      usage_error(fmt::format("--fleet '{}' is the same file as --fleet '{}'; give each fleet file once", paths[later],
                              paths[earlier]));
    }
  }
}

}  // namespace

std::string sample_fleet_path() {
  std::error_code ignored;
  if (std::filesystem::exists(ECSQ_SAMPLE_FLEET_SOURCE, ignored)) return ECSQ_SAMPLE_FLEET_SOURCE;
  return ECSQ_SAMPLE_FLEET_INSTALLED;
}

std::optional<std::vector<Instance>> load_fleet(const std::vector<std::string>& paths) {
  bool unreadable = false;
  std::optional<FleetData> fleet = load_fleet_data(paths, unreadable);
  if (!fleet) return std::nullopt;
  return std::move(fleet->instances);
}

std::optional<Fleet> load_fleet_columns(const std::vector<std::string>& paths) {
  refuse_repeated_files(paths);
  FleetColumnsResult result =
      read_fleet_columns_files(paths.empty() ? std::vector<std::string>{sample_fleet_path()} : paths);
  if (!result.diagnostics.empty()) fmt::print(stderr, "{}", render_diagnostics(result));
  return std::move(result.fleet);
}

std::optional<FleetData> load_fleet_data(const std::vector<std::string>& paths, bool& unreadable) {
  refuse_repeated_files(paths);
  FleetReadResult result = read_fleet_files(paths.empty() ? std::vector<std::string>{sample_fleet_path()} : paths);
  if (!result.diagnostics.empty()) fmt::print(stderr, "{}", render_diagnostics(result));
  unreadable = false;
  for (const FleetDiagnostic& d : result.diagnostics) {
    if (d.diagnostic.code == code::fleet_unreadable_file || d.diagnostic.code == code::fleet_invalid_json) unreadable = true;
  }
  return std::move(result.fleet);
}

}  // namespace ecsq::cli
