// The PEGTL grammar of the ECS cluster query language: rules only, no actions.
// The EBNF beside this file (grammar/ecsq.ebnf) is the same language in prose form.
//
// Rules named `*_error` or listed as raise<> targets are error points: the parser's control
// class turns each into a coded diagnostic (src/syntax/parse.cpp), so a failed parse always says what
// was expected at that column instead of "parse error".
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace ecsq::grammar {

namespace pegtl = tao::pegtl;
using pegtl::alnum;
using pegtl::at;
using pegtl::eof;
using pegtl::must;
using pegtl::not_at;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::raise;
using pegtl::seq;
using pegtl::sor;
using pegtl::star;
using pegtl::string;

// ---- Lexical ------------------------------------------------------------------------------
struct space_char : one<' ', '\t', '\r', '\n'> {};
struct ws : star<space_char> {};
/// Characters of attribute names (and of words, for keyword boundaries).
struct name_char : sor<alnum, one<'-', '_', '.', '/', '\\'>> {};
struct end_of_word : not_at<name_char> {};

template <typename Word>
struct keyword : seq<Word, end_of_word> {};

struct and_word : keyword<TAO_PEGTL_ISTRING("and")> {};
struct and_symbol : string<'&', '&'> {};
struct and_op : sor<and_word, and_symbol> {};
struct or_word : keyword<TAO_PEGTL_ISTRING("or")> {};
struct or_symbol : string<'|', '|'> {};
struct or_op : sor<or_word, or_symbol> {};
struct not_word : keyword<TAO_PEGTL_ISTRING("not")> {};
struct not_symbol : seq<one<'!'>, not_at<one<'=', '~'>>> {};
struct not_op : sor<not_word, not_symbol> {};

// ---- Subjects (case-sensitive, as AWS documents them) --------------------------------------
struct subject_agent_connected : keyword<TAO_PEGTL_STRING("agentConnected")> {};
struct subject_agent_version : keyword<TAO_PEGTL_STRING("agentVersion")> {};
struct subject_ec2_instance_id : keyword<TAO_PEGTL_STRING("ec2InstanceId")> {};
struct subject_registered_at : keyword<TAO_PEGTL_STRING("registeredAt")> {};
struct subject_running_tasks_count : keyword<TAO_PEGTL_STRING("runningTasksCount")> {};
struct subject_task_group : keyword<TAO_PEGTL_STRING("task:group")> {};
struct attribute_prefix : TAO_PEGTL_STRING("attribute:") {};
struct attribute_name : plus<name_char> {};
struct subject_attribute : seq<attribute_prefix, must<attribute_name>> {};
/// `Attribute:x`, `task:grp`, `service:web == x`: a word and a colon that name no subject.
struct unknown_prefix : seq<plus<name_char>, one<':'>> {};
/// Bare attribute shorthand: `ecs.os-type == 'windows'` reads as `attribute:ecs.os-type`.
struct subject_shorthand : plus<name_char> {};
struct subject : sor<subject_attribute,
                     subject_task_group,
                     subject_agent_connected,
                     subject_agent_version,
                     subject_ec2_instance_id,
                     subject_registered_at,
                     subject_running_tasks_count,
                     seq<at<unknown_prefix>, raise<unknown_prefix>>,
                     subject_shorthand> {};

// ---- Operators (symbol and word spellings; words are case-insensitive) ---------------------
struct op_eq : sor<string<'=', '='>, keyword<TAO_PEGTL_ISTRING("equals")>> {};
struct op_ne : sor<string<'!', '='>, keyword<TAO_PEGTL_ISTRING("not_equals")>> {};
struct op_ge : sor<string<'>', '='>, keyword<TAO_PEGTL_ISTRING("greater_than_equal")>> {};
struct op_gt : sor<one<'>'>, keyword<TAO_PEGTL_ISTRING("greater_than")>> {};
struct op_le : sor<string<'<', '='>, keyword<TAO_PEGTL_ISTRING("less_than_equal")>> {};
struct op_lt : sor<one<'<'>, keyword<TAO_PEGTL_ISTRING("less_than")>> {};
struct op_exists : keyword<TAO_PEGTL_ISTRING("exists")> {};
struct op_not_exists : sor<seq<one<'!'>, keyword<TAO_PEGTL_ISTRING("exists")>>,
                           keyword<TAO_PEGTL_ISTRING("not_exists")>> {};
struct op_in : keyword<TAO_PEGTL_ISTRING("in")> {};
struct op_not_in : sor<seq<one<'!'>, keyword<TAO_PEGTL_ISTRING("in")>>, keyword<TAO_PEGTL_ISTRING("not_in")>> {};
struct op_matches : sor<string<'=', '~'>, keyword<TAO_PEGTL_ISTRING("matches")>> {};
struct op_not_matches : sor<string<'!', '~'>, keyword<TAO_PEGTL_ISTRING("not_matches")>> {};

struct unary_operator : sor<op_exists, op_not_exists> {};
struct list_operator : sor<op_in, op_not_in> {};
struct value_operator : sor<op_eq, op_ne, op_ge, op_gt, op_le, op_lt, op_matches, op_not_matches> {};

// ---- Values --------------------------------------------------------------------------------
/// Raw quoted values: no escapes; the other quote character may appear inside.
struct single_quote_close : one<'\''> {};
struct double_quote_close : one<'"'> {};
struct single_quoted : seq<one<'\''>, star<pegtl::not_one<'\''>>, must<single_quote_close>> {};
struct double_quoted : seq<one<'"'>, star<pegtl::not_one<'"'>>, must<double_quote_close>> {};
struct quoted_value : sor<single_quoted, double_quoted> {};

namespace detail {
/// Result of scanning a bare value: its length, or where its brackets stop balancing.
struct BareScan {
  std::size_t length = 0;
  bool balanced = true;
  std::size_t problem = 0;  ///< offset of the unbalanced or unclosed bracket when !balanced
};

/// A bare value ends at whitespace, `&&`, `||`, or outside any nesting at `)` (in a list also at
/// `,` and `]`). ( ) [ ] { } nest and must balance; `\` escapes the next character for the
/// counting only. An explicit stack (not recursion) keeps deep nesting off the call stack; more
/// than max_nesting open brackets count as unbalanced at the first one too many.
template <bool InList>
constexpr BareScan scan_bare_value(const char* begin, const char* end) noexcept {
  constexpr int max_nesting = 64;
  const char* open[max_nesting] = {};
  int depth = 0;
  const char* p = begin;
  const auto unbalanced = [begin](const char* at) { return BareScan{0, false, static_cast<std::size_t>(at - begin)}; };
  if (p != end && (*p == '\'' || *p == '"')) return {};
  while (p != end) {
    const char c = *p;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') break;
    if ((c == '&' || c == '|') && p + 1 != end && p[1] == c) break;
    if (c == '\\' && p + 1 != end && p[1] != ' ' && p[1] != '\t' && p[1] != '\r' && p[1] != '\n') {
      p += 2;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      if (depth == max_nesting) return unbalanced(p);
      open[depth++] = p;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        if (c == ')' || (InList && c == ']')) break;
        return unbalanced(p);
      }
      const char opener = *open[depth - 1];
      const char expected = opener == '(' ? ')' : opener == '[' ? ']' : '}';
      if (c != expected) return unbalanced(p);
      --depth;
    } else if (InList && c == ',' && depth == 0) {
      break;
    }
    ++p;
  }
  if (depth != 0) return unbalanced(open[depth - 1]);
  return BareScan{static_cast<std::size_t>(p - begin), true, 0};
}
}  // namespace detail

