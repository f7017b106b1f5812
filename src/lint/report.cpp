// Lint reports as compiler-style text, as JSON, and as SARIF 2.1.0 for code-scanning services.
#include <algorithm>
#include <cctype>

#include <fmt/color.h>
#include <fmt/format.h>

#include "ecsq/lint.hpp"
#include "common/text.hpp"
#include "common/utf8.hpp"

namespace ecsq {

namespace {

// SARIF consumers link a tool's name to this page.

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// "ECSQ-L020/E0103" when the finding carries a parse/check code, else the rule id alone.
std::string tag(const LintFinding& finding) {
  return finding.diagnostic.code == finding.rule ? finding.rule : fmt::format("{}/{}", finding.rule, finding.diagnostic.code);
}

std::string_view source_of(const LintReport& report, const LintFinding& finding) {
  if (finding.expression) return *finding.expression;
  return report.documents[finding.document].text;
}

// Where byte `offset` of the finding's source (its expression, else its file) is.
LineColumn position_of(const LintReport& report, const LintFinding& finding, std::uint32_t offset) {
  if (finding.expression) return line_column(*finding.expression, offset);
  return position_in(report.documents[finding.document], offset);
}

// File names, messages and expressions come from the input: one line each.
std::string printable(std::string_view text) { return detail::printable(text, false); }

struct Line {
  std::string_view text;
  std::uint32_t begin = 0;
};

Line line_at(std::string_view source, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(source.size()));
  std::size_t begin = offset == 0 ? std::string_view::npos : source.rfind('\n', offset - 1);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  std::size_t end = source.find('\n', offset);
  if (end == std::string_view::npos) end = source.size();
  std::string_view text = source.substr(begin, end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return {text, static_cast<std::uint32_t>(begin)};
}

// Long lines (a 2000-character expression, minified JSON) are shown as a window around the caret.
constexpr std::uint32_t max_shown_characters = 120;
constexpr std::uint32_t context_before_caret = 40;

struct Window {
  std::uint32_t begin = 0;  // byte offsets into the line
  std::uint32_t end = 0;
};

Window window_around(std::string_view line, std::uint32_t caret) {
  const auto size = static_cast<std::uint32_t>(line.size());
  if (character_count(line) <= max_shown_characters) return {0, size};
  std::vector<std::uint32_t> starts;  // byte offset of each character
  for (std::uint32_t i = 0; i < size; i += static_cast<std::uint32_t>(detail::utf8_sequence_length(line, i))) starts.push_back(i);
  const auto caret_index = static_cast<std::size_t>(std::lower_bound(starts.begin(), starts.end(), caret) - starts.begin());
  const std::size_t first = caret_index > context_before_caret ? caret_index - context_before_caret : 0;
  const std::size_t last = std::min(starts.size(), first + max_shown_characters);
  return {starts[first], last < starts.size() ? starts[last] : size};
}

class TextRenderer {
 public:
  TextRenderer(const LintReport& report, bool color) : report_(report), color_(color) {}

  std::string render() {
    for (const LintFinding& finding : report_.findings) finding_text(finding);
    summary();
    return std::move(out_);
  }

 private:
  std::string paint(fmt::text_style style, std::string_view text) const {
    return color_ ? fmt::format(style, "{}", text) : std::string(text);
  }

