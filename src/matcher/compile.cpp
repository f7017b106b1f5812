// Compiling checked queries into a Matcher for one Fleet: which leaf each comparison becomes,
// and the two programs over those leaves. select.cpp runs them.
//
// Every comparison becomes one leaf that reads one column. Names and literals are looked up in
// the fleet's dictionaries, never added (the fleet is const, so compiling can share a lock with
// readers), so `==` is one integer compare against a code and an `in` list of up to four values
// is four branch-free compares (in4). Whatever an integer compare cannot decide becomes a table
// leaf: regexes, orderings, longer `in` lists, task-group sets, and `==`/`in` with a literal the
// fleet does not have yet (it may appear later, so it cannot be a code). A Predicate decides each
// distinct dictionary value once, and select.cpp keeps its answers in a byte table indexed by
// code, so the per-instance work stays one load. An attribute the fleet has never named becomes a
// pending leaf, resolved to its column by the first refresh after it appears.
//
// distinctInstance, given the group of the task being placed (CompileOptions::task_group), is
// `not task:group == G`: the fleet's task counts keep the instance's group set right.
//
// Negation is pushed to the leaves: `not`, `!=`, `!~`, `not in` and `!exists` become the
// positive test with the leaf's `negate` flag, so only and/or remain above the leaves, and a
// junction nested in one of its own kind is flattened into it. From that one tree come:
//  - the select tree (SelectNode), which select() evaluates a block of instances at a time;
//  - a branch program for matches(): each leaf names the leaf to test next when it holds and
//    when it does not (negation folded into the two targets), down to accept or reject, so one
//    instance is a chain of column reads with short-circuit and no recursion.
// Leaves keep the query's order: compile() does not reorder comparisons by cost.
#include <algorithm>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ecsq/matcher.hpp"
#include "matcher/program.hpp"

namespace ecsq {

namespace detail {

// Literals split by whether the fleet's dictionary has them: codes for those it has, the texts of
// the others (sorted).
struct Literals {
  std::vector<std::uint32_t> codes;
  std::vector<std::string> texts;
};

// Builds both programs from checked queries, looking names and literals up in the fleet.
struct Compiler {
  const Fleet& fleet;
  Matcher matcher;
  MatcherState& state;

  explicit Compiler(const Fleet& f) : fleet(f), state(*matcher.state_) { matcher.fleet_identity_ = fleet.identity(); }

  Predicate& add_predicate(LeafKind kind, std::uint32_t column = 0) {
    state.predicates.push_back(std::make_unique<Predicate>());
    Predicate& p = *state.predicates.back();
    p.kind = kind;
    p.column = column;
    return p;
  }

  static Cmp to_cmp(Op op) noexcept {
    switch (op) {
      case Op::lt: return Cmp::lt;
      case Op::le: return Cmp::le;
      case Op::gt: return Cmp::gt;
      case Op::ge: return Cmp::ge;
      default: return Cmp::eq;
    }
  }

  // `==` or `in` over interned codes: a constant, one compare, up to four compares, or a table.
  void equality(Leaf& leaf, std::vector<std::uint32_t> codes, LeafKind eq, LeafKind in, LeafKind table) {
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    if (codes.empty()) {
      leaf.kind = LeafKind::constant;
      leaf.code = 0;
    } else if (codes.size() == 1) {
      leaf.kind = eq;
      leaf.code = codes.front();
    } else if (codes.size() <= leaf.codes.size()) {
      leaf.kind = in;
      leaf.codes.fill(codes.front());
      std::copy(codes.begin(), codes.end(), leaf.codes.begin());
    } else {
      Predicate& p = add_predicate(table, leaf.column);
      p.codes = std::move(codes);
      p.known = all_literals_known;
      leaf.kind = table;
      leaf.cache = &p;
    }
  }

