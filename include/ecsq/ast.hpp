// The syntax tree of a cluster query expression or constraint string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/diagnostic.hpp"

namespace ecsq {

/// The seven subjects of the language.
enum class SubjectKind : std::uint8_t {
  agent_connected,
  agent_version,
  ec2_instance_id,
  registered_at,
  running_tasks_count,
  task_group,
  attribute,
};

/// The twelve comparison operators (each has a symbol and/or word spelling).
enum class Op : std::uint8_t {
  eq,
  ne,
  gt,
  ge,
  lt,
  le,
  exists,
  not_exists,
  in,
  not_in,
  matches,
  not_matches,
};

inline constexpr int op_count = 12;

/// What an operator takes on its right: nothing, one value, or a list.
enum class Arity : std::uint8_t { none, value, list };

[[nodiscard]] Arity arity(Op op) noexcept;
/// Canonical spelling: the symbol where one exists ("==", "!exists"), else the word ("exists", "in").
[[nodiscard]] std::string_view to_string(Op op) noexcept;
/// The word spelling ("equals", "not_exists", ...).
[[nodiscard]] std::string_view word_spelling(Op op) noexcept;
/// The operator whose result is the exact complement (eq <-> ne, in <-> not_in, ...).
[[nodiscard]] Op negation(Op op) noexcept;
/// True for ne, not_exists, not_in, not_matches.
[[nodiscard]] bool is_negative(Op op) noexcept;
/// Subject keyword as written in the language ("agentConnected", "task:group", "attribute").
[[nodiscard]] std::string_view to_string(SubjectKind kind) noexcept;

/// A literal value: its text without quotes, and how it was written.
struct Value {
  std::string text;
  Span span;        ///< covers the quotes when quoted
  char quote = 0;   ///< 0 (bare), '\'' or '"'
};

struct Subject {
  SubjectKind kind = SubjectKind::attribute;
  std::string name;        ///< attribute name for SubjectKind::attribute, else empty
  Span span;               ///< the whole subject as written
  bool shorthand = false;  ///< written without the "attribute:" prefix
};

/// Canonical spelling of a subject: "attribute:NAME" for an attribute (shorthand or not), else its keyword.
[[nodiscard]] std::string to_string(const Subject& subject);

struct Comparison {
  Subject subject;
  Op op = Op::eq;
  Span op_span;
  std::vector<Value> values;  ///< none, one, or the list items
  Span list_span;             ///< the brackets of a list operand, empty otherwise
};

enum class NodeKind : std::uint8_t { or_, and_, not_, comparison };

/// A node of the flat tree. `and`/`or` are n-ary (children are flattened: `a or (b or c)` is one
/// `or` with three children); `not` has one child; a comparison indexes Ast::comparisons.
struct Node {
  NodeKind kind = NodeKind::comparison;
  Span span;
  std::uint32_t first = 0;  ///< or/and/not: first index into Ast::children; comparison: index into Ast::comparisons
  std::uint32_t count = 0;  ///< number of children (0 for a comparison)
};

/// How a constraint string was written.
enum class ConstraintForm : std::uint8_t {
  expression,         ///< a bare expression
  member_of,          ///< memberOf(EXPR)
  distinct_instance,  ///< distinctInstance: no expression, `root` is invalid
};

inline constexpr std::uint32_t no_node = 0xffffffffu;

/// A parsed expression. Nodes refer to each other by index; `root` is no_node for an empty
/// expression (memberOf() or an empty string) and for distinctInstance.
struct Ast {
  std::string source;
  ConstraintForm form = ConstraintForm::expression;
  std::uint32_t root = no_node;
  std::vector<Node> nodes;
  std::vector<std::uint32_t> children;  ///< child node indices of and/or/not, contiguous per node
  std::vector<Comparison> comparisons;

  [[nodiscard]] const Node& node(std::uint32_t index) const { return nodes[index]; }
  [[nodiscard]] const Comparison& comparison(const Node& n) const { return comparisons[n.first]; }
  [[nodiscard]] std::uint32_t child(const Node& n, std::uint32_t i) const { return children[n.first + i]; }
  [[nodiscard]] bool empty() const noexcept { return root == no_node; }
};

/// Same tree shape, subjects, operators and value texts; spans, quoting and spelling ignored.
[[nodiscard]] bool same_tree(const Ast& a, const Ast& b);

}  // namespace ecsq
