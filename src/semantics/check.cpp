// The checker: operators per subject (contract §4) and literals parsed into typed form once.
//
// Its diagnostics are E02xx and W02xx (code::operator_not_allowed, ... in ecsq/codes.hpp), plus
// the regex front end's E03xx with a span into the pattern inside the expression.
#include "ecsq/check.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>

#include <fmt/format.h>

#include "ecsq/codes.hpp"
#include "ecsq/print.hpp"
#include "common/text.hpp"

namespace ecsq {

namespace {

using detail::ascii_lower;
using detail::slice;

constexpr std::string_view accepted_dates =
    "2018-06-18, 2018-06-18T22:28:28, 2018-06-18T22:28:28Z or 2018-06-18T22:28:28+00:00";

// Deeper than anything the parser builds (its limit is 64), shallow enough for any stack.
constexpr unsigned max_tree_depth = 1024;

constexpr std::uint32_t bit(Op op) noexcept { return 1u << static_cast<unsigned>(op); }

constexpr std::uint32_t allowed_mask(SubjectKind subject) noexcept {
  constexpr std::uint32_t equality = bit(Op::eq) | bit(Op::ne);
  constexpr std::uint32_t ordering = bit(Op::gt) | bit(Op::ge) | bit(Op::lt) | bit(Op::le);
  constexpr std::uint32_t presence = bit(Op::exists) | bit(Op::not_exists);
  constexpr std::uint32_t lists = bit(Op::in) | bit(Op::not_in);
  constexpr std::uint32_t regex = bit(Op::matches) | bit(Op::not_matches);
  switch (subject) {
    case SubjectKind::agent_connected:
    case SubjectKind::ec2_instance_id: return equality | lists | regex;
    case SubjectKind::agent_version:
    case SubjectKind::registered_at:
    case SubjectKind::running_tasks_count: return equality | ordering;
    case SubjectKind::task_group: return equality | presence | lists | regex;
    case SubjectKind::attribute: return equality | ordering | presence | lists | regex;
  }
  return 0;
}

bool is_allowed(SubjectKind subject, Op op) noexcept { return (allowed_mask(subject) & bit(op)) != 0; }

class Checker {
 public:
  Checker(const Ast& ast, const CheckOptions& options, std::vector<Diagnostic>& out)
      : ast_(ast), options_(options), out_(out) {}

  bool well_formed() {
    for (const Node& node : ast_.nodes) {
      if (node.kind > NodeKind::comparison) return malformed(node.span, "a node has an unknown kind");
      if (node.kind == NodeKind::comparison) {
        if (node.first >= ast_.comparisons.size()) return malformed(node.span, "a comparison node indexes no comparison");
      } else if (static_cast<std::uint64_t>(node.first) + node.count > ast_.children.size() || node.count == 0 ||
                 (node.kind == NodeKind::not_ && node.count != 1)) {
        return malformed(node.span, "an and/or/not node has a bad child range");
      }
    }
    for (std::uint32_t child : ast_.children) {
      if (child >= ast_.nodes.size()) return malformed({}, "a child index is out of range");
    }
    for (const Comparison& c : ast_.comparisons) {
      if (static_cast<int>(c.op) >= op_count || c.subject.kind > SubjectKind::attribute) {
        return malformed(c.op_span, "a comparison has an unknown operator or subject");
      }
      const std::size_t n = c.values.size();
      const Arity a = arity(c.op);
      if ((a == Arity::none && n != 0) || (a == Arity::value && n != 1)) {
        return malformed(c.op_span, fmt::format("'{}' has {} operands", to_string(c.op), n));
      }
    }
    if (ast_.root == no_node) return true;
    if (ast_.root >= ast_.nodes.size()) return malformed({}, "the root index is out of range");
    visited_.assign(ast_.nodes.size(), false);
    return shallow(ast_.root, 0);
  }

  CheckedComparison comparison(const Comparison& c) {
    CheckedComparison out;
    out.subject = c.subject.kind;
    out.op = c.op;
    if (c.subject.kind == SubjectKind::attribute) out.attribute = c.subject.name;
    if (!is_allowed(c.subject.kind, c.op)) {
      wrong_operator(c);
      return out;
    }
    if (arity(c.op) == Arity::list) {
      list(c, out);
      return out;
    }
    if (arity(c.op) == Arity::none) return out;

    const Value& v = c.values.front();
    if (c.op == Op::matches || c.op == Op::not_matches) {
      regex(v, out);
      return out;
    }
    switch (c.subject.kind) {
      case SubjectKind::agent_connected:
        if (auto b = boolean(v)) out.strings.push_back(std::move(*b));
        break;
      case SubjectKind::agent_version: version(v, out); break;
      case SubjectKind::registered_at: instant(c, v, out); break;
      case SubjectKind::running_tasks_count: count(v, out); break;
      case SubjectKind::ec2_instance_id:
      case SubjectKind::task_group:
      case SubjectKind::attribute: out.strings.push_back(v.text); break;
    }
    return out;
  }