  // `==` or `in` whose literals are in `known` (a dictionary of `dictionary_size` entries, an
  // entry's code being `offset` + its id) and `unknown`: compares when every literal is known,
  // else a table that decides later entries by their text.
  void equality(Leaf& leaf, Literals literals, std::uint32_t offset, std::uint32_t dictionary_size, LeafKind eq,
                LeafKind in, LeafKind table) {
    if (literals.texts.empty()) {
      equality(leaf, std::move(literals.codes), eq, in, table);
      return;
    }
    Predicate& p = add_predicate(table, leaf.column);
    p.codes = std::move(literals.codes);
    std::sort(p.codes.begin(), p.codes.end());
    p.texts = std::move(literals.texts);
    p.known = offset + dictionary_size;
    // While the dictionary has not grown, select() compares against the known codes (in4); the
    // padding is no code at all.
    leaf.codes.fill(all_literals_known);
    std::copy_n(p.codes.begin(), std::min(p.codes.size(), leaf.codes.size()), leaf.codes.begin());
    leaf.kind = table;
    leaf.cache = &p;
  }

  static Literals split(const Dictionary& dictionary, std::uint32_t offset, const std::vector<std::string>& strings) {
    Literals out;
    for (const std::string& s : strings) {
      if (const auto id = dictionary.find(s)) {
        out.codes.push_back(offset + *id);
      } else {
        out.texts.push_back(s);
      }
    }
    std::sort(out.texts.begin(), out.texts.end());
    out.texts.erase(std::unique(out.texts.begin(), out.texts.end()), out.texts.end());
    return out;
  }

  // task:group == / in over `groups`: a table over set codes; groups the fleet does not know yet
  // are kept as text.
  void group_in(Leaf& leaf, const std::vector<std::string>& groups) {
    Predicate& p = add_predicate(LeafKind::group_table);
    Literals literals = split(fleet.task_groups(), 0, groups);
    p.codes = std::move(literals.codes);
    std::sort(p.codes.begin(), p.codes.end());
    p.texts = std::move(literals.texts);
    p.known = fleet.task_groups().size();
    leaf.kind = LeafKind::group_table;
    leaf.cache = &p;
  }

  // An attribute the fleet has never named: every instance lacks it for now.
  void pending_attribute(Leaf& leaf, const CheckedComparison& c, Op op) {
    Predicate& p = add_predicate(LeafKind::attribute_pending);
    p.attribute = c.attribute;
    p.names_searched.store(fleet.attribute_names().size(), std::memory_order_relaxed);
    if (op == Op::exists) {
      p.test = Test::exists;
    } else if (op == Op::eq || op == Op::in) {
      p.texts = split(Dictionary(), 0, c.strings).texts;
    } else {
      set_value_test(p, c, op);
    }
    leaf.kind = LeafKind::attribute_pending;
    leaf.cache = &p;
  }

  // A table predicate on attribute values: the regex of `=~`, else the ordering `op` with the literal.
  static void set_value_test(Predicate& p, const CheckedComparison& c, Op op) {
    if (op == Op::matches) {
      p.test = Test::regex;
      p.regex = c.regex;
    } else {
      p.test = Test::order;
      p.op = op;
      p.literal = c.strings.front();
    }
  }

