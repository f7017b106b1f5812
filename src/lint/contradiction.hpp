// Contradictions between two placement constraints of one task (ECSQ-L029), found with the
// reasoning ECSQ-L028 uses inside one expression (src/lint/rules.cpp).
#pragma once

#include <cstdint>
#include <optional>

#include "ecsq/check.hpp"

namespace ecsq::detail {

/// A comparison that must hold for `first` to hold and one that must hold for `second`, which no
/// instance satisfies together: nodes of first.ast and second.ast.
struct ConstraintConflict {
  std::uint32_t first_node = 0;
  std::uint32_t second_node = 0;
};

/// The first conflict between the comparisons `first` and `second` each require (those of their
/// top-level conjunction), or nothing; conflicts inside one of them alone are ECSQ-L028's.
[[nodiscard]] std::optional<ConstraintConflict> conflict_between(const CheckedQuery& first, const CheckedQuery& second);

}  // namespace ecsq::detail
