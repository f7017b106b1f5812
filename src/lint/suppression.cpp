// Reads `# ecsq-lint:` comments from YAML documents, line by line rather than through the YAML
// parser, which drops comments. A `#` counts only at the start of a line or after whitespace, as
// YAML itself requires; one inside a quoted scalar that follows a space is taken as a comment too.
#include <algorithm>

#include <fmt/format.h>

#include "ecsq/lint.hpp"
#include "ecsq/lint_control.hpp"
#include "lint/suppression.hpp"

namespace ecsq::detail {

namespace {

constexpr std::string_view marker = "ecsq-lint:";

std::string_view trimmed(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

bool is_json(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

// The offset of the `#` that starts a comment on `line`, if any.
std::size_t comment_start(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
  }
  return std::string_view::npos;
}

}  // namespace

Suppressions read_suppressions(const ConstraintDocument& document) {
  Suppressions out;
  if (document.unreadable || is_json(document.text)) return out;
  std::vector<std::string_view> lines;
  std::vector<std::uint32_t> starts;
  const std::string_view text = document.text;
  for (std::size_t begin = 0; begin <= text.size();) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    lines.push_back(text.substr(begin, end - begin));
    starts.push_back(static_cast<std::uint32_t>(begin));
    begin = end + 1;
  }
  const auto problem = [&](std::uint32_t offset, std::uint32_t length, std::string message) {
    Diagnostic d{Severity::warning, rule::invalid_suppression, std::move(message), Span{offset, offset + length},
                 "suppresses nothing", {"write '# ecsq-lint: disable=RULE reason' or 'disable-file=RULE reason'"}, {}};
    out.problems.push_back(DocumentDiagnostic{std::move(d), {}});
  };
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string_view line = lines[n];
    const std::size_t hash = comment_start(line);
    if (hash == std::string_view::npos) continue;
    std::string_view comment = trimmed(line.substr(hash + 1));
    if (!comment.starts_with(marker)) continue;
    const auto offset = static_cast<std::uint32_t>(starts[n] + hash);
    const auto length = static_cast<std::uint32_t>(trimmed(line.substr(hash)).size());
    comment = trimmed(comment.substr(marker.size()));
    const bool whole_file = comment.starts_with("disable-file=");
    if (!whole_file && !comment.starts_with("disable=")) {
      problem(offset, length, "an ecsq-lint comment needs 'disable=RULE' or 'disable-file=RULE'");
      continue;
    }
    comment.remove_prefix(comment.find('=') + 1);
    const std::size_t space = comment.find_first_of(" \t");
    const std::string_view list = comment.substr(0, space);
    Suppression suppression;
    suppression.reason = space == std::string_view::npos ? std::string() : std::string(trimmed(comment.substr(space)));
    bool valid = true;
    for (std::size_t begin = 0; begin <= list.size();) {
      const std::size_t comma = std::min(list.find(',', begin), list.size());
      const std::string_view name = list.substr(begin, comma - begin);
      begin = comma + 1;
      if (name.empty()) continue;
      if (const LintRule* rule = resolve_lint_rule(name)) {
        suppression.rules.emplace_back(rule->id);
      } else {
        problem(offset, length, unknown_lint_rule_message(name));
        valid = false;
      }
    }
    if (suppression.rules.empty()) {
      if (valid) problem(offset, length, "this ecsq-lint comment names no rule");
      continue;
    }
    if (whole_file) {
      suppression.line = 0;
    } else if (!trimmed(line.substr(0, hash)).empty()) {
      suppression.line = static_cast<std::uint32_t>(n + 1);
    } else {
      // Alone on its line: it covers the next line that holds more than a comment.
      std::size_t next = n + 1;
      while (next < lines.size() && (trimmed(lines[next]).empty() || trimmed(lines[next]).starts_with('#'))) ++next;
      if (next == lines.size()) {
        problem(offset, length, "this ecsq-lint comment is followed by no line to suppress");
        continue;
      }
      suppression.line = static_cast<std::uint32_t>(next + 1);
    }
    out.items.push_back(std::move(suppression));
  }
  return out;
}

}  // namespace ecsq::detail
