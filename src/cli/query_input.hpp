// The expressions select and explain evaluate: positional expressions (`-` reads lines from
// standard input), `--constraint` strings and `--group` for distinctInstance, all ANDed as ECS ANDs
// the constraints of a task.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "ecsq/check.hpp"

namespace ecsq::cli {

/// What the command line says to evaluate, as given.
struct QueryArguments {
  std::vector<std::string> expressions;  ///< positional; "-" reads one per line from standard input
  std::vector<std::string> constraints;  ///< --constraint: memberOf(EXPR), a bare EXPR or distinctInstance
  std::string group;                     ///< --group: the task group distinctInstance keeps apart; empty if not given
};

/// Registers the positional expressions, `--constraint` and `--group` on `command`.
void add_query_arguments(CLI::App& command, QueryArguments& arguments);

/// Every expression and constraint of the command line, checked, and their AND.
struct LoadedQuery {
  /// One per expression, then one per --constraint; distinctInstance is `not(task:group == GROUP)`.
  std::vector<CheckedQuery> parts;
  /// The AND of the parts as one tree (the part itself when there is one), for explain and summaries.
  CheckedQuery combined;
  /// The expression as given when there is one, else the AND written as one expression.
  std::string text;
};

/// Reads, parses and checks the arguments, printing every diagnostic (warnings too) to stderr.
/// Returns nothing after an expression error; bad usage (nothing to evaluate, distinctInstance
/// without --group) is reported and thrown as CLI::RuntimeError(exit_usage).
[[nodiscard]] std::optional<LoadedQuery> load_query(std::string_view command, const QueryArguments& arguments);

}  // namespace ecsq::cli