  // A comparison as a leaf that tests the positive operator; negative operators set `negate`.
  Leaf make_leaf(const CheckedComparison& c) {
    Leaf leaf;
    leaf.negate = is_negative(c.op);
    const Op op = leaf.negate ? negation(c.op) : c.op;
    switch (c.subject) {
      case SubjectKind::attribute: {
        const std::optional<std::uint32_t> column = fleet.attribute_names().find(c.attribute);
        if (!column) {
          pending_attribute(leaf, c, op);
          break;
        }
        leaf.column = *column;
        if (op == Op::exists) {
          leaf.kind = LeafKind::attribute_exists;
        } else if (op == Op::eq || op == Op::in) {
          const Dictionary& values = fleet.attribute_values(leaf.column);
          equality(leaf, split(values, first_value_code, c.strings), first_value_code, values.size(),
                   LeafKind::attribute_eq, LeafKind::attribute_in, LeafKind::attribute_table);
        } else {
          Predicate& p = add_predicate(LeafKind::attribute_table, leaf.column);
          set_value_test(p, c, op);
          leaf.kind = LeafKind::attribute_table;
          leaf.cache = &p;
        }
        break;
      }
      case SubjectKind::ec2_instance_id: {
        if (op == Op::eq || op == Op::in) {
          // An empty ec2InstanceId (external instances) behaves like a missing attribute.
          std::vector<std::string> ids;
          for (const std::string& s : c.strings) {
            if (!s.empty()) ids.push_back(s);
          }
          equality(leaf, split(fleet.ec2_instance_ids(), 0, ids), 0, fleet.ec2_instance_ids().size(), LeafKind::ec2_eq,
                   LeafKind::ec2_in, LeafKind::ec2_table);
        } else {
          Predicate& p = add_predicate(LeafKind::ec2_table);
          p.test = Test::regex;
          p.regex = c.regex;
          leaf.kind = LeafKind::ec2_table;
          leaf.cache = &p;
        }
        break;
      }
      case SubjectKind::task_group: {
        if (op == Op::exists) {
          leaf.kind = LeafKind::group_exists;
        } else if (op == Op::in && c.strings.empty()) {
          leaf.kind = LeafKind::constant;
        } else if (op == Op::matches) {
          Predicate& p = add_predicate(LeafKind::group_table);
          p.test = Test::regex;
          p.regex = c.regex;
          leaf.kind = LeafKind::group_table;
          leaf.cache = &p;
        } else {
          group_in(leaf, c.strings);
        }
        break;
      }
      case SubjectKind::agent_connected: {
        // Two possible values: decide both now.
        const auto holds = [&](std::string_view text) {
          if (op == Op::matches) return c.regex->full_match(text);
          return std::binary_search(c.strings.begin(), c.strings.end(), text);
        };
        leaf.kind = LeafKind::connected;
        leaf.code = (holds("true") ? 1u : 0u) | (holds("false") ? 2u : 0u);
        break;
      }
      case SubjectKind::agent_version: {
        Predicate& p = add_predicate(LeafKind::version_table);
        p.test = Test::order;
        p.op = op;
        p.version = c.version;
        leaf.kind = LeafKind::version_table;
        leaf.cache = &p;
        break;
      }
      case SubjectKind::registered_at:
        leaf.kind = LeafKind::registered_at;
        leaf.cmp = to_cmp(op);
        leaf.number = c.instant.seconds;
        break;
      case SubjectKind::running_tasks_count:
        leaf.kind = LeafKind::running_count;
        leaf.cmp = to_cmp(op);
        leaf.number = c.count;
        break;
    }
    return leaf;
  }

  // Negation-normal form of an Ast subtree; nested and/or of the same kind are flattened.
  std::uint32_t build(const CheckedQuery& q, std::uint32_t index, bool negated, std::uint32_t depth) {
    const Node& n = q.ast.node(index);
    switch (n.kind) {
      case NodeKind::not_: return build(q, q.ast.child(n, 0), !negated, depth);
      case NodeKind::comparison: {
        Leaf leaf = make_leaf(q.comparisons[n.first]);
        leaf.negate = leaf.negate != negated;
        matcher.leaves_.push_back(leaf);
        state.nodes.push_back({SelectNode::leaf, static_cast<std::uint32_t>(matcher.leaves_.size() - 1), 0});
        return static_cast<std::uint32_t>(state.nodes.size() - 1);
      }
      case NodeKind::and_:
      case NodeKind::or_: {
        const bool is_and = (n.kind == NodeKind::and_) != negated;
        std::vector<std::uint32_t> kids;
        for (std::uint32_t i = 0; i < n.count; ++i) kids.push_back(build(q, q.ast.child(n, i), negated, depth + 1));
        return make_junction(is_and, kids, depth);
      }
    }
    return 0;
  }

