// The Java regex front end: Java 17's answers (tests/data/regex-cases.tsv, and the tables below,
// each checked against java.util.regex) and the errors ecsq gives instead of backtracking.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ecsq/regex.hpp"
#include "regex/java_regex.hpp"

using ecsq::Regex;
using ecsq::RegexError;
using ecsq::RegexOptions;

namespace {

Regex compiled(std::string_view pattern, const RegexOptions& options = {}) {
  auto r = Regex::compile(pattern, options);
  if (const auto* e = std::get_if<RegexError>(&r)) {
    FAIL("'" << pattern << "' rejected: " << e->code << " " << e->message);
  }
  return std::get<Regex>(std::move(r));
}

RegexError rejection(std::string_view pattern, const RegexOptions& options = {}) {
  auto r = Regex::compile(pattern, options);
  if (std::holds_alternative<Regex>(r)) FAIL("'" << pattern << "' compiled, expected a rejection");
  return std::get<RegexError>(std::move(r));
}

// Java 17: Pattern.matches(pattern, text) and Pattern.compile(pattern).matcher(text).find().
struct Case {
  const char* pattern;
  std::string text;
  bool full;
  bool find;
};

void check_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    INFO("pattern '" << c.pattern << "' on '" << c.text << "'");
    const Regex r = compiled(c.pattern);
    INFO("RE2 pattern: " << r.re2_pattern());
    CHECK(r.full_match(c.text) == c.full);
    CHECK(r.partial_match(c.text) == c.find);
  }
}

struct Expected {
  const char* pattern;
  const char* code;
  std::uint32_t offset;
  std::uint32_t length;
};

void check_errors(const std::vector<Expected>& cases) {
  for (const Expected& c : cases) {
    INFO("pattern '" << c.pattern << "'");
    const RegexError e = rejection(c.pattern);
    INFO(e.message);
    CHECK(e.code == c.code);
    CHECK(e.offset == c.offset);
    CHECK(e.length == c.length);
    CHECK_FALSE(e.message.empty());
  }
}

// The input column spells a UTF-16 unit as \uXXXX (tools/regex/JavaOracle.java writes control
// characters, marks and the like so); everything else is UTF-8 as it stands.
std::string decode_input(const std::string& field) {
  std::string out;
  auto hex4 = [&](std::size_t at) -> int {
    if (at + 6 > field.size() || field[at] != '\\' || field[at + 1] != 'u') return -1;
    int v = 0;
    for (std::size_t k = at + 2; k < at + 6; ++k) {
      const char c = field[k];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  };
  for (std::size_t i = 0; i < field.size();) {
    int unit = hex4(i);
    if (unit < 0) {
      out += field[i++];
      continue;
    }
    i += 6;
    char32_t c = static_cast<char32_t>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const int low = hex4(i);
      if (low < 0xDC00 || low > 0xDFFF) FAIL("a lone surrogate cannot be written as UTF-8: " << field);
      c = 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) + (static_cast<char32_t>(low) - 0xDC00);
      i += 6;
    }
    ecsq::detail::jre::append_utf8(out, c);
  }
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

// The rows of tests/data/regex-cases.tsv: pattern, input, full, find[, Java's message].
std::vector<std::vector<std::string>> case_rows() {
  std::ifstream file(ECSQ_TEST_DATA "/data/regex-cases.tsv");
  REQUIRE(file);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    rows.push_back(split_tabs(line));
    REQUIRE(rows.back().size() >= 4);
  }
  return rows;
}

}  // namespace

