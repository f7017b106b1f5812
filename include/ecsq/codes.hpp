// The catalogue of diagnostic codes (E01xx parse, E02xx check, E03xx regex, E04xx fleet files,
// E05xx placement inputs):
// one table, defined once in ecsq/codes.inc, with a named constant per code for the places that
// report it. Lint rules (ECSQ-L0xx) have their own table in ecsq/lint.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "ecsq/diagnostic.hpp"

namespace ecsq {

/// The stage that reports a code.
enum class CodeStage : std::uint8_t { parse, check, regex, fleet, placement };

/// One diagnostic code: what it is called, how severe it is, and what it means.
struct CodeInfo {
  std::string_view code;         ///< "E0107"
  Severity severity = Severity::error;
  CodeStage stage = CodeStage::parse;
  std::string_view title;        ///< a short phrase: "unterminated quoted value"
  std::string_view explanation;  ///< one paragraph: cause, why it matters, fix, example
};

/// Every code: by stage (parse, check, regex, fleet, placement), then errors before warnings, each by number.
[[nodiscard]] std::span<const CodeInfo> diagnostic_codes() noexcept;

/// The code named `code` ("E0107"), or nullptr.
[[nodiscard]] const CodeInfo* find_code(std::string_view code) noexcept;

/// "parse", "check", "regex", "fleet" or "placement".
[[nodiscard]] std::string_view to_string(CodeStage stage) noexcept;

/// Named constants for the codes, so a misspelt name fails to compile where a misspelt literal
/// would invent a code: `Diagnostic{Severity::error, code::unterminated_quote, ...}`.
namespace code {
#define ECSQ_CODE(name, id, severity, stage, title, explanation) inline constexpr char name[] = id;
#include "ecsq/codes.inc"
#undef ECSQ_CODE
}  // namespace code

}  // namespace ecsq
