// Rendering diagnostics: compiler-style text (source line, caret, notes, help), one line, and JSON, plus
// line/column arithmetic. Columns count code points, not bytes, so carets line up under
// non-ASCII text; spans stay byte offsets everywhere else, since every stage slices by byte.
#include "ecsq/diagnostic.hpp"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>

#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "common/utf8.hpp"

namespace ecsq {

std::uint32_t character_count(std::string_view text) noexcept {
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < text.size(); i += detail::utf8_sequence_length(text, i)) ++count;
  return count;
}

LineColumn line_column(std::string_view source, std::uint32_t offset) noexcept {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(source.size()));
  const std::size_t line_start = source.rfind('\n', offset == 0 ? std::string_view::npos : offset - 1);
  const std::size_t begin = line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1;
  const auto line = static_cast<std::uint32_t>(std::count(source.begin(), source.begin() + begin, '\n'));
  return {line + 1, character_count(source.substr(begin, offset - begin)) + 1};
}

std::string_view to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

bool has_error(const std::vector<Diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

namespace {

struct LineView {
  std::string_view text;
  std::uint32_t begin = 0;  // byte offset of the line in the source
};

LineView line_at(std::string_view source, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(source.size()));
  std::size_t begin = offset == 0 ? 0 : source.rfind('\n', offset - 1);
  begin = begin == std::string_view::npos || offset == 0 ? 0 : begin + 1;
  std::size_t end = source.find('\n', offset);
  if (end == std::string_view::npos) end = source.size();
  std::string_view text = source.substr(begin, end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return {text, static_cast<std::uint32_t>(begin)};
}

// Source lines and labels may span lines; everything else a terminal could act on is replaced.
std::string printable(std::string_view text) { return detail::printable(text, true); }

}  // namespace

std::string with_fixits_applied(std::string_view source, std::vector<FixIt> fixits) {
  // In source order, so a fix-it overlaps exactly when it begins before the previous one ended. Sorting
  // by end too puts an insertion before a replacement that begins at the same offset; a stable sort
  // keeps identical spans (two insertions at one offset) in the order given, whatever the input order.
  std::stable_sort(fixits.begin(), fixits.end(), [](const FixIt& a, const FixIt& b) {
    return a.span.begin != b.span.begin ? a.span.begin < b.span.begin : a.span.end < b.span.end;
  });
  std::string text;
  std::size_t copied = 0;  // the source before this offset is in `text` already
  for (const FixIt& fix : fixits) {
    if (fix.span.begin > fix.span.end || fix.span.end > source.size() || fix.span.begin < copied) return {};
    text.append(source.substr(copied, fix.span.begin - copied));
    text += fix.replacement;
    copied = fix.span.end;
  }
  text.append(source.substr(copied));
  return text;
}

std::string render_text(const Diagnostic& diagnostic, std::string_view source, std::string_view origin) {
  const LineColumn where = line_column(source, diagnostic.span.begin);
  const std::string line_number = std::to_string(where.line);
  const std::string gutter(line_number.size(), ' ');
  std::string out = fmt::format("{}[{}]: {}\n", to_string(diagnostic.severity), diagnostic.code, diagnostic.message);
  if (origin.empty()) {
    out += fmt::format("{}--> {}:{}\n", gutter, where.line, where.column);
  } else {
    out += fmt::format("{}--> {}:{}:{}\n", gutter, origin, where.line, where.column);
  }
  const LineView line = line_at(source, diagnostic.span.begin);
  if (!source.empty()) {
    // Keep tabs in the caret line so the caret lines up under the same character.
    const std::uint32_t caret_begin = std::min<std::uint32_t>(diagnostic.span.begin - line.begin,
                                                              static_cast<std::uint32_t>(line.text.size()));
    std::string pad;
    for (std::size_t i = 0; i < caret_begin; i += detail::utf8_sequence_length(line.text, i)) {
      pad += line.text[i] == '\t' ? '\t' : ' ';
    }
    const std::uint32_t span_end = std::min<std::uint32_t>(diagnostic.span.end - line.begin,
                                                           static_cast<std::uint32_t>(line.text.size()));
    const std::uint32_t width =
        std::max<std::uint32_t>(1, span_end > caret_begin ? character_count(line.text.substr(caret_begin, span_end - caret_begin)) : 1);
    out += fmt::format("{} |\n{} | {}\n{} | {}{}", gutter, line_number, line.text, gutter, pad, std::string(width, '^'));
    if (!diagnostic.label.empty()) out += " " + diagnostic.label;
    out += '\n';
  }
  for (const std::string& note : diagnostic.notes) out += fmt::format("{} = note: {}\n", gutter, note);
  if (!diagnostic.fixits.empty()) {
    const std::string fixed = with_fixits_applied(source, diagnostic.fixits);
    if (!fixed.empty() && fixed.find('\n') == std::string::npos) {
      out += fmt::format("{} = help: write '{}'\n", gutter, fixed);
    } else {
      for (const FixIt& fix : diagnostic.fixits) {
        const LineColumn at = line_column(source, fix.span.begin);
        out += fmt::format("{} = help: at {}:{} write '{}'\n", gutter, at.line, at.column, fix.replacement);
      }
    }
  }
  // The source line, and messages quoting input, may hold any bytes: never echo them raw.
  return printable(out);
}

namespace {

// `text` on one line: each line break (with the blanks around it) becomes one space, and other
// control characters U+FFFD, as render_text does.
std::string on_one_line(std::string_view text) {
  std::string joined;
  joined.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') {
      joined += text[i];
      continue;
    }
    while (!joined.empty() && (joined.back() == ' ' || joined.back() == '\t')) joined.pop_back();
    while (i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r' || text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
    if (!joined.empty() && i + 1 < text.size()) joined += ' ';
  }
  return detail::printable(joined, false);
}

}  // namespace