TEST_CASE("Java 17 ground truth: regex-cases.tsv", "[regex]") {
  int rows = 0, agree = 0, rejected = 0, wrong = 0, no_answer = 0;
  for (const std::vector<std::string>& f : case_rows()) {
    ++rows;
    const std::string& pattern = f[0];
    const std::string text = decode_input(f[1]);
    const std::string& full = f[2];
    const std::string& find = f[3];
    INFO("row " << rows << ": pattern '" << pattern.substr(0, 80) << "' on '" << text.substr(0, 40) << "'");
    auto r = Regex::compile(pattern);
    if (full == "TIMEOUT") {
      // Java did not finish; ecsq answers (in linear time) or rejects, and never hangs.
      ++no_answer;
      if (const auto* regex = std::get_if<Regex>(&r)) {
        (void)regex->full_match(text);
        (void)regex->partial_match(text);
      }
      continue;
    }
    if (full == "ERROR") {
      // Java rejects the pattern: so must ecsq.
      if (std::holds_alternative<RegexError>(r)) {
        ++agree;
      } else {
        ++wrong;
        FAIL_CHECK("Java rejects this pattern (" << (f.size() > 4 ? f[4] : "") << "), ecsq accepts it");
      }
      continue;
    }
    REQUIRE((full == "true" || full == "false"));
    if (const auto* e = std::get_if<RegexError>(&r)) {
      // Only the constructs that need backtracking, and classes under (?c), may be refused where
      // Java answers.
      const bool backtracking = e->code == "E0310" || e->code == "E0311" || e->code == "E0312" || e->code == "E0313" ||
                                e->code == "E0315";
      if (backtracking) {
        ++rejected;
      } else {
        ++wrong;
        FAIL_CHECK("rejected with " << e->code << ": " << e->message);
      }
      continue;
    }
    const Regex& regex = std::get<Regex>(r);
    INFO("RE2 pattern: " << regex.re2_pattern().substr(0, 200));
    bool ok = regex.full_match(text) == (full == "true");
    CHECK(regex.full_match(text) == (full == "true"));
    if (find == "true" || find == "false") {
      ok = ok && regex.partial_match(text) == (find == "true");
      CHECK(regex.partial_match(text) == (find == "true"));
    }
    if (ok) {
      ++agree;
    } else {
      ++wrong;
    }
  }
  WARN("regex-cases.tsv: " << rows << " rows; agree " << agree << ", rejected (backtracking, (?c)) " << rejected
                           << ", wrong " << wrong << ", no Java answer (TIMEOUT) " << no_answer);
  CHECK(rows == agree + rejected + wrong + no_answer);
  CHECK(rows > 300);
  REQUIRE(wrong == 0);
}

TEST_CASE("the marked-text translation gives every Java 17 answer of regex-cases.tsv too", "[regex]") {
  // Regex::compile uses it only where spelling \b, \B or \X out is over the budget; here every
  // pattern whose assertions markers carry goes through it, so all the Java rows check it.
  int rows = 0, marked = 0;
  for (const std::vector<std::string>& f : case_rows()) {
    ++rows;
    if (f[2] != "true" && f[2] != "false") continue;
    if (!std::holds_alternative<Regex>(Regex::compile(f[0]))) continue;  // rejected: nothing to compare
    const std::string text = decode_input(f[1]);
    const auto answers = ecsq::detail::jre::marked_answers(f[0], text);
    if (!answers) continue;  // line anchors: markers do not carry them
    ++marked;
    INFO("row " << rows << ": pattern '" << f[0].substr(0, 80) << "' on '" << f[1].substr(0, 40) << "'");
    CHECK(answers->first == (f[2] == "true"));
    if (f[3] == "true" || f[3] == "false") CHECK(answers->second == (f[3] == "true"));
  }
  WARN("regex-cases.tsv: " << marked << " of " << rows << " rows also checked on marked text");
  CHECK(marked > 300);
}

TEST_CASE("whole-value match is Pattern.matches, partial_match is Matcher.find", "[regex]") {
  check_cases({
      {"t3.*", "t3.micro", true, true},
      {"t3.*", "xt3.micro", false, true},
      {"t3", "t3.micro", false, true},
      {"", "", true, true},
      {"", "abc", false, true},
      {"a|b|", "", true, true},
      {"m5.large|", "m5.large", true, true},
  });
}

TEST_CASE("character classes: union, intersection, subtraction, nesting", "[regex]") {
  check_cases({
      {"[a-z&&[^aeiou]]", "b", true, true},
      {"[a-z&&[^aeiou]]", "e", false, false},
      {"[a-z&&[^aeiou]]", "B", false, false},
      {"[a-z&&[def]]", "e", true, true},
      {"[a-z&&def]", "a", false, false},
      {"[a[b-d]]", "c", true, true},
      {"[a[b-d]]", "e", false, false},
      {"[^a[b]]", "b", false, false},
      {"[^a[b]]", "c", true, true},
      {"[a[^b]]", "c", true, true},
      {"[\\w&&[^\\d]]", "5", false, false},
      {"[\\w&&[^\\d]]", "_", true, true},
      {"[\\p{L}&&[^\\p{Lu}]]", "\xc3\xa9", true, true},  // é
      {"[\\p{L}&&[^\\p{Lu}]]", "\xc3\x89", false, false},  // É
      {"[&&a]", "a", true, true},
      {"[a&&&b]", "&", true, true},  // Java reads the third '&' as a literal
      {"[]a]", "]", true, true},
      {"[a-]", "-", true, true},
      {"[\\d-z]", "-", true, true},
      {"[[:alpha:]]", ":", true, true},  // Java has no POSIX brackets: a class of [, :, a, l, p, h
      {"[^a]", "\xf0\x9f\x98\x80", true, true},  // one code point, not two UTF-16 units
      {"[.]", "x", false, false},
  });
  CHECK(compiled("[a-z&&[^aeiou]]").re2_pattern() == "[b-df-hj-np-tv-z]");
  CHECK(compiled("[a-d[m-p]]").re2_pattern() == "[a-dm-p]");
}

