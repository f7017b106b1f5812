// Text helpers shared by the parser, the checker, the diagnostic renderer and lint: suggestions,
// the source text under a span, and terminal-safe output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ecsq/diagnostic.hpp"

namespace ecsq::detail {

/// `text` with ASCII letters in lower case (keywords and subjects are ASCII).
[[nodiscard]] std::string ascii_lower(std::string_view text);

/// Levenshtein distance between `a` and `b` in bytes (for did-you-mean suggestions).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The text `span` covers in `source`, or "" when the span does not lie inside it (a tree built by hand
/// may carry spans into no source).
[[nodiscard]] std::string_view slice(std::string_view source, Span span) noexcept;

/// `text` as a terminal may show it: each invalid UTF-8 byte and each control character (C0 but
/// tab, and newline when `keep_newlines`; DEL; C1, the bytes of escape sequences) becomes U+FFFD,
/// one character for one, so carets still line up. Input must not move the cursor or retitle
/// the window.
[[nodiscard]] std::string printable(std::string_view text, bool keep_newlines);

}  // namespace ecsq::detail
