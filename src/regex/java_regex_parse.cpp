// The Java pattern parser: a port of java.util.regex.Pattern's recursive descent (Java 17), kept
// close to the original (same cursor discipline, same error points) so that ecsq accepts and
// rejects exactly what Java does. Instead of matcher nodes it builds the small AST of
// java_regex.hpp, with character classes evaluated to code point sets.
#include <algorithm>
#include <array>
#include <climits>
#include <map>
#include <set>

#include "ecsq/codes.hpp"
#include "regex/java_regex.hpp"
#include "common/utf8.hpp"

namespace ecsq::detail::jre {

NodePtr make_empty() {
  static const NodePtr empty = std::make_shared<const Node>();
  return empty;
}

NodePtr make_fail() {
  static const NodePtr fail = [] {
    Node n;
    n.kind = Node::Kind::Fail;
    return std::make_shared<const Node>(std::move(n));
  }();
  return fail;
}

NodePtr make_set(CodeSet set) {
  if (set.empty()) return make_fail();
  Node n;
  n.kind = Node::Kind::Set;
  n.set = std::move(set);
  return std::make_shared<const Node>(std::move(n));
}

namespace {

// `kids` as one node of `kind`, children of the same kind spliced in (and empty nodes dropped
// from a sequence); `none` when nothing is left, the child itself when one is.
NodePtr flattened(Node::Kind kind, std::vector<NodePtr> kids, NodePtr none) {
  std::vector<NodePtr> flat;
  for (NodePtr& k : kids) {
    if (kind == Node::Kind::Seq && k->kind == Node::Kind::Empty) continue;
    if (k->kind == kind) {
      flat.insert(flat.end(), k->kids.begin(), k->kids.end());
    } else {
      flat.push_back(std::move(k));
    }
  }
  if (flat.empty()) return none;
  if (flat.size() == 1) return flat.front();
  Node n;
  n.kind = kind;
  n.kids = std::move(flat);
  return std::make_shared<const Node>(std::move(n));
}

}  // namespace

NodePtr make_seq(std::vector<NodePtr> kids) { return flattened(Node::Kind::Seq, std::move(kids), make_empty()); }

NodePtr make_alt(std::vector<NodePtr> kids) { return flattened(Node::Kind::Alt, std::move(kids), make_fail()); }

namespace {
bool never_consumes(const Node& n) {
  if (n.kind == Node::Kind::Set) return false;
  return std::all_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return never_consumes(*k); });
}
}  // namespace

NodePtr make_repeat(NodePtr kid, int min, int max) {
  if (max == 0 || kid->kind == Node::Kind::Empty) return make_empty();
  if (min == 1 && max == 1) return kid;
  // Repeating what never consumes ends after the first pass (Java stops a loop on an empty
  // iteration): \b* is nothing, \b+ is \b.
  if (never_consumes(*kid)) return min == 0 ? make_empty() : kid;
  Node n;
  n.kind = Node::Kind::Repeat;
  n.kids.push_back(std::move(kid));
  n.min = min;
  n.max = max;
  return std::make_shared<const Node>(std::move(n));
}

namespace {

// The empty matches of n: make_fail() if none, make_empty() if n matches the empty string
// anywhere, else a node of assertions saying where.
NodePtr empty_part(const NodePtr& n) {
  switch (n->kind) {
    case Node::Kind::Empty:
    case Node::Kind::Assert:
      return n;
    case Node::Kind::Set:
    case Node::Kind::Fail:
      return make_fail();
    case Node::Kind::Seq: {
      std::vector<NodePtr> parts;
      for (const NodePtr& k : n->kids) {
        NodePtr e = empty_part(k);
        if (e->kind == Node::Kind::Fail) return e;
        parts.push_back(std::move(e));
      }
      return make_seq(std::move(parts));
    }
    case Node::Kind::Alt: {
      std::vector<NodePtr> parts;
      for (const NodePtr& k : n->kids) {
        NodePtr e = empty_part(k);
        if (e->kind == Node::Kind::Empty) return e;
        if (e->kind != Node::Kind::Fail) parts.push_back(std::move(e));
      }
      return make_alt(std::move(parts));
    }
    case Node::Kind::Repeat:
      return n->min == 0 ? make_empty() : empty_part(n->kids.front());
  }
  return make_fail();
}

// The non-empty matches of n.
NodePtr nonempty_part(const NodePtr& n) {
  switch (n->kind) {
    case Node::Kind::Set:
      return n;
    case Node::Kind::Seq: {
      std::vector<NodePtr> alts;
      for (std::size_t i = 0; i < n->kids.size(); ++i) {
        std::vector<NodePtr> seq;
        for (std::size_t j = 0; j < i; ++j) seq.push_back(empty_part(n->kids[j]));
        seq.push_back(nonempty_part(n->kids[i]));
        seq.insert(seq.end(), n->kids.begin() + static_cast<std::ptrdiff_t>(i) + 1, n->kids.end());
        if (std::none_of(seq.begin(), seq.end(), [](const NodePtr& k) { return k->kind == Node::Kind::Fail; })) {
          alts.push_back(make_seq(std::move(seq)));
        }
        if (empty_part(n->kids[i])->kind == Node::Kind::Fail) break;
      }
      return make_alt(std::move(alts));
    }
    case Node::Kind::Alt: {
      std::vector<NodePtr> alts;
      for (const NodePtr& k : n->kids) {
        NodePtr ne = nonempty_part(k);
        if (ne->kind != Node::Kind::Fail) alts.push_back(std::move(ne));
      }
      return make_alt(std::move(alts));
    }
    case Node::Kind::Repeat: {
      // The first non-empty iteration, then the rest; empty iterations before it only add
      // their conditions, which empty_part(kid) == Empty or Fail make moot (the case here:
      // group loops with conditional empty bodies are rewritten by java_loop).
      const NodePtr& kid = n->kids.front();
      NodePtr ne = nonempty_part(kid);
      if (ne->kind == Node::Kind::Fail) return ne;
      const int min = empty_part(kid)->kind == Node::Kind::Fail ? std::max(n->min - 1, 0) : 0;
      return make_seq({ne, make_repeat(kid, min, n->max < 0 ? -1 : n->max - 1)});
    }
    default:
      return make_fail();
  }
}

NodePtr java_loop(NodePtr kid, int min, int max) {
  // java.util.regex's Loop (a quantified group) ends at an iteration that matches the empty
  // string, even below the minimum. That only differs from a regular repetition when the group
  // matches empty under a condition (an assertion): then an empty iteration can only be last.
  const NodePtr e = empty_part(kid);
  if (e->kind == Node::Kind::Fail || e->kind == Node::Kind::Empty || max == 0 || (min == 1 && max == 1)) {
    return make_repeat(std::move(kid), min, max);
  }
  const NodePtr ne = nonempty_part(kid);
  return make_alt({make_repeat(ne, min, max), make_seq({make_repeat(ne, 0, max < 0 ? -1 : max - 1), e})});
}

}  // namespace

NodePtr make_assert(Assertion a) {
  Node n;
  n.kind = Node::Kind::Assert;
  n.assertion = a;
  return std::make_shared<const Node>(std::move(n));
}

NodePtr make_not_before(CodeSet set) {
  Node n;
  n.kind = Node::Kind::Assert;
  n.assertion = Assertion::NotBefore;
  n.set = std::move(set);
  return std::make_shared<const Node>(std::move(n));
}

