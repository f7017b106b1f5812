// Typed values of the language: versions, instants, counts, decimals, and how they order.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ecsq {

/// An agent version: dot-separated non-negative integers with an optional "-suffix".
struct Version {
  static constexpr std::size_t max_parts = 8;
  std::array<std::uint64_t, max_parts> parts{};
  std::uint8_t size = 0;
  bool has_suffix = false;
  std::string suffix;  ///< text after '-', without it
};

/// Parses "1.14.5", "1.0.0-beta", "20" (components <= 8, each fits 64 bits); nullopt otherwise.
[[nodiscard]] std::optional<Version> parse_version(std::string_view text);

/// Orders components numerically (missing ones count as 0); a suffixed version sorts before the
/// same version without one; two suffixes compare as byte strings.
[[nodiscard]] std::strong_ordering compare(const Version& a, const Version& b) noexcept;

/// A version read in place: Version's fields, but the suffix points into the text read, so reading
/// one never allocates (an instance's agentVersion, read at every evaluation). Valid while that text is.
struct VersionView {
  std::array<std::uint64_t, Version::max_parts> parts{};
  std::uint8_t size = 0;
  bool has_suffix = false;
  std::string_view suffix;  ///< text after '-', without it
};

/// Reads `text` by parse_version's rules (parse_version is built on it) without copying the suffix.
[[nodiscard]] std::optional<VersionView> parse_version_view(std::string_view text) noexcept;

/// The order of compare(const Version&, const Version&), for a version read in place.
[[nodiscard]] std::strong_ordering compare(const VersionView& a, const Version& b) noexcept;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
struct Instant {
  std::int64_t seconds = 0;
  friend constexpr auto operator<=>(Instant, Instant) = default;
};

/// Parses the four accepted forms: 2018-06-18T22:28:28+00:00 (any ±hh:mm), ...Z, 2018-06-18T22:28:28
/// (UTC), 2018-06-18 (midnight UTC). `date_only` is set when the text had no time part.
[[nodiscard]] std::optional<Instant> parse_instant(std::string_view text, bool* date_only = nullptr);

/// ISO-8601 UTC text of an instant: 2018-06-18T22:28:28Z.
[[nodiscard]] std::string to_string(Instant instant);

/// A non-negative decimal integer that fits in int64; nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> parse_count(std::string_view text);

/// True for an optionally signed decimal number: -?[0-9]+(\.[0-9]+)? (also "+"); no exponent.
[[nodiscard]] bool is_decimal(std::string_view text) noexcept;

/// Exact numeric comparison of two texts for which is_decimal holds (no rounding: "0.10" == "0.1").
[[nodiscard]] std::strong_ordering compare_decimal(std::string_view a, std::string_view b) noexcept;

/// Attribute ordering: numeric when both are decimals, else byte-wise.
[[nodiscard]] std::strong_ordering compare_attribute_values(std::string_view a, std::string_view b) noexcept;

}  // namespace ecsq
