// Private to the Java regex front end (regex.cpp, java_regex_*.cpp): code point sets, Java 17's
// Unicode tables, the Java pattern parser and the RE2 emitter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ecsq::detail::jre {

inline constexpr char32_t kMaxCodePoint = 0x10FFFF;

/// A set of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges.
class CodeSet {
 public:
  struct Range {
    char32_t lo;
    char32_t hi;
    friend bool operator==(const Range&, const Range&) = default;
  };

  CodeSet() = default;
  [[nodiscard]] static CodeSet of(char32_t c) { return range(c, c); }
  [[nodiscard]] static CodeSet range(char32_t lo, char32_t hi);
  [[nodiscard]] static CodeSet all() { return range(0, kMaxCodePoint); }
  /// Builds from ranges in any order, overlapping or not.
  [[nodiscard]] static CodeSet from_ranges(std::vector<Range> ranges);

  void add(char32_t lo, char32_t hi);
  void add(char32_t c) { add(c, c); }
  [[nodiscard]] CodeSet operator|(const CodeSet& other) const;
  [[nodiscard]] CodeSet operator&(const CodeSet& other) const;
  [[nodiscard]] CodeSet operator-(const CodeSet& other) const;
  [[nodiscard]] CodeSet complement() const;
  [[nodiscard]] bool contains(char32_t c) const;
  [[nodiscard]] bool empty() const { return ranges_.empty(); }
  [[nodiscard]] bool is_all() const { return ranges_.size() == 1 && ranges_[0] == Range{0, kMaxCodePoint}; }
  [[nodiscard]] bool subset_of(const CodeSet& other) const { return (*this - other).empty(); }
  [[nodiscard]] bool intersects(const CodeSet& other) const { return !(*this & other).empty(); }
  [[nodiscard]] std::size_t size() const;  ///< number of code points
  [[nodiscard]] const std::vector<Range>& ranges() const { return ranges_; }
  friend bool operator==(const CodeSet&, const CodeSet&) = default;

 private:
  std::vector<Range> ranges_;
};

// ---------------------------------------------------------------------------------------------
// Java 17's Unicode 13 data (java_regex_unicode.cpp, tables in java_regex_unicode_data.cpp).

/// java.lang.Character.getType values.
enum JavaCategory : int {
  kUnassigned = 0, kUppercaseLetter = 1, kLowercaseLetter = 2, kTitlecaseLetter = 3,
  kModifierLetter = 4, kOtherLetter = 5, kNonSpacingMark = 6, kEnclosingMark = 7,
  kCombiningSpacingMark = 8, kDecimalDigitNumber = 9, kLetterNumber = 10, kOtherNumber = 11,
  kSpaceSeparator = 12, kLineSeparator = 13, kParagraphSeparator = 14, kControl = 15, kFormat = 16,
  kPrivateUse = 18, kSurrogate = 19, kDashPunctuation = 20, kStartPunctuation = 21,
  kEndPunctuation = 22, kConnectorPunctuation = 23, kOtherPunctuation = 24, kMathSymbol = 25,
  kCurrencySymbol = 26, kModifierSymbol = 27, kOtherSymbol = 28, kInitialQuotePunctuation = 29,
  kFinalQuotePunctuation = 30,
};
[[nodiscard]] constexpr std::uint32_t cat_bit(int category) { return std::uint32_t{1} << category; }

[[nodiscard]] int category_of(char32_t c);
/// Code points whose Character.getType is in `mask` (bits from cat_bit).
[[nodiscard]] CodeSet category_set(std::uint32_t mask);
/// Character.UnicodeScript.forName(name) then its code points; nullopt for an unknown name.
[[nodiscard]] std::optional<CodeSet> script_set(std::string_view name);
/// Character.UnicodeBlock.forName(name) then its code points; nullopt for an unknown name.
[[nodiscard]] std::optional<CodeSet> block_set(std::string_view name);

/// Character predicates whose tables are not derivable from the general category.
enum class Binary { Alphabetic, Ideographic, Lowercase, Uppercase, Mirrored, UnicodeIdStart, UnicodeIdPart };
[[nodiscard]] const CodeSet& binary_set(Binary which);
/// Java's UnicodeProp.WORD: \w and \b's word characters under UNICODE_CHARACTER_CLASS.
[[nodiscard]] const CodeSet& java_word_set();

/// Character.toUpperCase / toLowerCase (int versions).
[[nodiscard]] char32_t to_upper(char32_t c);
[[nodiscard]] char32_t to_lower(char32_t c);
/// Code points c with toUpperCase(c) != c or toLowerCase(c) != c: the only candidates for case folding.
[[nodiscard]] const std::vector<char32_t>& cased_code_points();

