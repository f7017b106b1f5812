// Lint reports as compiler-style text, as JSON, and as SARIF 2.1.0 for code-scanning services.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include <fmt/color.h>
#include <fmt/format.h>

#include "ecsq/lint.hpp"
#include "ecsq/version.hpp"
#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "common/utf8.hpp"

namespace ecsq {

using detail::JsonLayout;

namespace {

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
    for (const LintFinding& finding : report_.findings) {
      if (!finding.suppression) finding_text(finding);
    }
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
    out_ += fmt::format("{}, {}: {}, {}, {}", plural(report_.documents.size(), "file"),
                        plural(report_.constraints, "constraint"), plural(errors, "error"), plural(warnings, "warning"),
                        plural(notes, "note"));
    if (const std::size_t suppressed = report_.suppressed(); suppressed > 0) {
      out_ += fmt::format(" ({} suppressed by ecsq-lint comments)", suppressed);
    }
    out_ += '\n';
  }

  const LintReport& report_;
  bool color_;
  std::string out_;
};

// Fix-its located like the finding: in its expression when it has one, else in its file.
void write_fixits(detail::JsonWriter& json, const LintReport& report, const LintFinding& finding) {
  const std::string_view source = source_of(report, finding);
  json.start_array();
  for (const FixIt& fix : finding.diagnostic.fixits) {
    const LineColumn at = position_of(report, finding, fix.span.begin);
    const std::uint32_t end = std::min<std::uint32_t>(fix.span.end, static_cast<std::uint32_t>(source.size()));
    const std::uint32_t begin = std::min(fix.span.begin, end);
    json.start_object()
        .member("line", at.line)
        .member("column", at.column)
        .member("length", character_count(source.substr(begin, end - begin)))
        .member("replacement", fix.replacement)
        .end_object();
  }
  json.end_array();
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

// A relative path is resolved by code scanning against the checkout: SARIF's %SRCROOT%.
void write_artifact_location(detail::JsonWriter& json, std::string_view origin) {
  json.key("artifactLocation").start_object().member("uri", artifact_uri(origin));
  if (!origin.starts_with('/')) json.member("uriBaseId", "%SRCROOT%");
  json.end_object();
}

// Text inserted into the file where the expression sits: escaped as its quotes require (JSON
// strings and YAML double-quoted scalars escape \ and ", YAML single-quoted scalars double ').
std::string escaped_for(const ConstraintDocument& document, std::uint32_t expression_offset, std::string_view text) {
  const char quote = expression_offset > 0 && expression_offset <= document.text.size() ? document.text[expression_offset - 1] : '\0';
  std::string out;
  for (const char c : text) {
    if (quote == '"' && (c == '\\' || c == '"')) out += '\\';
    if (quote == '\'' && c == '\'') out += '\'';
    out += c;
  }
  return out;
}

// The finding's fix-its as one SARIF fix, when every one can be placed in the file: always for
// findings about the file, for findings in an expression when the file holds it verbatim.
void write_sarif_fixes(detail::JsonWriter& json, const LintReport& report, const LintFinding& f) {
  const Diagnostic& d = f.diagnostic;
  if (d.fixits.empty() || (f.expression && !f.expression_offset)) return;
  const ConstraintDocument& document = report.documents[f.document];
  const std::uint32_t base = f.expression ? *f.expression_offset : 0;
  std::string description = "Apply the suggested fix";
  if (f.expression) {
    const std::string fixed = with_fixits_applied(*f.expression, d.fixits);
    if (!fixed.empty()) description = fmt::format("Write the expression as: {}", fixed);
  }
  json.key("fixes").start_array().start_object();
  json.key("description").start_object().member("text", description).end_object();
  json.key("artifactChanges").start_array().start_object();
  write_artifact_location(json, document.origin);
  json.key("replacements").start_array();
  for (const FixIt& fix : d.fixits) {
    const LineColumn begin = position_in(document, base + fix.span.begin);
    const LineColumn end = position_in(document, base + fix.span.end);
    json.start_object();
    json.key("deletedRegion")
        .start_object()
        .member("startLine", begin.line)
        .member("startColumn", begin.column)
        .member("endLine", end.line)
        .member("endColumn", end.column)
        .end_object();
    const std::string inserted = f.expression ? escaped_for(document, base, fix.replacement) : fix.replacement;
    json.key("insertedContent").start_object().member("text", inserted).end_object();
    json.end_object();
  }
  json.end_array().end_object().end_array();  // replacements, the change, artifactChanges
  json.end_object().end_array();              // the fix, fixes
}

// One SARIF result, compact: the results list holds one per line.
void write_sarif_result(detail::JsonWriter& json, const LintReport& report, std::span<const LintRule> rules,
                        const LintFinding& f) {
  const auto index = static_cast<std::size_t>(
      std::find_if(rules.begin(), rules.end(), [&](const LintRule& r) { return r.id == f.rule; }) - rules.begin());
  json.start_object(JsonLayout::compact)
      .member("ruleId", f.rule)
      .member("ruleIndex", index)
      .member("level", sarif_level(f.diagnostic.severity));
  json.key("message").start_object().member("text", sarif_message(report, f)).end_object();
  json.key("locations").start_array().start_object();
  json.key("physicalLocation").start_object();
  write_artifact_location(json, report.documents[f.document].origin);
  json.key("region").start_object().member("startLine", f.position.line).member("startColumn", f.position.column);
  if (f.end && f.end->line == f.position.line && f.end->column > f.position.column) json.member("endColumn", f.end->column);
  json.end_object().end_object();  // region, physicalLocation
  if (!f.path.empty()) {
    json.key("logicalLocations").start_array().start_object().member("fullyQualifiedName", f.path).end_object().end_array();
  }
  json.end_object().end_array();  // the location, locations
  write_sarif_fixes(json, report, f);
  if (f.suppression) {
    json.key("suppressions").start_array().start_object().member("kind", "inSource");
    if (!f.suppression->empty()) json.member("justification", *f.suppression);
    json.end_object().end_array();
  }
  json.key("properties").start_object().member("code", f.diagnostic.code);
  if (f.expression) {
    json.member("expression", *f.expression)
        .member("expressionLine", f.expression_position.line)
        .member("expressionColumn", f.expression_position.column);
  }
  json.end_object().end_object();  // properties, the result
}

// What the rule's id range is about: SARIF tags, by which code scanning filters alerts.
std::string_view rule_area(std::string_view id) {
  const int number = std::atoi(std::string(id.substr(id.size() - 3)).c_str());
  if (number < 10) return "input";
  if (number < 20) return "constraint";
  if (number < 30) return "expression";
  if (number < 40) return "fleet";
  if (number < 50) return "strategy";
  return "value";
}

void write_sarif_rule(detail::JsonWriter& json, const LintRule& rule) {
  const LintRuleExample* example = find_lint_rule_example(rule.id);
  std::string text = fmt::format("{}\n\n{}", rule.summary, rule.explanation);
  std::string markdown = fmt::format("**{}**\n\n{}", rule.summary, rule.explanation);
  if (example != nullptr) {
    text += fmt::format("\n\nReported:\n  {}\nFixed:\n  {}", example->bad, example->good);
    markdown += fmt::format("\n\nReported:\n\n```\n{}\n```\n\nFixed:\n\n```\n{}\n```", example->bad, example->good);
  }
  const std::string uri = lint_rule_help_uri(rule);
  markdown += fmt::format("\n\n[{} in the ecsq documentation]({})", rule.id, uri);
  json.start_object(JsonLayout::compact).member("id", rule.id).member("name", rule.name);
  json.key("shortDescription").start_object().member("text", rule.summary).end_object();
  json.key("fullDescription").start_object().member("text", rule.explanation).end_object();
  json.key("help").start_object().member("text", text).member("markdown", markdown).end_object();
  json.member("helpUri", uri);
  json.key("defaultConfiguration").start_object().member("level", sarif_level(rule.severity)).end_object();
  json.key("properties").start_object();
  json.key("tags").start_array().value("ecs").value("placement").value(rule_area(rule.id)).end_array();
  json.member("precision", "very-high").end_object();
  json.end_object();
}

}  // namespace