 private:
  bool malformed(Span span, std::string message) {
    error(code::malformed_tree, fmt::format("malformed expression tree: {}", message), span, {});
    return false;
  }

  // Visits the reachable tree once: a node reached twice (shared or on a cycle) is malformed,
  // which keeps this and every later walk linear and finite.
  bool shallow(std::uint32_t index, unsigned depth) {
    if (depth > max_tree_depth) return malformed({}, "the tree is deeper than 1024 levels");
    if (visited_[index]) return malformed({}, "a node is reached twice (shared or on a cycle)");
    visited_[index] = true;
    const Node& node = ast_.node(index);
    if (node.kind == NodeKind::comparison) return true;
    for (std::uint32_t i = 0; i < node.count; ++i) {
      if (!shallow(ast_.child(node, i), depth + 1)) return false;
    }
    return true;
  }

  Diagnostic& error(std::string code, std::string message, Span span, std::string label) {
    return out_.emplace_back(Diagnostic{Severity::error, std::move(code), std::move(message), span, std::move(label), {}, {}});
  }

  Diagnostic& warning(std::string code, std::string message, Span span, std::string label) {
    return out_.emplace_back(Diagnostic{Severity::warning, std::move(code), std::move(message), span, std::move(label), {}, {}});
  }

  void wrong_operator(const Comparison& c) {
    std::string allowed;
    for (Op op : allowed_operators(c.subject.kind)) {
      if (!allowed.empty()) allowed += ", ";
      allowed += to_string(op);
    }
    std::string_view written = slice(ast_.source, c.op_span);
    if (written.empty()) written = to_string(c.op);
    const std::string subject = to_string(c.subject);
    Diagnostic& d = error(code::operator_not_allowed,
                          fmt::format("operator '{}' is not valid for {}; use one of {}", written, subject, allowed),
                          c.op_span, "not valid here");
    if (c.op == Op::exists || c.op == Op::not_exists) {
      d.notes.push_back(fmt::format("every container instance has {}; exists tests task:group and attribute:NAME", subject));
    } else if (arity(c.op) == Arity::list) {
      d.notes.push_back(fmt::format("to test several values, write ({0} == a or {0} == b)", subject));
    } else if (c.op == Op::matches || c.op == Op::not_matches) {
      d.notes.push_back(fmt::format("{} is compared by value; use ordering operators for a range", subject));
    }
  }

  void list(const Comparison& c, CheckedComparison& out) {
    if (c.values.empty()) {
      warning(code::empty_list,
              c.op == Op::in ? "an empty list matches no instance" : "an empty list: '!in []' matches every instance",
              c.list_span, "empty list");
    }
    for (const Value& v : c.values) {
      if (c.subject.kind == SubjectKind::agent_connected) {
        if (auto b = boolean(v)) out.strings.push_back(std::move(*b));
      } else {
        out.strings.push_back(v.text);
      }
    }
    std::sort(out.strings.begin(), out.strings.end());
    out.strings.erase(std::unique(out.strings.begin(), out.strings.end()), out.strings.end());
  }

  std::optional<std::string> boolean(const Value& v) {
    const std::string normal = ascii_lower(v.text);
    if (normal != "true" && normal != "false") {
      error(code::invalid_boolean, fmt::format("expected true or false for agentConnected, found '{}'", v.text), v.span,
            "not a boolean");
      return std::nullopt;
    }
    if (normal != v.text) {
      Diagnostic& d = out_.emplace_back(Diagnostic{Severity::note, code::non_canonical_boolean,
                                                   fmt::format("'{}' is written '{}' in canonical form", v.text, normal),
                                                   v.span, "", {}, {}});
      d.fixits.push_back(FixIt{v.span, normal});
    }
    return normal;
  }

  void version(const Value& v, CheckedComparison& out) {
    if (auto parsed = parse_version(v.text)) {
      out.version = std::move(*parsed);
      return;
    }
    Diagnostic& d = error(code::invalid_version,
                          fmt::format("expected a version like 1.14.5 or 1.14.5-beta for agentVersion, found '{}'", v.text),
                          v.span, "not a version");
    d.notes.push_back("a version is dot-separated integers (at most 8) with an optional -suffix");
    const std::string_view text = v.text;
    if (text.size() > 1 && (text.front() == 'v' || text.front() == 'V') && parse_version(text.substr(1))) {
      d.fixits.push_back(FixIt{v.span, std::string(text.substr(1))});
    }
  }