TEST_CASE("POSIX classes are ASCII-only unless (?U), Unicode properties, scripts and blocks", "[regex]") {
  check_cases({
      {"\\p{Alpha}+", "abcXYZ", true, true},
      {"\\p{Alpha}", "\xc3\xa9", false, false},  // é
      {"(?U)\\p{Alpha}", "\xc3\xa9", true, true},
      {"\\p{Lower}", "a", true, true},
      {"\\p{Lower}", "A", false, false},
      {"\\p{Upper}", "\xc3\x89", false, false},  // É
      {"\\p{Digit}", "\xd9\xa3", false, false},  // Arabic-Indic three
      {"\\p{Alnum}+", "a1Z", true, true},
      {"\\p{Punct}+", "!-/_~", true, true},
      {"\\p{Space}+", " \t\n\x0b\f\r", true, true},
      {"\\p{XDigit}+", "0fA", true, true},
      {"\\p{XDigit}", "g", false, false},
      {"\\p{Graph}", " ", false, false},
      {"\\p{Print}", " ", true, true},
      {"\\p{Blank}", "\t", true, true},
      {"\\p{Cntrl}", "\x7f", true, true},
      {"\\p{ASCII}", "\xc3\xa9", false, false},
      {"\\p{L}", "\xc3\xa9", true, true},
      {"\\pL", "a", true, true},
      {"\\P{L}", "a", false, false},
      {"\\p{Lu}", "a", false, false},
      {"\\p{IsLu}", "A", true, true},
      {"\\p{gc=Lu}", "A", true, true},
      {"\\p{IsLatin}", "\xc3\xa9", true, true},
      {"\\p{IsLATIN}", "a", true, true},
      {"\\p{sc=Latn}", "a", true, true},
      {"\\p{IsGreek}", "\xce\xb1", true, true},  // α
      {"\\p{IsGreek}", "a", false, false},
      {"\\p{IsAlphabetic}", "\xe2\x85\xa0", true, true},  // Ⅰ, a letter number
      {"\\p{InBasic_Latin}", "a", true, true},
      {"\\p{block=Greek}", "\xce\xb1", true, true},
      {"\\p{InLatin-1 Supplement}", "\xc3\xa9", true, true},
      {"\\p{javaLowerCase}", "\xc3\xa9", true, true},
      {"\\p{javaMirrored}", "(", true, true},
      {"\\p{L1}", "\xc3\xbf", true, true},  // ÿ
      {"\\p{all}", "\xf0\x9f\x98\x80", true, true},
      {"(?i)\\p{Lower}", "A", true, true},
      {"(?i)\\p{Lu}", "a", true, true},
      {"\\p{Nd}", "\xd9\xa3", true, true},
  });
  const RegexError greek = rejection("\\p{Greek}");
  CHECK(greek.code == "E0301");
  CHECK(greek.message.find("\\p{IsGreek}") != std::string::npos);  // Java needs Is for a script
}

TEST_CASE("escapes: unicode, hex, octal, control, names, surrogate pairs", "[regex]") {
  check_cases({
      {"\\u0041", "A", true, true},
      {"\\x41\\x{1F600}", "A\xf0\x9f\x98\x80", true, true},
      {"\\uD83D\\uDE00", "\xf0\x9f\x98\x80", true, true},  // a surrogate pair is one code point
      {"\\0101", "A", true, true},
      {"\\0377", "\xc3\xbf", true, true},
      {"\\0400", " 0", true, true},  // \040 then '0': three octal digits only up to \0377
      {"\\t\\n\\r\\f\\a\\e", "\t\n\r\f\x07\x1b", true, true},
      {"\\cA", "\x01", true, true},
      {"\\N{LATIN SMALL LETTER A}", "a", true, true},
      {"\\N{euro sign}", "\xe2\x82\xac", true, true},
      {"\\.\\-\\:\\<\\~\\\xc3\xa9", ".-:<~\xc3\xa9", true, true},  // non-letters may be escaped
      {"[\\x41-\\x5A]", "q", false, false},
  });
}

