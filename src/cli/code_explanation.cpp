// Explanations of diagnostic codes and lint rules for `--explain`. Both catalogues live in the
// library (ecsq/codes.hpp, ecsq/lint.hpp); this file only finds an entry by a loosely typed id and
// prints it wrapped for a terminal, never breaking inside a `code span` so examples stay whole.
#include "code_explanation.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "ecsq/codes.hpp"
#include "ecsq/lint.hpp"

namespace ecsq::cli {

namespace {

constexpr std::size_t line_width = 80;

struct Entry {
  std::string_view id;
  std::string_view title;  // a code's title, a rule's name
  Severity severity;
  std::string_view stage;
  std::string_view explanation;
};

std::optional<Entry> find_entry(std::string_view id) {
  if (const CodeInfo* info = find_code(id)) {
    return Entry{info->code, info->title, info->severity, to_string(info->stage), info->explanation};
  }
  if (const LintRule* rule = find_lint_rule(id)) {
    return Entry{rule->id, rule->name, rule->severity, "lint", rule->explanation};
  }
  return std::nullopt;
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Ids are printed in upper case and rules are often quoted without their prefix (L020).
std::optional<Entry> find_loosely(std::string_view id) {
  const std::string upper = ascii_upper(id);
  if (auto entry = find_entry(upper)) return entry;
  if (upper.starts_with('L')) return find_entry("ECSQ-" + upper);
  return std::nullopt;
}

// The parts of "ECSQ-L020/E0103", the form a lint finding prints.
std::vector<std::string_view> parts_of(std::string_view id) {
  std::vector<std::string_view> parts;
  for (std::size_t begin = 0;;) {
    const std::size_t slash = id.find('/', begin);
    parts.push_back(id.substr(begin, slash == std::string_view::npos ? std::string_view::npos : slash - begin));
    if (slash == std::string_view::npos) return parts;
    begin = slash + 1;
  }
}

// `text` as lines of at most `width` columns, broken at spaces outside `code spans`.
std::string wrapped(std::string_view text, std::size_t width) {
  std::vector<std::string> words;
  bool in_code = false;
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t space = std::min(text.find(' ', begin), text.size());
    const std::string_view word = text.substr(begin, space - begin);
    if (in_code && !words.empty()) {
      words.back() += ' ';
      words.back() += word;
    } else if (!word.empty()) {
      words.emplace_back(word);
    }
    if (std::count(word.begin(), word.end(), '`') % 2 == 1) in_code = !in_code;
    begin = space + 1;
  }
  std::string out;
  std::size_t column = 0;
  for (const std::string& word : words) {
    if (column > 0 && column + 1 + word.size() > width) {
      out += '\n';
      column = 0;
    } else if (column > 0) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out + '\n';
}

}  // namespace

std::string explanation_text(std::string_view id) {
  std::string out;
  for (const std::string_view part : parts_of(id)) {
    const std::optional<Entry> entry = find_loosely(part);
    if (!entry) return {};
    if (!out.empty()) out += '\n';
    out += fmt::format("{}: {}\nseverity: {}, stage: {}\n\n{}", entry->id, entry->title, to_string(entry->severity),
                       entry->stage, wrapped(entry->explanation, line_width));
  }
  return out;
}

// The ids `word` was probably meant to be: the closest one, or when several are equally close
// (codes differ from their neighbours by one character, so a typo often is), each that is close.
std::vector<std::string_view> close_ids(std::string_view word) {
  std::vector<std::string_view> ids;
  for (const CodeInfo& info : diagnostic_codes()) ids.push_back(info.code);
  for (const LintRule& rule : lint_rules()) ids.push_back(rule.id);
  if (const std::string_view closest = closest_spelling(word, ids); !closest.empty()) return {closest};
  std::vector<std::string_view> close;
  for (const std::string_view id : ids) {
    if (!closest_spelling(word, std::span<const std::string_view>(&id, 1)).empty()) close.push_back(id);
  }
  return close;
}

std::string unknown_id_message(std::string_view id) {
  constexpr std::size_t max_suggestions = 3;
  for (const std::string_view part : parts_of(id)) {
    if (find_loosely(part)) continue;
    std::string message = fmt::format("unknown diagnostic code or lint rule '{}'", part);
    const std::vector<std::string_view> close = close_ids(ascii_upper(part));
    if (close.empty() || close.size() > max_suggestions) return message;
    for (std::size_t i = 0; i < close.size(); ++i) {
      message += fmt::format("{}'{}'", i == 0 ? "; did you mean " : i + 1 == close.size() ? " or " : ", ", close[i]);
    }
    return message + "?";
  }
  return {};
}

void print_explanation(std::string_view id) {
  const std::string text = explanation_text(id);
  if (text.empty()) {
    fmt::print(stderr, "error: {}\n", unknown_id_message(id));
    throw CLI::RuntimeError(exit_usage);
  }
  fmt::print("{}", text);
}

}  // namespace ecsq::cli
