// The reference evaluator and explain: what an expression means for one instance.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/instance.hpp"

namespace ecsq {

/// True if `instance` satisfies `query` (contract §5). The empty expression and distinctInstance are
/// true: distinctInstance depends on where the task already runs, which the caller knows.
[[nodiscard]] bool evaluate(const CheckedQuery& query, const Instance& instance) noexcept;

/// One comparison against one instance.
[[nodiscard]] bool evaluate(const CheckedComparison& comparison, const Instance& instance) noexcept;

/// One line of an explanation: a node of the tree, its result, and for a comparison the value seen.
struct ExplainLine {
  std::uint32_t node = 0;     ///< index into ast.nodes
  std::uint32_t depth = 0;    ///< nesting depth, root = 0
  bool result = false;
  std::string text;           ///< "and", "or", "not", or the canonical comparison
  std::string observed;       ///< comparison only: e.g. "\"m5.large\"", "(missing)", "(no value)"
};

/// Every node evaluated without short-circuit, in pre-order.
struct Explanation {
  bool result = false;
  std::vector<ExplainLine> lines;
};

/// Evaluates every sub-expression of `query` on `instance` and records what each saw.
[[nodiscard]] Explanation explain(const CheckedQuery& query, const Instance& instance);

class Fleet;                       // fleet.hpp
using InstanceId = std::uint32_t;  // as in bitset.hpp

/// explain() on instance `id` of `fleet`, the same as on *fleet.instance(id); an id that is not
/// live gives a false result with no lines.
[[nodiscard]] Explanation explain(const CheckedQuery& query, const Fleet& fleet, InstanceId id);

/// What `comparison` looks at on `instance`, as text: "\"m5.large\"", "(missing)", "(no value)", "3",
/// "{family:web, service:api}", "(no tasks)".
[[nodiscard]] std::string observed_value(const CheckedComparison& comparison, const Instance& instance);

/// Indented tree, two spaces a level: "✓ attribute:ecs.os-type == linux    saw \"linux\"".
[[nodiscard]] std::string render_text(const Explanation& explanation);

/// Prints render_text(explanation): one line per node, each ending in a line break.
std::ostream& operator<<(std::ostream& out, const Explanation& explanation);

}  // namespace ecsq