  void instant(const Comparison& c, const Value& v, CheckedComparison& out) {
    bool date_only = false;
    if (auto parsed = parse_instant(v.text, &date_only)) {
      out.instant = *parsed;
      out.date_only = date_only;
      if (date_only && (c.op == Op::eq || c.op == Op::ne)) date_equality(c, v, *parsed);
      return;
    }
    Diagnostic& d = error(code::invalid_date, fmt::format("expected a date like {}, found '{}'", accepted_dates, v.text), v.span,
                          "not a date");
    if (auto seconds = parse_count(v.text); seconds && !to_string(Instant{*seconds}).starts_with('@')) {
      const std::string iso = to_string(Instant{*seconds});
      d.notes.push_back(fmt::format("epoch seconds are not accepted; {} is {}", v.text, iso));
      d.fixits.push_back(FixIt{v.span, iso});
    }
  }

  void date_equality(const Comparison& c, const Value& v, Instant midnight) {
    const std::string next = to_string(Instant{midnight.seconds + 86400}).substr(0, 10);
    const Span span{c.subject.span.begin, v.span.end};
    Diagnostic& d = warning(code::date_equality,
                            fmt::format("'{}' compares with the single instant {}, not the whole day",
                                        c.op == Op::eq ? "==" : "!=", to_string(midnight)),
                            span, "a date alone is midnight UTC");
    if (c.op == Op::eq) {
      d.notes.push_back(fmt::format("for the whole day write (registeredAt >= {} and registeredAt < {})", v.text, next));
    } else {
      d.notes.push_back(fmt::format("for outside the day write (registeredAt < {} or registeredAt >= {})", v.text, next));
    }
  }

  void count(const Value& v, CheckedComparison& out) {
    if (auto parsed = parse_count(v.text)) {
      out.count = *parsed;
      return;
    }
    const bool digits = !v.text.empty() && std::all_of(v.text.begin(), v.text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    error(code::invalid_count,
          digits ? fmt::format("runningTasksCount value {} is too large", v.text)
                 : fmt::format("expected a non-negative integer for runningTasksCount, found '{}'", v.text),
          v.span, digits ? "too large" : "not a count");
  }

  void regex(const Value& v, CheckedComparison& out) {
    auto compiled = Regex::compile(v.text, options_.regex);
    if (auto* ok = std::get_if<Regex>(&compiled)) {
      out.regex = std::move(*ok);
      return;
    }
    const RegexError& e = std::get<RegexError>(compiled);
    // Quoted values are raw, so pattern byte i is source byte begin + quote + i; if the source
    // does not hold the text there (a hand-built tree), fall back to the whole value.
    const std::uint32_t begin = v.span.begin + (v.quote != 0 ? 1u : 0u);
    const auto size = static_cast<std::uint32_t>(v.text.size());
    Span span = v.span;
    if (slice(ast_.source, Span{begin, begin + size}) == v.text) {
      const std::uint32_t offset = std::min(e.offset, size);
      span = Span{begin + offset, begin + std::min(size, offset + std::max<std::uint32_t>(e.length, 1))};
    }
    error(e.code, e.message, span, "in this regular expression");
  }

  const Ast& ast_;
  const CheckOptions& options_;
  std::vector<Diagnostic>& out_;
  std::vector<bool> visited_;
};

}  // namespace

std::vector<Op> allowed_operators(SubjectKind subject) {
  std::vector<Op> ops;
  for (int i = 0; i < op_count; ++i) {
    if (is_allowed(subject, static_cast<Op>(i))) ops.push_back(static_cast<Op>(i));
  }
  return ops;
}

CheckResult check(Ast ast, const CheckOptions& options) {
  CheckResult result;
  Checker checker(ast, options, result.diagnostics);
  if (!checker.well_formed()) return result;
  std::vector<CheckedComparison> comparisons;
  comparisons.reserve(ast.comparisons.size());
  for (const Comparison& c : ast.comparisons) comparisons.push_back(checker.comparison(c));
  if (has_error(result.diagnostics)) return result;
  result.query = CheckedQuery{std::move(ast), std::move(comparisons)};
  return result;
}

CheckResult check(std::string_view text, const ParseOptions& parse_options, const CheckOptions& options) {
  ParseResult parsed = parse(text, parse_options);
  if (!parsed.ok()) return CheckResult{std::nullopt, std::move(parsed.diagnostics)};
  CheckResult checked = check(std::move(*parsed.ast), options);
  parsed.diagnostics.insert(parsed.diagnostics.end(), std::make_move_iterator(checked.diagnostics.begin()),
                            std::make_move_iterator(checked.diagnostics.end()));
  checked.diagnostics = std::move(parsed.diagnostics);
  return checked;
}

std::ostream& operator<<(std::ostream& out, const CheckedQuery& query) { return out << to_string(query.ast); }

}  // namespace ecsq
