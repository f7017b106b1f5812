// The syntax tree's vocabulary: operator arities and spellings, negations, subject names, and
// structural equality (same_tree), which ignores spans and spelling so printer round trips can
// be tested.
#include "ecsq/ast.hpp"

namespace ecsq {

Arity arity(Op op) noexcept {
  switch (op) {
    case Op::exists:
    case Op::not_exists: return Arity::none;
    case Op::in:
    case Op::not_in: return Arity::list;
    default: return Arity::value;
  }
}

std::string_view to_string(Op op) noexcept {
  switch (op) {
    case Op::eq: return "==";
    case Op::ne: return "!=";
    case Op::gt: return ">";
    case Op::ge: return ">=";
    case Op::lt: return "<";
    case Op::le: return "<=";
    case Op::exists: return "exists";
    case Op::not_exists: return "!exists";
    case Op::in: return "in";
    case Op::not_in: return "!in";
    case Op::matches: return "=~";
    case Op::not_matches: return "!~";
  }
  return "==";
}

std::string_view word_spelling(Op op) noexcept {
  switch (op) {
    case Op::eq: return "equals";
    case Op::ne: return "not_equals";
    case Op::gt: return "greater_than";
    case Op::ge: return "greater_than_equal";
    case Op::lt: return "less_than";
    case Op::le: return "less_than_equal";
    case Op::exists: return "exists";
    case Op::not_exists: return "not_exists";
    case Op::in: return "in";
    case Op::not_in: return "not_in";
    case Op::matches: return "matches";
    case Op::not_matches: return "not_matches";
  }
  return "equals";
}

Op negation(Op op) noexcept {
  switch (op) {
    case Op::eq: return Op::ne;
    case Op::ne: return Op::eq;
    case Op::gt: return Op::le;
    case Op::ge: return Op::lt;
    case Op::lt: return Op::ge;
    case Op::le: return Op::gt;
    case Op::exists: return Op::not_exists;
    case Op::not_exists: return Op::exists;
    case Op::in: return Op::not_in;
    case Op::not_in: return Op::in;
    case Op::matches: return Op::not_matches;
    case Op::not_matches: return Op::matches;
  }
  return op;
}

bool is_negative(Op op) noexcept {
  return op == Op::ne || op == Op::not_exists || op == Op::not_in || op == Op::not_matches;
}

std::string_view to_string(SubjectKind kind) noexcept {
  switch (kind) {
    case SubjectKind::agent_connected: return "agentConnected";
    case SubjectKind::agent_version: return "agentVersion";
    case SubjectKind::ec2_instance_id: return "ec2InstanceId";
    case SubjectKind::registered_at: return "registeredAt";
    case SubjectKind::running_tasks_count: return "runningTasksCount";
    case SubjectKind::task_group: return "task:group";
    case SubjectKind::attribute: return "attribute";
  }
  return "attribute";
}

std::string to_string(const Subject& subject) {
  return subject.kind == SubjectKind::attribute ? "attribute:" + subject.name : std::string(to_string(subject.kind));
}

namespace {

bool same_comparison(const Comparison& a, const Comparison& b) {
  if (a.subject.kind != b.subject.kind || a.subject.name != b.subject.name || a.op != b.op) return false;
  if (a.values.size() != b.values.size()) return false;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    if (a.values[i].text != b.values[i].text) return false;
  }
  return true;
}

bool same_node(const Ast& a, std::uint32_t ia, const Ast& b, std::uint32_t ib) {
  const Node& na = a.node(ia);
  const Node& nb = b.node(ib);
  if (na.kind != nb.kind) return false;
  if (na.kind == NodeKind::comparison) return same_comparison(a.comparison(na), b.comparison(nb));
  if (na.count != nb.count) return false;
  for (std::uint32_t i = 0; i < na.count; ++i) {
    if (!same_node(a, a.child(na, i), b, b.child(nb, i))) return false;
  }
  return true;
}

}  // namespace

bool same_tree(const Ast& a, const Ast& b) {
  if (a.form != b.form || a.empty() != b.empty()) return false;
  return a.empty() || same_node(a, a.root, b, b.root);
}

}  // namespace ecsq
