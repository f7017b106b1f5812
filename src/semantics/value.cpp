// Typed literals: agent versions, instants (ISO-8601 and epoch seconds) and attribute ordering.
// Parsers are non-allocating and strict (a version suffix uses semver's alphabet only), because a
// lenient parse would turn a typo into a comparison that silently never matches.
#include "ecsq/value.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

namespace ecsq {

namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Suffix characters follow semver's pre-release/build alphabet; anything else (spaces, quotes)
// is far more likely a typo than a real agent version.
constexpr bool is_suffix_char(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' ||
         c == '_' || c == '+';
}

// Reads exactly `width` digits at `pos`, advancing it; nullopt if any is not a digit.
std::optional<int> fixed_digits(std::string_view text, std::size_t& pos, std::size_t width) noexcept {
  if (text.size() - pos < width) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) noexcept {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// A decimal split into sign and canonical digits: no leading zeros in `integer`, no trailing
// zeros in `fraction`, and zero is never negative ("-0.0" == "0").
struct DecimalParts {
  bool negative = false;
  std::string_view integer;
  std::string_view fraction;
};

DecimalParts split_decimal(std::string_view text) noexcept {
  DecimalParts parts;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    parts.negative = text.front() == '-';
    text.remove_prefix(1);
  }
  const std::size_t dot = text.find('.');
  parts.integer = text.substr(0, dot);
  if (dot != std::string_view::npos) parts.fraction = text.substr(dot + 1);
  while (!parts.integer.empty() && parts.integer.front() == '0') parts.integer.remove_prefix(1);
  while (!parts.fraction.empty() && parts.fraction.back() == '0') parts.fraction.remove_suffix(1);
  if (parts.integer.empty() && parts.fraction.empty()) parts.negative = false;
  return parts;
}

std::strong_ordering compare_magnitude(const DecimalParts& a, const DecimalParts& b) noexcept {
  // Without leading zeros, a longer integer part is a larger number.
  if (a.integer.size() != b.integer.size()) return a.integer.size() <=> b.integer.size();
  if (const auto c = a.integer <=> b.integer; c != 0) return c;
  // Without trailing zeros, fractions order like strings: a proper prefix is the smaller one.
  return a.fraction <=> b.fraction;
}

// One body for both compare overloads: Version and VersionView differ only in how they hold the suffix.
template <class A, class B>
std::strong_ordering compare_versions(const A& a, const B& b) noexcept {
  // Parts beyond `size` are zero by construction, but don't trust hand-built values.
  const std::size_t n = std::max(a.size, b.size);
  for (std::size_t i = 0; i < n && i < Version::max_parts; ++i) {
    const std::uint64_t x = i < a.size ? a.parts[i] : 0;
    const std::uint64_t y = i < b.size ? b.parts[i] : 0;
    if (x != y) return x <=> y;
  }
  if (a.has_suffix != b.has_suffix) return a.has_suffix ? std::strong_ordering::less : std::strong_ordering::greater;
  if (!a.has_suffix) return std::strong_ordering::equal;
  return std::string_view(a.suffix) <=> std::string_view(b.suffix);
}

}  // namespace

std::optional<VersionView> parse_version_view(std::string_view text) noexcept {
  VersionView version;
  const std::size_t dash = text.find('-');
  std::string_view numbers = text.substr(0, dash);
  if (dash != std::string_view::npos) {
    version.suffix = text.substr(dash + 1);
    if (version.suffix.empty() || !std::all_of(version.suffix.begin(), version.suffix.end(), is_suffix_char)) {
      return std::nullopt;
    }
    version.has_suffix = true;
  }
  while (true) {
    const std::size_t dot = numbers.find('.');
    const std::string_view part = numbers.substr(0, dot);
    // from_chars would accept a sign; components are plain digit runs.
    if (part.empty() || !std::all_of(part.begin(), part.end(), is_digit)) return std::nullopt;
    if (version.size == Version::max_parts) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc{} || end != part.data() + part.size()) return std::nullopt;
    version.parts[version.size++] = value;
    if (dot == std::string_view::npos) break;
    numbers.remove_prefix(dot + 1);
  }
  return version;
}

std::optional<Version> parse_version(std::string_view text) {
  const std::optional<VersionView> view = parse_version_view(text);
  if (!view) return std::nullopt;
  Version version;
  version.parts = view->parts;
  version.size = view->size;
  version.has_suffix = view->has_suffix;
  version.suffix = std::string(view->suffix);
  return version;
}

