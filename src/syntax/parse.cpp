// Parse actions and error points for grammar/ecsq/grammar.hpp.
//
// Its diagnostics are E01xx and W01xx, named by their constants in ecsq/codes.hpp
// (code::unterminated_quote); ecsq/codes.inc says what each means.
#include "ecsq/parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include "ecsq/check.hpp"
#include "ecsq/codes.hpp"
#include "ecsq/grammar.hpp"
#include "common/text.hpp"
#include "common/utf8.hpp"

namespace ecsq {

namespace {

using detail::ascii_lower;
using detail::edit_distance;

namespace pegtl = tao::pegtl;
namespace g = grammar;

constexpr std::size_t max_attribute_name = 128;

// The grammar recurses once per level of ( ) and not, so ParseOptions::max_depth is capped here:
// measured, one level takes about 0.9 KB of stack in a release build and up to 10 KB under
// ASan + UBSan, and at 256 levels that stays well inside a 1 MB thread stack (8 MB for ASan).
constexpr unsigned hard_max_depth = 256;

/// Thrown inside the parse only; parse() turns it into a value.
struct SyntaxError {
  Diagnostic diagnostic;
};

constexpr std::array<std::string_view, 6> keyword_subjects = {
    "agentConnected", "agentVersion", "ec2InstanceId", "registeredAt", "runningTasksCount", "task:group"};

/// The subject keyword `word` most likely stands for, if any (case-insensitive, small edits).
std::string_view closest_subject(std::string_view word) {
  const std::string lowered = ascii_lower(word);
  std::string_view best;
  std::size_t best_distance = 3;
  for (std::string_view candidate : keyword_subjects) {
    const std::size_t d = edit_distance(lowered, ascii_lower(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (best.empty() && edit_distance(lowered, "attribute") <= 2) best = "attribute:";
  return best;
}

std::string operator_list(SubjectKind subject) {
  std::string out;
  for (Op op : allowed_operators(subject)) {
    if (!out.empty()) out += ", ";
    out += to_string(op);
  }
  return out;
}

struct Open {
  std::size_t operands = 0;  // operand stack size when the construct started
  std::uint32_t begin = 0;
};

/// Everything the actions build while the input is matched.
struct Builder {
  std::string_view source;
  const ParseOptions& options;
  Ast ast;
  std::vector<std::uint32_t> operands;  // finished subtrees awaiting their parent
  std::vector<Open> opens;              // conjunctions, disjunctions and negations being matched
  std::vector<std::uint32_t> parens;    // offsets of '(' not closed yet
  std::uint32_t list_begin = 0;
  std::uint32_t comparison_begin = 0;
  Comparison current;
  unsigned depth = 0;
  std::vector<bool> level_counted;  // per group/negation being matched: did it add to depth?
  bool after_not = false;           // a `not` has just matched; a group right after it is free
  std::vector<Diagnostic> warnings;

  Builder(std::string_view text, const ParseOptions& opts) : source(text), options(opts) {}

  [[nodiscard]] std::uint32_t offset(const char* p) const noexcept {
    return static_cast<std::uint32_t>(p - source.data());
  }
  [[nodiscard]] std::string_view text(Span span) const { return source.substr(span.begin, span.size()); }

  /// The token at `at`: a run of non-space characters (empty at the end of the input).
  [[nodiscard]] Span token(std::uint32_t at) const {
    std::uint32_t end = at;
    while (end < source.size() && !std::isspace(static_cast<unsigned char>(source[end]))) ++end;
    return {at, end};
  }
  [[nodiscard]] std::string describe(Span token_span) const {
    if (token_span.size() == 0) return "the end of the input";
    std::string_view t = text(token_span);
    if (t.size() > 40) return fmt::format("'{}...'", t.substr(0, 40));
    return fmt::format("'{}'", t);
  }

  std::uint32_t push(Node node) {
    ast.nodes.push_back(node);
    return static_cast<std::uint32_t>(ast.nodes.size() - 1);
  }

  /// Replaces the operands of the construct that began at `open` by one n-ary node, flattening
  /// nested nodes of the same kind so that `(a and b) and c` has three children.
  void collapse(NodeKind kind, const Open& open, std::uint32_t end) {
    const std::size_t count = operands.size() - open.operands;
    if (count < 2) return;
    const auto first = static_cast<std::uint32_t>(ast.children.size());
    for (std::size_t i = open.operands; i < operands.size(); ++i) {
      const Node& child = ast.nodes[operands[i]];
      if (child.kind == kind) {
        for (std::uint32_t k = 0; k < child.count; ++k) ast.children.push_back(ast.children[child.first + k]);
      } else {
        ast.children.push_back(operands[i]);
      }
    }
    const auto n = static_cast<std::uint32_t>(ast.children.size() - first);
    operands.resize(open.operands);
    operands.push_back(push(Node{kind, Span{open.begin, end}, first, n}));
  }

  [[noreturn]] void fail(std::string code, std::string message, Span span, std::string label = {},
                         std::vector<std::string> notes = {}, std::vector<FixIt> fixits = {}) const {
    throw SyntaxError{Diagnostic{Severity::error, std::move(code), std::move(message), span, std::move(label),
                                 std::move(notes), std::move(fixits)}};
  }

  void warn_keyword_case(Span span, std::string_view canonical) {
    const std::string_view written = text(span);
    if (written == canonical) return;
    warnings.push_back(Diagnostic{Severity::warning, code::non_canonical_keyword,
                                  fmt::format("'{}' is written '{}' in canonical form", written, canonical), span,
                                  "not lower case", {}, {FixIt{span, std::string(canonical)}}});
  }
};

// ---- Actions ---------------------------------------------------------------------------------

template <typename Rule>
struct action {};

template <SubjectKind Kind>
struct subject_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.current.subject = Subject{Kind, {}, Span{b.offset(in.begin()), b.offset(in.end())}, false};
  }
};
template <> struct action<g::subject_agent_connected> : subject_action<SubjectKind::agent_connected> {};
template <> struct action<g::subject_agent_version> : subject_action<SubjectKind::agent_version> {};
template <> struct action<g::subject_ec2_instance_id> : subject_action<SubjectKind::ec2_instance_id> {};
template <> struct action<g::subject_registered_at> : subject_action<SubjectKind::registered_at> {};
template <> struct action<g::subject_running_tasks_count> : subject_action<SubjectKind::running_tasks_count> {};
template <> struct action<g::subject_task_group> : subject_action<SubjectKind::task_group> {};

void check_attribute_name(Builder& b, std::string_view name, Span span) {
  if (name.size() > max_attribute_name) {
    b.fail(code::attribute_name_too_long,
           fmt::format("attribute name is {} characters long; the limit is {}", name.size(), max_attribute_name),
           span, "too long");
  }
}

template <>
struct action<g::subject_attribute> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    const Span span{b.offset(in.begin()), b.offset(in.end())};
    std::string name(in.string_view().substr(std::string_view("attribute:").size()));
    check_attribute_name(b, name, Span{span.begin + 10, span.end});
    b.current.subject = Subject{SubjectKind::attribute, std::move(name), span, false};
  }
};

template <>
struct action<g::subject_shorthand> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    const Span span{b.offset(in.begin()), b.offset(in.end())};
    const std::string_view name = in.string_view();
    const std::string lowered = ascii_lower(name);
    if (lowered == "and" || lowered == "or" || lowered == "not") {
      b.fail(code::expected_expression, fmt::format("expected an expression, found the keyword '{}'", name), span,
             "expected a comparison or '('");
    }
    if (const std::string_view suggestion = closest_subject(name); !suggestion.empty() && suggestion != "attribute:") {
      b.fail(code::unknown_subject, fmt::format("unknown subject '{}'; did you mean '{}'?", name, suggestion), span,
             "not a subject", {fmt::format("subjects are case-sensitive; for a custom attribute named '{}' write 'attribute:{}'", name, name)},
             {FixIt{span, std::string(suggestion)}});
    }
    check_attribute_name(b, name, span);
    b.current.subject = Subject{SubjectKind::attribute, std::string(name), span, true};
    b.warnings.push_back(Diagnostic{
        Severity::warning, code::attribute_shorthand,
        fmt::format("attribute '{}' is written without the 'attribute:' prefix", name), span,
        fmt::format("read as 'attribute:{}'", name),
        {"ecsq accepts this shorthand, but the ECS API is not known to accept it"},
        {FixIt{Span{span.begin, span.begin}, "attribute:"}}});
  }
};

