// Rejection summaries: per comparison, how many non-matching instances it pushed towards false.
// Over Instances it runs the reference evaluator, so `explain --summary` shows exactly what
// evaluate decides, leaf by leaf, with negation tracked through `not`. Over a Fleet it selects
// with compiled matchers instead, the whole query once and each comparison once, and counts with
// bitset operations: the same numbers, since a Matcher agrees with evaluate on every instance.
#include "ecsq/summary.hpp"

#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "ecsq/print.hpp"

namespace ecsq {

namespace {

struct Leaf {
  std::uint32_t node;
  bool negated;
};

void collect_leaves(const Ast& ast, std::uint32_t index, bool negated, std::vector<Leaf>& out) {
  const Node& node = ast.node(index);
  if (node.kind == NodeKind::comparison) {
    out.push_back({index, negated});
    return;
  }
  const bool child_negated = node.kind == NodeKind::not_ ? !negated : negated;
  for (std::uint32_t i = 0; i < node.count; ++i) collect_leaves(ast, ast.child(node, i), child_negated, out);
}

// The summary's leaves, in source order, with no rejections counted yet.
std::vector<Leaf> start_summary(const CheckedQuery& query, RejectionSummary& summary) {
  std::vector<Leaf> leaves;
  if (!query.ast.empty()) collect_leaves(query.ast, query.ast.root, false, leaves);
  for (const Leaf& leaf : leaves) {
    summary.leaves.push_back(LeafRejections{leaf.node, to_string(query.ast, leaf.node), leaf.negated, 0});
  }
  return leaves;
}

// The comparison at `node` of `query` as a query of its own.
CheckedQuery comparison_query(const CheckedQuery& query, std::uint32_t node) {
  const Node& comparison = query.ast.node(node);
  CheckedQuery one;
  one.ast.source = query.ast.source;
  one.ast.nodes.push_back(Node{NodeKind::comparison, comparison.span, 0, 0});
  one.ast.comparisons.push_back(query.ast.comparisons[comparison.first]);
  one.ast.root = 0;
  one.comparisons.push_back(query.comparisons[comparison.first]);
  return one;
}

}  // namespace

const LeafRejections* RejectionSummary::worst() const noexcept {
  const LeafRejections* best = nullptr;
  for (const LeafRejections& leaf : leaves) {
    if (leaf.rejected > 0 && (best == nullptr || leaf.rejected > best->rejected)) best = &leaf;
  }
  return best;
}

RejectionSummary summarize_rejections(const CheckedQuery& query, std::span<const Instance> instances) {
  RejectionSummary summary;
  summary.instances = instances.size();
  const std::vector<Leaf> leaves = start_summary(query, summary);
  for (const Instance& instance : instances) {
    if (evaluate(query, instance)) {
      ++summary.matched;
      continue;
    }
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      const CheckedComparison& comparison = query.comparisons[query.ast.node(leaves[i].node).first];
      if (evaluate(comparison, instance) == leaves[i].negated) ++summary.leaves[i].rejected;
    }
  }
  return summary;
}

RejectionSummary summarize_rejections(const CheckedQuery& query, const Fleet& fleet, const Bitset& instances) {
  RejectionSummary summary;
  Bitset failed = instances;
  failed &= fleet.live();
  summary.instances = failed.count();
  const std::vector<Leaf> leaves = start_summary(query, summary);
  failed -= compile(query, fleet).select(fleet);
  summary.matched = summary.instances - failed.count();
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const Bitset holds = compile(comparison_query(query, leaves[i].node), fleet).select(fleet);
    Bitset rejected = failed;
    if (leaves[i].negated) {
      rejected &= holds;
    } else {
      rejected -= holds;
    }
    summary.leaves[i].rejected = rejected.count();
  }
  return summary;
}

}  // namespace ecsq