  fmt::text_style severity_style(Severity severity) const {
    switch (severity) {
      case Severity::error: return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_red);
      case Severity::warning: return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_yellow);
      case Severity::note: return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_cyan);
    }
    return {};
  }

  void finding_text(const LintFinding& finding) {
    const Diagnostic& d = finding.diagnostic;
    const ConstraintDocument& document = report_.documents[finding.document];
    const fmt::text_style accent = severity_style(d.severity);
    const fmt::text_style frame = fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_blue);
    out_ += paint(fmt::emphasis::bold,
                  fmt::format("{}:{}:{}:", printable(document.origin), finding.position.line, finding.position.column));
    out_ += ' ';
    out_ += paint(accent, fmt::format("{}[{}]", to_string(d.severity), printable(tag(finding))));
    out_ += paint(fmt::emphasis::bold, fmt::format(": {}", printable(d.message)));
    out_ += '\n';

    const std::string_view source = source_of(report_, finding);
    const bool show_file_line = !finding.expression && !document.text.empty();
    const std::string number = show_file_line ? std::to_string(finding.position.line) : std::string();
    const std::string gutter(std::max<std::size_t>(number.size(), 1), ' ');
    if (!finding.path.empty()) {
      std::string where = printable(finding.path);
      if (finding.expression) {
        const bool multiline = finding.expression->find('\n') != std::string::npos;
        where += multiline ? fmt::format(", expression line {} column {}", finding.expression_position.line,
                                         finding.expression_position.column)
                           : fmt::format(", expression column {}", finding.expression_position.column);
      }
      out_ += fmt::format("{}{} {}\n", gutter, paint(frame, "-->"), where);
    }
    if (finding.expression || show_file_line) {
      const Line line = line_at(source, d.span.begin);
      const auto size = static_cast<std::uint32_t>(line.text.size());
      const std::uint32_t caret_begin = std::min(d.span.begin - std::min(d.span.begin, line.begin), size);
      const std::uint32_t caret_end = std::clamp(d.span.end - std::min(d.span.end, line.begin), caret_begin, size);
      const Window window = window_around(line.text, caret_begin);
      std::string pad(window.begin > 0 ? 3 : 0, ' ');
      for (std::size_t i = window.begin; i < caret_begin; i += detail::utf8_sequence_length(line.text, i)) {
        pad += line.text[i] == '\t' ? '\t' : ' ';
      }
      const std::uint32_t shown_end = std::min(caret_end, window.end);
      const std::uint32_t width =
          std::max<std::uint32_t>(1, character_count(line.text.substr(caret_begin, shown_end - caret_begin)));
      std::string carets(width, '^');
      if (!d.label.empty()) carets += " " + printable(d.label);
      const std::string shown = fmt::format("{}{}{}", window.begin > 0 ? "..." : "",
                                            printable(line.text.substr(window.begin, window.end - window.begin)),
                                            window.end < size ? "..." : "");
      out_ += fmt::format("{} {}\n", gutter, paint(frame, "|"));
      out_ += fmt::format("{} {} {}\n", number.empty() ? gutter : number, paint(frame, "|"), shown);
      out_ += fmt::format("{} {} {}{}\n", gutter, paint(frame, "|"), pad, paint(accent, carets));
    }
    for (const std::string& note : d.notes) {
      out_ += fmt::format("{} {} {}\n", gutter, paint(frame, "= note:"), printable(note));
    }
    if (d.fixits.empty()) return;
    const fmt::text_style help = fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_green);
    if (finding.expression) {
      const std::string fixed = with_fixits_applied(source, d.fixits);
      if (!fixed.empty() || source.size() == d.fixits.front().span.size()) {
        out_ += fmt::format("{} {} write '{}'\n", gutter, paint(help, "= help:"), printable(fixed));
        return;
      }
    }
    for (const FixIt& fix : d.fixits) {
      const LineColumn at = position_of(report_, finding, fix.span.begin);
      out_ += fmt::format("{} {} at {}{}:{} write {}\n", gutter, paint(help, "= help:"), finding.expression ? "expression " : "",
                          at.line, at.column, fix.replacement.empty() ? "nothing" : printable(fix.replacement));
    }
  }

  void summary() {
    const std::size_t errors = report_.count(Severity::error);
    const std::size_t warnings = report_.count(Severity::warning);
    const std::size_t notes = report_.count(Severity::note);
    out_ += fmt::format("{}, {}: {}, {}, {}\n", plural(report_.documents.size(), "file"),
                        plural(report_.constraints, "constraint"), plural(errors, "error"), plural(warnings, "warning"),
                        plural(notes, "note"));
  }

  const LintReport& report_;
  bool color_;
  std::string out_;
};

std::string json_fixits(const LintReport& report, const LintFinding& finding) {
  const std::string_view source = source_of(report, finding);
  std::string out;
  for (const FixIt& fix : finding.diagnostic.fixits) {
    const LineColumn at = position_of(report, finding, fix.span.begin);
    const std::uint32_t end = std::min<std::uint32_t>(fix.span.end, static_cast<std::uint32_t>(source.size()));
    const std::uint32_t begin = std::min(fix.span.begin, end);
    if (!out.empty()) out += ',';
    out += fmt::format(R"({{"line":{},"column":{},"length":{},"replacement":{}}})", at.line, at.column,
                       character_count(source.substr(begin, end - begin)), json_quote(fix.replacement));
  }
  return out;
}

std::string json_strings(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ',';
    out += json_quote(item);
  }
  return out;
}

std::size_t constraints_in(const ConstraintDocument& document) {
  std::size_t n = 0;
  for (const ConstraintSet& set : document.sets) n += set.constraints.size();
  return n;
}

// A relative path stays relative (code scanning resolves it against the checkout); an absolute one
// becomes a file: URI. Characters outside RFC 3986's unreserved set and '/' are percent-encoded.
std::string artifact_uri(std::string_view origin) {
  std::string out = origin.starts_with('/') ? "file://" : "";
  for (const char ch : origin) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

std::string sarif_message(const LintReport& report, const LintFinding& finding) {
  const Diagnostic& d = finding.diagnostic;
  std::string text = d.message;
  if (finding.expression) {
    text += fmt::format("\nIn {} at expression column {}: {}", finding.path, finding.expression_position.column,
                        *finding.expression);
  } else if (!finding.path.empty()) {
    text += fmt::format("\nAt {}.", finding.path);
  }
  for (const std::string& note : d.notes) text += fmt::format("\nNote: {}", note);
  if (!d.fixits.empty()) {
    const std::string_view source = source_of(report, finding);
    if (finding.expression) {
      const std::string fixed = with_fixits_applied(source, d.fixits);
      if (!fixed.empty()) text += fmt::format("\nSuggested expression: {}", fixed);
    } else {
      for (const FixIt& fix : d.fixits) text += fmt::format("\nSuggested: {}", fix.replacement);
    }
  }
  return text;
}

}  // namespace

