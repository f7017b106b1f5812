// The canonical printer: one spelling for every tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ecsq/ast.hpp"

namespace ecsq {

/// Canonical text: `attribute:` prefix, symbolic operators where one exists, lower-case keywords,
/// single spaces, quotes only where a value needs them, the fewest parentheses.
/// memberOf(EXPR) and distinctInstance print as such; parse(to_string(a)) is same_tree as a.
[[nodiscard]] std::string to_string(const Ast& ast);

/// Canonical text of the subtree rooted at node `index`.
[[nodiscard]] std::string to_string(const Ast& ast, std::uint32_t index);

/// Canonical text of one value: bare when that reads back the same, else quoted.
[[nodiscard]] std::string quote_value(std::string_view text);

}  // namespace ecsq