namespace {

// java.util.regex.Pattern flag bits.
constexpr int kUnixLines = 0x01;
constexpr int kCaseInsensitive = 0x02;
constexpr int kComments = 0x04;
constexpr int kMultiline = 0x08;
constexpr int kDotall = 0x20;
constexpr int kUnicodeCase = 0x40;
constexpr int kCanonEq = 0x80;
constexpr int kUnicodeCharacterClass = 0x100;

// java.util.regex.ASCII character types.
constexpr int kUpper = 0x100, kLower = 0x200, kDigit = 0x400, kSpace = 0x800, kPunct = 0x1000,
              kCntrl = 0x2000, kBlank = 0x4000, kHex = 0x8000, kUnder = 0x10000;

int ascii_type(int c) {
  if (c < 0 || c >= 128) return 0;
  int t = 0;
  if (c < 0x20 || c == 0x7F) t |= kCntrl;
  if (c == ' ' || (c >= 0x09 && c <= 0x0D)) t |= kSpace;
  if (c == ' ' || c == '\t') t |= kBlank;
  if (c >= 'A' && c <= 'Z') t |= kUpper;
  if (c >= 'a' && c <= 'z') t |= kLower;
  if (c >= '0' && c <= '9') t |= kDigit;
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')) t |= kHex;
  if ((c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)) {
    t |= kPunct;
  }
  if (c == '_') t |= kUnder;
  return t;
}
bool is_ascii_type(int c, int type) { return (ascii_type(c) & type) != 0; }
bool is_ascii_space(int c) { return is_ascii_type(c, kSpace); }
bool is_ascii_digit(int c) { return c >= '0' && c <= '9'; }
bool is_ascii_alpha(int c) { return is_ascii_type(c, kUpper | kLower); }
bool is_ascii_alnum(int c) { return is_ascii_type(c, kUpper | kLower | kDigit); }
bool is_hex_digit(int c) { return is_ascii_type(c, kHex); }
int hex_value(int c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }
int ascii_to_lower(int c) { return is_ascii_type(c, kUpper) ? c + 0x20 : c; }
int ascii_to_upper(int c) { return is_ascii_type(c, kLower) ? c - 0x20 : c; }

CodeSet ascii_ctype(int type) {
  CodeSet s;
  for (int c = 0; c < 128; ++c) {
    if (is_ascii_type(c, type)) s.add(static_cast<char32_t>(c));
  }
  return s;
}

// --- CharPredicates (Java 17) as sets -------------------------------------------------------

constexpr std::uint32_t kLetterMask = cat_bit(kUppercaseLetter) | cat_bit(kLowercaseLetter) |
                                      cat_bit(kTitlecaseLetter) | cat_bit(kModifierLetter) | cat_bit(kOtherLetter);
constexpr std::uint32_t kCasedMask = cat_bit(kUppercaseLetter) | cat_bit(kLowercaseLetter) | cat_bit(kTitlecaseLetter);

CodeSet digit_set() { return category_set(cat_bit(kDecimalDigitNumber)); }
CodeSet white_space_set() {
  CodeSet s = category_set(cat_bit(kSpaceSeparator) | cat_bit(kLineSeparator) | cat_bit(kParagraphSeparator));
  return s | CodeSet::range(0x09, 0x0D) | CodeSet::of(0x85);
}
CodeSet punctuation_set() {
  return category_set(cat_bit(kConnectorPunctuation) | cat_bit(kDashPunctuation) | cat_bit(kStartPunctuation) |
                      cat_bit(kEndPunctuation) | cat_bit(kOtherPunctuation) | cat_bit(kInitialQuotePunctuation) |
                      cat_bit(kFinalQuotePunctuation));
}
CodeSet hex_digit_set() {
  return digit_set() | CodeSet::range(0x30, 0x39) | CodeSet::range(0x41, 0x46) | CodeSet::range(0x61, 0x66) |
         CodeSet::range(0xFF10, 0xFF19) | CodeSet::range(0xFF21, 0xFF26) | CodeSet::range(0xFF41, 0xFF46);
}
CodeSet join_control_set() { return CodeSet::range(0x200C, 0x200D); }
CodeSet blank_set() { return category_set(cat_bit(kSpaceSeparator)) | CodeSet::of(0x09); }
CodeSet control_set() { return category_set(cat_bit(kControl)); }
CodeSet graph_set() {
  return category_set(cat_bit(kSpaceSeparator) | cat_bit(kLineSeparator) | cat_bit(kParagraphSeparator) |
                      cat_bit(kControl) | cat_bit(kSurrogate) | cat_bit(kUnassigned))
      .complement();
}
CodeSet print_set() { return (graph_set() | blank_set()) - control_set(); }
CodeSet lower_or_cased(bool case_insensitive, Binary b) {
  if (!case_insensitive) return binary_set(b);
  return binary_set(Binary::Lowercase) | binary_set(Binary::Uppercase) | category_set(cat_bit(kTitlecaseLetter));
}
CodeSet identifier_ignorable_set() {
  return CodeSet::range(0, 8) | CodeSet::range(0x0E, 0x1B) | CodeSet::range(0x7F, 0x9F) | category_set(cat_bit(kFormat));
}
CodeSet noncharacter_set() {
  CodeSet s = CodeSet::range(0xFDD0, 0xFDEF);
  for (char32_t plane = 0; plane <= 0x10; ++plane) s.add((plane << 16) | 0xFFFE, (plane << 16) | 0xFFFF);
  return s;
}

std::optional<CodeSet> posix_predicate(const std::string& name, bool ci) {
  if (name == "ALPHA") return binary_set(Binary::Alphabetic);
  if (name == "LOWER") return lower_or_cased(ci, Binary::Lowercase);
  if (name == "UPPER") return lower_or_cased(ci, Binary::Uppercase);
  if (name == "SPACE") return white_space_set();
  if (name == "PUNCT") return punctuation_set();
  if (name == "XDIGIT") return hex_digit_set();
  if (name == "ALNUM") return binary_set(Binary::Alphabetic) | digit_set();
  if (name == "CNTRL") return control_set();
  if (name == "DIGIT") return digit_set();
  if (name == "BLANK") return blank_set();
  if (name == "GRAPH") return graph_set();
  if (name == "PRINT") return print_set();
  return std::nullopt;
}

std::optional<CodeSet> unicode_predicate(const std::string& name, bool ci) {
  if (name == "ALPHABETIC") return binary_set(Binary::Alphabetic);
  if (name == "ASSIGNED") return category_set(cat_bit(kUnassigned)).complement();
  if (name == "CONTROL") return control_set();
  if (name == "HEXDIGIT" || name == "HEX_DIGIT") return hex_digit_set();
  if (name == "IDEOGRAPHIC") return binary_set(Binary::Ideographic);
  if (name == "JOINCONTROL" || name == "JOIN_CONTROL") return join_control_set();
  if (name == "LETTER") return category_set(kLetterMask);
  if (name == "LOWERCASE") return lower_or_cased(ci, Binary::Lowercase);
  if (name == "NONCHARACTERCODEPOINT" || name == "NONCHARACTER_CODE_POINT") return noncharacter_set();
  if (name == "TITLECASE") {
    return ci ? lower_or_cased(true, Binary::Lowercase) : category_set(cat_bit(kTitlecaseLetter));
  }
  if (name == "PUNCTUATION") return punctuation_set();
  if (name == "UPPERCASE") return lower_or_cased(ci, Binary::Uppercase);
  if (name == "WHITESPACE" || name == "WHITE_SPACE") return white_space_set();
  if (name == "WORD") return java_word_set();
  return std::nullopt;
}

std::string upper_ascii(std::string s) {
  for (char& ch : s) ch = static_cast<char>(ascii_to_upper(static_cast<unsigned char>(ch)));
  return s;
}
std::string lower_ascii(std::string s) {
  for (char& ch : s) ch = static_cast<char>(ascii_to_lower(static_cast<unsigned char>(ch)));
  return s;
}

// CharPredicates.forProperty: case-sensitive names.
std::optional<CodeSet> property_predicate(const std::string& name, bool ci) {
  struct Category {
    const char* name;
    std::uint32_t mask;
    bool cased;  // widened to Lu|Ll|Lt under CASE_INSENSITIVE
  };
  static const Category categories[] = {
      {"Cn", cat_bit(kUnassigned), false},
      {"Lu", cat_bit(kUppercaseLetter), true},
      {"Ll", cat_bit(kLowercaseLetter), true},
      {"Lt", cat_bit(kTitlecaseLetter), true},
      {"Lm", cat_bit(kModifierLetter), false},
      {"Lo", cat_bit(kOtherLetter), false},
      {"Mn", cat_bit(kNonSpacingMark), false},
      {"Me", cat_bit(kEnclosingMark), false},
      {"Mc", cat_bit(kCombiningSpacingMark), false},
      {"Nd", cat_bit(kDecimalDigitNumber), false},
      {"Nl", cat_bit(kLetterNumber), false},
      {"No", cat_bit(kOtherNumber), false},
      {"Zs", cat_bit(kSpaceSeparator), false},
      {"Zl", cat_bit(kLineSeparator), false},
      {"Zp", cat_bit(kParagraphSeparator), false},
      {"Cc", cat_bit(kControl), false},
      {"Cf", cat_bit(kFormat), false},
      {"Co", cat_bit(kPrivateUse), false},
      {"Cs", cat_bit(kSurrogate), false},
      {"Pd", cat_bit(kDashPunctuation), false},
      {"Ps", cat_bit(kStartPunctuation), false},
      {"Pe", cat_bit(kEndPunctuation), false},
      {"Pc", cat_bit(kConnectorPunctuation), false},
      {"Po", cat_bit(kOtherPunctuation), false},
      {"Sm", cat_bit(kMathSymbol), false},
      {"Sc", cat_bit(kCurrencySymbol), false},
      {"Sk", cat_bit(kModifierSymbol), false},
      {"So", cat_bit(kOtherSymbol), false},
      {"Pi", cat_bit(kInitialQuotePunctuation), false},
      {"Pf", cat_bit(kFinalQuotePunctuation), false},
      {"L", kLetterMask, false},
      {"M", cat_bit(kNonSpacingMark) | cat_bit(kEnclosingMark) | cat_bit(kCombiningSpacingMark), false},
      {"N", cat_bit(kDecimalDigitNumber) | cat_bit(kLetterNumber) | cat_bit(kOtherNumber), false},
      {"Z", cat_bit(kSpaceSeparator) | cat_bit(kLineSeparator) | cat_bit(kParagraphSeparator), false},
      {"C", cat_bit(kControl) | cat_bit(kFormat) | cat_bit(kPrivateUse) | cat_bit(kSurrogate) | cat_bit(kUnassigned), false},
      {"P", cat_bit(kDashPunctuation) | cat_bit(kStartPunctuation) | cat_bit(kEndPunctuation) |
                cat_bit(kConnectorPunctuation) | cat_bit(kOtherPunctuation) | cat_bit(kInitialQuotePunctuation) |
                cat_bit(kFinalQuotePunctuation),
       false},
      {"S", cat_bit(kMathSymbol) | cat_bit(kCurrencySymbol) | cat_bit(kModifierSymbol) | cat_bit(kOtherSymbol), false},
      {"LC", kCasedMask, false},
      {"LD", kLetterMask | cat_bit(kDecimalDigitNumber), false},
  };
  for (const Category& c : categories) {
    if (name == c.name) return category_set(ci && c.cased ? kCasedMask : c.mask);
  }
  if (name == "L1") return CodeSet::range(0, 0xFF);
  if (name == "all") return CodeSet::all();
  if (name == "ASCII") return CodeSet::range(0, 0x7F);
  if (name == "Alnum") return ascii_ctype(kUpper | kLower | kDigit);
  if (name == "Alpha") return ascii_ctype(kUpper | kLower);
  if (name == "Blank") return ascii_ctype(kBlank);
  if (name == "Cntrl") return ascii_ctype(kCntrl);
  if (name == "Digit") return CodeSet::range('0', '9');
  if (name == "Graph") return ascii_ctype(kPunct | kUpper | kLower | kDigit);
  if (name == "Lower") return ci ? ascii_ctype(kUpper | kLower) : CodeSet::range('a', 'z');
  if (name == "Print") return CodeSet::range(0x20, 0x7E);
  if (name == "Punct") return ascii_ctype(kPunct);
  if (name == "Space") return ascii_ctype(kSpace);
  if (name == "Upper") return ci ? ascii_ctype(kUpper | kLower) : CodeSet::range('A', 'Z');
  if (name == "XDigit") return ascii_ctype(kHex);
  const CodeSet letters = category_set(kLetterMask);
  const CodeSet cased = lower_or_cased(true, Binary::Lowercase);
  if (name == "javaLowerCase") return ci ? cased : binary_set(Binary::Lowercase);
  if (name == "javaUpperCase") return ci ? cased : binary_set(Binary::Uppercase);
  if (name == "javaAlphabetic") return binary_set(Binary::Alphabetic);
  if (name == "javaIdeographic") return binary_set(Binary::Ideographic);
  if (name == "javaTitleCase") return ci ? cased : category_set(cat_bit(kTitlecaseLetter));
  if (name == "javaDigit") return digit_set();
  if (name == "javaDefined") return category_set(cat_bit(kUnassigned)).complement();
  if (name == "javaLetter") return letters;
  if (name == "javaLetterOrDigit") return letters | digit_set();
  if (name == "javaJavaIdentifierStart") {
    return letters | category_set(cat_bit(kLetterNumber) | cat_bit(kCurrencySymbol) | cat_bit(kConnectorPunctuation));
  }
  if (name == "javaJavaIdentifierPart") {
    return letters | identifier_ignorable_set() |
           category_set(cat_bit(kCurrencySymbol) | cat_bit(kConnectorPunctuation) | cat_bit(kDecimalDigitNumber) |
                        cat_bit(kLetterNumber) | cat_bit(kCombiningSpacingMark) | cat_bit(kNonSpacingMark));
  }
  if (name == "javaUnicodeIdentifierStart") return binary_set(Binary::UnicodeIdStart);
  if (name == "javaUnicodeIdentifierPart") return binary_set(Binary::UnicodeIdPart);
  if (name == "javaIdentifierIgnorable") return identifier_ignorable_set();
  if (name == "javaSpaceChar") {
    return category_set(cat_bit(kSpaceSeparator) | cat_bit(kLineSeparator) | cat_bit(kParagraphSeparator));
  }
  if (name == "javaWhitespace") {
    return (category_set(cat_bit(kSpaceSeparator) | cat_bit(kLineSeparator) | cat_bit(kParagraphSeparator)) -
            (CodeSet::of(0xA0) | CodeSet::of(0x2007) | CodeSet::of(0x202F))) |
           CodeSet::range(0x09, 0x0D) | CodeSet::range(0x1C, 0x1F);
  }
  if (name == "javaISOControl") return CodeSet::range(0, 0x1F) | CodeSet::range(0x7F, 0x9F);
  if (name == "javaMirrored") return binary_set(Binary::Mirrored);
  return std::nullopt;
}

// --- case folding ------------------------------------------------------------------------------

// Character.toLowerCase(Character.toUpperCase(c)): Java's key for Unicode case-insensitive matching.
char32_t fold(char32_t c) { return to_lower(to_upper(c)); }

// SingleU(lower) and the Unicode-case slice: c == lower or fold(c) == lower.
CodeSet fold_class(char32_t lower) {
  CodeSet s = CodeSet::of(lower);
  for (char32_t c : cased_code_points()) {
    if (fold(c) == lower) s.add(c);
  }
  return s;
}

// CIRangeU: in range, or toUpperCase in range, or toLowerCase(toUpperCase) in range.
CodeSet ci_range_unicode(char32_t lo, char32_t hi) {
  CodeSet s = CodeSet::range(lo, hi);
  auto in = [&](char32_t c) { return c >= lo && c <= hi; };
  for (char32_t c : cased_code_points()) {
    const char32_t up = to_upper(c);
    if (in(up) || in(to_lower(up))) s.add(c);
  }
  return s;
}

// CIRange: in range, or (ASCII and its ASCII other case in range).
CodeSet ci_range_ascii(char32_t lo, char32_t hi) {
  CodeSet s = CodeSet::range(lo, hi);
  auto in = [&](int c) { return c >= static_cast<int>(lo) && c <= static_cast<int>(hi); };
  for (int c = 0; c < 128; ++c) {
    if (in(ascii_to_upper(c)) || in(ascii_to_lower(c))) s.add(static_cast<char32_t>(c));
  }
  return s;
}

// --- the parser --------------------------------------------------------------------------------

// A PatternSyntaxException: Java rejects the pattern.
struct SyntaxError {
  std::string message;
  int index;  // Java's error index into temp
};

struct NestingError {
  int index;
};

// A character class predicate as Java builds it: unions and intersections of leaf predicates and
// of BitClass objects, which Java keeps mutating after they are referenced, so evaluation waits
// until the whole class is parsed.
using BitsPtr = std::shared_ptr<std::array<bool, 256>>;
struct Pred;
using PredPtr = std::shared_ptr<const Pred>;
struct Pred {
  enum class Kind { Set, Bits, Union, And, Not } kind = Kind::Set;
  CodeSet set;
  BitsPtr bits;
  PredPtr a, b;
};

PredPtr pred_set(CodeSet s) {
  auto p = std::make_shared<Pred>();
  p->set = std::move(s);
  return p;
}
PredPtr pred_bits(const BitsPtr& bits) {
  auto p = std::make_shared<Pred>();
  p->kind = Pred::Kind::Bits;
  p->bits = bits;
  return p;
}
PredPtr pred_op(Pred::Kind kind, PredPtr a, PredPtr b) {
  auto p = std::make_shared<Pred>();
  p->kind = kind;
  p->a = std::move(a);
  p->b = std::move(b);
  return p;
}

class Parser {
 public:
  Parser(std::string_view pattern, const ParseLimits& limits) : pattern_(pattern), limits_(limits) {}