template <Op O>
struct op_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.current.op = O;
    b.current.op_span = Span{b.offset(in.begin()), b.offset(in.end())};
    const std::string_view written = in.string_view();
    if (std::isalpha(static_cast<unsigned char>(written.front()))) b.warn_keyword_case(b.current.op_span, word_spelling(O));
  }
};
template <> struct action<g::op_eq> : op_action<Op::eq> {};
template <> struct action<g::op_ne> : op_action<Op::ne> {};
template <> struct action<g::op_gt> : op_action<Op::gt> {};
template <> struct action<g::op_ge> : op_action<Op::ge> {};
template <> struct action<g::op_lt> : op_action<Op::lt> {};
template <> struct action<g::op_le> : op_action<Op::le> {};
template <> struct action<g::op_exists> : op_action<Op::exists> {};
template <> struct action<g::op_not_exists> : op_action<Op::not_exists> {};
template <> struct action<g::op_in> : op_action<Op::in> {};
template <> struct action<g::op_not_in> : op_action<Op::not_in> {};
template <> struct action<g::op_matches> : op_action<Op::matches> {};
template <> struct action<g::op_not_matches> : op_action<Op::not_matches> {};

template <typename Input>
void keyword_case(const Input& in, Builder& b, std::string_view canonical) {
  b.warn_keyword_case(Span{b.offset(in.begin()), b.offset(in.end())}, canonical);
}
template <> struct action<g::and_word> { template <typename I> static void apply(const I& in, Builder& b) { keyword_case(in, b, "and"); } };
template <> struct action<g::or_word> { template <typename I> static void apply(const I& in, Builder& b) { keyword_case(in, b, "or"); } };
template <> struct action<g::not_word> { template <typename I> static void apply(const I& in, Builder& b) { keyword_case(in, b, "not"); } };
template <> struct action<g::distinct_instance> {
  template <typename I>
  static void apply(const I& in, Builder& b) {
    keyword_case(in, b, "distinctInstance");
    b.ast.form = ConstraintForm::distinct_instance;
  }
};
template <> struct action<g::member_of_word> {
  template <typename I>
  static void apply(const I& in, Builder& b) {
    keyword_case(in, b, "memberOf");
    b.ast.form = ConstraintForm::member_of;
  }
};