std::string render_lint_text(const LintReport& report, bool color) { return TextRenderer(report, color).render(); }

std::string render_lint_json(const LintReport& report) {
  std::string files;
  for (const ConstraintDocument& document : report.documents) {
    if (!files.empty()) files += ",\n";
    files += fmt::format(R"({{"file":{},"kind":{},"readable":{},"constraints":{}}})", json_quote(document.origin),
                         json_quote(to_string(document.kind)), document.unreadable ? "false" : "true",
                         constraints_in(document));
  }
  std::string findings;
  for (const LintFinding& f : report.findings) {
    const Diagnostic& d = f.diagnostic;
    const std::string_view source = source_of(report, f);
    const std::uint32_t end = std::min<std::uint32_t>(d.span.end, static_cast<std::uint32_t>(source.size()));
    const std::uint32_t begin = std::min(d.span.begin, end);
    if (!findings.empty()) findings += ",\n";
    findings += fmt::format(
        R"({{"rule":{},"code":{},"severity":{},"message":{},"file":{},"path":{},"line":{},"column":{},)"
        R"("expression":{},"expression_line":{},"expression_column":{},"length":{},"label":{},"notes":[{}],"fixits":[{}]}})",
        json_quote(f.rule), json_quote(d.code), json_quote(to_string(d.severity)), json_quote(d.message),
        json_quote(report.documents[f.document].origin), json_quote(f.path), f.position.line, f.position.column,
        f.expression ? json_quote(*f.expression) : "null",
        f.expression ? std::to_string(f.expression_position.line) : "null",
        f.expression ? std::to_string(f.expression_position.column) : "null",
        character_count(source.substr(begin, end - begin)), json_quote(d.label), json_strings(d.notes),
        json_fixits(report, f));
  }
  return fmt::format(
      "{{\"files\":[\n{}\n],\n\"findings\":[\n{}\n],\n\"summary\":{{\"files\":{},\"constraints\":{},\"errors\":{},"
      "\"warnings\":{},\"notes\":{}}}}}\n",
      files, findings, report.documents.size(), report.constraints, report.count(Severity::error),
      report.count(Severity::warning), report.count(Severity::note));
}

std::string render_lint_sarif(const LintReport& report) {
  const std::span<const LintRule> rules = lint_rules();
  std::string rule_list;
  for (const LintRule& rule : rules) {
    if (!rule_list.empty()) rule_list += ",\n";
    rule_list += fmt::format(
        R"(            {{"id":{},"name":{},"shortDescription":{{"text":{}}},"defaultConfiguration":{{"level":{}}}}})",
        json_quote(rule.id), json_quote(rule.name), json_quote(rule.summary), json_quote(sarif_level(rule.severity)));
  }
  std::string results;
  for (const LintFinding& f : report.findings) {
    const auto index = static_cast<std::size_t>(
        std::find_if(rules.begin(), rules.end(), [&](const LintRule& r) { return r.id == f.rule; }) - rules.begin());
    std::string region = fmt::format(R"("startLine":{},"startColumn":{})", f.position.line, f.position.column);
    if (f.end && f.end->line == f.position.line && f.end->column > f.position.column) {
      region += fmt::format(R"(,"endColumn":{})", f.end->column);
    }
    std::string properties = fmt::format(R"("code":{})", json_quote(f.diagnostic.code));
    if (f.expression) {
      properties += fmt::format(R"(,"expression":{},"expressionLine":{},"expressionColumn":{})", json_quote(*f.expression),
                                f.expression_position.line, f.expression_position.column);
    }
    std::string logical;
    if (!f.path.empty()) logical = fmt::format(R"(,"logicalLocations":[{{"fullyQualifiedName":{}}}])", json_quote(f.path));
    if (!results.empty()) results += ",\n";
    results += fmt::format(
        R"(        {{"ruleId":{},"ruleIndex":{},"level":{},"message":{{"text":{}}},"locations":[{{"physicalLocation":)"
        R"({{"artifactLocation":{{"uri":{}}},"region":{{{}}}}}{}}}],"properties":{{{}}}}})",
        json_quote(f.rule), index, json_quote(sarif_level(f.diagnostic.severity)), json_quote(sarif_message(report, f)),
        json_quote(artifact_uri(report.documents[f.document].origin)), region, logical, properties);
  }
  return fmt::format(R"({{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {{
      "tool": {{
        "driver": {{
          "name": "ecsq",
          "version": "{}",
          "rules": [
{}
          ]
        }}
      }},
      "columnKind": "unicodeCodePoints",
      "results": [
{}
      ]
    }}
  ]
}}
)",
                     ECSQ_VERSION, rule_list, results);
}

}  // namespace ecsq
