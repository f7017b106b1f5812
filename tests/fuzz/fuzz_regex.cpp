// libFuzzer harness: the Java regex front end. Any pattern translates or is rejected with a coded
// error that points into the pattern; a compiled pattern matches in linear time against fixed
// texts (and against the pattern itself). Properties: compile succeeds only when translation
// does and gives the same RE2 pattern, and a full match is also a partial match.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "ecsq/regex.hpp"

namespace {

[[noreturn]] void fail(std::string_view pattern, const char* what) {
  std::fprintf(stderr, "pattern '%.*s': %s\n", static_cast<int>(pattern.size()), pattern.data(), what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Long enough to show super-linear matching as a timeout, short enough for speed.
  static const std::string long_a(1024, 'a');
  static const std::string long_ab = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) s += "ab";
    return s + "c";
  }();
  static const std::string_view texts[] = {
      "", "a", "ab", "abc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "linux", "windows", "LINUX",
      "WINDOWS_SERVER_2022_CORE", "t2.micro", "g4dn.xlarge", "us-east-1a", "i-0123456789abcdef0",
      "ami-595abc", "595.abc", "1.14.5", "service:web", "x86_64", "arm64", "a\nb", "\r\n", "\t",
      "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xff\xfe", "\xc3", std::string_view("a\0b", 3),
      "(x)", "[a]", "{1,2}", "\\", "^$", long_a, long_ab};

  const std::string_view pattern(reinterpret_cast<const char*>(data), size);
  const auto translated = ecsq::translate_java_regex(pattern);
  if (const auto* error = std::get_if<ecsq::RegexError>(&translated)) {
    if (error->code.empty() || error->message.empty()) fail(pattern, "error without code or message");
    if (error->offset > pattern.size()) fail(pattern, "error offset past the end of the pattern");
  }

  auto compiled = ecsq::Regex::compile(pattern);
  if (const auto* error = std::get_if<ecsq::RegexError>(&compiled)) {
    if (error->code.empty() || error->message.empty()) fail(pattern, "error without code or message");
    if (error->offset > pattern.size()) fail(pattern, "error offset past the end of the pattern");
    return 0;
  }
  const ecsq::Regex& regex = std::get<ecsq::Regex>(compiled);
  // A pattern run on marked text has no plain translation within the budget, or one that
  // differs (the non-atomic \X fallback).
  const auto* re2_pattern = std::get_if<std::string>(&translated);
  if (!regex.reads_markers()) {
    if (re2_pattern == nullptr) fail(pattern, "compiles, but translate_java_regex rejects it");
    if (*re2_pattern != regex.re2_pattern()) fail(pattern, "compile and translate_java_regex disagree");
  }
  if (regex.java_pattern() != pattern) fail(pattern, "java_pattern() is not the pattern compiled");

  const auto probe = [&](std::string_view text) {
    const bool full = regex.full_match(text);
    const bool partial = regex.partial_match(text);
    if (full && !partial) fail(pattern, "full_match but no partial_match");
  };
  for (const std::string_view text : texts) probe(text);
  probe(pattern);
  return 0;
}