template <typename Input>
void add_value(const Input& in, Builder& b, bool quoted) {
  const std::string_view matched = in.string_view();
  Value value;
  value.span = Span{b.offset(in.begin()), b.offset(in.end())};
  value.quote = quoted ? matched.front() : '\0';
  value.text = quoted ? std::string(matched.substr(1, matched.size() - 2)) : std::string(matched);
  b.current.values.push_back(std::move(value));
}
template <> struct action<g::quoted_value> { template <typename I> static void apply(const I& in, Builder& b) { add_value(in, b, true); } };
template <> struct action<g::bare_value> { template <typename I> static void apply(const I& in, Builder& b) { add_value(in, b, false); } };
template <> struct action<g::bare_list_value> { template <typename I> static void apply(const I& in, Builder& b) { add_value(in, b, false); } };

template <> struct action<g::list_open> {
  template <typename I>
  static void apply(const I& in, Builder& b) { b.list_begin = b.offset(in.begin()); }
};
template <> struct action<g::list_close> {
  template <typename I>
  static void apply(const I& in, Builder& b) { b.current.list_span = Span{b.list_begin, b.offset(in.end())}; }
};
/// Nesting is counted when a group or negation starts and judged when its opener has matched, so
/// that trying a rule that then fails does not count.
template <typename Input>
void check_depth(const Input& in, Builder& b) {
  const unsigned limit = std::min(b.options.max_depth, hard_max_depth);
  if (b.depth <= limit) return;
  const Span at{b.offset(in.begin()), b.offset(in.end())};
  b.fail(code::nesting_too_deep, fmt::format("expression nested deeper than {} levels", limit), at, "too deep",
         {limit == b.options.max_depth ? "the limit is ParseOptions::max_depth"
                                       : fmt::format("the limit is ParseOptions::max_depth, at most {}", hard_max_depth)});
}
template <> struct action<g::not_op> {
  template <typename I>
  static void apply(const I& in, Builder& b) {
    check_depth(in, b);
    b.after_not = true;
  }
};
template <> struct action<g::paren_open> {
  template <typename I>
  static void apply(const I& in, Builder& b) {
    check_depth(in, b);
    b.parens.push_back(b.offset(in.begin()));
  }
};
template <> struct action<g::paren_close> {
  template <typename I>
  static void apply(const I&, Builder& b) { b.parens.pop_back(); }
};

