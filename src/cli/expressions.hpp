// Expressions named on the command line, with `-` meaning one per line from standard input.
#pragma once

#include <string>
#include <vector>

namespace ecsq::cli {

/// The arguments as given, except that each `-` is replaced by the lines of standard input
/// (a trailing '\r' is dropped; blank lines are skipped).
[[nodiscard]] std::vector<std::string> expand_expressions(const std::vector<std::string>& arguments);

/// True if one of `arguments` is `-`, standard input.
[[nodiscard]] bool names_standard_input(const std::vector<std::string>& arguments);

/// Label for expression `index` (0-based) of `count`: empty for a single one, else "expression N".
[[nodiscard]] std::string expression_origin(std::size_t index, std::size_t count);

}  // namespace ecsq::cli