/// java.util.regex.Grapheme types (grapheme cluster break classes).
enum GraphemeType : int {
  kGbOther = 0, kGbCR = 1, kGbLF = 2, kGbControl = 3, kGbExtend = 4, kGbZWJ = 5, kGbRI = 6,
  kGbPrepend = 7, kGbSpacingMark = 8, kGbL = 9, kGbV = 10, kGbT = 11, kGbLV = 12, kGbLVT = 13,
  kGbExtPict = 14,
};
[[nodiscard]] CodeSet grapheme_set(int type);
[[nodiscard]] int grapheme_type_of(char32_t c);

/// Character.codePointOf: Java 17's character names, and the block-name-and-hex names it spells by
/// rule (CJK UNIFIED IDEOGRAPHS 4E00); nullopt for a name Java does not know.
[[nodiscard]] std::optional<char32_t> code_point_of(std::string_view name);

namespace data {
struct ScriptAlias {
  const char* name;
  int script;
};
struct BlockName {
  const char* name;
  int block;
};
extern const std::int32_t kCategoryRuns[];
extern const std::size_t kCategoryRunsSize;
extern const std::int32_t kScriptRuns[];
extern const std::size_t kScriptRunsSize;
extern const char* const kScriptNames[];
extern const std::size_t kScriptNamesSize;
extern const ScriptAlias kScriptAliases[];
extern const std::size_t kScriptAliasesSize;
extern const std::int32_t kBlockRuns[];
extern const std::size_t kBlockRunsSize;
extern const BlockName kBlockNames[];
extern const std::size_t kBlockNamesSize;
extern const std::int32_t kAlphabetic[];
extern const std::size_t kAlphabeticSize;
extern const std::int32_t kIdeographic[];
extern const std::size_t kIdeographicSize;
extern const std::int32_t kLowercase[];
extern const std::size_t kLowercaseSize;
extern const std::int32_t kUppercase[];
extern const std::size_t kUppercaseSize;
extern const std::int32_t kMirrored[];
extern const std::size_t kMirroredSize;
extern const std::int32_t kUnicodeIdentifierStart[];
extern const std::size_t kUnicodeIdentifierStartSize;
extern const std::int32_t kUnicodeIdentifierPart[];
extern const std::size_t kUnicodeIdentifierPartSize;
extern const std::int32_t kToUpper[];
extern const std::size_t kToUpperSize;
extern const std::int32_t kToLower[];
extern const std::size_t kToLowerSize;
extern const std::int32_t kGraphemeRuns[];
extern const std::size_t kGraphemeRunsSize;
extern const char* const kBlockCanonicalNames[];
extern const std::size_t kBlockCanonicalNamesSize;
extern const char kNameWords[];
extern const std::size_t kNameWordsSize;
extern const std::uint16_t kNameTokens[];
extern const std::size_t kNameTokensSize;
extern const std::int32_t kNameCodePointGaps[];
extern const std::size_t kNameCodePointGapsSize;
}  // namespace data

// ---------------------------------------------------------------------------------------------
// The parsed pattern. Only what decides whether a string matches survives parsing: captures,
// greediness and group names are gone, classes are code point sets with case folding applied.

/// Zero-width assertions. Begin/End are RE2's \A and \z; the rest look at neighbouring
/// characters in ways RE2 cannot, and are resolved by the emitter (java_regex_emit.cpp).
enum class Assertion {
  Begin,            ///< \A, ^ without MULTILINE, \G
  End,              ///< \z
  Dollar,           ///< $ and \Z: at the end, or before a final line terminator
  DollarMultiline,  ///< (?m)$: before any line terminator, or at the end
  UnixDollar,       ///< (?d)$
  UnixDollarMultiline,
  Caret,            ///< (?m)^: after a line terminator, never at the end
  UnixCaret,        ///< (?md)^
  WordBoundary,     ///< \b (Java 17: letters and digits of any script, and marks after them, are word characters)
  NotWordBoundary,  ///< \B
  WordBoundaryU,    ///< \b under UNICODE_CHARACTER_CLASS
  NotWordBoundaryU,
  NotBeforeLF,      ///< the next character is not \n (from \R inside a quantifier)
  NotBefore,        ///< the next character is not in the node's `set`, or the input ends (atomic \X)
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  enum class Kind { Empty, Fail, Set, Seq, Alt, Repeat, Assert };
  Kind kind = Kind::Empty;
  CodeSet set;                  ///< Set: one code point from here
  std::vector<NodePtr> kids;    ///< Seq, Alt; Repeat has one
  int min = 0;                  ///< Repeat
  int max = -1;                 ///< Repeat; -1 is unbounded
  Assertion assertion = Assertion::Begin;  ///< Assert; NotBefore also uses `set`
};

[[nodiscard]] NodePtr make_empty();
[[nodiscard]] NodePtr make_fail();
[[nodiscard]] NodePtr make_set(CodeSet set);
[[nodiscard]] NodePtr make_seq(std::vector<NodePtr> kids);
[[nodiscard]] NodePtr make_alt(std::vector<NodePtr> kids);
[[nodiscard]] NodePtr make_repeat(NodePtr kid, int min, int max);
[[nodiscard]] NodePtr make_assert(Assertion a);
/// The assertion that the next character is not in `set` (the end of the input passes).
[[nodiscard]] NodePtr make_not_before(CodeSet set);

