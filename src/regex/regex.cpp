// Java regular expressions on RE2: the public face of the front end in java_regex_*.cpp.
//
// Stable diagnostic codes of the regex front end (offset and length point into the pattern):
//   E0301 Java rejects the pattern (java.util.regex.PatternSyntaxException in Java 17): unclosed
//         group or class, dangling quantifier, bad escape, bad range or repetition, unknown
//         property or inline flag, ...
//   E0302 the pattern is not valid UTF-8
//   E0310 backreference (\1, \k<name>): needs backtracking
//   E0311 lookahead or lookbehind ((?=, (?!, (?<=, (?<!): needs backtracking
//   E0312 possessive quantifier (a*+, a++, a?+, a{n}+): needs backtracking control
//   E0313 atomic group ((?>...)): needs backtracking control
//   E0314 grapheme cluster boundary \b{g}: needs lookaround
//   E0315 inline flag c (CANON_EQ, canonical equivalence)
//   E0316 \N{name} with a character name ecsq does not carry (ASCII, Latin-1, General
//         Punctuation and Currency Symbols are carried)
//   E0320 pattern longer than RegexOptions::max_pattern_bytes
//   E0321 the RE2 program would exceed RegexOptions::max_memory_bytes
//   E0322 groups or classes nested deeper than ecsq's limit (400)
//   E0330 RE2 rejected the translated pattern: a bug in ecsq, reported rather than hidden
#include "ecsq/regex.hpp"

#include <re2/re2.h>

#include "regex/java_regex.hpp"

namespace ecsq {

namespace detail {

struct CompiledRegex {
  std::string java;
  std::string re2_full;
  std::string re2_find;
  std::unique_ptr<const re2::RE2> full;
  std::unique_ptr<const re2::RE2> find;  // null when `full` also serves Matcher.find
  bool find_is_full = false;             // run `find` with FullMatch: it spells out the text around the match
};

}  // namespace detail

namespace {

namespace jre = detail::jre;

RegexError to_error(jre::Problem p) {
  return RegexError{std::move(p.code), std::move(p.message), p.offset, p.length};
}

std::variant<jre::Translation, RegexError> translate(std::string_view java_pattern, const RegexOptions& options) {
  if (java_pattern.size() > options.max_pattern_bytes) {
    return RegexError{"E0320",
                      "pattern is " + std::to_string(java_pattern.size()) +
                          " bytes; the limit is max_pattern_bytes = " + std::to_string(options.max_pattern_bytes),
                      static_cast<std::uint32_t>(options.max_pattern_bytes),
                      static_cast<std::uint32_t>(java_pattern.size() - options.max_pattern_bytes)};
  }
  auto parsed = jre::parse_java(java_pattern, jre::ParseLimits{});
  if (auto* p = std::get_if<jre::Problem>(&parsed)) return to_error(std::move(*p));
  jre::EmitLimits limits;
  // A pattern longer than the program budget in bytes cannot fit it: RE2 spends more than a
  // byte of program per byte of pattern.
  limits.max_output_bytes = static_cast<std::size_t>(std::max<std::int64_t>(options.max_memory_bytes, 1024));
  auto emitted = jre::emit_re2(std::get<jre::NodePtr>(parsed), limits);
  if (auto* p = std::get_if<jre::Problem>(&emitted)) {
    p->message = "the RE2 translation of this pattern would not fit the memory budget (max_memory_bytes = " +
                 std::to_string(options.max_memory_bytes) + ")";
    p->offset = 0;
    p->length = static_cast<std::uint32_t>(java_pattern.size());
    return to_error(std::move(*p));
  }
  return std::get<jre::Translation>(std::move(emitted));
}

std::variant<std::unique_ptr<const re2::RE2>, RegexError> compile_re2(const std::string& pattern,
                                                                        std::string_view java_pattern,
                                                                        const RegexOptions& options) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_log_errors(false);
  o.set_max_mem(options.max_memory_bytes);
  auto re = std::make_unique<const re2::RE2>(pattern, o);
  if (re->ok()) return re;
  const auto whole = static_cast<std::uint32_t>(java_pattern.size());
  if (re->error_code() == RE2::ErrorPatternTooLarge) {
    return RegexError{"E0321",
                      "the RE2 program for this pattern needs more memory than the budget (max_memory_bytes = " +
                          std::to_string(options.max_memory_bytes) + ")",
                      0, whole};
  }
  return RegexError{"E0330", "RE2 rejected ecsq's translation of this pattern (" + re->error() + "); this is a bug in ecsq",
                    0, whole};
}

}  // namespace

std::variant<std::string, RegexError> translate_java_regex(std::string_view java_pattern, const RegexOptions& options) {
  auto t = translate(java_pattern, options);
  if (auto* e = std::get_if<RegexError>(&t)) return std::move(*e);
  return std::get<jre::Translation>(std::move(t)).full;
}

std::variant<Regex, RegexError> Regex::compile(std::string_view java_pattern, const RegexOptions& options) {
  auto t = translate(java_pattern, options);
  if (auto* e = std::get_if<RegexError>(&t)) return std::move(*e);
  auto& translation = std::get<jre::Translation>(t);
  auto compiled = std::make_shared<detail::CompiledRegex>();
  compiled->java = std::string(java_pattern);
  auto full = compile_re2(translation.full, java_pattern, options);
  if (auto* e = std::get_if<RegexError>(&full)) return std::move(*e);
  compiled->full = std::move(std::get<0>(full));
  // The same pattern serves both, whichever RE2 call partial_match makes.
  if (translation.find != translation.full) {
    auto find = compile_re2(translation.find, java_pattern, options);
    if (auto* e = std::get_if<RegexError>(&find)) return std::move(*e);
    compiled->find = std::move(std::get<0>(find));
  }
  compiled->re2_full = std::move(translation.full);
  compiled->re2_find = std::move(translation.find);
  compiled->find_is_full = translation.find_is_full;
  return Regex(std::move(compiled));
}

Regex::Regex(std::shared_ptr<const detail::CompiledRegex> compiled) noexcept : compiled_(std::move(compiled)) {}

bool Regex::full_match(std::string_view text) const noexcept { return RE2::FullMatch(text, *compiled_->full); }

bool Regex::partial_match(std::string_view text) const noexcept {
  const re2::RE2& find = compiled_->find ? *compiled_->find : *compiled_->full;
  return compiled_->find_is_full ? RE2::FullMatch(text, find) : RE2::PartialMatch(text, find);
}

const std::string& Regex::java_pattern() const noexcept { return compiled_->java; }

const std::string& Regex::re2_pattern() const noexcept { return compiled_->re2_full; }

}  // namespace ecsq