  std::uint32_t make_junction(bool is_and, const std::vector<std::uint32_t>& kids, std::uint32_t depth) {
    const SelectNode::Kind kind = is_and ? SelectNode::and_ : SelectNode::or_;
    std::vector<std::uint32_t> flat;
    for (const std::uint32_t k : kids) {
      const SelectNode child = state.nodes[k];
      if (child.kind == kind) {
        flat.insert(flat.end(), state.children.begin() + child.first, state.children.begin() + child.first + child.count);
      } else {
        flat.push_back(k);
      }
    }
    state.depth = std::max(state.depth, depth + 1);
    const auto first = static_cast<std::uint32_t>(state.children.size());
    state.children.insert(state.children.end(), flat.begin(), flat.end());
    state.nodes.push_back({kind, first, static_cast<std::uint32_t>(flat.size())});
    return static_cast<std::uint32_t>(state.nodes.size() - 1);
  }

  // Short-circuit branch program: each leaf jumps to the next leaf to test, or to accept/reject.
  std::uint32_t link(std::uint32_t index, std::uint32_t on_true, std::uint32_t on_false) {
    const SelectNode n = state.nodes[index];
    if (n.kind == SelectNode::leaf) {
      Leaf& leaf = matcher.leaves_[n.first];
      leaf.on_true = leaf.negate ? on_false : on_true;
      leaf.on_false = leaf.negate ? on_true : on_false;
      return n.first;
    }
    std::uint32_t next = n.kind == SelectNode::and_ ? on_true : on_false;
    for (std::uint32_t i = n.count; i-- > 0;) {
      const std::uint32_t child = state.children[n.first + i];
      next = n.kind == SelectNode::and_ ? link(child, next, on_false) : link(child, on_true, next);
    }
    return next;
  }

  // distinctInstance for the task group being placed: `not task:group == group`.
  std::uint32_t distinct_instance(std::string_view group) {
    Leaf leaf;
    group_in(leaf, {std::string(group)});
    leaf.negate = true;
    matcher.leaves_.push_back(leaf);
    state.nodes.push_back({SelectNode::leaf, static_cast<std::uint32_t>(matcher.leaves_.size() - 1), 0});
    return static_cast<std::uint32_t>(state.nodes.size() - 1);
  }

  Matcher finish(std::span<const CheckedQuery* const> queries, const CompileOptions& options) {
    std::vector<std::uint32_t> roots;
    bool distinct = false;
    for (const CheckedQuery* q : queries) {
      if (!q->ast.empty()) roots.push_back(build(*q, q->ast.root, false, 1));
      distinct = distinct || q->ast.form == ConstraintForm::distinct_instance;
    }
    if (distinct && !options.task_group.empty()) roots.push_back(distinct_instance(options.task_group));
    if (roots.empty()) return std::move(matcher);
    state.empty = false;
    state.root = roots.size() == 1 ? roots.front() : make_junction(true, roots, 0);
    matcher.entry_ = link(state.root, accept, reject);
    return std::move(matcher);
  }
};

}  // namespace detail

Matcher::Matcher() : state_(std::make_unique<detail::MatcherState>()) {}
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

Matcher compile(std::span<const CheckedQuery* const> constraints, const Fleet& fleet, const CompileOptions& options) {
  detail::Compiler compiler(fleet);
  Matcher matcher = compiler.finish(constraints, options);
  // Tables for every value the fleet has now, so matches() is on its fast path from the start:
  // left to the first select() they would not exist for a caller that only calls matches(), which
  // then decided every instance from the value's text, 8-30x slower (benchmarks/RESULTS.md).
  matcher.refresh(fleet);
  return matcher;
}

Matcher compile(std::initializer_list<const CheckedQuery*> constraints, const Fleet& fleet, const CompileOptions& options) {
  return compile(std::span<const CheckedQuery* const>(constraints.begin(), constraints.size()), fleet, options);
}

Matcher compile(const CheckedQuery& query, const Fleet& fleet, const CompileOptions& options) {
  const CheckedQuery* one[] = {&query};
  return compile(std::span<const CheckedQuery* const>(one), fleet, options);
}

}  // namespace ecsq
