// Rejection summaries: per comparison, how many non-matching instances it pushed towards false.
// Built on the reference evaluator on purpose (not the matcher), so `explain --summary` shows
// exactly what evaluate decides, leaf by leaf, with negation tracked through `not`.
#include "ecsq/summary.hpp"

#include "ecsq/evaluate.hpp"
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
  std::vector<Leaf> leaves;
  if (!query.ast.empty()) collect_leaves(query.ast, query.ast.root, false, leaves);
  for (const Leaf& leaf : leaves) {
    summary.leaves.push_back(LeafRejections{leaf.node, to_string(query.ast, leaf.node), leaf.negated, 0});
  }
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

}  // namespace ecsq
