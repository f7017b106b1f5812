// Typed reading of the lint reader's tree for the placement readers. JSON keeps AWS's types (an
// integer field holding the string "3" is an error, as the AWS CLI says); YAML scalars carry no
// type, so there an integer is any scalar that reads as one.
#include "placement/input_reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "ecsq/codes.hpp"

namespace ecsq::detail {

namespace {

bool is_yaml(std::string_view text) {
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < text.size() && std::strchr(" \t\r\n", text[i]) != nullptr) ++i;
  return i < text.size() && text[i] != '{' && text[i] != '[';
}

// "-12" or "12": the value; nullopt for anything else or a value outside 64 bits.
std::optional<std::int64_t> integer_text(std::string_view text) {
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  const auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (value > limit + (negative ? 1 : 0)) return std::nullopt;
  if (negative) return value == limit + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(value);
  return static_cast<std::int64_t>(value);
}

}  // namespace

InputReader::InputReader(const ConstraintDocument& document, std::vector<PlacementInputDiagnostic>& diagnostics)
    : document_(document), diagnostics_(diagnostics), yaml_(is_yaml(document.text)) {}

void InputReader::report(const char* code, const std::string& path, const Tree& at, std::string_view message,
                         std::vector<std::string> notes) {
  const ecsq::CodeInfo* info = find_code(code);
  const Severity severity = info != nullptr ? info->severity : Severity::error;
  failed_ = failed_ || severity == Severity::error;
  Diagnostic diagnostic{severity, code, path.empty() ? std::string(message) : fmt::format("{}: {}", path, message),
                        Span{at.offset, at.offset + at.length}, {}, std::move(notes), {}};
  diagnostics_.push_back(PlacementInputDiagnostic{std::move(diagnostic), locate(path, at)});
}

const Tree* InputReader::field(const Tree& object, std::string_view key) {
  const Tree* value = object.find(key);
  return value == nullptr || value->kind == Tree::Kind::null ? nullptr : value;
}

std::optional<std::string> InputReader::string(const Tree& value, const std::string& path) {
  if (value.kind == Tree::Kind::scalar && value.string && value.tag.empty()) return value.text;
  report(code::placement_wrong_type, path, value, fmt::format("expected a string, found {}", describe(value)));
  return std::nullopt;
}

std::optional<std::int64_t> InputReader::integer(const Tree& value, const std::string& path) {
  if (value.kind == Tree::Kind::scalar && value.tag.empty() && (!value.string || yaml_)) {
    if (const auto number = integer_text(value.text)) return number;
    report(code::placement_wrong_type, path, value, fmt::format("expected an integer, found {}", value.text),
           {"an integer is a whole number within 64 bits, without a fraction or exponent"});
    return std::nullopt;
  }
  report(code::placement_wrong_type, path, value, fmt::format("expected an integer, found {}", describe(value)));
  return std::nullopt;
}

const Tree* InputReader::list(const Tree& value, const std::string& path) {
  if (value.kind == Tree::Kind::sequence) return &value;
  report(code::placement_wrong_type, path, value, fmt::format("expected a list, found {}", describe(value)));
  return nullptr;
}

const Tree* InputReader::object(const Tree& value, const std::string& path) {
  if (value.kind == Tree::Kind::map) return &value;
  report(code::placement_wrong_type, path, value, fmt::format("expected an object, found {}", describe(value)));
  return nullptr;
}

FileLocation InputReader::locate(std::string path, const Tree& at) const { return detail::locate(document_, std::move(path), at); }

bool has_reading_error(const ConstraintDocument& document) noexcept {
  return document.unreadable || std::any_of(document.diagnostics.begin(), document.diagnostics.end(), [](const auto& d) {
           return d.diagnostic.severity == Severity::error;
         });
}

}  // namespace ecsq::detail
