// How a comparison operator reads an ordering: one meaning of ==, !=, <, <=, > and >= for the
// reference evaluator (evaluate.cpp) and the matcher's tables (src/matcher/select.cpp) alike.
#pragma once

#include <compare>

#include "ecsq/ast.hpp"

namespace ecsq::detail {

/// Whether `order` (left <=> right) satisfies `left op right`; false for an `op` that is not a
/// comparison (exists, in, =~ and their negations).
[[nodiscard]] constexpr bool ordered(Op op, std::strong_ordering order) noexcept {
  switch (op) {
    case Op::eq: return order == 0;
    case Op::ne: return order != 0;
    case Op::gt: return order > 0;
    case Op::ge: return order >= 0;
    case Op::lt: return order < 0;
    case Op::le: return order <= 0;
    default: return false;
  }
}

}  // namespace ecsq::detail