std::strong_ordering compare(const Version& a, const Version& b) noexcept { return compare_versions(a, b); }

std::strong_ordering compare(const VersionView& a, const Version& b) noexcept { return compare_versions(a, b); }

std::optional<Instant> parse_instant(std::string_view text, bool* date_only) {
  using namespace std::chrono;
  std::size_t pos = 0;
  const auto y = fixed_digits(text, pos, 4);
  if (!y || !expect(text, pos, '-')) return std::nullopt;
  const auto m = fixed_digits(text, pos, 2);
  if (!m || !expect(text, pos, '-')) return std::nullopt;
  const auto d = fixed_digits(text, pos, 2);
  if (!d) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;  // month 1-12, day within the month, Feb 29 only in leap years
  std::int64_t seconds = sys_seconds{sys_days{date}}.time_since_epoch().count();
  if (pos == text.size()) {
    if (date_only) *date_only = true;
    return Instant{seconds};
  }

  if (!expect(text, pos, 'T')) return std::nullopt;
  const auto hh = fixed_digits(text, pos, 2);
  if (!hh || !expect(text, pos, ':')) return std::nullopt;
  const auto mm = fixed_digits(text, pos, 2);
  if (!mm || !expect(text, pos, ':')) return std::nullopt;
  const auto ss = fixed_digits(text, pos, 2);
  // No leap second: AWS never reports one and epoch seconds cannot represent it.
  if (!ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;
  seconds += *hh * 3600 + *mm * 60 + *ss;

  if (pos < text.size()) {
    const char zone = text[pos++];
    if (zone == 'Z') {
      if (pos != text.size()) return std::nullopt;
    } else if (zone == '+' || zone == '-') {
      const auto oh = fixed_digits(text, pos, 2);
      if (!oh || !expect(text, pos, ':')) return std::nullopt;
      const auto om = fixed_digits(text, pos, 2);
      if (!om || *oh > 23 || *om > 59 || pos != text.size()) return std::nullopt;
      // Local time = UTC + offset, so UTC = local - offset.
      const std::int64_t offset = *oh * 3600 + *om * 60;
      seconds += zone == '+' ? -offset : offset;
    } else {
      return std::nullopt;
    }
  }
  if (date_only) *date_only = false;
  return Instant{seconds};
}

std::string to_string(Instant instant) {
  using namespace std::chrono;
  // Beyond chrono's year range (±32767) the civil conversion is meaningless: fall back to raw
  // epoch seconds rather than print a wrong date.
  constexpr std::int64_t limit = 32000LL * 366 * 86400;
  if (instant.seconds > limit || instant.seconds < -limit) return fmt::format("@{}", instant.seconds);
  const sys_seconds time{seconds{instant.seconds}};
  const sys_days day_point = floor<days>(time);
  const year_month_day date{day_point};
  const hh_mm_ss clock{time - day_point};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

std::optional<std::int64_t> parse_count(std::string_view text) {
  // from_chars accepts a leading '-'; a count is digits only.
  if (text.empty() || !std::all_of(text.begin(), text.end(), is_digit)) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_decimal(std::string_view text) noexcept {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  const std::size_t dot = text.find('.');
  const std::string_view integer = text.substr(0, dot);
  if (integer.empty() || !std::all_of(integer.begin(), integer.end(), is_digit)) return false;
  if (dot == std::string_view::npos) return true;
  const std::string_view fraction = text.substr(dot + 1);
  return !fraction.empty() && std::all_of(fraction.begin(), fraction.end(), is_digit);
}

std::strong_ordering compare_decimal(std::string_view a, std::string_view b) noexcept {
  const DecimalParts x = split_decimal(a);
  const DecimalParts y = split_decimal(b);
  if (x.negative != y.negative) return x.negative ? std::strong_ordering::less : std::strong_ordering::greater;
  const auto magnitude = compare_magnitude(x, y);
  return x.negative ? 0 <=> magnitude : magnitude;
}

std::strong_ordering compare_attribute_values(std::string_view a, std::string_view b) noexcept {
  if (is_decimal(a) && is_decimal(b)) return compare_decimal(a, b);
  return a <=> b;
}

}  // namespace ecsq