TEST_CASE("Q...E quoting, also inside classes and to the end of the pattern", "[regex]") {
  check_cases({
      {"\\Qa.b\\E", "a.b", true, true},
      {"\\Qa.b\\E", "axb", false, false},
      {"\\Q(a+)\\E+", "(a+)(a+)", false, true},  // + repeats the quoted ')' only
      {"\\Q(a+)\\E+", "(a+))", true, true},
      {"\\Qt3.*", "t3.*", true, true},  // no \E: quoted to the end
      {"[\\Q]\\E]", "]", true, true},
      {"\\Q\\E", "", true, true},
      {"x\\Q12\\E", "x12", true, true},
  });
}

TEST_CASE("(?i) folds ASCII only, (?iu) folds Unicode the Java way", "[regex]") {
  check_cases({
      {"(?i)abc", "aBc", true, true},
      {"(?i)\xc3\xa9", "\xc3\x89", false, false},  // é vs É: Java folds ASCII only
      {"(?iu)\xc3\xa9", "\xc3\x89", true, true},
      {"(?i)k", "\xe2\x84\xaa", false, false},  // KELVIN SIGN
      {"(?iu)k", "\xe2\x84\xaa", true, true},
      {"(?i)s", "\xc5\xbf", false, false},  // LATIN SMALL LETTER LONG S
      {"(?iu)s", "\xc5\xbf", true, true},
      {"(?iu)\\u0131", "I", true, true},  // dotless i upper-cases to I
      {"(?i)[^a]", "A", false, false},
      {"(?i)[a-c]", "B", true, true},
      {"(?i)[\xc3\xa0-\xc3\xbe]", "\xc3\x80", false, false},  // à-þ vs À
      {"(?iu)[\xc3\xa0-\xc3\xbe]", "\xc3\x80", true, true},
      {"a(?i)b", "AB", false, false},
      {"a(?i)b", "aB", true, true},
      {"(a(?i)b)c", "aBC", false, false},  // the flag ends with its group
      {"(?i:a)b", "Ab", true, true},
      {"(?i:a)b", "AB", false, false},
      {"(?i)a(?-i)b", "Ab", true, true},
      {"(?i)a(?-i)b", "AB", false, false},
      {"(?i-i)a", "A", false, false},
      {"(?i)t3\\.MICRO", "T3.micro", true, true},
  });
  CHECK(compiled("(?i)t3").re2_pattern() == "[Tt]3");
}

TEST_CASE("(?x) drops whitespace and # comments, also inside classes", "[regex]") {
  check_cases({
      {"(?x)a b", "ab", true, true},
      {"(?x)a b # a comment", "ab", true, true},
      {"(?x)a#comment\nb", "ab", true, true},
      {"(?x)[a b]", "b", true, true},
      {"(?x)[a b]", " ", false, false},
      {"(?x)a\\ b", "a b", true, true},
      {"(?x)a{2, 3}", "aaa", true, true},
      {"(?x)\\p{ L}", "a", true, true},
      {"(?x: a b )c", "abc", true, true},
  });
}