/// A rejection: stable code, message, byte span in the Java pattern.
struct Problem {
  std::string code;
  std::string message;
  std::uint32_t offset = 0;
  std::uint32_t length = 1;
};

struct ParseLimits {
  int max_nesting = 400;  ///< groups and classes nested deeper are rejected (E0322)
  bool atomic_grapheme = true;  ///< \X as Java's; false: a cluster that may end early (smaller translation)
};

/// Parses a Java (java.util.regex, Java 17) pattern. Java's own syntax errors take precedence
/// over constructs ecsq cannot run, as Java reports them first.
[[nodiscard]] std::variant<NodePtr, Problem> parse_java(std::string_view pattern, const ParseLimits& limits);

/// The facts a pattern's markers carry; each one it does not need is left out, which keeps the
/// marker sets of its translation small.
struct MarkerLayout {
  std::uint16_t flags = 0;   ///< position facts asked (\b, \A, the line anchors; java_regex_marks.cpp)
  bool next_type = false;    ///< the grapheme cluster type of the next character
  bool second_type = false;  ///< and of the one after it
};

struct Translation {
  std::string full;       ///< RE2 pattern for Pattern.matches, run with RE2::FullMatch
  std::string find;       ///< RE2 pattern for Matcher.find
  bool find_is_full = false;  ///< true: run `find` with FullMatch (it spells out the context); false: PartialMatch
  bool marked = false;        ///< both run on mark_input's text, not on the text itself
  MarkerLayout markers;       ///< when `marked`
};

struct EmitLimits {
  std::size_t max_output_bytes = 1 << 20;  ///< larger RE2 patterns are rejected (E0321)
};

/// Turns a parsed pattern into RE2 patterns with the same Java semantics.
[[nodiscard]] std::variant<Translation, Problem> emit_re2(const NodePtr& root, const EmitLimits& limits);

// ---------------------------------------------------------------------------------------------
// Marked text (java_regex_marks.cpp): where spelling the assertions (\b, \B, atomic \X, the
// line anchors) out in the pattern is over the budget, the text is matched with a marker code
// point at every position (before the first character, between characters, after the last)
// that says what they would see there, and the pattern reads the markers instead.

/// The pattern for marked text: the rewritten `full` (Pattern.matches) and `find`
/// (Matcher.find, for FullMatch); nothing when it has assertions markers do not carry.
struct MarkedPattern {
  NodePtr full;
  NodePtr find;
  MarkerLayout layout;
};
[[nodiscard]] std::optional<MarkedPattern> marked_pattern(const NodePtr& full, const NodePtr& find);

/// Writes `text` to `out` with a marker (of `layout`) before each code point and one at the end.
void mark_input(std::string_view text, const MarkerLayout& layout, std::string& out);

/// emit_re2 for marked text: Translation::marked, find run with FullMatch.
[[nodiscard]] std::variant<Translation, Problem> emit_re2_marked(const NodePtr& root, const EmitLimits& limits);

/// Pattern.matches and Matcher.find of `java_pattern` on `text` through the marked-text
/// translation, whatever the size of the spelled-out one; nothing when there is none (tests
/// hold it to every Java answer).
[[nodiscard]] std::optional<std::pair<bool, bool>> marked_answers(std::string_view java_pattern, std::string_view text);

/// What Regex::compile reports when RE2 refuses `re2_pattern` as the translation of a
/// `java_bytes`-byte pattern (E0321 over the memory budget, else E0330), or nothing when RE2
/// accepts it. E0330 means a bug in the translation, so only a test hands RE2 a bad pattern here.
[[nodiscard]] std::optional<Problem> re2_refusal(const std::string& re2_pattern, std::uint32_t java_bytes,
                                                 std::int64_t max_memory_bytes);

/// Appends `c` as UTF-8. Inline, and one append per code point: marked text
/// (java_regex_marks.cpp) writes one per character matched.
inline void append_utf8(std::string& out, char32_t c) {
  char bytes[4];
  std::size_t n = 0;
  if (c < 0x80) {
    bytes[n++] = static_cast<char>(c);
  } else if (c < 0x800) {
    bytes[n++] = static_cast<char>(0xC0 | (c >> 6));
    bytes[n++] = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    bytes[n++] = static_cast<char>(0xE0 | (c >> 12));
    bytes[n++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    bytes[n++] = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    bytes[n++] = static_cast<char>(0xF0 | (c >> 18));
    bytes[n++] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    bytes[n++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    bytes[n++] = static_cast<char>(0x80 | (c & 0x3F));
  }
  out.append(bytes, n);
}

}  // namespace ecsq::detail::jre