// ---- Control: tree building around constructs, and the error points --------------------------

template <typename Rule>
struct control : pegtl::normal<Rule> {
  static constexpr bool builds = std::is_same_v<Rule, g::conjunction> || std::is_same_v<Rule, g::disjunction> ||
                                 std::is_same_v<Rule, g::negation>;
  static constexpr bool nests = std::is_same_v<Rule, g::negation> || std::is_same_v<Rule, g::group>;

  template <typename Input>
  static void start(const Input& in, Builder& b) {
    if constexpr (nests) {
      // `not(x)` is one level, like `not x`, so that canonical output (which always writes
      // not(...)) is never deeper than its input. Checked once the opener is really there.
      const bool counts = !(std::is_same_v<Rule, g::group> && b.after_not);
      if constexpr (std::is_same_v<Rule, g::group>) b.after_not = false;
      b.depth += counts ? 1 : 0;
      b.level_counted.push_back(counts);
    }
    if constexpr (builds) b.opens.push_back(Open{b.operands.size(), b.offset(in.current())});
    if constexpr (std::is_same_v<Rule, g::comparison>) {
      b.after_not = false;
      b.current = Comparison{};
      b.comparison_begin = b.offset(in.current());
    }
  }

  static void leave(Builder& b) {
    b.depth -= b.level_counted.back() ? 1 : 0;
    b.level_counted.pop_back();
  }

  template <typename Input>
  static void success(const Input& in, Builder& b) {
    if constexpr (nests) leave(b);
    const std::uint32_t end = b.offset(in.current());
    if constexpr (std::is_same_v<Rule, g::comparison>) {
      b.ast.comparisons.push_back(std::move(b.current));
      const auto index = static_cast<std::uint32_t>(b.ast.comparisons.size() - 1);
      b.operands.push_back(b.push(Node{NodeKind::comparison, Span{b.comparison_begin, end}, index, 0}));
    } else if constexpr (std::is_same_v<Rule, g::negation>) {
      const Open open = b.opens.back();
      b.opens.pop_back();
      const std::uint32_t child = b.operands.back();
      b.ast.children.push_back(child);
      b.operands.back() = b.push(Node{NodeKind::not_, Span{open.begin, end},
                                      static_cast<std::uint32_t>(b.ast.children.size() - 1), 1});
    } else if constexpr (builds) {
      const Open open = b.opens.back();
      b.opens.pop_back();
      b.collapse(std::is_same_v<Rule, g::conjunction> ? NodeKind::and_ : NodeKind::or_, open, end);
    }
  }

  template <typename Input>
  static void failure(const Input&, Builder& b) {
    if constexpr (nests) leave(b);
    if constexpr (builds) {
      b.operands.resize(b.opens.back().operands);
      b.opens.pop_back();
    }
  }

  template <typename Input>
  [[noreturn]] static void raise(const Input& in, Builder& b) {
    raise_error(b, b.offset(in.current()));
  }

  [[noreturn]] static void raise_error(Builder& b, std::uint32_t at);
};

