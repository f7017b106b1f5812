// Java regular expressions on RE2: the public face of the front end in java_regex_*.cpp.
//
// Its diagnostics are E03xx (code::regex_syntax, ... in ecsq/codes.hpp); offset and length
// point into the pattern.
#include "ecsq/regex.hpp"

#include <re2/re2.h>

#include <algorithm>

#include "ecsq/codes.hpp"
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
  bool marked = false;                   // both run on jre::mark_input's text
  jre::MarkerLayout markers;
};

}  // namespace detail

namespace {

namespace jre = detail::jre;

RegexError to_error(jre::Problem p) {
  return RegexError{std::move(p.code), std::move(p.message), p.offset, p.length};
}

// Whether the parsed pattern has an atomic \X (only it makes NotBefore assertions).
bool has_atomic_grapheme(const jre::Node& n) {
  if (n.kind == jre::Node::Kind::Assert && n.assertion == jre::Assertion::NotBefore) return true;
  return std::any_of(n.kids.begin(), n.kids.end(), [](const jre::NodePtr& k) { return has_atomic_grapheme(*k); });
}

std::variant<jre::Translation, RegexError> translate(std::string_view java_pattern, const RegexOptions& options,
                                                     bool allow_marks, bool atomic_grapheme = true) {
  if (java_pattern.size() > options.max_pattern_bytes) {
    return RegexError{code::regex_too_long,
                      "pattern is " + std::to_string(java_pattern.size()) +
                          " bytes; the limit is max_pattern_bytes = " + std::to_string(options.max_pattern_bytes),
                      static_cast<std::uint32_t>(options.max_pattern_bytes),
                      static_cast<std::uint32_t>(java_pattern.size() - options.max_pattern_bytes)};
  }
  jre::ParseLimits parse_limits;
  parse_limits.atomic_grapheme = atomic_grapheme;
  auto parsed = jre::parse_java(java_pattern, parse_limits);
  if (auto* p = std::get_if<jre::Problem>(&parsed)) return to_error(std::move(*p));
  const jre::NodePtr& root = std::get<jre::NodePtr>(parsed);
  jre::EmitLimits limits;
  // A pattern longer than the program budget in bytes cannot fit it: RE2 spends more than a
  // byte of program per byte of pattern.
  limits.max_output_bytes = static_cast<std::size_t>(std::max<std::int64_t>(options.max_memory_bytes, 1024));
  auto emitted = jre::emit_re2(root, limits);
  const auto java_bytes = static_cast<std::uint32_t>(java_pattern.size());
  auto over_budget = [&](const jre::Translation& t) {
    auto over = [&](const std::string& re2_pattern) {
      const auto refused = jre::re2_refusal(re2_pattern, java_bytes, options.max_memory_bytes);
      return refused && refused->code == code::regex_too_large;
    };
    return over(t.full) || (t.find != t.full && over(t.find));
  };
  // Where spelling the assertions out is over the budget, the text is matched with position
  // markers that carry what they look at (java_regex_marks.cpp).
  auto* spelled = std::get_if<jre::Translation>(&emitted);
  if (allow_marks && (spelled == nullptr || over_budget(*spelled))) {
    auto marked = jre::emit_re2_marked(root, limits);
    if (auto* t = std::get_if<jre::Translation>(&marked); t && !over_budget(*t)) return std::move(*t);
  }
  // Java's \X is atomic; where neither form fits the budget, \X falls back to a cluster that
  // may end early, the difference docs/language.md §7 describes.
  const bool atomic = atomic_grapheme && has_atomic_grapheme(*root);
  if (atomic && (spelled == nullptr || over_budget(*spelled))) return translate(java_pattern, options, allow_marks, false);
  if (auto* p = std::get_if<jre::Problem>(&emitted)) {
    p->message = "the RE2 translation of this pattern would not fit the memory budget (max_memory_bytes = " +
                 std::to_string(options.max_memory_bytes) + ")";
    p->offset = 0;
    p->length = static_cast<std::uint32_t>(java_pattern.size());
    return to_error(std::move(*p));
  }
  return std::get<jre::Translation>(std::move(emitted));
}

RE2::Options re2_options(std::int64_t max_memory_bytes) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_log_errors(false);
  o.set_max_mem(max_memory_bytes);
  return o;
}

