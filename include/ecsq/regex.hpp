// Java regular expressions (java.util.regex, Java 17) executed on RE2 in linear time. What needs
// backtracking (backreferences, lookaround, possessive quantifiers, atomic groups) is rejected;
// error codes E03xx are in the catalogue of ecsq/codes.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace ecsq {

namespace detail {
struct CompiledRegex;
}

struct RegexOptions {
  std::size_t max_pattern_bytes = 4096;       ///< longer Java patterns are rejected (E0320)
  std::int64_t max_memory_bytes = 1 << 20;    ///< RE2 program memory budget (E0321 when exceeded)
};

/// Why a pattern was rejected: a stable code, a message, and where in the pattern (byte offsets;
/// length 0 at the end of the pattern).
struct RegexError {
  std::string code;
  std::string message;
  std::uint32_t offset = 0;
  std::uint32_t length = 1;
};

/// Translates a Java pattern into an RE2 pattern with the same whole-value matches (for
/// RE2::FullMatch, UTF-8), or says why it cannot: Java syntax errors, constructs that need backtracking,
/// a translation over the budget (where Regex may still run it on marked text: reads_markers()).
[[nodiscard]] std::variant<std::string, RegexError> translate_java_regex(std::string_view java_pattern,
                                                                         const RegexOptions& options = {});

/// A compiled Java pattern. Cheap to copy (shared, immutable), safe for concurrent use.
class Regex {
 public:
  /// Compiles `java_pattern`; never throws for a bad pattern.
  [[nodiscard]] static std::variant<Regex, RegexError> compile(std::string_view java_pattern,
                                                               const RegexOptions& options = {});
  /// Java Pattern.matches: true when the whole of `text` matches.
  [[nodiscard]] bool full_match(std::string_view text) const noexcept;
  /// Java Matcher.find: true when some part of `text` matches.
  [[nodiscard]] bool partial_match(std::string_view text) const noexcept;
  /// The pattern as given.
  [[nodiscard]] const std::string& java_pattern() const noexcept;
  /// The RE2 pattern full_match runs (translate_java_regex's result, unless reads_markers()).
  [[nodiscard]] const std::string& re2_pattern() const noexcept;
  /// True when re2_pattern() runs on the text with position markers (docs/language.md §7), which
  /// carry \b and \X where spelling them out in the pattern is over the budget.
  [[nodiscard]] bool reads_markers() const noexcept;

 private:
  explicit Regex(std::shared_ptr<const detail::CompiledRegex> compiled) noexcept;
  std::shared_ptr<const detail::CompiledRegex> compiled_;
};

}  // namespace ecsq