  std::variant<NodePtr, Problem> run() {
    if (auto bad = decode()) return *bad;
    remove_qe_quoting();
    try {
      NodePtr root = expr();
      if (patternLength_ != cursor_) {
        if (peek() == ')') throw SyntaxError{"unmatched closing ')' (Java)", cursor_};
        throw SyntaxError{"unexpected end of pattern: a trailing backslash escapes nothing (Java)", cursor_ - 1};
      }
      check_forward_refs();
      check_guarded(root);
      if (unsupported_) return *unsupported_;
      return root;
    } catch (const SyntaxError& e) {
      Problem p{code::regex_syntax, e.message, 0, 0};
      locate(p, e.index);
      return p;
    } catch (const NestingError& e) {
      Problem p{code::regex_nesting_too_deep,
                "pattern nests groups or classes more than " + std::to_string(limits_.max_nesting) +
                    " deep; ecsq stops there",
                0, 0};
      locate(p, e.index);
      return p;
    }
  }

 private:
  // ---- input: code points with their byte spans in the pattern ----

  std::optional<Problem> decode() {
    for (std::size_t i = 0; i < pattern_.size();) {
      const std::size_t n = utf8_sequence_length(pattern_, i);
      const auto b0 = static_cast<unsigned char>(pattern_[i]);
      if (b0 >= 0x80 && n == 1) {
        return Problem{code::regex_invalid_utf8, "the pattern is not valid UTF-8", static_cast<std::uint32_t>(i), 1};
      }
      temp_.push_back(static_cast<int>(utf8_code_point(pattern_, i, n)));
      offs_.push_back(static_cast<std::uint32_t>(i));
      lens_.push_back(static_cast<std::uint32_t>(n));
      i += n;
    }
    patternLength_ = static_cast<int>(temp_.size());
    terminate();
    return std::nullopt;
  }

  void terminate() {
    // Java's double zero terminator, plus slack: its cursor can run one or two past the end.
    for (int k = 0; k < 4; ++k) {
      temp_.push_back(0);
      offs_.push_back(static_cast<std::uint32_t>(pattern_.size()));
      lens_.push_back(0);
    }
  }

  // Pattern.RemoveQEQuoting: \Q...\E becomes escaped characters before parsing.
  void remove_qe_quoting() {
    const int pLen = patternLength_;
    int i = 0;
    while (i < pLen - 1) {
      if (temp_[i] != '\\') {
        i += 1;
      } else if (temp_[i + 1] != 'Q') {
        i += 2;
      } else {
        break;
      }
    }
    if (i >= pLen - 1) return;
    std::vector<int> nt(temp_.begin(), temp_.begin() + i);
    std::vector<std::uint32_t> no(offs_.begin(), offs_.begin() + i), nl(lens_.begin(), lens_.begin() + i);
    auto put = [&](int c, int from) {
      nt.push_back(c);
      no.push_back(offs_[from]);
      nl.push_back(lens_[from]);
    };
    i += 2;
    bool inQuote = true, beginQuote = true;
    while (i < pLen) {
      const int from = i;
      const int c = temp_[i++];
      if (c >= 128 || is_ascii_alpha(c)) {
        put(c, from);
      } else if (is_ascii_digit(c)) {
        if (beginQuote) {
          // Java writes \x3N so a digit cannot extend an escape just before \Q.
          put('\\', from);
          put('x', from);
          put('3', from);
        }
        put(c, from);
      } else if (c != '\\') {
        if (inQuote) put('\\', from);
        put(c, from);
      } else if (inQuote) {
        if (temp_[i] == 'E') {
          i++;
          inQuote = false;
        } else {
          put('\\', from);
          put('\\', from);
        }
      } else {
        if (temp_[i] == 'Q') {
          i++;
          inQuote = true;
          beginQuote = true;
          continue;
        }
        put(c, from);
        if (i != pLen) {
          put(temp_[i], i);
          i++;
        }
      }
      beginQuote = false;
    }
    temp_ = std::move(nt);
    offs_ = std::move(no);
    lens_ = std::move(nl);
    patternLength_ = static_cast<int>(temp_.size());
    terminate();
  }