bool ends_comparison(std::string_view rest) {
  if (rest.empty() || rest.front() == ')') return true;
  if (rest.starts_with("&&") || rest.starts_with("||")) return true;
  const std::string lowered = ascii_lower(rest.substr(0, 4));
  const auto word = [&](std::string_view w) {
    return lowered.starts_with(w) &&
           (rest.size() == w.size() || !(std::isalnum(static_cast<unsigned char>(rest[w.size()])) ||
                                         std::string_view("-_./\\").find(rest[w.size()]) != std::string_view::npos));
  };
  return word("and") || word("or");
}

template <typename Rule>
void control<Rule>::raise_error(Builder& b, std::uint32_t at) {
  const Span token = b.token(at);
  const Span here{at, at + 1};
  const std::string found = b.describe(token);
  const Subject& subject = b.current.subject;

  if constexpr (std::is_same_v<Rule, g::missing_operator>) {
    const std::string name = to_string(subject);
    if (ends_comparison(b.source.substr(at))) {
      const Span after{subject.span.end, subject.span.end};
      if (subject.kind == SubjectKind::attribute || subject.kind == SubjectKind::task_group) {
        // The fix-it (rendered as the help line) is the only place the fixed text is spelt out, so
        // note and help cannot disagree (a shorthand subject keeps its spelling in the fix).
        b.fail(code::missing_operator, fmt::format("'{}' has no operator", name), subject.span, "needs an operator",
               {subject.kind == SubjectKind::task_group ? "'exists' after it tests that the instance runs a task"
                                                        : "'exists' after it tests that the instance has the attribute"},
               {FixIt{after, " exists"}});
      }
      b.fail(code::missing_operator, fmt::format("'{}' has no operator", name), subject.span,
             fmt::format("expected one of {}", operator_list(subject.kind)));
    }
    b.fail(code::expected_operator, fmt::format("expected an operator after subject '{}'", name), token,
           fmt::format("expected one of {}", operator_list(subject.kind)));
  } else if constexpr (std::is_same_v<Rule, g::single_equals>) {
    b.fail(code::single_equals, "'=' is not an operator; did you mean '=='?", here, "use '==' to compare", {},
           {FixIt{here, "=="}});
  } else if constexpr (std::is_same_v<Rule, g::unknown_prefix>) {
    std::uint32_t end = at;
    const auto is_name = [&](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || std::string_view("-_./\\").find(c) != std::string_view::npos;
    };
    while (end < b.source.size() && is_name(b.source[end])) ++end;
    const Span whole{at, end};
    const std::string_view written = b.text(whole);
    const std::string_view prefix = written.substr(0, written.find(':') + 1);
    std::vector<FixIt> fixits;
    std::string message = fmt::format("unknown subject '{}'", written);
    if (edit_distance(ascii_lower(prefix), "attribute:") <= 2) {
      message += "; did you mean 'attribute:'?";
      fixits.push_back(FixIt{Span{at, at + static_cast<std::uint32_t>(prefix.size())}, "attribute:"});
    } else if (const std::string_view s = closest_subject(written); !s.empty()) {
      message += fmt::format("; did you mean '{}'?", s);
      fixits.push_back(FixIt{whole, std::string(s)});
    }
    b.fail(code::unknown_subject, message, whole, "not a subject",
           {"subjects are agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount, task:group "
            "and attribute:NAME; attribute names cannot contain ':'"},
           std::move(fixits));
  } else if constexpr (std::is_same_v<Rule, g::attribute_name>) {
    std::uint32_t next = at;
    while (next < b.source.size() && std::isspace(static_cast<unsigned char>(b.source[next]))) ++next;
    b.fail(code::missing_attribute_name,
           fmt::format("expected an attribute name after 'attribute:', found {}", b.describe(b.token(next))), here,
           "attribute names are 1-128 characters of A-Z a-z 0-9 - _ . / \\");
  } else if constexpr (std::is_same_v<Rule, g::single_quote_close> || std::is_same_v<Rule, g::double_quote_close>) {
    const std::uint32_t open = b.current.values.empty() ? at : b.current.values.back().span.begin;
    // The quoted value was not added yet: find its opening quote by scanning back.
    const char quote = std::is_same_v<Rule, g::single_quote_close> ? '\'' : '"';
    const std::size_t q = b.source.rfind(quote, at == 0 ? 0 : at - 1);
    const std::uint32_t begin = q == std::string_view::npos ? open : static_cast<std::uint32_t>(q);
    b.fail(code::unterminated_quote, "unterminated quoted value", Span{begin, begin + 1}, "this quote is never closed",
           {fmt::format("add a closing {} at the end of the value", quote)});
  } else if constexpr (std::is_same_v<Rule, g::expected_value>) {
    b.fail(code::expected_value, fmt::format("expected a value after '{}', found {}", b.text(b.current.op_span), found),
           token.size() ? token : here, "expected a value");
  } else if constexpr (std::is_same_v<Rule, g::expected_list>) {
    std::vector<FixIt> fixits;
    if (token.size() != 0 && !ends_comparison(b.source.substr(at))) {
      fixits = {FixIt{Span{token.begin, token.begin}, "["}, FixIt{Span{token.end, token.end}, "]"}};
    }
    b.fail(code::expected_list, fmt::format("expected a list like [a, b] after '{}', found {}", b.text(b.current.op_span), found),
           token.size() ? token : here, "expected '['", {}, std::move(fixits));
  } else if constexpr (std::is_same_v<Rule, g::parenthesised_list>) {
    std::vector<FixIt> fixits{FixIt{here, "["}};
    int depth = 0;
    for (std::uint32_t i = at; i < b.source.size(); ++i) {
      if (b.source[i] == '(') ++depth;
      if (b.source[i] == ')' && --depth == 0) {
        fixits.push_back(FixIt{Span{i, i + 1}, "]"});
        break;
      }
    }
    b.fail(code::parenthesised_list, "a list is written in square brackets", here, "expected '['", {"write [a, b], not (a, b)"},
           std::move(fixits));
  } else if constexpr (std::is_same_v<Rule, g::list_close>) {
    if (at >= b.source.size()) {
      b.fail(code::unclosed_list, "'[' is never closed", Span{b.list_begin, b.list_begin + 1}, "this list has no ']'");
    }
    b.fail(code::expected_list_separator, fmt::format("expected ',' or ']' in the list, found {}", found), token, "expected ',' or ']'",
           {"quote list items that contain spaces: ['a b', c]"});
  } else if constexpr (std::is_same_v<Rule, g::list_next_item>) {
    b.fail(code::expected_list_item, fmt::format("expected a value after ',', found {}", found), token.size() ? token : here,
           "expected a list item");
  } else if constexpr (std::is_same_v<Rule, g::unbalanced_value>) {
    const char c = b.source[at];
    const bool opening = c == '(' || c == '[' || c == '{';
    b.fail(code::unbalanced_value,
           opening ? fmt::format("'{}' in a value is never closed", c) : fmt::format("'{}' in a value has no matching opening bracket", c),
           here, "unbalanced",
           {"brackets inside a bare value must balance; quote the value ('...') to use them freely"});
  } else if constexpr (std::is_same_v<Rule, g::expected_expression>) {
    b.fail(code::expected_expression, fmt::format("expected an expression, found {}", found), token.size() ? token : here,
           "expected a comparison, 'not' or '('");
  } else if constexpr (std::is_same_v<Rule, g::paren_close>) {
    if (at >= b.source.size()) {
      const std::uint32_t open = b.parens.empty() ? at : b.parens.back();
      b.fail(code::unclosed_paren, "'(' is never closed", Span{open, open + 1}, "this '(' has no matching ')'",
             {"add ')' at the end of the expression"});
    }
    b.fail(code::expected_connective, fmt::format("expected 'and', 'or' or ')', found {}", found), token, "expected 'and', 'or' or ')'",
           {"quote values that contain spaces: 'a b'"});
  } else if constexpr (std::is_same_v<Rule, g::end_of_input>) {
    if (b.source[at] == ')') {
      b.fail(code::unmatched_paren, "')' has no matching '('", here, "unmatched");
    }
    b.fail(code::trailing_input, fmt::format("unexpected {} after a complete expression", found), token,
           "expected 'and', 'or' or the end of the expression", {"quote values that contain spaces: 'a b'"});
  } else {
    b.fail(code::expected_expression, fmt::format("unexpected {}", found), token.size() ? token : here);
  }
}

