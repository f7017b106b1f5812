// The reference evaluator (contract §5) and explain.
//
// Choices beyond the contract, recorded in docs/language.md:
// - An agentVersion on the instance that is not a version, an empty ec2InstanceId, and an
//   instance without registeredAt all behave like a missing attribute: the positive operators
//   are false and the negations (their complements) true.
// - task:group exists means the instance has at least one task group.
// - distinctInstance and the empty expression evaluate to true; distinctInstance is the
//   caller's to apply, since it depends on where the task being placed already runs.
#include "ecsq/evaluate.hpp"

#include <algorithm>
#include <optional>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ecsq/fleet.hpp"
#include "ecsq/print.hpp"
#include "semantics/ordering.hpp"

namespace ecsq {

namespace {

using detail::ordered;

bool contains(const std::vector<std::string>& sorted, std::string_view text) noexcept {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), text,
                                   [](const std::string& s, std::string_view t) { return std::string_view(s) < t; });
  return it != sorted.end() && *it == text;
}

bool first_equals(const CheckedComparison& c, std::string_view text) noexcept {
  return !c.strings.empty() && c.strings.front() == text;
}

// The positive form of a string operator (==, ordering, in, =~) on a present value.
bool positive_on_text(const CheckedComparison& c, Op positive, std::string_view text) noexcept {
  switch (positive) {
    case Op::eq: return first_equals(c, text);
    case Op::gt:
    case Op::ge:
    case Op::lt:
    case Op::le: return !c.strings.empty() && ordered(positive, compare_attribute_values(text, c.strings.front()));
    case Op::in: return contains(c.strings, text);
    case Op::matches: return c.regex && c.regex->full_match(text);
    default: return false;
  }
}

// The positive operator and whether to flip it: negations are exact complements everywhere.
struct Polarity {
  Op positive;
  bool negate;
};

Polarity polarity(Op op) noexcept { return is_negative(op) ? Polarity{negation(op), true} : Polarity{op, false}; }

bool task_group_positive(const CheckedComparison& c, Op positive, const std::vector<std::string>& groups) noexcept {
  switch (positive) {
    case Op::exists: return !groups.empty();
    case Op::eq: return !c.strings.empty() && contains(groups, c.strings.front());
    case Op::in: {
      // Both sides are sorted: a merge walk finds any common group.
      auto a = groups.begin();
      auto b = c.strings.begin();
      while (a != groups.end() && b != c.strings.end()) {
        if (*a == *b) return true;
        if (*a < *b) ++a; else ++b;
      }
      return false;
    }
    case Op::matches:
      return c.regex && std::any_of(groups.begin(), groups.end(), [&](const std::string& g) { return c.regex->full_match(g); });
    default: return false;
  }
}

bool positive(const CheckedComparison& c, Op op, const Instance& instance) noexcept {
  switch (c.subject) {
    case SubjectKind::attribute: {
      const Attribute* attribute = instance.find_attribute(c.attribute);
      if (op == Op::exists) return attribute != nullptr;
      if (attribute == nullptr || !attribute->value) return false;
      return positive_on_text(c, op, *attribute->value);
    }
    case SubjectKind::ec2_instance_id:
      return !instance.ec2_instance_id.empty() && positive_on_text(c, op, instance.ec2_instance_id);
    case SubjectKind::agent_connected:
      return positive_on_text(c, op, instance.agent_connected ? "true" : "false");
    case SubjectKind::task_group: return task_group_positive(c, op, instance.task_groups());
    case SubjectKind::agent_version: {
      const auto seen = parse_version_view(instance.agent_version);
      return seen && ordered(op, compare(*seen, c.version));
    }
    case SubjectKind::registered_at:
      return instance.registered_at && ordered(op, *instance.registered_at <=> c.instant);
    case SubjectKind::running_tasks_count: return ordered(op, instance.running_tasks_count <=> c.count);
  }
  return false;
}

bool evaluate_node(const CheckedQuery& query, std::uint32_t index, const Instance& instance) noexcept {
  const Node& node = query.ast.node(index);
  switch (node.kind) {
    case NodeKind::comparison: return evaluate(query.comparisons[node.first], instance);
    case NodeKind::not_: return !evaluate_node(query, query.ast.child(node, 0), instance);
    case NodeKind::and_:
      for (std::uint32_t i = 0; i < node.count; ++i) {
        if (!evaluate_node(query, query.ast.child(node, i), instance)) return false;
      }
      return true;
    case NodeKind::or_:
      for (std::uint32_t i = 0; i < node.count; ++i) {
        if (evaluate_node(query, query.ast.child(node, i), instance)) return true;
      }
      return false;
  }
  return false;
}

