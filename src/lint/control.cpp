// Rule settings (contract §7): --disable/--enable/--severity and the `.ecsq-lint.yaml` config file.
//
// Rules are named by id or by name, in any case, and stored by id, so a config file and a command
// line that spell a rule differently still agree. Problems are returned as messages, never thrown.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "ecsq/lint.hpp"
#include "ecsq/lint_control.hpp"
#include "common/text.hpp"

namespace ecsq {

namespace {

std::optional<Severity> severity_named(std::string_view name) {
  if (name == "error") return Severity::error;
  if (name == "warning") return Severity::warning;
  if (name == "note") return Severity::note;
  return std::nullopt;
}

// The rules a config file's `disable:`/`enable:` value names: one rule or a list of them.
std::vector<std::string> rule_names(const YAML::Node& node, std::string_view key, std::vector<std::string>& problems) {
  std::vector<std::string> out;
  const auto one = [&](const YAML::Node& item) {
    if (!item.IsScalar()) {
      problems.push_back(fmt::format("'{}' holds rule ids or names, not a {}", key, item.IsMap() ? "mapping" : "list"));
      return;
    }
    out.push_back(item.Scalar());
  };
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) one(item);
  } else if (!node.IsNull()) {
    one(node);
  }
  return out;
}

}  // namespace

void LintRuleSettings::disable(std::string_view id) {
  if (!is_disabled(id)) disabled.emplace_back(id);
}

void LintRuleSettings::enable(std::string_view id) {
  std::erase_if(disabled, [&](const std::string& d) { return d == id; });
}

void LintRuleSettings::set_severity(std::string_view id, Severity severity) {
  std::erase_if(severities, [&](const auto& entry) { return entry.first == id; });
  severities.emplace_back(std::string(id), severity);
}

bool LintRuleSettings::is_disabled(std::string_view id) const noexcept {
  return std::find(disabled.begin(), disabled.end(), id) != disabled.end();
}

std::optional<Severity> LintRuleSettings::severity_of(std::string_view id) const noexcept {
  for (const auto& [rule, severity] : severities) {
    if (rule == id) return severity;
  }
  return std::nullopt;
}

const LintRule* resolve_lint_rule(std::string_view id_or_name) noexcept {
  const std::string wanted = detail::ascii_lower(id_or_name);
  for (const LintRule& rule : lint_rules()) {
    if (detail::ascii_lower(rule.id) == wanted || rule.name == wanted) return &rule;
  }
  return nullptr;
}

std::string unknown_lint_rule_message(std::string_view id_or_name) {
  std::vector<std::string_view> known;
  for (const LintRule& rule : lint_rules()) {
    known.push_back(rule.id);
    known.push_back(rule.name);
  }
  const std::string_view meant = closest_spelling(id_or_name, known);
  if (meant.empty()) return fmt::format("unknown lint rule '{}' (ecsq lint --list-rules lists them)", id_or_name);
  return fmt::format("unknown lint rule '{}'; did you mean '{}'?", id_or_name, meant);
}

std::optional<std::string> apply_severity_setting(std::string_view setting, LintRuleSettings& settings) {
  const std::size_t equals = setting.find('=');
  if (equals == std::string_view::npos) {
    return fmt::format("'{}' is not RULE=error, RULE=warning or RULE=note", setting);
  }
  const std::string_view name = setting.substr(0, equals);
  const std::string_view level = setting.substr(equals + 1);
  const LintRule* rule = resolve_lint_rule(name);
  if (rule == nullptr) return unknown_lint_rule_message(name);
  const std::optional<Severity> severity = severity_named(level);
  if (!severity) return fmt::format("'{}' is not a severity: use error, warning or note", level);
  settings.set_severity(rule->id, *severity);
  return std::nullopt;
}

std::vector<std::string> apply_lint_config(std::string_view yaml, LintRuleSettings& settings) {
  std::vector<std::string> problems;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    problems.push_back(fmt::format("not valid YAML: {}", error.what()));
    return problems;
  } catch (const std::exception& error) {
    problems.push_back(fmt::format("cannot be read: {}", error.what()));
    return problems;
  }
  if (root.IsNull()) return problems;  // an empty file changes nothing
  if (!root.IsMap()) {
    problems.push_back("expected a mapping with disable, enable and severity");
    return problems;
  }
  constexpr std::array<std::string_view, 3> keys{"disable", "enable", "severity"};
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>("");
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    const std::string_view meant = closest_spelling(key, keys);
    problems.push_back(meant.empty() ? fmt::format("unknown key '{}' (the keys are disable, enable and severity)", key)
                                     : fmt::format("unknown key '{}'; did you mean '{}'?", key, meant));
  }
  for (const std::string_view key : {std::string_view("disable"), std::string_view("enable")}) {
    if (!root[std::string(key)]) continue;
    for (const std::string& name : rule_names(root[std::string(key)], key, problems)) {
      const LintRule* rule = resolve_lint_rule(name);
      if (rule == nullptr) {
        problems.push_back(unknown_lint_rule_message(name));
      } else if (key == "disable") {
        settings.disable(rule->id);
      } else {
        settings.enable(rule->id);
      }
    }
  }
  if (const YAML::Node severity = root["severity"]) {
    if (!severity.IsMap()) {
      problems.push_back("'severity' maps rules to error, warning or note");
      return problems;
    }
    for (const auto& entry : severity) {
      const std::string name = entry.first.as<std::string>("");
      const std::string level = entry.second.IsScalar() ? entry.second.Scalar() : std::string();
      if (auto problem = apply_severity_setting(fmt::format("{}={}", name, level), settings)) {
        problems.push_back(std::move(*problem));
      }
    }
  }
  return problems;
}

std::optional<std::filesystem::path> find_lint_config(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::path at = std::filesystem::absolute(directory, error);
  if (error) return std::nullopt;
  for (;;) {
    const std::filesystem::path candidate = at / lint_config_name;
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
    if (!at.has_parent_path() || at.parent_path() == at) return std::nullopt;
    at = at.parent_path();
  }
}

}  // namespace ecsq