// ---- Input checks and tree compaction --------------------------------------------------------

std::optional<Diagnostic> check_input(std::string_view text, const ParseOptions& options) {
  if (text.size() > options.max_input_bytes) {
    return Diagnostic{Severity::error, code::input_too_long,
                      fmt::format("expression is {} bytes long; the limit is {}", text.size(), options.max_input_bytes),
                      Span{static_cast<std::uint32_t>(options.max_input_bytes), static_cast<std::uint32_t>(options.max_input_bytes + 1)},
                      "input continues past the limit", {"the limit is ParseOptions::max_input_bytes"}, {}};
  }
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto at = static_cast<std::uint32_t>(i);
    if (!detail::utf8_valid_at(text, i)) {
      return Diagnostic{Severity::error, code::invalid_utf8, fmt::format("invalid UTF-8 byte 0x{:02x}", c), Span{at, at + 1},
                        "not UTF-8", {}, {}};
    }
    if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
      return Diagnostic{Severity::error, code::control_character, fmt::format("control character U+{:04X} in the expression", c),
                        Span{at, at + 1}, "not allowed", {}, {}};
    }
    i += detail::utf8_sequence_length(text, i);
  }
  return std::nullopt;
}

/// Renumbers the reachable nodes (root = 0, each node's children contiguous) and drops the ones
/// that flattening left behind.
void compact(Ast& ast, std::uint32_t root) {
  Ast out;
  out.source = std::move(ast.source);
  out.form = ast.form;
  out.comparisons = std::move(ast.comparisons);
  struct Item {
    std::uint32_t old_index;
    std::uint32_t new_index;
  };
  out.nodes.push_back(ast.nodes[root]);
  std::vector<Item> work{{root, 0}};
  while (!work.empty()) {
    const Item item = work.back();
    work.pop_back();
    const Node old = ast.nodes[item.old_index];
    if (old.kind == NodeKind::comparison) continue;
    const auto first = static_cast<std::uint32_t>(out.children.size());
    out.children.resize(first + old.count);
    for (std::uint32_t i = 0; i < old.count; ++i) {
      const std::uint32_t child = ast.children[old.first + i];
      out.nodes.push_back(ast.nodes[child]);
      const auto index = static_cast<std::uint32_t>(out.nodes.size() - 1);
      out.children[first + i] = index;
      work.push_back({child, index});
    }
    out.nodes[item.new_index].first = first;
  }
  out.root = 0;
  ast = std::move(out);
}

}  // namespace

