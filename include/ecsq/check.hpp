// The checker: per-subject operators and value types; literals turned into typed form once.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/ast.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/regex.hpp"
#include "ecsq/value.hpp"

namespace ecsq {

struct CheckOptions {
  RegexOptions regex;
};

/// A comparison whose literals are parsed into the subject's type. Evaluation reads only this.
struct CheckedComparison {
  SubjectKind subject = SubjectKind::attribute;
  Op op = Op::exists;
  std::string attribute;             ///< attribute name (SubjectKind::attribute only)
  /// String operands of ==, != (one) and in, !in (sorted, unique). agentConnected literals are
  /// normalised to "true"/"false"; for attribute ordering this holds the one literal.
  std::vector<std::string> strings;
  std::optional<Regex> regex;        ///< =~, !~
  Version version;                   ///< agentVersion
  Instant instant;                   ///< registeredAt
  bool date_only = false;            ///< registeredAt literal had no time part
  std::int64_t count = 0;            ///< runningTasksCount
};

/// A checked expression: the tree and, aligned with ast.comparisons, the typed comparisons.
struct CheckedQuery {
  Ast ast;
  std::vector<CheckedComparison> comparisons;
};

/// Prints the canonical text of `query.ast` (to_string): "memberOf(attribute:stack == prod)"; the
/// empty expression prints nothing.
std::ostream& operator<<(std::ostream& out, const CheckedQuery& query);

struct CheckResult {
  std::optional<CheckedQuery> query;  ///< present when there is no error
  std::vector<Diagnostic> diagnostics;
  [[nodiscard]] bool ok() const noexcept { return query.has_value(); }
};

/// Operators allowed for `subject` (contract §4), in canonical order.
[[nodiscard]] std::vector<Op> allowed_operators(SubjectKind subject);

/// Checks a parsed tree: errors E02xx (and E03xx for a rejected regex, pointing into the pattern),
/// warnings W02xx; the codes are in ecsq/codes.hpp. Never throws for a bad expression.
[[nodiscard]] CheckResult check(Ast ast, const CheckOptions& options = {});

/// Parses then checks `text`; diagnostics of both stages, parse warnings included.
[[nodiscard]] CheckResult check(std::string_view text, const ParseOptions& parse_options = {},
                                const CheckOptions& options = {});

}  // namespace ecsq