TEST_CASE("predefined classes d w s h v R X", "[regex]") {
  check_cases({
      {"\\d+", "0123456789", true, true},
      {"\\d", "\xd9\xa3", false, false},
      {"(?U)\\d", "\xd9\xa3", true, true},
      {"\\w+", "a_Z9", true, true},
      {"\\w", "\xc3\xa9", false, false},
      {"(?U)\\w", "\xc3\xa9", true, true},
      {"\\s+", " \t\n\x0b\f\r", true, true},
      {"\\s", "\xc2\xa0", false, false},          // no-break space is not \s in Java
      {"\\s", "\xe3\x80\x80", false, false},      // ideographic space
      {"(?U)\\s", "\xe3\x80\x80", true, true},
      {"\\S\\D\\W", "a-!", true, true},
      {"\\h", "\xc2\xa0", true, true},
      {"\\h", "\xe1\xa0\x8e", true, true},  // U+180E is still \h in Java 17
      {"\\h", "\n", false, false},
      {"\\H", "a", true, true},
      {"\\v", "\xe2\x80\xa8", true, true},
      {"\\v", " ", false, false},
      {"\\V", "a", true, true},
      {"\\R", "\r\n", true, true},
      {"\\R", "\xc2\x85", true, true},
      {"\\R\\n", "\r\n", true, true},      // Java backtracks into \R here...
      {"\\R{2}", "\r\n", false, false},    // ...but not when \R is quantified
      {"\\R?\\n", "\r\n", false, true},
      {"(?:\\R)?\\n", "\r\n", true, true},  // a group is backtracked into
      {"\\R+", "\r\n\n\r", true, true},
      {"\\X", "e\xcc\x81", true, true},    // e + combining acute: one grapheme cluster
      {"\\X", "\xc3\xa9", true, true},
      {"\\X", "\r\n", true, true},
      {"\\X", "ab", false, true},
  });
}

TEST_CASE("documented differences from Java 17", "[regex]") {
  // Java's \X always takes the whole grapheme cluster, and so does ecsq's: spelled out where
  // that fits the budget, else on marked text (which reads_markers() reports).
  CHECK_FALSE(compiled("\\X.").full_match("e\xcc\x81"));
  CHECK_FALSE(compiled("\\X\\X").full_match("e\xcc\x81"));
  CHECK_FALSE(compiled("\\X+.").full_match("e\xcc\x81"));
  CHECK(compiled("\\X").full_match("e\xcc\x81"));
  CHECK_FALSE(compiled("\\X").reads_markers());
  CHECK(compiled("\\X\\X").reads_markers());
  // Where even the marked translation is over the budget (nested loops with several
  // assertions), \X falls back to a cluster that may end early instead of rejecting the pattern.
  CHECK(compiled("\\b(?:\\u200Da\\b{2}(?: \\x{1F1E6}|\\B *)|\\X*\\X)+").full_match("ab"));  // as Java
  // Java's find also tries the index between the two halves of a surrogate pair when the pattern
  // has no supplementary literal, and \B holds there: Java finds \B in U+1E922. ecsq works on
  // code points and does not; whole-value matching (=~) is not affected.
  CHECK_FALSE(compiled("\\B").partial_match("\xf0\x9e\xa4\xa2"));  // Java: true
  CHECK_FALSE(compiled("\\B").full_match("\xf0\x9e\xa4\xa2"));     // as Java
}

TEST_CASE("word boundaries b and B: Java 17 counts letters and digits of every script as word characters", "[regex]") {
  check_cases({
      {"\\bt3\\b", "t3", true, true},
      {"\\bt3\\b", "at3.micro", false, false},
      {"\\bt3\\b", "a t3.micro", false, true},
      {"\\b\\w+\\b", "\xc3\xa9" "a", false, false},  // é is a word character for \b, not for \w
      {"t3\\b", "t3\xc3\xa9", false, false},
      {"\\bcaf\xc3\xa9\\b", "un caf\xc3\xa9!", false, true},
      {"\\Bt3", "t3", false, false},
      {"\\Bt3", "at3", false, true},
      {"\\b", "", false, false},
      {"\\B", "", true, true},
      {"a\\b", "a\xcc\x81", false, false},  // a mark after a letter belongs to the word
      {"\\B", "\xcc\x81", false, true},     // a mark with no letter or digit before it does not
      {"_\\b.", "_\xcc\x81", true, true},     // nor does one after '_'
      {".\\b.", "\xf0\x9e\xa4\xa2\xcc\x81", true, true},  // Java steps back one UTF-16 unit: a low surrogate
      {".*\\bprod\\b.*", "svc-prod-1", true, true},
      {".*\\bprod\\b.*", "svc-production", false, false},
      {"(?U)\\b\\w+\\b", "\xc3\xa9t\xc3\xa9", true, true},
  });
}