bool explain_node(const CheckedQuery& query, std::uint32_t index, std::uint32_t depth, const Instance& instance,
                  std::vector<ExplainLine>& lines) {
  const Node& node = query.ast.node(index);
  const std::size_t at = lines.size();
  lines.push_back(ExplainLine{index, depth, false, {}, {}});
  bool result = false;
  if (node.kind == NodeKind::comparison) {
    const CheckedComparison& c = query.comparisons[node.first];
    result = evaluate(c, instance);
    lines[at].text = to_string(query.ast, index);
    lines[at].observed = observed_value(c, instance);
  } else {
    // No short-circuit: every child gets its line.
    bool all = true;
    bool any = false;
    for (std::uint32_t i = 0; i < node.count; ++i) {
      const bool r = explain_node(query, query.ast.child(node, i), depth + 1, instance, lines);
      all = all && r;
      any = any || r;
    }
    switch (node.kind) {
      case NodeKind::and_: result = all; lines[at].text = "and"; break;
      case NodeKind::or_: result = any; lines[at].text = "or"; break;
      default: result = !any; lines[at].text = "not"; break;
    }
  }
  lines[at].result = result;
  return result;
}

std::string quoted_or(std::string_view text, std::string_view absent) {
  return text.empty() ? std::string(absent) : json_quote(text);
}

}  // namespace

bool evaluate(const CheckedComparison& comparison, const Instance& instance) noexcept {
  const auto [op, negate] = polarity(comparison.op);
  return positive(comparison, op, instance) != negate;
}

bool evaluate(const CheckedQuery& query, const Instance& instance) noexcept {
  if (query.ast.empty()) return true;
  return evaluate_node(query, query.ast.root, instance);
}

std::string observed_value(const CheckedComparison& comparison, const Instance& instance) {
  switch (comparison.subject) {
    case SubjectKind::attribute: {
      const Attribute* attribute = instance.find_attribute(comparison.attribute);
      if (attribute == nullptr) return "(missing)";
      return attribute->value ? json_quote(*attribute->value) : "(no value)";
    }
    case SubjectKind::ec2_instance_id: return quoted_or(instance.ec2_instance_id, "(missing)");
    case SubjectKind::agent_connected: return instance.agent_connected ? "true" : "false";
    case SubjectKind::agent_version:
      if (instance.agent_version.empty()) return "(missing)";
      if (!parse_version_view(instance.agent_version)) return json_quote(instance.agent_version) + " (not a version)";
      return json_quote(instance.agent_version);
    case SubjectKind::registered_at: return instance.registered_at ? to_string(*instance.registered_at) : "(missing)";
    case SubjectKind::running_tasks_count: return std::to_string(instance.running_tasks_count);
    case SubjectKind::task_group: {
      if (instance.task_groups().empty()) return "(no tasks)";
      return fmt::format("{{{}}}", fmt::join(instance.task_groups(), ", "));
    }
  }
  return {};
}

Explanation explain(const CheckedQuery& query, const Instance& instance) {
  Explanation out;
  if (query.ast.empty()) {
    out.result = true;
    return out;
  }
  out.result = explain_node(query, query.ast.root, 0, instance, out.lines);
  return out;
}

Explanation explain(const CheckedQuery& query, const Fleet& fleet, InstanceId id) {
  const std::optional<Instance> instance = fleet.instance(id);
  if (!instance) return Explanation{};
  return explain(query, *instance);
}

std::string render_text(const Explanation& explanation) {
  std::string out;
  for (const ExplainLine& line : explanation.lines) {
    out.append(2 * line.depth, ' ');
    out += line.result ? "✓ " : "✗ ";
    out += line.text;
    if (!line.observed.empty()) {
      out += "    saw ";
      out += line.observed;
    }
    out += '\n';
  }
  // Only the empty expression and distinctInstance have no nodes; both hold everywhere.
  if (explanation.lines.empty()) out += fmt::format("{} (no expression)\n", explanation.result ? "✓" : "✗");
  return out;
}

std::ostream& operator<<(std::ostream& out, const Explanation& explanation) { return out << render_text(explanation); }

}  // namespace ecsq