std::string render_lint_text(const LintReport& report, bool color) { return TextRenderer(report, color).render(); }

std::string render_lint_json(const LintReport& report) {
  // One file or finding per line, not indented: readable, and easy to grep and diff.
  detail::JsonWriter json({.layout = JsonLayout::compact, .indent = 0});
  json.start_object(JsonLayout::lines);
  json.key("files").start_array(JsonLayout::block);
  for (const ConstraintDocument& document : report.documents) {
    json.start_object()
        .member("file", document.origin)
        .member("kind", to_string(document.kind))
        .member("readable", !document.unreadable)
        .member("constraints", constraints_in(document))
        .end_object();
  }
  json.end_array();
  json.key("findings").start_array(JsonLayout::block);
  for (const LintFinding& f : report.findings) {
    if (f.suppression) continue;  // counted in the summary
    const Diagnostic& d = f.diagnostic;
    const std::string_view source = source_of(report, f);
    const std::uint32_t end = std::min<std::uint32_t>(d.span.end, static_cast<std::uint32_t>(source.size()));
    const std::uint32_t begin = std::min(d.span.begin, end);
    const auto in_expression = [&](std::uint32_t n) { return f.expression ? std::optional(n) : std::nullopt; };
    json.start_object()
        .member("rule", f.rule)
        .member("code", d.code)
        .member("severity", to_string(d.severity))
        .member("message", d.message)
        .member("file", report.documents[f.document].origin)
        .member("path", f.path)
        .member("line", f.position.line)
        .member("column", f.position.column)
        .member("expression", f.expression)
        .member("expression_line", in_expression(f.expression_position.line))
        .member("expression_column", in_expression(f.expression_position.column))
        .member("length", character_count(source.substr(begin, end - begin)))
        .member("label", d.label);
    json.key("notes").start_array();
    for (const std::string& note : d.notes) json.value(note);
    json.end_array();
    json.key("fixits");
    write_fixits(json, report, f);
    json.end_object();
  }
  json.end_array();
  json.key("summary")
      .start_object()
      .member("files", report.documents.size())
      .member("constraints", report.constraints)
      .member("errors", report.count(Severity::error))
      .member("warnings", report.count(Severity::warning))
      .member("notes", report.count(Severity::note))
      .member("suppressed", report.suppressed())
      .end_object();
  json.end_object();
  std::string out = json.take();
  out += '\n';
  return out;
}

std::string render_lint_sarif(const LintReport& report) {
  // Indented like most SARIF in the wild, except that each rule and each result is one line.
  detail::JsonWriter json({.layout = JsonLayout::block, .indent = 2});
  json.start_object()
      .member("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
      .member("version", "2.1.0");
  json.key("runs").start_array().start_object();
  json.key("tool").start_object();
  json.key("driver")
      .start_object()
      .member("name", "ecsq")
      .member("version", ECSQ_VERSION_STRING)
      .member("informationUri", ecsq_information_uri);
  const std::span<const LintRule> rules = lint_rules();
  json.key("rules").start_array();
  for (const LintRule& rule : rules) write_sarif_rule(json, rule);
  json.end_array().end_object().end_object();  // rules, driver, tool
  json.member("columnKind", "unicodeCodePoints");
  json.key("results").start_array();
  for (const LintFinding& f : report.findings) write_sarif_result(json, report, rules, f);
  json.end_array().end_object().end_array().end_object();  // results, the run, runs, the log
  std::string out = json.take();
  out += '\n';
  return out;
}

}  // namespace ecsq
