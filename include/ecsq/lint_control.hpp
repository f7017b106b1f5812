// Which lint rules report and how severe their findings are (contract §7): settings from the
// command line (--disable, --enable, --severity) and from a `.ecsq-lint.yaml` config file. Inline
// `# ecsq-lint:` comments, which suppress single findings, are read by lint() itself.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ecsq/diagnostic.hpp"

namespace ecsq {

struct LintRule;

/// Rules turned off and severities changed; a later setting for a rule replaces an earlier one.
struct LintRuleSettings {
  std::vector<std::string> disabled;                         ///< rule ids
  std::vector<std::pair<std::string, Severity>> severities;  ///< rule id, the severity its findings get

  /// Turns the rule with this id off: it reports nothing.
  void disable(std::string_view id);
  /// Turns the rule with this id back on (a config file may have disabled it).
  void enable(std::string_view id);
  /// Gives every finding of the rule with this id `severity`.
  void set_severity(std::string_view id, Severity severity);
  [[nodiscard]] bool is_disabled(std::string_view id) const noexcept;
  /// The severity set for the rule, if any.
  [[nodiscard]] std::optional<Severity> severity_of(std::string_view id) const noexcept;
};

/// The rule `id_or_name` denotes: its id in any case (`ecsq-l025`) or its name (`glob-like-regex`).
[[nodiscard]] const LintRule* resolve_lint_rule(std::string_view id_or_name) noexcept;

/// "unknown lint rule 'X'", with a did-you-mean when a rule id or name is close.
[[nodiscard]] std::string unknown_lint_rule_message(std::string_view id_or_name);

/// Applies `RULE=error|warning|note` (the --severity syntax); an error message, or nothing.
[[nodiscard]] std::optional<std::string> apply_severity_setting(std::string_view setting, LintRuleSettings& settings);

/// Applies a config file's text: `disable: [RULE...]`, `enable: [RULE...]` and `severity: {RULE: LEVEL}`
/// (rules by id or name). Returns the problems found (unknown keys, rules or levels), empty when none.
[[nodiscard]] std::vector<std::string> apply_lint_config(std::string_view yaml, LintRuleSettings& settings);

/// The name of the config file lint looks for.
inline constexpr std::string_view lint_config_name = ".ecsq-lint.yaml";

/// `.ecsq-lint.yaml` in `directory` or in the nearest of its parents that holds one.
[[nodiscard]] std::optional<std::filesystem::path> find_lint_config(const std::filesystem::path& directory);

}  // namespace ecsq