/// Raised when a bare value's brackets do not balance.
struct unbalanced_value {};

template <bool InList>
struct bare_value_rule {
  using rule_t = bare_value_rule;
  using subs_t = pegtl::empty_list;

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... states) {
    const detail::BareScan scan = detail::scan_bare_value<InList>(in.current(), in.end());
    if (!scan.balanced) {
      in.bump(scan.problem);  // the error points at the offending bracket
      Control<unbalanced_value>::raise(static_cast<const ParseInput&>(in), states...);
    }
    if (scan.length == 0) return false;
    in.bump(scan.length);
    return true;
  }
};

struct bare_value : bare_value_rule<false> {};
struct bare_list_value : bare_value_rule<true> {};

/// Error points for operands.
struct expected_value {};
struct expected_list {};
struct parenthesised_list {};

struct value : sor<quoted_value, bare_value, raise<expected_value>> {};
struct list_item : sor<quoted_value, bare_list_value> {};
struct list_open : one<'['> {};
struct list_close : one<']'> {};
struct list_next_item : list_item {};
struct list_items : opt<list_item, ws, star<one<','>, ws, must<list_next_item>, ws>> {};
struct list : sor<seq<list_open, ws, list_items, must<list_close>>,
                  seq<at<one<'('>>, raise<parenthesised_list>>,
                  raise<expected_list>> {};

// ---- Comparisons ---------------------------------------------------------------------------
/// Error points after a subject.
struct single_equals : seq<one<'='>, not_at<one<'=', '~'>>> {};
struct missing_operator {};

struct operation : sor<unary_operator,
                       seq<list_operator, ws, list>,
                       seq<value_operator, ws, value>,
                       seq<at<single_equals>, raise<single_equals>>,
                       raise<missing_operator>> {};
struct comparison : seq<subject, ws, operation> {};

// ---- Expressions ---------------------------------------------------------------------------
struct expected_expression {};
struct expression;
struct paren_open : one<'('> {};
struct paren_close : one<')'> {};
struct group : seq<paren_open, ws, expression, ws, must<paren_close>> {};
struct unary;
struct negation : seq<not_op, ws, unary> {};
struct unary : sor<negation, group, comparison, raise<expected_expression>> {};
struct conjunction : seq<unary, star<ws, and_op, ws, unary>> {};
struct disjunction : seq<conjunction, star<ws, or_op, ws, conjunction>> {};
struct expression : seq<disjunction> {};

// ---- Constraint strings --------------------------------------------------------------------
struct member_of_word : seq<TAO_PEGTL_ISTRING("memberOf"), at<ws, one<'('>>> {};
struct empty_expression : at<ws, sor<eof, one<')'>>> {};
struct member_of : seq<member_of_word, ws, paren_open, ws, sor<empty_expression, expression>, ws,
                       must<paren_close>> {};
struct distinct_instance : keyword<TAO_PEGTL_ISTRING("distinctInstance")> {};
struct constraint : sor<member_of, distinct_instance, seq<at<ws, eof>>, expression> {};
/// Error point: input left over after a complete expression.
struct end_of_input : eof {};
struct constraint_string : seq<ws, constraint, ws, must<end_of_input>> {};
/// The same without memberOf(...) / distinctInstance, for plain expression fields.
struct expression_only : seq<ws, sor<seq<at<ws, eof>>, expression>, ws, must<end_of_input>> {};

}  // namespace ecsq::grammar

namespace tao::pegtl {
// The bare value rules always consume input when they succeed.
template <typename Name, bool InList>
struct analyze_traits<Name, ecsq::grammar::bare_value_rule<InList>> : analyze_any_traits<> {};
}  // namespace tao::pegtl