  void locate(Problem& p, int index) const {
    if (index < 0) index = 0;
    if (index >= patternLength_) {
      p.offset = static_cast<std::uint32_t>(pattern_.size());
      p.length = 0;
    } else {
      p.offset = offs_[static_cast<std::size_t>(index)];
      p.length = lens_[static_cast<std::size_t>(index)];
    }
  }

  // Records the first construct ecsq cannot run; parsing goes on so that a later Java syntax
  // error still wins.
  void unsupported(const char* code, std::string message, int from, int to) {
    if (unsupported_) return;
    Problem p{code, std::move(message), 0, 0};
    from = std::clamp(from, 0, patternLength_);
    to = std::clamp(to, from, patternLength_);
    if (from >= patternLength_) {
      p.offset = static_cast<std::uint32_t>(pattern_.size());
    } else {
      p.offset = offs_[static_cast<std::size_t>(from)];
      const std::uint32_t end = to > from ? offs_[static_cast<std::size_t>(to - 1)] + lens_[static_cast<std::size_t>(to - 1)]
                                          : p.offset + lens_[static_cast<std::size_t>(from)];
      p.length = end - p.offset;
    }
    unsupported_ = std::move(p);
  }

  std::string text(int from, int to) const {
    from = std::clamp(from, 0, patternLength_);
    to = std::clamp(to, from, patternLength_);
    if (from == to) return {};
    const std::uint32_t b = offs_[static_cast<std::size_t>(from)];
    const std::uint32_t e = offs_[static_cast<std::size_t>(to - 1)] + lens_[static_cast<std::size_t>(to - 1)];
    return std::string(pattern_.substr(b, e - b));
  }

  // An inline (?c) (CANON_EQ) changes nothing but [...] classes and \p{...} properties, which
  // Java 17 then matches against a character and the marks after it, composed (NFCCharProperty).
  // Literals are not normalized: only Pattern.compile's flag argument does that.
  void canonical_class() {
    if (!has(kCanonEq)) return;
    unsupported(code::regex_canonical_equivalence,
                "inline flag 'c' (CANON_EQ, canonical equivalence) makes a character class or property match a "
                "character with the marks after it, composed, which ecsq does not implement",
                canon_flag_at_, canon_flag_at_ + 1);
  }

  // ---- possessive quantifiers and atomic groups ----
  //
  // Neither gives back what it took. ecsq runs one only where giving back could not change the
  // result, so the greedy form is the same pattern:
  // - an operand with one way to match (characters and assertions in a row), taken a fixed number
  //   of times or atomically, has nothing to give back;
  // - X{n,m}+ (and (?>X{n,m})) with X one character class: the greedy form gives back characters
  //   of X, after which what follows must start with such a character (none can, when what may
  //   follow starts with no character of X), or end the match without consuming, which
  //   Pattern.matches refuses before the end of the input and Matcher.find also accepts at the
  //   possessive position itself when some way of ending passes no assertion.

  struct Guarded {
    enum class Kind { Possessive, Atomic } kind;
    NodePtr node;     // the quantified node, or the atomic group's content
    NodePtr operand;  // what the quantifier applies to (null for \R)
    int min;
    int max;
    int from;
    int to;
  };

  // What may follow a node: its first characters, whether the pattern may end without consuming
  // (an over-approximation), and whether it may so without passing an assertion (an under-).
  struct Follow {
    CodeSet first;
    bool can_end = false;
    bool can_end_plain = false;
  };

  static CodeSet first_chars(const Node& n) {
    switch (n.kind) {
      case Node::Kind::Set: return n.set;
      case Node::Kind::Seq: {
        CodeSet c;
        for (const NodePtr& k : n.kids) {
          c = c | first_chars(*k);
          if (!nullable(*k, false)) break;
        }
        return c;
      }
      case Node::Kind::Alt: {
        CodeSet c;
        for (const NodePtr& k : n.kids) c = c | first_chars(*k);
        return c;
      }
      case Node::Kind::Repeat: return first_chars(*n.kids.front());
      default: return {};
    }
  }

  // Matches the empty string somewhere; `plain`: without passing an assertion.
  static bool nullable(const Node& n, bool plain) {
    switch (n.kind) {
      case Node::Kind::Set:
      case Node::Kind::Fail: return false;
      case Node::Kind::Assert: return !plain;
      case Node::Kind::Seq:
        return std::all_of(n.kids.begin(), n.kids.end(), [&](const NodePtr& k) { return nullable(*k, plain); });
      case Node::Kind::Alt:
        return std::any_of(n.kids.begin(), n.kids.end(), [&](const NodePtr& k) { return nullable(*k, plain); });
      case Node::Kind::Repeat: return n.min == 0 || nullable(*n.kids.front(), plain);
      default: return true;
    }
  }

