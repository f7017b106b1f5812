// Small text helpers every stage shares: edit distance for did-you-mean, ASCII lower-casing, the
// source text under a span, and terminal-safe text. Suggestions use plain Levenshtein on short words: the candidate lists (subjects,
// operators, built-in attributes) are tens of entries, so nothing cleverer pays for itself.
#include "common/text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/utf8.hpp"

namespace ecsq::detail {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view slice(std::string_view source, Span span) noexcept {
  if (span.begin > span.end || span.end > source.size()) return {};
  return source.substr(span.begin, span.size());
}

std::string printable(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    const bool invalid = length == 1 && c >= 0x80;
    const bool kept = c == '\t' || (c == '\n' && keep_newlines);
    const bool control = (c < 0x20 && !kept) || c == 0x7f ||
                         (length == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0);
    if (invalid || control) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace ecsq::detail
