// Diagnostics: coded, located problems reported by every stage (parse, check, lint).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace ecsq {

/// A half-open byte range [begin, end) into the source text a diagnostic or AST node refers to.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  [[nodiscard]] constexpr std::uint32_t size() const noexcept { return end - begin; }
  friend constexpr bool operator==(Span, Span) = default;
};

enum class Severity : std::uint8_t { error, warning, note };

/// Replace the text at `span` with `replacement` to apply a suggested fix.
struct FixIt {
  Span span;
  std::string replacement;
};

/// One problem: a stable code (e.g. "E0103"), a one-line message, where it is, and what helps.
struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;
  std::string message;
  Span span;
  std::string label;               ///< short text printed under the caret, may be empty
  std::vector<std::string> notes;  ///< extra lines printed as "= note: ..."
  std::vector<FixIt> fixits;
};

/// 1-based line and column; the column counts UTF-8 code points, not bytes.
struct LineColumn {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

/// Where byte `offset` of `source` is, as a 1-based line and character column.
[[nodiscard]] LineColumn line_column(std::string_view source, std::uint32_t offset) noexcept;

/// Number of UTF-8 code points in `text` (invalid bytes count one each).
[[nodiscard]] std::uint32_t character_count(std::string_view text) noexcept;

/// "error", "warning" or "note".
[[nodiscard]] std::string_view to_string(Severity severity) noexcept;

/// True if any diagnostic in `diagnostics` is an error.
[[nodiscard]] bool has_error(const std::vector<Diagnostic>& diagnostics) noexcept;

/// `source` with every fix-it applied (in any order), or "" if one falls outside it, ends before it begins or
/// overlaps another. Spans that only touch are fine; insertions at one offset go in the order given.
[[nodiscard]] std::string with_fixits_applied(std::string_view source, std::vector<FixIt> fixits);

/// Renders like a compiler: "error[E0103]: message", a "--> line:col" line, the source line and a caret.
/// `origin` (e.g. a file name) is printed before line:col when not empty.
[[nodiscard]] std::string render_text(const Diagnostic& diagnostic, std::string_view source,
                                      std::string_view origin = {});

/// One line, for test output and logs (nothing in it is a line break, so test frameworks that wrap long
/// lines keep it readable): "1:57 E0106 unknown subject 'foo'", then " — LABEL" when there is a label,
/// then " (help: write 'FIXED')" with the source fix-its applied when that fits on one line.
/// Notes are left out; render_text has them. Control characters print as U+FFFD.
[[nodiscard]] std::string render_line(const Diagnostic& diagnostic, std::string_view source);

/// Prints `diagnostic` without its source, so with byte offsets for a position:
/// "E0106 unknown subject 'foo' — LABEL [bytes 56..59)". With the source at hand, render_line says more.
std::ostream& operator<<(std::ostream& out, const Diagnostic& diagnostic);

/// One JSON object: {"severity","code","message","line","column","length","fixits":[...]}.
/// Lines and columns are 1-based, columns and lengths in characters.
[[nodiscard]] std::string render_json(const Diagnostic& diagnostic, std::string_view source);

/// `text` as a JSON string literal, quotes included.
[[nodiscard]] std::string json_quote(std::string_view text);

}  // namespace ecsq
