// Marked input: Java's \b, \B and atomic \X read through position markers instead of being
// spelled out in the pattern.
//
// Spelling those assertions out (java_regex_emit.cpp) splits every character set by the huge
// Unicode classes they look at, and loops multiply the pieces: (?:\b..)+ or \X\X come out at
// megabytes. Here the text is matched as m0 c1 m1 c2 ... cn mn, where the marker mi (a code point
// of a private-use block) says what Java would see at position i: whether \b holds, with and
// without UNICODE_CHARACTER_CLASS, whether i is the start, and the grapheme cluster type of the
// next character. Every character of the pattern reads the marker before it, and an assertion
// becomes a constraint on the next marker (the emitter's NotBefore, on a set of at most 128
// code points), whatever Unicode classes stand behind it. Only what a marker carries
// qualifies; the line anchors (^ $ in their multiline and Unix forms) keep the spelled-out form.
#include <array>

#include "common/utf8.hpp"
#include "regex/java_regex.hpp"

namespace ecsq::detail::jre {
namespace {

// A marker is kMarkerBase + value; the value's bits:
constexpr char32_t kMarkerBase = 0x100000;  // Supplementary Private Use Area-B
constexpr unsigned kBoundary = 1;           // \b holds here
constexpr unsigned kBoundaryU = 2;          // \b holds here under UNICODE_CHARACTER_CLASS
constexpr unsigned kStart = 4;              // position 0
constexpr unsigned kTypeShift = 3;          // then the next character's grapheme type (kEndType at the end)
constexpr unsigned kEndType = 15;
constexpr unsigned kMarkerCount = 16u << kTypeShift;

template <class Pred>
CodeSet markers_where(Pred pred) {
  CodeSet s;
  for (unsigned v = 0; v < kMarkerCount; ++v) {
    if (pred(v)) s.add(kMarkerBase + v);
  }
  return s;
}

unsigned next_type(unsigned v) { return v >> kTypeShift; }

const std::array<CodeSet, 15>& grapheme_sets() {
  static const std::array<CodeSet, 15> sets = [] {
    std::array<CodeSet, 15> a;
    for (int t = 0; t < 15; ++t) a[static_cast<std::size_t>(t)] = grapheme_set(t);
    return a;
  }();
  return sets;
}

// The grapheme types whose union is exactly `s`, as a bit mask, if there are such.
std::optional<std::uint32_t> grapheme_types(const CodeSet& s) {
  std::uint32_t mask = 0;
  CodeSet covered;
  for (std::size_t t = 0; t < grapheme_sets().size(); ++t) {
    if (grapheme_sets()[t].subset_of(s)) {
      mask |= 1u << t;
      covered = covered | grapheme_sets()[t];
    }
  }
  if (!(covered == s)) return std::nullopt;
  return mask;
}

// Sets with more ranges than this that are unions of grapheme types are read from the marker
// before them (one small set) rather than spelled out: they are \X's pieces.
constexpr std::size_t kSpelledRanges = 4;

const CodeSet& all_markers() {
  static const CodeSet s = markers_where([](unsigned) { return true; });
  return s;
}

// The assertion that the next marker is one of `allowed`.
template <class Pred>
NodePtr next_marker(Pred allowed) {
  return make_not_before(markers_where([&](unsigned v) { return !allowed(v); }));
}

// The pattern over marked text: each character with the marker before it, each assertion a
// constraint on the next marker. Nothing when an assertion is not carried by markers.
std::optional<NodePtr> rewrite(const NodePtr& n) {
  switch (n->kind) {
    case Node::Kind::Empty:
    case Node::Kind::Fail: return n;
    case Node::Kind::Set: {
      if (n->set.ranges().size() > kSpelledRanges) {
        if (auto types = grapheme_types(n->set)) {
          const std::uint32_t mask = *types;
          return make_seq({make_set(markers_where([&](unsigned v) { return (mask >> next_type(v)) & 1u; })),
                           make_set(CodeSet::all())});
        }
      }
      return make_seq({make_set(all_markers()), n});
    }
    case Node::Kind::Seq:
    case Node::Kind::Alt:
    case Node::Kind::Repeat: {
      std::vector<NodePtr> kids;
      for (const NodePtr& k : n->kids) {
        auto r = rewrite(k);
        if (!r) return std::nullopt;
        kids.push_back(std::move(*r));
      }
      if (n->kind == Node::Kind::Seq) return make_seq(std::move(kids));
      if (n->kind == Node::Kind::Alt) return make_alt(std::move(kids));
      return make_repeat(std::move(kids.front()), n->min, n->max);
    }
    case Node::Kind::Assert: break;
  }
  switch (n->assertion) {
    case Assertion::Begin: return next_marker([](unsigned v) { return (v & kStart) != 0; });
    case Assertion::End: return next_marker([](unsigned v) { return next_type(v) == kEndType; });
    case Assertion::WordBoundary: return next_marker([](unsigned v) { return (v & kBoundary) != 0; });
    case Assertion::NotWordBoundary: return next_marker([](unsigned v) { return (v & kBoundary) == 0; });
    case Assertion::WordBoundaryU: return next_marker([](unsigned v) { return (v & kBoundaryU) != 0; });
    case Assertion::NotWordBoundaryU: return next_marker([](unsigned v) { return (v & kBoundaryU) == 0; });
    case Assertion::NotBeforeLF: return next_marker([](unsigned v) { return next_type(v) != kGbLF; });
    case Assertion::NotBefore: {
      const auto types = grapheme_types(n->set);
      if (!types) return std::nullopt;
      const std::uint32_t mask = *types;
      return next_marker([&](unsigned v) { return next_type(v) == kEndType || !((mask >> next_type(v)) & 1u); });
    }
    default: return std::nullopt;  // the line anchors: a marker does not say what precedes it
  }
}

// Java 17's word characters for \b (Pattern.Bound.isWord).
bool letter_or_digit(int category) {
  constexpr std::uint32_t mask = cat_bit(kUppercaseLetter) | cat_bit(kLowercaseLetter) | cat_bit(kTitlecaseLetter) |
                                 cat_bit(kModifierLetter) | cat_bit(kOtherLetter) | cat_bit(kDecimalDigitNumber);
  return category >= 0 && ((mask >> category) & 1u) != 0;
}

const CodeSet& unicode_word() {
  static const CodeSet s = binary_set(Binary::Alphabetic) |
                           category_set(cat_bit(kNonSpacingMark) | cat_bit(kEnclosingMark) |
                                        cat_bit(kCombiningSpacingMark) | cat_bit(kDecimalDigitNumber) |
                                        cat_bit(kConnectorPunctuation)) |
                           CodeSet::range(0x200C, 0x200D);
  return s;
}

struct CodePoint {
  char32_t value;
  std::size_t offset;
  std::size_t length;
  int category;
};

}  // namespace

std::optional<MarkedPattern> marked_pattern(const NodePtr& full, const NodePtr& find) {
  auto f = rewrite(full);
  auto g = rewrite(find);
  if (!f || !g) return std::nullopt;
  const NodePtr m = make_set(all_markers());
  const NodePtr pair = make_seq({m, make_set(CodeSet::all())});
  MarkedPattern p;
  p.full = make_seq({*f, m});
  // Matcher.find as a full match: the pairs before the match, the match, the pairs after it.
  p.find = make_seq({make_repeat(pair, 0, -1), *g, make_repeat(pair, 0, -1), m});
  return p;
}

void mark_input(std::string_view text, std::string& out) {
  thread_local std::vector<CodePoint> cps;
  cps.clear();
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    char32_t c = 0xFFFD;  // an invalid byte: copied as is, seen as an unassigned character
    if (n > 1 || static_cast<unsigned char>(text[i]) < 0x80) {
      c = n == 1 ? static_cast<unsigned char>(text[i])
                 : static_cast<char32_t>(static_cast<unsigned char>(text[i]) & (0x7F >> n));
      for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    cps.push_back(CodePoint{c, i, n, c == 0xFFFD && n == 1 ? -1 : category_of(c)});
    i += n;
  }
  out.clear();
  out.reserve(text.size() + 4 * (cps.size() + 1));
  // Pattern.Bound: a non-spacing mark is a word character when, stepping back one UTF-16 unit at
  // a time over marks, a letter or digit comes first; a supplementary character there is read as
  // its low surrogate, which stops the walk. `based` is that walk's answer from each character.
  bool based_before = false;  // the walk from the character before the current position
  for (std::size_t i = 0; i <= cps.size(); ++i) {
    bool left = false, left_u = false;
    if (i > 0) {
      const CodePoint& p = cps[i - 1];
      const bool bmp = p.value <= 0xFFFF;
      left = p.value == '_' || letter_or_digit(p.category) ||
             (p.category == kNonSpacingMark && bmp && based_before);
      left_u = unicode_word().contains(p.value);
    }
    bool right = false, right_u = false;
    unsigned type = kEndType;
    if (i < cps.size()) {
      const CodePoint& c = cps[i];
      // The walk for a mark here starts at the mark itself, whatever its plane, then goes back.
      right = c.value == '_' || letter_or_digit(c.category) || (c.category == kNonSpacingMark && based_before);
      right_u = unicode_word().contains(c.value);
      type = static_cast<unsigned>(grapheme_type_of(c.value));
    }
    unsigned v = (left != right ? kBoundary : 0) | (left_u != right_u ? kBoundaryU : 0) | (i == 0 ? kStart : 0) |
                 (type << kTypeShift);
    append_utf8(out, kMarkerBase + v);
    if (i < cps.size()) {
      const CodePoint& c = cps[i];
      out.append(text.substr(c.offset, c.length));
      // The walk from c: a letter or digit ends it (yes), a BMP mark passes it back, anything
      // else (a supplementary character included) ends it (no).
      based_before = c.value <= 0xFFFF && (letter_or_digit(c.category) || (c.category == kNonSpacingMark && based_before));
    }
  }
}

}  // namespace ecsq::detail::jre
