// UTF-8 helpers shared by the parser and the diagnostic renderer.
#pragma once

#include <cstddef>
#include <string_view>

namespace ecsq::detail {

/// Length of the well-formed UTF-8 sequence starting at `text[i]`, or 1 for an invalid byte
/// (overlong forms, surrogates and truncated sequences are invalid).
[[nodiscard]] constexpr std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) low = 0xa0;
    if (c == 0xed) high = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) low = 0x90;
    if (c == 0xf4) high = 0x8f;
  } else {
    return 1;
  }
  if (i + n > text.size()) return 1;
  if (byte(i + 1) < low || byte(i + 1) > high) return 1;
  for (std::size_t k = 2; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 1;
  }
  return n;
}

/// The code point of the well-formed `length`-byte sequence at `text[i]` (utf8_sequence_length's).
[[nodiscard]] constexpr char32_t utf8_code_point(std::string_view text, std::size_t i, std::size_t length) noexcept {
  const auto lead = static_cast<unsigned char>(text[i]);
  char32_t c = length == 1 ? lead : static_cast<char32_t>(lead & (0xFF >> (length + 1)));
  for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return c;
}

/// True if `text[i]` starts a well-formed sequence (ASCII included).
[[nodiscard]] constexpr bool utf8_valid_at(std::string_view text, std::size_t i) noexcept {
  return static_cast<unsigned char>(text[i]) < 0x80 || utf8_sequence_length(text, i) > 1;
}

}  // namespace ecsq::detail