  static bool one_way(const Node& n) {
    switch (n.kind) {
      case Node::Kind::Set:
      case Node::Kind::Empty:
      case Node::Kind::Assert: return true;
      case Node::Kind::Seq: return std::all_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return one_way(*k); });
      default: return false;
    }
  }

  // For every watched node (`ok`), whether giving back cannot matter at any of its places.
  void follow_walk(const NodePtr& n, const Follow& f, std::map<const Node*, bool>& ok) {
    if (auto it = ok.find(n.get()); it != ok.end()) {
      const bool fine = !f.first.intersects(watched_set_of_[n.get()]) && (!f.can_end || f.can_end_plain);
      it->second = it->second && fine;
      reached_.insert(n.get());
    }
    switch (n->kind) {
      case Node::Kind::Seq: {
        Follow rest = f;
        for (std::size_t i = n->kids.size(); i-- > 0;) {
          follow_walk(n->kids[i], rest, ok);
          const Node& k = *n->kids[i];
          Follow before;
          before.first = first_chars(k) | (nullable(k, false) ? rest.first : CodeSet{});
          before.can_end = nullable(k, false) && rest.can_end;
          before.can_end_plain = nullable(k, true) && rest.can_end_plain;
          rest = std::move(before);
        }
        break;
      }
      case Node::Kind::Alt:
        for (const NodePtr& k : n->kids) follow_walk(k, f, ok);
        break;
      case Node::Kind::Repeat: {
        const Node& body = *n->kids.front();
        Follow inner;
        inner.first = f.first | (n->max != 1 ? first_chars(body) : CodeSet{});
        inner.can_end = f.can_end;
        inner.can_end_plain = f.can_end_plain && (n->min <= 1 || nullable(body, true));
        follow_walk(n->kids.front(), inner, ok);
        break;
      }
      default:
        break;
    }
  }

  void check_guarded(const NodePtr& root) {
    std::map<const Node*, bool> ok;
    for (const Guarded& g : guarded_) {
      const NodePtr& operand = g.kind == Guarded::Kind::Atomic && g.node->kind == Node::Kind::Repeat ? g.node->kids.front() : g.operand;
      if (operand && operand->kind == Node::Kind::Set && g.node->kind == Node::Kind::Repeat && !lazy_.count(g.node.get())) {
        watched_set_of_[g.node.get()] = operand->set;
        ok[g.node.get()] = true;
      }
    }
    Follow end;
    end.can_end = true;
    end.can_end_plain = true;
    if (!ok.empty()) follow_walk(root, end, ok);
    for (const Guarded& g : guarded_) {
      const bool possessive = g.kind == Guarded::Kind::Possessive;
      if (possessive ? (g.operand && g.min == g.max && one_way(*g.operand)) : one_way(*g.node)) continue;
      const auto it = ok.find(g.node.get());
      if (it != ok.end() && it->second && reached_.count(g.node.get())) continue;
      const std::string what = possessive ? "possessive quantifier '" + text(g.from, g.to) + "'" : std::string("atomic group '(?>'");
      const std::string why =
          it == ok.end()
              ? (possessive ? " applies to more than one character class"
                            : " holds neither a fixed sequence nor a greedy repetition of one character class")
              : " takes characters that what follows could also start with (or that an assertion after it could need back)";
      unsupported(possessive ? code::regex_possessive : code::regex_atomic_group,
                  what + why + ", so it can change the result, and honouring it needs backtracking control, which ecsq "
                               "does not run; RE2 runs in linear time" + (possessive ? " (drop the '+')" : ""),
                  g.from, g.to);
    }
  }

  // ---- Java's cursor primitives ----

  int at(int i) const { return i >= 0 && static_cast<std::size_t>(i) < temp_.size() ? temp_[static_cast<std::size_t>(i)] : 0; }
  bool has(int f) const { return (flags0_ & f) != 0; }
  // Java's error index: the last character read.
  [[noreturn]] void error(std::string message) const { throw SyntaxError{std::move(message), cursor_ - 1}; }
  // An error about a construct left open, pointing where it opens.
  [[noreturn]] void error_at(int index, std::string message) const { throw SyntaxError{std::move(message), index}; }
  void accept(int ch, int open, std::string message) {
    int test = at(cursor_++);
    if (has(kComments)) test = parse_past_whitespace(test);
    if (ch != test) error_at(open, std::move(message));
  }
  void mark(int c) { temp_[static_cast<std::size_t>(patternLength_)] = c; }
  int peek() {
    int ch = at(cursor_);
    if (has(kComments)) ch = peek_past_whitespace(ch);
    return ch;
  }
  int read() {
    int ch = at(cursor_++);
    if (has(kComments)) ch = parse_past_whitespace(ch);
    return ch;
  }
  int next() {
    int ch = at(++cursor_);
    if (has(kComments)) ch = peek_past_whitespace(ch);
    return ch;
  }
  int next_escaped() { return at(++cursor_); }
  int peek_past_whitespace(int ch) {
    while (is_ascii_space(ch) || ch == '#') {
      while (is_ascii_space(ch)) ch = at(++cursor_);
      if (ch == '#') ch = peek_past_line();
    }
    return ch;
  }
  int parse_past_whitespace(int ch) {
    while (is_ascii_space(ch) || ch == '#') {
      while (is_ascii_space(ch)) ch = at(cursor_++);
      if (ch == '#') ch = parse_past_line();
    }
    return ch;
  }
  int parse_past_line() {
    int ch = at(cursor_++);
    while (ch != 0 && !is_line_separator(ch)) ch = at(cursor_++);
    if (ch == 0 && cursor_ > patternLength_) {
      cursor_ = patternLength_;
      ch = at(cursor_++);
    }
    return ch;
  }
  int peek_past_line() {
    int ch = at(++cursor_);
    while (ch != 0 && !is_line_separator(ch)) ch = at(++cursor_);
    if (ch == 0 && cursor_ > patternLength_) {
      cursor_ = patternLength_;
      ch = at(cursor_);
    }
    return ch;
  }
  bool is_line_separator(int ch) const {
    if (has(kUnixLines)) return ch == '\n';
    return ch == '\n' || ch == '\r' || (ch | 1) == 0x2029 || ch == 0x85;
  }
  int skip() {
    const int i = cursor_;
    const int ch = at(i + 1);
    cursor_ = i + 2;
    return ch;
  }
  void unread() { cursor_--; }

  struct Depth {
    Parser& p;
    explicit Depth(Parser& parser) : p(parser) {
      if (++p.depth_ > p.limits_.max_nesting) throw NestingError{p.cursor_};
    }
    ~Depth() { --p.depth_; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
  };

  // ---- expressions ----

  NodePtr expr() {
    std::vector<NodePtr> branches;
    for (;;) {
      branches.push_back(sequence());
      if (peek() != '|') break;
      next();
    }
    return make_alt(std::move(branches));
  }

  NodePtr sequence() {
    std::vector<NodePtr> items;
    for (;;) {
      int ch = peek();
      NodePtr node;
      bool linebreak = false;
      switch (ch) {
        case '(': {
          NodePtr g = group0();
          if (g) items.push_back(std::move(g));
          continue;
        }
        case '[':
          canonical_class();
          node = make_set(top_class());
          break;
        case '\\':
          ch = next_escaped();
          if (ch == 'p' || ch == 'P') {
            canonical_class();
            node = make_set(property_escape(ch));
          } else {
            unread();
            node = atom(linebreak);
          }
          break;
        case '^':
          next();
          if (has(kMultiline)) {
            node = make_assert(has(kUnixLines) ? Assertion::UnixCaret : Assertion::Caret);
          } else {
            node = make_assert(Assertion::Begin);
          }
          break;
        case '$':
          next();
          if (has(kUnixLines)) {
            node = make_assert(has(kMultiline) ? Assertion::UnixDollarMultiline : Assertion::UnixDollar);
          } else {
            node = make_assert(has(kMultiline) ? Assertion::DollarMultiline : Assertion::Dollar);
          }
          break;
        case '.':
          next();
          if (has(kDotall)) {
            node = make_set(CodeSet::all());
          } else if (has(kUnixLines)) {
            node = make_set(CodeSet::of('\n').complement());
          } else {
            node = make_set(line_terminators().complement());
          }
          break;
        case '|':
        case ')':
          return make_seq(std::move(items));
        case ']':
        case '}':
          node = atom(linebreak);
          break;
        case '?':
        case '*':
        case '+':
          next();
          error(std::string("dangling meta character '") + static_cast<char>(ch) + "': nothing to repeat (Java)");
        case 0:
          if (cursor_ >= patternLength_) return make_seq(std::move(items));
          [[fallthrough]];
        default:
          node = atom(linebreak);
          break;
      }
      items.push_back(closure(std::move(node), linebreak));
    }
  }

  static CodeSet line_terminators() {
    return CodeSet::of('\n') | CodeSet::of('\r') | CodeSet::of(0x85) | CodeSet::range(0x2028, 0x2029);
  }

  // A run of literal characters, or one escape that is not a character.
  NodePtr atom(bool& linebreak) {
    int first = 0;
    int prev = -1;
    std::vector<int> buffer;
    int ch = peek();
    for (;;) {
      bool stop = true;
      switch (ch) {
        case '*':
        case '+':
        case '?':
        case '{':
          if (first > 1) {
            cursor_ = prev;  // the quantifier applies to the last character only
            first--;
            buffer.pop_back();
          }
          break;
        case '$':
        case '.':
        case '^':
        case '(':
        case '[':
        case '|':
        case ')':
          break;
        case '\\': {
          ch = next_escaped();
          if (ch == 'p' || ch == 'P') {
            if (first > 0) {
              unread();
              break;
            }
            const bool comp = ch == 'P';
            bool oneLetter = true;
            ch = next();
            if (ch != '{') {
              unread();
            } else {
              oneLetter = false;
            }
            canonical_class();
            return make_set(family(oneLetter, comp));
          }
          unread();
          prev = cursor_;
          root_ = nullptr;
          root_linebreak_ = false;
          ch = escape(false, first == 0, false);
          if (ch >= 0) {
            buffer.push_back(ch);
            first++;
            ch = peek();
            stop = false;
            break;
          }
          if (first == 0) {
            linebreak = root_linebreak_;
            return root_ ? root_ : make_empty();
          }
          cursor_ = prev;  // unwind the escape; the next atom handles it
          break;
        }
        case 0:
          if (cursor_ >= patternLength_) break;
          [[fallthrough]];
        default:
          prev = cursor_;
          buffer.push_back(ch);
          first++;
          ch = next();
          stop = false;
          break;
      }
      if (stop) break;
    }
    if (first == 1) return make_set(single(buffer[0]));
    std::vector<NodePtr> chars;
    for (int c : buffer) chars.push_back(make_set(slice_char(c)));
    return make_seq(std::move(chars));
  }

  // Pattern.single: a one-character atom.
  CodeSet single(int ch) const {
    const auto c = static_cast<char32_t>(ch);
    if (has(kCaseInsensitive)) {
      if (has(kUnicodeCase)) {
        const char32_t upper = to_upper(c);
        const char32_t lower = to_lower(upper);
        if (upper != lower) return fold_class(lower);
      } else if (ch < 128) {
        const int lower = ascii_to_lower(ch), upper = ascii_to_upper(ch);
        if (lower != upper) return CodeSet::of(static_cast<char32_t>(lower)) | CodeSet::of(static_cast<char32_t>(upper));
      }
    }
    return CodeSet::of(c);
  }

  // A character of a multi-character literal (Slice, SliceI, SliceU).
  CodeSet slice_char(int ch) const {
    const auto c = static_cast<char32_t>(ch);
    if (has(kCaseInsensitive)) {
      if (has(kUnicodeCase)) return fold_class(fold(c));
      const int lower = ascii_to_lower(ch);
      CodeSet s = CodeSet::of(static_cast<char32_t>(lower));
      if (ascii_to_upper(lower) != lower) s.add(static_cast<char32_t>(ascii_to_upper(lower)));
      return s;
    }
    return CodeSet::of(c);
  }

  // Pattern.ref: \N greedily takes more digits while such a group exists.
  void ref(int refNum, int start) {
    for (;;) {
      const int ch = peek();
      if (ch < '0' || ch > '9') break;
      const int newRefNum = refNum * 10 + (ch - '0');
      if (capturingGroupCount_ - 1 < newRefNum) break;
      refNum = newRefNum;
      read();
    }
    // Java's BackRef fails while its group has captured nothing, so a reference to a group the
    // pattern does not have never matches; whether this one does is known at the end (run()).
    root_ = make_fail();
    if (refNum > capturingGroupCount_ - 1) {
      forward_refs_.push_back({refNum, start, cursor_});
      return;
    }
    unsupported(code::regex_backreference,
                "backreference '" + text(start, cursor_) + "' needs backtracking, which ecsq does not run; RE2 runs in linear time",
                start, cursor_);
  }

  // A reference to a group that opens after it matches only what an earlier repetition captured.
  void check_forward_refs() {
    for (const ForwardRef& r : forward_refs_) {
      if (r.group > capturingGroupCount_ - 1) continue;  // no such group: the reference never matches
      unsupported(code::regex_backreference,
                  "backreference '" + text(r.from, r.to) + "' refers to group " + std::to_string(r.group) +
                      ", which opens after it: inside a repetition it matches what an earlier round captured, "
                      "which needs backtracking; ecsq does not run it (RE2 runs in linear time)",
                  r.from, r.to);
    }
  }

  // Pattern.escape. Returns the character, or -1 after setting root_ (outside a class) and
  // predicate_ for a class escape.
  int escape(bool inclass, bool create, bool isrange) {
    const int start = cursor_;
    const int ch = skip();
    auto klass = [&](CodeSet set) {
      if (create) {
        predicate_ = set;
        if (!inclass) root_ = make_set(std::move(set));
      }
      return -1;
    };
    auto node = [&](NodePtr n) {
      if (create) root_ = std::move(n);
      return -1;
    };
    const bool uclass = has(kUnicodeCharacterClass);
    switch (ch) {
      case '0':
        return octal();
      case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        if (inclass) break;
        if (create) ref(ch - '0', start);
        return -1;
      case 'A':
        if (inclass) break;
        return node(make_assert(Assertion::Begin));
      case 'B':
        if (inclass) break;
        return node(make_assert(uclass ? Assertion::NotWordBoundaryU : Assertion::NotWordBoundary));
      case 'D':
        return klass((uclass ? digit_set() : CodeSet::range('0', '9')).complement());
      case 'G':
        if (inclass) break;
        // Matcher.find starts at 0 and matches() is anchored, so \G is the start of the input.
        return node(make_assert(Assertion::Begin));
      case 'H':
        return klass(horizontal_space().complement());
      case 'N':
        return named_char();
      case 'R':
        if (inclass) break;
        if (create) {
          root_ = make_alt({make_seq({make_set(CodeSet::of('\r')), make_set(CodeSet::of('\n'))}),
                            make_set(vertical_space())});
          root_linebreak_ = true;
        }
        return -1;
      case 'S':
        return klass((uclass ? white_space_set() : ascii_ctype(kSpace)).complement());
      case 'V':
        return klass(vertical_space().complement());
      case 'W':
        return klass((uclass ? java_word_set() : ascii_ctype(kUpper | kLower | kUnder | kDigit)).complement());
      case 'X':
        if (inclass) break;
        return node(limits_.atomic_grapheme ? grapheme_cluster() : loose_grapheme_cluster());
      case 'Z':
        if (inclass) break;
        return node(make_assert(has(kUnixLines) ? Assertion::UnixDollar : Assertion::Dollar));
      case 'a':
        return 0x07;
      case 'b':
        if (inclass) break;
        if (create) {
          if (peek() == '{') {
            if (skip() == 'g') {
              if (read() == '}') {
                unsupported(code::regex_grapheme_boundary,
                            "grapheme cluster boundary '\\b{g}' needs lookaround, which ecsq does not run; RE2 runs in linear time",
                            start, cursor_);
                root_ = make_empty();
                return -1;
              }
              break;  // Java: missing trailing '}'
            }
            unread();
            unread();
          }
          root_ = make_assert(uclass ? Assertion::WordBoundaryU : Assertion::WordBoundary);
        }
        return -1;
      case 'c':
        return control();
      case 'd':
        return klass(uclass ? digit_set() : CodeSet::range('0', '9'));
      case 'e':
        return 0x1B;
      case 'f':
        return 0x0C;
      case 'h':
        return klass(horizontal_space());
      case 'k': {
        if (inclass) break;
        if (read() != '<') error("'\\k' must be followed by '<name>' of a named group (Java)");
        const std::string name = groupname(read());
        if (!namedGroups_.count(name)) error("named capturing group <" + name + "> does not exist (Java)");
        if (create) {
          unsupported(code::regex_backreference,
                      "backreference '" + text(start, cursor_) +
                          "' needs backtracking, which ecsq does not run; RE2 runs in linear time",
                      start, cursor_);
          root_ = make_empty();
        }
        return -1;
      }
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 's':
        return klass(uclass ? white_space_set() : ascii_ctype(kSpace));
      case 't':
        return '\t';
      case 'u':
        return unicode_escape();
      case 'v':
        // Before Java 8 \v was VT; Java still reads it so as a range end.
        if (isrange) return 0x0B;
        return klass(vertical_space());
      case 'w':
        return klass(uclass ? java_word_set() : ascii_ctype(kUpper | kLower | kUnder | kDigit));
      case 'x':
        return hex_escape();
      case 'z':
        if (inclass) break;
        return node(make_assert(Assertion::End));
      case 'C': case 'E': case 'F': case 'I': case 'J': case 'K': case 'L': case 'M': case 'O': case 'P':
      case 'Q': case 'T': case 'U': case 'Y': case 'g': case 'i': case 'j': case 'l': case 'm': case 'o':
      case 'p': case 'q': case 'y':
        break;
      default:
        return ch;
    }
    error("illegal or unsupported escape sequence '\\" + text(cursor_ - 1, cursor_) +
          "' (Java); escape only punctuation, or use \\Q...\\E");
  }

  static CodeSet horizontal_space() {
    return CodeSet::of(0x09) | CodeSet::of(0x20) | CodeSet::of(0xA0) | CodeSet::of(0x1680) | CodeSet::of(0x180E) |
           CodeSet::range(0x2000, 0x200A) | CodeSet::of(0x202F) | CodeSet::of(0x205F) | CodeSet::of(0x3000);
  }
  static CodeSet vertical_space() {
    return CodeSet::range(0x0A, 0x0D) | CodeSet::of(0x85) | CodeSet::range(0x2028, 0x2029);
  }

  // \X: one extended grapheme cluster, atomic as in Java 17 (XGrapheme jumps to
  // Grapheme.nextBoundary and never gives part of the cluster back). Each way a cluster can end
  // is followed by the assertion that the next character would not continue it: Grapheme's
  // rules[t0][t1], GB11 (only in a cluster that starts with an Extended_Pictographic) and GB12
  // (an odd number of regional indicators so far).
  static NodePtr grapheme_cluster() {
    auto types = [](std::initializer_list<int> list) {
      CodeSet s;
      for (int t : list) s = s | grapheme_set(t);
      return s;
    };
    auto set = [&](std::initializer_list<int> list) { return make_set(types(list)); };
    auto star = [](NodePtr n) { return make_repeat(std::move(n), 0, -1); };
    auto plus = [](NodePtr n) { return make_repeat(std::move(n), 1, -1); };
    auto opt = [](NodePtr n) { return make_repeat(std::move(n), 0, 1); };
    auto ending = [](NodePtr body, const CodeSet& continues) {
      return make_seq({std::move(body), make_not_before(continues)});
    };
    const CodeSet post_types = types({kGbExtend, kGbZWJ, kGbSpacingMark});  // GB9, GB9a: continue any cluster
    const CodeSet controls = types({kGbCR, kGbLF, kGbControl});
    const NodePtr post = make_set(post_types);
    const NodePtr pre = star(set({kGbPrepend}));
    const NodePtr L = set({kGbL}), V = set({kGbV}), T = set({kGbT}), LV = set({kGbLV}), LVT = set({kGbLVT});
    const NodePtr ep = set({kGbExtPict}), zwj = set({kGbZWJ}), ri = set({kGbRI});
    const NodePtr ends_in_t = make_alt({make_seq({star(L), make_alt({V, LV}), star(V), plus(T)}),
                                        make_seq({star(L), LVT, star(T)}), plus(T)});
    const NodePtr ends_in_v = make_seq({star(L), make_alt({V, LV}), star(V)});
    const NodePtr hangul = make_alt({plus(L), ends_in_v, ends_in_t});
    // A cluster that starts with something other than a Prepend, Hangul, a regional indicator or
    // (where GB11 applies) an Extended_Pictographic; after a Prepend, one of those is such a start.
    const CodeSet single =
        (controls | types({kGbPrepend, kGbL, kGbV, kGbT, kGbLV, kGbLVT, kGbRI, kGbExtPict})).complement();
    const NodePtr emoji = make_seq({ep, star(make_seq({star(post), zwj, ep}))});
    const NodePtr prepends = plus(set({kGbPrepend}));
    return make_alt({
        make_seq({make_set(CodeSet::of('\r')), make_set(CodeSet::of('\n'))}),
        ending(make_set(CodeSet::of('\r')), CodeSet::of('\n')),
        set({kGbLF, kGbControl}),
        ending(prepends, controls.complement()),
        make_seq({pre, make_alt({ending(plus(L), post_types | types({kGbL, kGbV, kGbLV, kGbLVT})),
                                 ending(ends_in_v, post_types | types({kGbV, kGbT})),
                                 ending(ends_in_t, post_types | types({kGbT})),
                                 ending(ri, post_types | types({kGbRI}))})}),
        // (The emoji is repeated so that each ending follows characters of its own: marked text
        // moves an ending onto the marker before the last of them.)
        ending(make_seq({emoji, star(post), zwj}), post_types | types({kGbExtPict})),
        ending(make_seq({emoji, opt(make_seq({star(post), set({kGbExtend, kGbSpacingMark})}))}), post_types),
        ending(make_seq({make_alt({make_seq({pre, make_alt({make_set(single), make_seq({ri, ri}),
                                                           make_seq({make_alt({hangul, ri}), post})})}),
                                   make_seq({prepends, ep})}),
                         star(post)}),
               post_types),
    });
  }

  // \X as a plain grapheme cluster, spelled from java.util.regex.Grapheme's rules, which may end
  // early when the rest of the pattern needs it (unlike Java's): the fallback when the atomic
  // form's translation is over the budget.
  static NodePtr loose_grapheme_cluster() {
    auto set = [](std::initializer_list<int> types) {
      CodeSet s;
      for (int t : types) s = s | grapheme_set(t);
      return make_set(s);
    };
    auto star = [](NodePtr n) { return make_repeat(std::move(n), 0, -1); };
    auto plus = [](NodePtr n) { return make_repeat(std::move(n), 1, -1); };
    auto opt = [](NodePtr n) { return make_repeat(std::move(n), 0, 1); };
    const NodePtr post = set({kGbExtend, kGbZWJ, kGbSpacingMark});
    const NodePtr L = set({kGbL}), V = set({kGbV}), T = set({kGbT}), LV = set({kGbLV}), LVT = set({kGbLVT});
    const NodePtr hangul = make_alt({
        plus(L),
        make_seq({star(L), make_alt({V, LV}), star(V), star(T)}),
        make_seq({star(L), LVT, star(T)}),
        plus(T),
    });
    const NodePtr ep = set({kGbExtPict});
    const NodePtr zwj = set({kGbZWJ});
    const NodePtr ri = set({kGbRI});
    const NodePtr core = make_alt({hangul, make_seq({ri, opt(ri)}),
                                   make_set((grapheme_set(kGbCR) | grapheme_set(kGbLF) | grapheme_set(kGbControl)).complement())});
    return make_alt({
        make_seq({make_set(CodeSet::of('\r')), opt(make_set(CodeSet::of('\n')))}),
        set({kGbLF, kGbControl}),
        make_seq({ep, star(make_seq({star(post), zwj, ep})), star(post)}),
        make_seq({star(set({kGbPrepend})), core, star(post)}),
    });
  }

  int octal() {
    const int n = read();
    if (((n - '0') | ('7' - n)) >= 0) {
      const int m = read();
      if (((m - '0') | ('7' - m)) >= 0) {
        const int o = read();
        if ((((o - '0') | ('7' - o)) >= 0) && (((n - '0') | ('3' - n)) >= 0)) {
          return (n - '0') * 64 + (m - '0') * 8 + (o - '0');
        }
        unread();
        return (n - '0') * 8 + (m - '0');
      }
      unread();
      return n - '0';
    }
    error("illegal octal escape: '\\0' must be followed by an octal digit (Java)");
  }

  int control() {
    if (cursor_ < patternLength_) return read() ^ 64;
    error("illegal control escape: '\\c' must be followed by a character (Java)");
  }

  int hex_escape() {
    int n = read();
    if (is_hex_digit(n)) {
      const int m = read();
      if (is_hex_digit(m)) return hex_value(n) * 16 + hex_value(m);
    } else if (n == '{' && is_hex_digit(peek())) {
      int ch = 0;
      while (is_hex_digit(n = read())) {
        ch = (ch << 4) + hex_value(n);
        if (ch > static_cast<int>(kMaxCodePoint)) error("hexadecimal code point is larger than 10FFFF (Java)");
      }
      if (n != '}') error("unclosed hexadecimal escape: missing '}' (Java)");
      return ch;
    }
    error("illegal hexadecimal escape: write \\xhh or \\x{h...h} (Java)");
  }

  int uxxxx() {
    int n = 0;
    for (int i = 0; i < 4; i++) {
      const int ch = read();
      if (!is_hex_digit(ch)) error("illegal Unicode escape: write \\u and four hex digits (Java)");
      n = n * 16 + hex_value(ch);
    }
    return n;
  }

  int unicode_escape() {
    const int n = uxxxx();
    if (n >= 0xD800 && n <= 0xDBFF) {
      const int cur = cursor_;
      if (read() == '\\' && read() == 'u') {
        const int n2 = uxxxx();
        if (n2 >= 0xDC00 && n2 <= 0xDFFF) return 0x10000 + ((n - 0xD800) << 10) + (n2 - 0xDC00);
      }
      cursor_ = cur;
    }
    return n;
  }

  int named_char() {
    if (read() == '{') {
      const int i = cursor_;
      while (read() != '}') {
        if (cursor_ >= patternLength_) error("unclosed character name: missing '}' after \\N{ (Java)");
      }
      std::string name;
      for (int k = i; k < cursor_ - 1; ++k) append_utf8(name, static_cast<char32_t>(at(k)));
      if (auto cp = code_point_of(name)) return static_cast<int>(*cp);
      error("unknown character name [" + name + "] (Java)");
    }
    error("illegal character name escape: write \\N{NAME} (Java)");
  }

  std::string groupname(int ch) {
    std::string name;
    if (!is_ascii_alpha(ch)) error("capturing group name does not start with a Latin letter (Java)");
    do {
      name += static_cast<char>(ch);
    } while (is_ascii_alnum(ch = read()));
    if (ch != '>') error("named capturing group is missing trailing '>' (Java)");
    return name;
  }

  // ---- groups ----

  NodePtr group0() {
    const int save = flags0_;
    const int start = cursor_;
    Depth depth(*this);
    NodePtr head;
    int ch = next();
    if (ch == '?') {
      ch = skip();
      switch (ch) {
        case ':':
          head = expr();
          break;
        case '=':
        case '!':
          unsupported(code::regex_lookaround,
                      std::string(ch == '=' ? "lookahead" : "negative lookahead") + " '(?" + static_cast<char>(ch) +
                          "' needs backtracking, which ecsq does not run; RE2 runs in linear time",
                      start, cursor_);
          expr();
          head = make_empty();
          break;
        case '>': {
          const int opened = cursor_;
          head = expr();
          guarded_.push_back({Guarded::Kind::Atomic, head, head, 1, 1, start, opened});
          break;
        }
        case '<': {
          ch = read();
          if (ch != '=' && ch != '!') {
            const std::string name = groupname(ch);
            if (namedGroups_.count(name)) error("named capturing group <" + name + "> is already defined (Java)");
            capturingGroupCount_++;
            namedGroups_.insert(name);
            head = expr();
            break;
          }
          unsupported(code::regex_lookaround,
                      std::string(ch == '=' ? "lookbehind" : "negative lookbehind") + " '(?<" + static_cast<char>(ch) +
                          "' needs backtracking, which ecsq does not run; RE2 runs in linear time",
                      start, cursor_);
          expr();
          head = make_empty();
          break;
        }
        case '$':
        case '@':
          error("unknown group type '(?" + std::string(1, static_cast<char>(ch)) + "' (Java)");
        default: {
          unread();
          add_flag();
          ch = read();
          if (ch == ')') return nullptr;  // flags only: they hold to the end of the enclosing group
          if (ch != ':') {
            error("unknown inline flag or group type after '(?' (Java accepts the flags idmsuxU, then ':' or ')')");
          }
          head = expr();
          break;
        }
      }
    } else {
      capturingGroupCount_++;
      head = expr();
    }
    accept(')', start, "unclosed group: missing ')' (Java)");
    flags0_ = save;
    return closure(head, false, true);
  }

  void add_flag() {
    int ch = peek();
    for (;;) {
      switch (ch) {
        case 'i': flags0_ |= kCaseInsensitive; break;
        case 'm': flags0_ |= kMultiline; break;
        case 's': flags0_ |= kDotall; break;
        case 'd': flags0_ |= kUnixLines; break;
        case 'u': flags0_ |= kUnicodeCase; break;
        case 'c':
          canon_flag_at_ = cursor_;
          flags0_ |= kCanonEq;
          break;
        case 'x': flags0_ |= kComments; break;
        case 'U': flags0_ |= (kUnicodeCharacterClass | kUnicodeCase); break;
        case '-':
          ch = next();
          sub_flag();
          return;
        default:
          return;
      }
      ch = next();
    }
  }

  void sub_flag() {
    int ch = peek();
    for (;;) {
      switch (ch) {
        case 'i': flags0_ &= ~kCaseInsensitive; break;
        case 'm': flags0_ &= ~kMultiline; break;
        case 's': flags0_ &= ~kDotall; break;
        case 'd': flags0_ &= ~kUnixLines; break;
        case 'u': flags0_ &= ~kUnicodeCase; break;
        case 'c': flags0_ &= ~kCanonEq; break;
        case 'x': flags0_ &= ~kComments; break;
        case 'U': flags0_ &= ~(kUnicodeCharacterClass | kUnicodeCase); break;
        default: return;
      }
      ch = next();
    }
  }

  // ---- quantifiers ----

  enum class Qtype { Greedy, Lazy, Possessive };

  Qtype qtype() {
    const int ch = next();
    if (ch == '?') {
      next();
      return Qtype::Lazy;
    }
    if (ch == '+') {
      next();
      return Qtype::Possessive;
    }
    return Qtype::Greedy;
  }

  NodePtr repeat(NodePtr prev, bool linebreak, bool group, int min, int max) {
    // Java never backtracks into \R when it is the direct operand of a quantifier.
    if (linebreak) {
      prev = make_alt({make_seq({make_set(CodeSet::of('\r')), make_set(CodeSet::of('\n'))}),
                       make_seq({make_set(CodeSet::of('\r')), make_assert(Assertion::NotBeforeLF)}),
                       make_set(vertical_space() - CodeSet::of('\r'))});
    }
    if (max == INT_MAX) max = -1;
    // X? is a branch in Java, not a loop.
    if (group && !(min == 0 && max == 1)) return java_loop(std::move(prev), min, max);
    return make_repeat(std::move(prev), min, max);
  }

  // The quantifier whose operand is `prev` and which opens at `start`, its kind read here.
  NodePtr quantified(NodePtr prev, bool linebreak, bool group, int min, int max, int start) {
    const Qtype type = qtype();
    const NodePtr operand = linebreak ? nullptr : prev;
    NodePtr out = repeat(std::move(prev), linebreak, group, min, max);
    if (type == Qtype::Possessive) {
      guarded_.push_back({Guarded::Kind::Possessive, out, operand, min, max == INT_MAX ? -1 : max, start, cursor_});
    }
    if (type == Qtype::Lazy) lazy_.insert(out.get());  // (?>a*?) takes as little as it can
    return out;
  }

  NodePtr closure(NodePtr prev, bool linebreak, bool group = false) {
    const int start = cursor_;
    int ch = peek();
    switch (ch) {
      case '?':
        return quantified(std::move(prev), linebreak, group, 0, 1, start);
      case '*':
        return quantified(std::move(prev), linebreak, group, 0, -1, start);
      case '+':
        return quantified(std::move(prev), linebreak, group, 1, -1, start);
      case '{': {
        ch = skip();
        if (!is_ascii_digit(ch)) {
          error("illegal repetition: '{' starts a count like {2} or {1,3}; write \\{ for a literal brace (Java)");
        }
        // Java's Math.addExact/multiplyExact: a count past 2^31-1 is an error at its last digit.
        const auto too_big = [&] { error("illegal repetition range: a count is larger than 2147483647 (Java)"); };
        long long cmin = 0, cmax = 0;
        for (;;) {
          cmin = cmin * 10 + (ch - '0');
          if (cmin > INT_MAX) too_big();
          if (!is_ascii_digit(ch = read())) break;
        }
        if (ch == ',') {
          ch = read();
          if (ch == '}') {
            unread();
            return quantified(std::move(prev), linebreak, group, static_cast<int>(cmin), -1, start);
          }
          while (is_ascii_digit(ch)) {
            cmax = cmax * 10 + (ch - '0');
            if (cmax > INT_MAX) too_big();
            ch = read();
          }
        } else {
          cmax = cmin;
        }
        if (ch != '}') error("unclosed counted repetition: missing '}' (Java)");
        if (cmax < cmin) {
          error("illegal repetition range {" + std::to_string(cmin) + "," + std::to_string(cmax) +
                "}: the maximum is less than the minimum (Java)");
        }
        unread();
        return quantified(std::move(prev), linebreak, group, static_cast<int>(cmin), static_cast<int>(cmax), start);
      }
      default:
        return prev;
    }
  }

  // ---- character classes ----

  CodeSet top_class() {
    const int start = cursor_;
    PredPtr p = clazz(true, start);
    try {
      return eval(p);
    } catch (const SyntaxError&) {
      throw SyntaxError{"this class ends in '&&' with nothing after it, which Java 17 accepts but fails on when "
                        "matching; remove the '&&'",
                        start};
    }
  }

  static CodeSet eval(const PredPtr& p) {
    if (!p) throw SyntaxError{"", 0};
    switch (p->kind) {
      case Pred::Kind::Set:
        return p->set;
      case Pred::Kind::Bits: {
        CodeSet s;
        for (int c = 0; c < 256; ++c) {
          if ((*p->bits)[static_cast<std::size_t>(c)]) s.add(static_cast<char32_t>(c));
        }
        return s;
      }
      case Pred::Kind::Union:
        return eval(p->a) | eval(p->b);
      case Pred::Kind::And:
        return eval(p->a) & eval(p->b);
      case Pred::Kind::Not:
        return eval(p->a).complement();
    }
    return {};
  }

  // `open`: where the '[' of this class, or of the class around an unbracketed operand, is.
  PredPtr clazz(bool consume, int open) {
    Depth depth(*this);
    PredPtr prev, curr;
    BitsPtr bits = std::make_shared<std::array<bool, 256>>();
    bits->fill(false);
    bool isNeg = false, hasBits = false;
    int ch = next();
    if (ch == '^' && at(cursor_ - 1) == '[') {
      ch = next();
      isNeg = true;
    }
    for (;;) {
      switch (ch) {
        case '[':
          curr = clazz(true, cursor_);
          prev = prev ? pred_op(Pred::Kind::Union, prev, curr) : curr;
          ch = peek();
          continue;
        case '&':
          ch = next();
          if (ch == '&') {
            ch = next();
            PredPtr right;
            while (ch != ']' && ch != '&') {
              if (ch == '[') {
                PredPtr c = clazz(true, cursor_);
                right = right ? pred_op(Pred::Kind::Union, right, c) : c;
              } else {
                unread();
                PredPtr c = clazz(false, open);
                right = right ? pred_op(Pred::Kind::Union, right, c) : c;
              }
              ch = peek();
            }
            if (hasBits) {
              if (!prev) {
                prev = curr = pred_bits(bits);
              } else {
                prev = pred_op(Pred::Kind::Union, prev, pred_bits(bits));
              }
              hasBits = false;
            }
            if (right) curr = right;
            if (!prev) {
              if (!right) error("bad class syntax: '&&' needs a class on at least one side (Java)");
              prev = right;
            } else {
              prev = pred_op(Pred::Kind::And, prev, curr);
            }
          } else {
            unread();  // a literal '&'
            break;
          }
          continue;
        case 0:
          if (cursor_ >= patternLength_) error_at(open, "unclosed character class: missing ']' (Java)");
          break;
        case ']':
          if (prev || hasBits) {
            if (consume) next();
            if (!prev) {
              prev = pred_bits(bits);
            } else if (hasBits) {
              prev = pred_op(Pred::Kind::Union, prev, pred_bits(bits));
            }
            if (isNeg) return pred_op(Pred::Kind::Not, prev, nullptr);
            return prev;
          }
          break;
        default:
          break;
      }
      curr = range(bits);
      if (!curr) {
        hasBits = true;
      } else if (!prev) {
        prev = curr;
      } else if (prev != curr) {
        prev = pred_op(Pred::Kind::Union, prev, curr);
      }
      ch = peek();
    }
  }

  // BitClass.add
  void bits_add(BitsPtr& bits, int c) const {
    auto& b = *bits;
    if (has(kCaseInsensitive)) {
      if (c < 128) {
        b[static_cast<std::size_t>(ascii_to_upper(c))] = true;
        b[static_cast<std::size_t>(ascii_to_lower(c))] = true;
      } else if (has(kUnicodeCase)) {
        b[to_lower(static_cast<char32_t>(c)) & 0xFF] = true;
        b[to_upper(static_cast<char32_t>(c)) & 0xFF] = true;
      }
    }
    b[static_cast<std::size_t>(c)] = true;
  }

  PredPtr bits_or_single(BitsPtr& bits, int ch) {
    const bool special = has(kCaseInsensitive) && has(kUnicodeCase) &&
                         (ch == 0xff || ch == 0xb5 || ch == 0x49 || ch == 0x69 || ch == 0x53 || ch == 0x73 ||
                          ch == 0x4b || ch == 0x6b || ch == 0xc5 || ch == 0xe5);
    if (ch < 256 && !special) {
      bits_add(bits, ch);
      return nullptr;
    }
    return pred_set(single(ch));
  }

  PredPtr range(BitsPtr& bits) {
    int ch = peek();
    if (ch == '\\') {
      ch = next_escaped();
      if (ch == 'p' || ch == 'P') return pred_set(property_escape(ch));
      const bool isrange = at(cursor_ + 1) == '-';
      unread();
      predicate_.reset();
      ch = escape(true, true, isrange);
      if (ch == -1) return pred_set(predicate_ ? *predicate_ : CodeSet{});
    } else {
      next();
    }
    if (ch >= 0) {
      if (peek() == '-') {
        const int endRange = at(cursor_ + 1);
        if (endRange == '[') return bits_or_single(bits, ch);
        if (endRange != ']') {
          next();
          int m = peek();
          if (m == '\\') {
            m = escape(true, false, true);
          } else {
            next();
          }
          if (m < ch) {
            error(m < 0 ? std::string("illegal character range: a range cannot end in a class escape (Java)")
                        : "illegal character range: the end is before the start (Java)");
          }
          const auto lo = static_cast<char32_t>(ch), hi = static_cast<char32_t>(m);
          if (has(kCaseInsensitive)) {
            return pred_set(has(kUnicodeCase) ? ci_range_unicode(lo, hi) : ci_range_ascii(lo, hi));
          }
          return pred_set(CodeSet::range(lo, hi));
        }
      }
      return bits_or_single(bits, ch);
    }
    error("unexpected character in class (Java)");
  }

  // Pattern.family: \p{...} and \P{...}.
  // \p or \P (`letter`) has been read: the property that follows, \pL or \p{Name}.
  CodeSet property_escape(int letter) {
    const bool one_letter = next() != '{';
    if (one_letter) unread();
    return family(one_letter, letter == 'P');
  }

  CodeSet family(bool singleLetter, bool isComplement) {
    const int open = cursor_ - (singleLetter ? 1 : 2);  // the backslash of \p or \p{
    next();
    std::string name;
    if (singleLetter) {
      append_utf8(name, static_cast<char32_t>(at(cursor_)));
      read();
    } else {
      const int i = cursor_;
      mark('}');
      while (read() != '}') {
      }
      mark(0);
      const int j = cursor_;
      if (j > patternLength_) error_at(open, "unclosed character property: missing '}' after \\p{ (Java)");
      if (i + 1 >= j) error("empty character property \\p{} (Java)");
      for (int k = i; k < j - 1; ++k) append_utf8(name, static_cast<char32_t>(at(k)));
    }
    const bool ci = has(kCaseInsensitive);
    std::optional<CodeSet> p;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      const std::string value = name.substr(eq + 1);
      const std::string key = lower_ascii(name.substr(0, eq));
      if (key == "sc" || key == "script") {
        p = script_set(value);
      } else if (key == "blk" || key == "block") {
        p = block_set(value);
      } else if (key == "gc" || key == "general_category") {
        p = property_predicate(value, ci);
      }
      if (!p) error("unknown Unicode property {name=<" + key + ">, value=<" + value + ">} (Java)");
    } else {
      if (name.rfind("In", 0) == 0) {
        p = block_set(name.substr(2));
      } else if (name.rfind("Is", 0) == 0) {
        const std::string shortName = name.substr(2);
        const std::string upper = upper_ascii(shortName);
        p = unicode_predicate(upper, ci);
        if (!p) p = posix_predicate(upper, ci);
        if (!p) p = property_predicate(shortName, ci);
        if (!p) p = script_set(shortName);
      } else {
        if (has(kUnicodeCharacterClass)) p = posix_predicate(upper_ascii(name), ci);
        if (!p) p = property_predicate(name, ci);
      }
      if (!p) {
        std::string msg = "unknown character property \\p{" + name + "} (Java)";
        if (script_set(name) || block_set(name)) {
          msg += "; write \\p{Is" + name + "} for a script or \\p{In" + name + "} for a block";
        }
        error(msg);
      }
    }
    if (isComplement) return p->complement();
    return std::move(*p);
  }

  std::string_view pattern_;
  ParseLimits limits_;
  std::vector<int> temp_;
  std::vector<std::uint32_t> offs_;
  std::vector<std::uint32_t> lens_;
  int cursor_ = 0;
  int patternLength_ = 0;
  int flags0_ = 0;
  int capturingGroupCount_ = 1;
  int depth_ = 0;
  std::set<std::string> namedGroups_;
  std::optional<Problem> unsupported_;
  struct ForwardRef {
    int group;
    int from;
    int to;
  };
  std::vector<ForwardRef> forward_refs_;
  std::vector<Guarded> guarded_;
  int canon_flag_at_ = 0;
  std::map<const Node*, CodeSet> watched_set_of_;
  std::set<const Node*> reached_;
  std::set<const Node*> lazy_;  // lazily quantified nodes
  NodePtr root_;
  bool root_linebreak_ = false;
  std::optional<CodeSet> predicate_;
};

}  // namespace

std::variant<NodePtr, Problem> parse_java(std::string_view pattern, const ParseLimits& limits) {
  return Parser(pattern, limits).run();
}

}  // namespace ecsq::detail::jre