std::string render_line(const Diagnostic& diagnostic, std::string_view source) {
  const LineColumn where = line_column(source, diagnostic.span.begin);
  std::string out = fmt::format("{}:{} {} {}", where.line, where.column, diagnostic.code, diagnostic.message);
  if (!diagnostic.label.empty()) out += fmt::format(" — {}", diagnostic.label);
  if (!diagnostic.fixits.empty()) {
    const std::string fixed = with_fixits_applied(source, diagnostic.fixits);
    if (!fixed.empty() && fixed.find_first_of("\r\n") == std::string::npos) {
      out += fmt::format(" (help: write '{}')", fixed);
    } else {
      for (const FixIt& fix : diagnostic.fixits) {
        const LineColumn at = line_column(source, fix.span.begin);
        out += fmt::format(" (help: at {}:{} write '{}')", at.line, at.column, fix.replacement);
      }
    }
  }
  return on_one_line(out);
}

std::ostream& operator<<(std::ostream& out, const Diagnostic& diagnostic) {
  std::string text = diagnostic.code + " " + diagnostic.message;
  if (!diagnostic.label.empty()) text += " — " + diagnostic.label;
  text += fmt::format(" [bytes {}..{})", diagnostic.span.begin, diagnostic.span.end);
  return out << on_one_line(text);
}

std::string json_quote(std::string_view text) {
  std::string out;
  detail::append_json_string(out, text);
  return out;
}

std::string render_json(const Diagnostic& diagnostic, std::string_view source) {
  const LineColumn where = line_column(source, diagnostic.span.begin);
  const auto length = [&](Span span) {
    const std::uint32_t end = std::min<std::uint32_t>(span.end, static_cast<std::uint32_t>(source.size()));
    const std::uint32_t begin = std::min(span.begin, end);
    return character_count(source.substr(begin, end - begin));
  };
  detail::JsonWriter json;
  json.start_object()
      .member("severity", to_string(diagnostic.severity))
      .member("code", diagnostic.code)
      .member("message", diagnostic.message)
      .member("line", where.line)
      .member("column", where.column)
      .member("length", length(diagnostic.span));
  json.key("notes").start_array();
  for (const std::string& note : diagnostic.notes) json.value(note);
  json.end_array();
  json.key("fixits").start_array();
  for (const FixIt& fix : diagnostic.fixits) {
    const LineColumn at = line_column(source, fix.span.begin);
    json.start_object()
        .member("line", at.line)
        .member("column", at.column)
        .member("length", length(fix.span))
        .member("replacement", fix.replacement)
        .end_object();
  }
  json.end_array().end_object();
  return json.take();
}

}  // namespace ecsq