TEST_CASE("anchors: ^ $ A z Z G, multiline and UNIX_LINES", "[regex]") {
  check_cases({
      {"^abc$", "abc", true, true},
      {"^abc$", "xabc", false, false},
      {"abc$", "abc\n", false, true},     // $ may match before a final line terminator...
      {"abc$\\n", "abc\n", true, true},   // ...which the pattern can then consume
      {"abc$", "abc\r\n", false, true},
      {"abc$", "abc\n\n", false, false},  // only the final one
      {"a\\r$", "a\r\n", false, false},   // never between \r and \n
      {"abc$", "abc\xe2\x80\xa8", false, true},
      {"abc\\Z", "abc\n", false, true},
      {"abc\\z", "abc\n", false, false},
      {"\\Aabc\\z", "abc", true, true},
      {"\\Ga", "ba", false, false},
      {"(?m)^b", "a\nb", false, true},
      {"(?m)^b", "a\r\nb", false, true},
      {"(?m)a$", "a\nb", false, true},
      {"(?m)^", "", false, false},  // Java's ^ never matches at the end of the input
      {"(?m)$", "", true, true},
      {"(?d)a$", "a\r", false, false},  // UNIX_LINES: only \n is a line terminator
      {"(?d)a$", "a\n", false, true},
      {"(?m)^x$", "a\nx\nb", false, true},
      {"$", "\r\n", false, true},
  });
}

TEST_CASE(". excludes Java's line terminators unless (?s), (?d) excludes only newline", "[regex]") {
  check_cases({
      {".", "a", true, true},
      {".", "\n", false, false},
      {".", "\r", false, false},
      {".", "\xc2\x85", false, false},
      {".", "\xe2\x80\xa8", false, false},
      {".", "\xe2\x80\xa9", false, false},
      {"(?s).", "\n", true, true},
      {"(?d).", "\r", true, true},
      {"(?d).", "\n", false, false},
      {"^.$", "\xf0\x9f\x98\x80", true, true},
  });
}

TEST_CASE("quantifiers: greedy and lazy, counted, beyond RE2's 1000, stacked", "[regex]") {
  check_cases({
      {"a*?b", "aab", true, true},
      {"a{2,3}?", "aaa", true, true},
      {"a{2,}", "a", false, false},
      {"a{0}b", "b", true, true},
      {"(ab){2}", "abab", true, true},
      {"x{2}{3}", "xx", true, true},  // Java applies {3} to an empty atom
      {"a*{2}", "aa", true, true},
      {"{2}", "", true, true},
      {"a}", "a}", true, true},
  });
  const Regex thousand_and_one = compiled("a{1001}");
  CHECK(thousand_and_one.full_match(std::string(1001, 'a')));
  CHECK_FALSE(thousand_and_one.full_match(std::string(1000, 'a')));
  const Regex nested = compiled("(?:a{100}){100}");
  CHECK(nested.full_match(std::string(10000, 'a')));
  CHECK_FALSE(nested.full_match(std::string(9999, 'a')));
  const Regex twice = compiled("(a{1000}){2}");
  CHECK(twice.full_match(std::string(2000, 'a')));
  const Regex open = compiled("a{1500,}");
  CHECK(open.full_match(std::string(1500, 'a')));
  CHECK(open.full_match(std::string(4000, 'a')));
  CHECK_FALSE(open.full_match(std::string(1499, 'a')));
}

TEST_CASE("a quantified group stops at an empty iteration, as Java's Loop does", "[regex]") {
  check_cases({
      {"(a{0,2}^.{0,2}){2}", "b0", false, true},  // the empty first pass (at ^) ends the loop
      {"(a{0,2}^.{0,2}){2}", "ab", false, true},  // a second pass would need ^ again
      {"(a{0,2}^.{0,2}){2}", "", true, true},
      {"(\\b|a)*x", "aax", true, true},
      {"(\\b|a)*x", "x", true, true},
      {"(?:$|a)+b", "ab", true, true},
      {"(a?){3}", "a", true, true},  // an unconditional empty pass changes nothing
      {"\\b*x\\B+", "x", false, false},
  });
  // Repetitions of repetitions collapse, so the budget is not spent on them.
  CHECK(compiled("(.*){1,1000}").full_match("anything at all"));
  CHECK(compiled("(a+){2,5}").re2_pattern() == "a{2,}");
}

TEST_CASE("named groups and alternation translate, captures do not matter", "[regex]") {
  check_cases({
      {"(?<name>t\\d)\\.micro", "t3.micro", true, true},
      {"(m5|c5)\\.(x|2x)?large", "c5.2xlarge", true, true},
      {"(?:ab)+", "abab", true, true},
      {"()", "", true, true},
  });
}

