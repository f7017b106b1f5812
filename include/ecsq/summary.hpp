// Which clause keeps instances out: per-leaf rejection counts over a fleet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ecsq/bitset.hpp"
#include "ecsq/check.hpp"
#include "ecsq/instance.hpp"

namespace ecsq {

/// How often one comparison of a query worked against a match.
struct LeafRejections {
  std::uint32_t node = 0;     ///< index into ast.nodes of the comparison
  std::string text;           ///< canonical text of the comparison
  bool negated = false;       ///< under an odd number of `not`s: it rejects when it holds
  std::size_t rejected = 0;   ///< instances that did not match and on which this leaf pushed towards false
};

/// The result of a query over a fleet, and which leaves rejected the instances that failed.
struct RejectionSummary {
  std::size_t instances = 0;
  std::size_t matched = 0;
  std::vector<LeafRejections> leaves;  ///< in source order

  /// The leaf with the most rejections (the first among equals), or nullptr if none rejected any.
  [[nodiscard]] const LeafRejections* worst() const noexcept;
};

/// Evaluates `query` on every instance and counts, per comparison, the non-matching instances
/// on which that comparison (negated under `not`) was false.
[[nodiscard]] RejectionSummary summarize_rejections(const CheckedQuery& query, std::span<const Instance> instances);

class Fleet;  // fleet.hpp

/// The same summary over the live instances of `fleet` whose bits are set in `instances` (e.g.
/// fleet.live()), computed with compiled matchers: the counts equal those over the Instances.
[[nodiscard]] RejectionSummary summarize_rejections(const CheckedQuery& query, const Fleet& fleet,
                                                    const Bitset& instances);

}  // namespace ecsq
