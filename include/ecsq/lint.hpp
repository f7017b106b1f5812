// Lint (contract §7): rules over expressions, placement constraints and the files that hold them,
// an optional check against a fleet, and text, JSON and SARIF reports.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/constraint.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/lint_control.hpp"

namespace ecsq {

/// A lint rule: a stable id, a short name, the severity it usually reports and what it finds.
struct LintRule {
  std::string_view id;           ///< "ECSQ-L020"
  std::string_view name;         ///< "invalid-expression"
  Severity severity = Severity::error;
  std::string_view summary;      ///< one sentence
  std::string_view explanation;  ///< one paragraph: cause, why it matters, fix, example
};

/// Every rule, in id order (defined once, in ecsq/lint_rules.inc).
[[nodiscard]] std::span<const LintRule> lint_rules() noexcept;

/// The rule with this id, or nullptr.
[[nodiscard]] const LintRule* find_lint_rule(std::string_view id) noexcept;

/// A snippet a rule reports and the same snippet fixed (ecsq/lint_rule_examples.inc).
struct LintRuleExample {
  std::string_view rule;  ///< the rule id
  std::string_view bad;
  std::string_view good;
};

/// The example of the rule with this id, or nullptr.
[[nodiscard]] const LintRuleExample* find_lint_rule_example(std::string_view id) noexcept;

/// Where ecsq's documentation lives; SARIF's driver.informationUri.
inline constexpr std::string_view ecsq_information_uri = "https://github.com/ecsq/ecsq";

/// The rule's section in docs/language.md §10 (a GitHub heading anchor): SARIF's helpUri.
[[nodiscard]] std::string lint_rule_help_uri(const LintRule& rule);

/// The anchor of the rule's heading in docs/language.md, "ecsq-l025-glob-like-regex".
[[nodiscard]] std::string lint_rule_anchor(const LintRule& rule);

/// Named constants for the rule ids, as ecsq::code has for diagnostic codes: `rule::contradiction`.
namespace rule {
#define ECSQ_LINT_RULE(name, id, kebab_name, severity, summary, explanation) inline constexpr char name[] = id;
#include "ecsq/lint_rules.inc"
#undef ECSQ_LINT_RULE
}  // namespace rule

/// The rule reporting `diagnostic`: its code when that is a rule id, else the rule that carries
/// parse and check diagnostics (ECSQ-L020 errors, ECSQ-L021 non-canonical forms, ECSQ-L027, ECSQ-L022).
[[nodiscard]] std::string_view lint_rule_of(const Diagnostic& diagnostic) noexcept;

/// The candidate a mistyped word most likely meant: the same word up to case, `_` and `-`, else the
/// unique closest within two edits; empty when none is close.
[[nodiscard]] std::string_view closest_spelling(std::string_view word, std::span<const std::string_view> candidates);

/// Lints the text of one expression field: parse and check diagnostics, the 2000-character limit,
/// `memberOf(...)` or `distinctInstance` written inside the field, and lint_query. Spans point into
/// `expression`; codes are parse/check codes or rule ids (see lint_rule_of).
[[nodiscard]] std::vector<Diagnostic> lint_expression(std::string_view expression, const CheckOptions& options = {});

/// The rules about meaning: misspelled built-in attributes, values they never take, glob-like
/// patterns, capability attributes compared with a value, and contradictions in a conjunction.
[[nodiscard]] std::vector<Diagnostic> lint_query(const CheckedQuery& query);

struct LintOptions {
  CheckOptions check;
  /// When set, every memberOf constraint is also evaluated on these instances (ECSQ-L030..L032).
  std::optional<std::span<const Instance>> fleet;
  /// Rules turned off and severities changed (--disable, --severity, `.ecsq-lint.yaml`).
  LintRuleSettings rules;
};

/// One finding, located in its file.
struct LintFinding {
  std::string rule;          ///< ECSQ-L0xx
  Diagnostic diagnostic;     ///< code: the parse/check code it came from (E0103) or the rule id
  std::size_t document = 0;  ///< index into LintReport::documents
  std::string path;          ///< JSON/YAML path of the value concerned
  LineColumn position;       ///< in the file
  std::optional<LineColumn> end;  ///< where the span ends in the file, when that is known
  /// For problems inside an expression: the expression, which `diagnostic.span` points into.
  /// Otherwise empty, and the span points into the document's text.
  std::optional<std::string> expression;
  LineColumn expression_position;  ///< in the expression, when `expression` is set
  /// When the file holds the expression verbatim: the byte offset in the file of its first character.
  std::optional<std::uint32_t> expression_offset;
  /// Set when a `# ecsq-lint: disable=...` comment suppresses the finding: the comment's reason
  /// (possibly empty). Suppressed findings are kept, counted apart and shown only in SARIF.
  std::optional<std::string> suppression;
};

struct LintReport {
  std::vector<ConstraintDocument> documents;
  std::vector<LintFinding> findings;  ///< by document, then by position in the file
  std::size_t constraints = 0;        ///< constraints read, computed ones included

  /// Findings of this severity, suppressed ones left out.
  [[nodiscard]] std::size_t count(Severity severity) const noexcept;
  /// Findings suppressed by comments in the files.
  [[nodiscard]] std::size_t suppressed() const noexcept;
  /// True when a document could not be read at all (the CLI then exits 2).
  [[nodiscard]] bool any_unreadable() const noexcept;
};

/// Lints documents together: every constraint and constraint list, and each service or RunTask
/// request with the task definition it names (same template by Ref, or any document by family)
/// against the combined limit of 10 and for contradictions; then applies `options.rules` and the
/// files' `# ecsq-lint:` suppression comments.
[[nodiscard]] LintReport lint(std::vector<ConstraintDocument> documents, const LintOptions& options = {});

/// Compiler-style text: "file:line:col: error[ECSQ-L020/E0103]: message", then the path, the
/// expression (or file line) with a caret, notes and help; a summary line last, counting suppressed
/// findings, which are not shown. ANSI colour when `color`.
[[nodiscard]] std::string render_lint_text(const LintReport& report, bool color = false);

/// One JSON object: {"files":[...],"findings":[{"rule","code","severity","message","file","path","line",
/// "column","expression","expression_line","expression_column","length","label","notes","fixits"}],
/// "summary":{...,"suppressed":N}}. Fix-it positions are in the expression when "expression" is not
/// null, else in the file. Suppressed findings are only counted.
[[nodiscard]] std::string render_lint_json(const LintReport& report);

/// A SARIF 2.1.0 log: one run, every rule in tool.driver.rules (with help and helpUri), one result
/// per finding, with `fixes` for fix-its that can be placed in the file and `suppressions` when suppressed.
[[nodiscard]] std::string render_lint_sarif(const LintReport& report);

}  // namespace ecsq