TEST_CASE("Java syntax errors: E0301 at Java's error position", "[regex]") {
  check_errors({
      {"*.large", "E0301", 0, 1},
      {"{t3,m5}.*", "E0301", 1, 1},
      {"a{,3}", "E0301", 2, 1},
      {"a+*", "E0301", 2, 1},
      {"?a", "E0301", 0, 1},
      {"(abc", "E0301", 0, 1},  // an unclosed group or class: where it opens
      {"a(b(c)", "E0301", 1, 1},
      {"abc)", "E0301", 3, 1},
      {"[abc", "E0301", 0, 1},
      {"[]", "E0301", 0, 1},
      {"[a[b]", "E0301", 0, 1},
      {"[z-a]", "E0301", 3, 1},
      {"[a-\\d]", "E0301", 4, 1},
      {"a{2,1}", "E0301", 5, 1},
      {"a{2147483648}", "E0301", 11, 1},
      {"a\\", "E0301", 2, 0},
      {"\\i", "E0301", 1, 1},
      {"\\E", "E0301", 1, 1},
      {"\\u12", "E0301", 4, 0},  // at the end, where a digit is missing
      {"\\xZ", "E0301", 2, 1},
      {"\\x{110000}", "E0301", 8, 1},
      {"\\c", "E0301", 1, 1},
      {"\\0", "E0301", 2, 0},
      {"\\p{", "E0301", 0, 1},
      {"\\p{Foo}", "E0301", 6, 1},
      {"(?z)", "E0301", 2, 1},
      {"(?i", "E0301", 3, 0},
      {"(?<1a>x)", "E0301", 3, 1},
      {"\\k<x>", "E0301", 4, 1},
      {"(?<a>x)(?<a>y)", "E0301", 11, 1},
      {"(?'name'x)", "E0301", 2, 1},
      {"\\N{}", "E0301", 3, 1},
      {"\\N{no such name!}", "E0301", 16, 1},
  });
  CHECK(rejection("*.large").message == "dangling meta character '*': nothing to repeat (Java)");
}

TEST_CASE("what needs backtracking is rejected with its own code, pointing at the construct", "[regex]") {
  check_errors({
      {"(a)\\1", "E0310", 3, 2},
      {"(t\\d)\\.\\1", "E0310", 7, 2},
      {"(?<x>a)\\k<x>", "E0310", 7, 5},
      {"(?:\\1b|(a))+", "E0310", 3, 2},
      {"(?=t3)t3", "E0311", 0, 3},
      {"^(?!.*\\.nano$)t3.*", "E0311", 1, 3},
      {"(?<=ami-)[0-9a-f]+", "E0311", 0, 4},
      {"(?<!x)y", "E0311", 0, 4},
      {"a*+a", "E0312", 1, 2},
      {"\\d++\\d", "E0312", 2, 2},
      {"(?:ab|a){2}+", "E0312", 8, 4},
      {"a*+$", "E0312", 1, 2},
      {"(?>a*)a", "E0313", 0, 3},
      {"(?>a|ab)c", "E0313", 0, 3},
      {"a\\b{g}", "E0314", 1, 5},
      {"(?c)[a]", "E0315", 2, 1},
      {"(?c)a\\pL", "E0315", 2, 1},
  });
  const RegexError lookahead = rejection("(?=a)b");
  CHECK(lookahead.message == "lookahead '(?=' needs backtracking, which ecsq does not run; RE2 runs in linear time");
  // Java's own errors come first: Java would not run the pattern at all.
  CHECK(rejection("(?=a)(").code == "E0301");
  CHECK(rejection("(a)\\1[").code == "E0301");
}

TEST_CASE("limits are configurable and named when hit", "[regex]") {
  RegexOptions small;
  small.max_pattern_bytes = 8;
  const RegexError too_long = rejection("abcdefghij", small);
  CHECK(too_long.code == "E0320");
  CHECK(too_long.message.find("max_pattern_bytes") != std::string::npos);
  CHECK(too_long.offset == 8);
  CHECK(compiled("abcdefgh", small).full_match("abcdefgh"));

  RegexOptions tight;
  tight.max_memory_bytes = 16 << 10;
  const RegexError too_big = rejection("\\p{L}{20}", tight);
  CHECK(too_big.code == "E0321");
  CHECK(too_big.message.find("max_memory_bytes") != std::string::npos);
  CHECK(compiled("\\p{L}{20}").full_match(std::string(20, 'x')));

  const RegexError deep = rejection(std::string(500, '(') + std::string(500, ')'));
  CHECK(deep.code == "E0322");
  CHECK(compiled(std::string(200, '(') + "a" + std::string(200, ')')).full_match("a"));

  const RegexError bytes = rejection("caf\xc3");
  CHECK(bytes.code == "E0302");
  CHECK(bytes.offset == 3);
}

