// Parsing expressions and constraint strings into an Ast.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "ecsq/ast.hpp"
#include "ecsq/diagnostic.hpp"

namespace ecsq {

struct ParseOptions {
  std::size_t max_input_bytes = 64 * 1024;  ///< longer input is rejected with E0150
  unsigned max_depth = 64;                  ///< deeper nesting of ( ) and not is rejected with E0151
  bool allow_constraint_forms = true;       ///< accept memberOf(EXPR) and distinctInstance
};

/// The outcome of a parse: the tree when there was no error, and every diagnostic (warnings too).
struct ParseResult {
  std::optional<Ast> ast;
  std::vector<Diagnostic> diagnostics;
  [[nodiscard]] bool ok() const noexcept { return ast.has_value(); }
};

/// Parses `text` (an expression, memberOf(EXPR) or distinctInstance). Never throws for bad input.
[[nodiscard]] ParseResult parse(std::string_view text, const ParseOptions& options = {});

}  // namespace ecsq