ParseResult parse(std::string_view text, const ParseOptions& options) {
  ParseResult result;
  if (auto problem = check_input(text, options)) {
    result.diagnostics.push_back(std::move(*problem));
    return result;
  }
  Builder builder(text, options);
  builder.ast.source = std::string(text);
  try {
    pegtl::memory_input<> input(text.data(), text.size(), "expression");
    const bool matched = options.allow_constraint_forms
                             ? pegtl::parse<g::constraint_string, action, control>(input, builder)
                             : pegtl::parse<g::expression_only, action, control>(input, builder);
    if (!matched) {
      // Every path through the grammar ends in a match or an error point; this is a safety net.
      result.diagnostics.push_back(Diagnostic{Severity::error, code::expected_expression, "expected an expression", Span{0, 1}, {}, {}, {}});
      return result;
    }
  } catch (const SyntaxError& error) {
    result.diagnostics = std::move(builder.warnings);
    result.diagnostics.push_back(error.diagnostic);
    return result;
  }
  Ast ast = std::move(builder.ast);
  if (!builder.operands.empty()) {
    compact(ast, builder.operands.back());
  } else {
    ast.nodes.clear();
    ast.children.clear();
    ast.root = no_node;
  }
  result.ast = std::move(ast);
  result.diagnostics = std::move(builder.warnings);
  return result;
}

}  // namespace ecsq