TEST_CASE("translate_java_regex gives the RE2 pattern compile uses", "[regex]") {
  for (const char* pattern : {"t3\\..*", "(?i)ami-[0-9A-F]+", "[a-z&&[^aeiou]]+", "\\bt3\\b", "^abc$", "\\p{IsLatin}+"}) {
    INFO(pattern);
    const auto translated = ecsq::translate_java_regex(pattern);
    REQUIRE(std::holds_alternative<std::string>(translated));
    const Regex r = compiled(pattern);
    CHECK(std::get<std::string>(translated) == r.re2_pattern());
    CHECK(r.java_pattern() == pattern);
  }
  CHECK(std::get<std::string>(ecsq::translate_java_regex("^t3\\.micro$")) == "t3\\.micro");
  const auto error = ecsq::translate_java_regex("(a)\\1");
  REQUIRE(std::holds_alternative<RegexError>(error));
  CHECK(std::get<RegexError>(error).code == "E0310");
}

TEST_CASE("a compiled pattern is shared safely across threads", "[regex]") {
  const Regex r = compiled(".*\\bprod\\b.*|(?i)ami-[0-9a-f]{8}");
  const std::vector<std::pair<std::string, bool>> texts{
      {"svc-prod-1", true}, {"production", false}, {"AMI-0123abcd", true}, {"ami-0123", false}, {"prod", true}};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const Regex copy = r;  // copies share the compiled program
      for (int i = 0; i < 2000; ++i) {
        const auto& [text, expected] = texts[static_cast<std::size_t>(i + t) % texts.size()];
        if (copy.full_match(text) != expected) ++mismatches;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  CHECK(mismatches == 0);
}

TEST_CASE("N{name} knows every name of Java 17's Character.getName", "[regex]") {
  check_cases({
      {"\\N{SNOWMAN}", "\xe2\x98\x83", true, true},
      {"\\N{  snowman }", "\xe2\x98\x83", true, true},  // Character.codePointOf trims and ignores case
      {"\\N{GREEK SMALL LETTER ALPHA}+", "\xce\xb1\xce\xb1", true, true},
      {"\\N{NULL}", std::string(1, '\0'), true, true},
      {"\\N{LINE FEED (LF)}", "\n", true, true},
      {"\\N{GRINNING FACE}", "\xf0\x9f\x98\x80", true, true},
      // Spelled by rule: the block's name and the code point in hex.
      {"\\N{CJK UNIFIED IDEOGRAPHS 4E00}", "\xe4\xb8\x80", true, true},
      {"\\N{cjk unified ideographs 4e00}", "\xe4\xb8\x80", true, true},
      {"\\N{HANGUL SYLLABLES AC00}", "\xea\xb0\x80", true, true},
      {"\\N{LAT\xc4\xb1N SMALL LETTER A}", "a", true, true},  // dotless i upper-cases to I
  });
  check_errors({
      {"\\N{CJK UNIFIED IDEOGRAPH-4E00}", "E0301", 29, 1},   // Java's getName spells it otherwise
      {"\\N{CJK UNIFIED IDEOGRAPHS 04E00}", "E0301", 31, 1},  // no leading zeros
      {"\\N{BASIC LATIN 41}", "E0301", 17, 1},                // 'A' has a name of its own
      {"\\N{CJK UNIFIED IDEOGRAPHS 0378}", "E0301", 30, 1},    // unassigned
  });
}

TEST_CASE("possessive quantifiers and atomic groups run where giving back cannot matter", "[regex]") {
  check_cases({
      {"a*+b", "aaab", true, true},
      {"[0-9]++\\.[0-9]*+", "12.50", true, true},
      {"t2.*+", "t2.micro", true, true},
      {"(?:a++b)+", "aabab", true, true},
      {"(?>a)b", "ab", true, true},
      {"(?>a*)b", "aab", true, true},
      {"(ab){2}+", "abab", true, true},
      {"x?+y", "y", true, true},
  });
  const RegexError overlap = rejection("a*+a");
  CHECK(overlap.message.find("what follows could also start with") != std::string::npos);
}
