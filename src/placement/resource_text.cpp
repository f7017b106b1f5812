// CPU and memory amounts written as text, as AWS accepts them in task definitions ("1 vCPU", "2GB")
// and prints them in describe-tasks ("1024"). Decimal fractions are computed exactly in integers,
// so "0.125 vCPU" is 128 units on every machine and "0.3 vCPU" (307.2 units) is rejected, not rounded.
#include "ecsq/placement.hpp"
#include "placement/input_reader.hpp"

#include <cctype>
#include <limits>

namespace ecsq {

namespace {

// Beyond this many fraction digits (trailing zeros dropped) no multiple of 1024 is whole.
constexpr std::size_t max_fraction_digits = 10;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Digits only, no sign: the value, or nullopt on overflow or anything else.
std::optional<std::int64_t> whole_number(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    if (value > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "N", "N.F" or ".F" followed (after optional spaces) by `unit` in any case, times 1024 when whole.
std::optional<std::int64_t> scaled(std::string_view text, std::string_view unit) {
  if (text.size() <= unit.size() || !equals_ignoring_case(text.substr(text.size() - unit.size()), unit)) return std::nullopt;
  std::string_view number = trimmed(text.substr(0, text.size() - unit.size()));
  const std::size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;  // "1. vCPU"
  if (whole.empty() && fraction.empty()) return std::nullopt;
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > max_fraction_digits) return std::nullopt;
  std::int64_t units = 0;
  if (!whole.empty()) {
    const auto value = whole_number(whole);
    if (!value || *value > std::numeric_limits<std::int64_t>::max() / 1024) return std::nullopt;
    units = *value * 1024;
  }
  if (!fraction.empty()) {
    const auto numerator = whole_number(fraction);
    if (!numerator) return std::nullopt;
    std::int64_t denominator = 1;
    for (std::size_t i = 0; i < fraction.size(); ++i) denominator *= 10;
    if ((*numerator * 1024) % denominator != 0) return std::nullopt;
    const std::int64_t part = *numerator * 1024 / denominator;
    if (units > std::numeric_limits<std::int64_t>::max() - part) return std::nullopt;
    units += part;
  }
  return units;
}

}  // namespace

std::optional<std::int64_t> parse_cpu_units(std::string_view text) noexcept {
  text = trimmed(text);
  if (const auto plain = whole_number(text)) return plain;
  return scaled(text, "vcpu");
}

std::optional<std::int64_t> parse_memory_mib(std::string_view text) noexcept {
  text = trimmed(text);
  if (const auto plain = whole_number(text)) return plain;
  return scaled(text, "gb");
}

namespace detail {

std::optional<std::int64_t> digits_value(std::string_view text) noexcept { return whole_number(trimmed(text)); }

}  // namespace detail

}  // namespace ecsq