// Why RE2 refused a translation of a `java_bytes`-byte pattern: a program over the memory budget,
// or anything else, which is a bug in ecsq's translation.
jre::Problem refusal(const re2::RE2& re, std::uint32_t java_bytes, std::int64_t max_memory_bytes) {
  if (re.error_code() == RE2::ErrorPatternTooLarge) {
    return jre::Problem{code::regex_too_large,
                        "the RE2 program for this pattern needs more memory than the budget (max_memory_bytes = " +
                            std::to_string(max_memory_bytes) + ")",
                        0, java_bytes};
  }
  return jre::Problem{code::regex_translation_rejected,
                      "RE2 rejected ecsq's translation of this pattern (" + re.error() + "); this is a bug in ecsq",
                      0, java_bytes};
}

std::variant<std::unique_ptr<const re2::RE2>, RegexError> compile_re2(const std::string& pattern,
                                                                        std::string_view java_pattern,
                                                                        const RegexOptions& options) {
  auto re = std::make_unique<const re2::RE2>(pattern, re2_options(options.max_memory_bytes));
  if (re->ok()) return re;
  return to_error(refusal(*re, static_cast<std::uint32_t>(java_pattern.size()), options.max_memory_bytes));
}

}  // namespace

std::optional<detail::jre::Problem> detail::jre::re2_refusal(const std::string& re2_pattern, std::uint32_t java_bytes,
                                                             std::int64_t max_memory_bytes) {
  const re2::RE2 re(re2_pattern, re2_options(max_memory_bytes));
  if (re.ok()) return std::nullopt;
  return refusal(re, java_bytes, max_memory_bytes);
}

std::optional<std::pair<bool, bool>> detail::jre::marked_answers(std::string_view java_pattern, std::string_view text) {
  auto parsed = parse_java(java_pattern, ParseLimits{});
  if (!std::holds_alternative<NodePtr>(parsed)) return std::nullopt;
  auto emitted = emit_re2_marked(std::get<NodePtr>(parsed), EmitLimits{});
  const auto* t = std::get_if<Translation>(&emitted);
  if (t == nullptr) return std::nullopt;
  const re2::RE2 full(t->full, re2_options(RegexOptions{}.max_memory_bytes));
  const re2::RE2 find(t->find, re2_options(RegexOptions{}.max_memory_bytes));
  if (!full.ok() || !find.ok()) return std::nullopt;
  std::string marked;
  mark_input(text, t->markers, marked);
  return std::make_pair(RE2::FullMatch(marked, full), RE2::FullMatch(marked, find));
}

std::variant<std::string, RegexError> translate_java_regex(std::string_view java_pattern, const RegexOptions& options) {
  // A pattern for marked text is no use to a caller who runs RE2 on the text itself.
  auto t = translate(java_pattern, options, false);
  if (auto* e = std::get_if<RegexError>(&t)) return std::move(*e);
  return std::get<jre::Translation>(std::move(t)).full;
}

std::variant<Regex, RegexError> Regex::compile(std::string_view java_pattern, const RegexOptions& options) {
  auto t = translate(java_pattern, options, true);
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
  compiled->marked = translation.marked;
  compiled->markers = translation.markers;
  return Regex(std::move(compiled));
}

Regex::Regex(std::shared_ptr<const detail::CompiledRegex> compiled) noexcept : compiled_(std::move(compiled)) {}

namespace {
// The text as a marked-text pattern reads it; one buffer per thread, reused.
std::string_view marked_text(std::string_view text, const jre::MarkerLayout& layout) {
  thread_local std::string buffer;
  jre::mark_input(text, layout, buffer);
  return buffer;
}
}  // namespace

bool Regex::full_match(std::string_view text) const noexcept {
  return RE2::FullMatch(compiled_->marked ? marked_text(text, compiled_->markers) : text, *compiled_->full);
}

bool Regex::partial_match(std::string_view text) const noexcept {
  const re2::RE2& find = compiled_->find ? *compiled_->find : *compiled_->full;
  if (compiled_->marked) return RE2::FullMatch(marked_text(text, compiled_->markers), find);
  return compiled_->find_is_full ? RE2::FullMatch(text, find) : RE2::PartialMatch(text, find);
}

const std::string& Regex::java_pattern() const noexcept { return compiled_->java; }

const std::string& Regex::re2_pattern() const noexcept { return compiled_->re2_full; }

bool Regex::reads_markers() const noexcept { return compiled_->marked; }

}  // namespace ecsq
