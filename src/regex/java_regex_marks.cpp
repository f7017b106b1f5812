// Marked input: Java's \b, \B and atomic \X read through position markers instead of being
// spelled out in the pattern.
//
// Spelling those assertions out (java_regex_emit.cpp) splits every character set by the huge
// Unicode classes they look at, and loops multiply the pieces: (?:\b..)+ or \X\X come out at
// megabytes. Here the text is matched as m0 c1 m1 c2 ... cn mn, where the marker mi (a code point
// of a private-use block) says what Java would see at position i: whether \b holds, with and
// without UNICODE_CHARACTER_CLASS, whether i is the start, and the grapheme cluster types of the
// next two characters. Every character of the pattern reads the marker before it, and an
// assertion becomes a constraint on the next marker (the emitter's NotBefore, on a small set),
// whatever Unicode classes stand behind it. The end of an atomic \X ("the next character does
// not continue the cluster") goes one step further back, onto the marker before the cluster's
// last character, which knows the type of the character after it: so a cluster leaves no
// pending constraint behind, and \X+ loops on one state. The line anchors (^ $ in their multiline
// and Unix forms) are position facts too. A marker carries only the facts the pattern asks
// (MarkerLayout), which keeps the marker sets a few ranges each.
#include <algorithm>
#include <array>

#include "common/utf8.hpp"
#include "regex/java_regex.hpp"

namespace ecsq::detail::jre {
namespace {

constexpr char32_t kMarkerBase = 0x100000;  // Supplementary Private Use Area-B
constexpr unsigned kEndType = 15;           // the grapheme "type" past the last character

// What one marker says.
struct Facts {
  bool boundary = false;
  bool boundary_u = false;
  bool start = false;
  bool dollar = false;
  bool dollar_multiline = false;
  bool unix_dollar = false;
  bool unix_dollar_multiline = false;
  bool caret = false;
  bool unix_caret = false;
  unsigned next = kEndType;    // grapheme type of the next character
  unsigned second = kEndType;  // and of the one after it
};

// The marker for `f` under `layout`: the flags it carries in the high bits, then the types, so
// that a constraint on any one of them is a few ranges.
char32_t encode(const MarkerLayout& layout, const Facts& f) {
  unsigned v = 0;
  if (layout.boundary) v = v << 1 | (f.boundary ? 1u : 0u);
  if (layout.boundary_u) v = v << 1 | (f.boundary_u ? 1u : 0u);
  if (layout.start) v = v << 1 | (f.start ? 1u : 0u);
  if (layout.dollar) v = v << 1 | (f.dollar ? 1u : 0u);
  if (layout.dollar_multiline) v = v << 1 | (f.dollar_multiline ? 1u : 0u);
  if (layout.unix_dollar) v = v << 1 | (f.unix_dollar ? 1u : 0u);
  if (layout.unix_dollar_multiline) v = v << 1 | (f.unix_dollar_multiline ? 1u : 0u);
  if (layout.caret) v = v << 1 | (f.caret ? 1u : 0u);
  if (layout.unix_caret) v = v << 1 | (f.unix_caret ? 1u : 0u);
  if (layout.next_type) v = v << 4 | f.next;
  if (layout.second_type) v = v << 4 | f.second;
  return kMarkerBase + v;
}

// The markers of a layout, as sets of facts.
class Packing {
 public:
  explicit Packing(const MarkerLayout& layout)
      : layout_(layout),
        bits_(layout.boundary + layout.boundary_u + layout.start + layout.dollar + layout.dollar_multiline +
              layout.unix_dollar + layout.unix_dollar_multiline + layout.caret + layout.unix_caret +
              (layout.next_type ? 4 : 0) + (layout.second_type ? 4 : 0)),
        all_(CodeSet::range(kMarkerBase, kMarkerBase + (1u << bits_) - 1)) {}

  // The markers whose facts satisfy `pred`.
  template <class Pred>
  CodeSet where(Pred pred) const {
    CodeSet s;
    for (unsigned v = 0; v < (1u << bits_); ++v) {
      if (pred(decode(v))) s.add(kMarkerBase + v);
    }
    return s;
  }

  const CodeSet& all() const { return all_; }

 private:
  Facts decode(unsigned v) const {
    Facts f;
    if (layout_.second_type) f.second = v & 15u, v >>= 4;
    if (layout_.next_type) f.next = v & 15u, v >>= 4;
    if (layout_.unix_caret) f.unix_caret = v & 1u, v >>= 1;
    if (layout_.caret) f.caret = v & 1u, v >>= 1;
    if (layout_.unix_dollar_multiline) f.unix_dollar_multiline = v & 1u, v >>= 1;
    if (layout_.unix_dollar) f.unix_dollar = v & 1u, v >>= 1;
    if (layout_.dollar_multiline) f.dollar_multiline = v & 1u, v >>= 1;
    if (layout_.dollar) f.dollar = v & 1u, v >>= 1;
    if (layout_.start) f.start = v & 1u, v >>= 1;
    if (layout_.boundary_u) f.boundary_u = v & 1u, v >>= 1;
    if (layout_.boundary) f.boundary = v & 1u;
    return f;
  }

  MarkerLayout layout_;
  int bits_;
  CodeSet all_;
};

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

bool in_types(std::uint32_t mask, unsigned type) { return type != kEndType && ((mask >> type) & 1u) != 0; }

// Sets with more ranges than this that are unions of grapheme types are read from the marker
// before them (one small set) rather than spelled out: they are \X's pieces.
constexpr std::size_t kSpelledRanges = 4;

bool read_from_marker(const Node& set) {
  return set.set.ranges().size() > kSpelledRanges && grapheme_types(set.set).has_value();
}

// The facts a pattern asks of its markers; false when it asks what markers do not carry.
bool scan(const Node& n, MarkerLayout& layout) {
  if (n.kind == Node::Kind::Set && read_from_marker(n)) layout.next_type = true;
  if (n.kind == Node::Kind::Assert) {
    switch (n.assertion) {
      case Assertion::Begin: layout.start = true; break;
      case Assertion::End:
      case Assertion::NotBeforeLF: layout.next_type = true; break;
      case Assertion::WordBoundary:
      case Assertion::NotWordBoundary: layout.boundary = true; break;
      case Assertion::WordBoundaryU:
      case Assertion::NotWordBoundaryU: layout.boundary_u = true; break;
      case Assertion::Dollar: layout.dollar = true; break;
      case Assertion::DollarMultiline: layout.dollar_multiline = true; break;
      case Assertion::UnixDollar: layout.unix_dollar = true; break;
      case Assertion::UnixDollarMultiline: layout.unix_dollar_multiline = true; break;
      case Assertion::Caret: layout.caret = true; break;
      case Assertion::UnixCaret: layout.unix_caret = true; break;
      case Assertion::NotBefore:
        if (!grapheme_types(n.set)) return false;
        layout.next_type = layout.second_type = true;
        break;
    }
  }
  return std::all_of(n.kids.begin(), n.kids.end(), [&](const NodePtr& k) { return scan(*k, layout); });
}

bool nullable(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Empty:
    case Node::Kind::Assert: return true;
    case Node::Kind::Fail:
    case Node::Kind::Set: return false;
    case Node::Kind::Seq: return std::all_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return nullable(*k); });
    case Node::Kind::Alt: return std::any_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return nullable(*k); });
    case Node::Kind::Repeat: return n.min == 0 || nullable(*n.kids.front());
  }
  return false;
}

// The pattern over marked text: each character with the marker before it, each assertion a
// constraint on the next marker, a cluster's end on the marker before its last character.
class Rewriter {
 public:
  explicit Rewriter(const MarkerLayout& layout) : pack_(layout) {}

  const Packing& packing() const { return pack_; }

  NodePtr operator()(const NodePtr& n) const {
    switch (n->kind) {
      case Node::Kind::Empty:
      case Node::Kind::Fail: return n;
      case Node::Kind::Set:
        if (read_from_marker(*n)) {
          const std::uint32_t mask = *grapheme_types(n->set);
          return make_seq({make_set(pack_.where([&](const Facts& f) { return in_types(mask, f.next); })),
                           make_set(CodeSet::all())});
        }
        return make_seq({make_set(pack_.all()), n});
      case Node::Kind::Seq: {
        std::vector<NodePtr> done;
        for (const NodePtr& k : n->kids) {
          if (k->kind == Node::Kind::Assert && k->assertion == Assertion::NotBefore && !done.empty()) {
            const std::uint32_t mask = *grapheme_types(k->set);
            const CodeSet allowed = pack_.where([&](const Facts& f) { return !in_types(mask, f.second); });
            if (auto c = constrain_last(make_seq(done), allowed)) {
              done = {*c};
              continue;
            }
          }
          done.push_back((*this)(k));
        }
        return make_seq(std::move(done));
      }
      case Node::Kind::Alt: {
        std::vector<NodePtr> kids;
        for (const NodePtr& k : n->kids) kids.push_back((*this)(k));
        return make_alt(std::move(kids));
      }
      case Node::Kind::Repeat: return make_repeat((*this)(n->kids.front()), n->min, n->max);
      case Node::Kind::Assert: break;
    }
    switch (n->assertion) {
      case Assertion::Begin: return next_marker([](const Facts& f) { return f.start; });
      case Assertion::End: return next_marker([](const Facts& f) { return f.next == kEndType; });
      case Assertion::WordBoundary: return next_marker([](const Facts& f) { return f.boundary; });
      case Assertion::NotWordBoundary: return next_marker([](const Facts& f) { return !f.boundary; });
      case Assertion::WordBoundaryU: return next_marker([](const Facts& f) { return f.boundary_u; });
      case Assertion::NotWordBoundaryU: return next_marker([](const Facts& f) { return !f.boundary_u; });
      case Assertion::NotBeforeLF: return next_marker([](const Facts& f) { return f.next != kGbLF; });
      case Assertion::Dollar: return next_marker([](const Facts& f) { return f.dollar; });
      case Assertion::DollarMultiline: return next_marker([](const Facts& f) { return f.dollar_multiline; });
      case Assertion::UnixDollar: return next_marker([](const Facts& f) { return f.unix_dollar; });
      case Assertion::UnixDollarMultiline: return next_marker([](const Facts& f) { return f.unix_dollar_multiline; });
      case Assertion::Caret: return next_marker([](const Facts& f) { return f.caret; });
      case Assertion::UnixCaret: return next_marker([](const Facts& f) { return f.unix_caret; });
      default: {  // NotBefore (scan() let nothing else through)
        const std::uint32_t mask = *grapheme_types(n->set);
        return next_marker([&](const Facts& f) { return !in_types(mask, f.next); });
      }
    }
  }

 private:
  // The assertion that the next marker's facts satisfy `allowed`.
  template <class Pred>
  NodePtr next_marker(Pred allowed) const {
    return make_not_before(pack_.where([&](const Facts& f) { return !allowed(f); }));
  }

  // The markers whose next character's type is one of those in `chars` (all, if the layout does
  // not carry types).
  CodeSet types_of(const CodeSet& chars) const {
    std::uint32_t mask = 0;
    for (std::size_t t = 0; t < grapheme_sets().size(); ++t) {
      if (grapheme_sets()[t].intersects(chars)) mask |= 1u << t;
    }
    return pack_.where([&](const Facts& f) { return f.next == kEndType ? false : ((mask >> f.next) & 1u) != 0; });
  }

  bool is_marker_set(const Node& n) const { return n.kind == Node::Kind::Set && n.set.subset_of(pack_.all()); }

  // n (rewritten) with the marker before its last character narrowed to `allowed`; nothing where
  // n may end without a character of its own, which would leave that marker outside n.
  std::optional<NodePtr> constrain_last(const NodePtr& n, const CodeSet& allowed) const {
    switch (n->kind) {
      case Node::Kind::Seq: {
        const std::vector<NodePtr>& kids = n->kids;
        std::size_t i = kids.size();
        while (i > 0 && kids[i - 1]->kind == Node::Kind::Assert) --i;  // zero-width: reach past them
        if (i == 0) return std::nullopt;
        std::vector<NodePtr> prefix(kids.begin(), kids.begin() + static_cast<std::ptrdiff_t>(i - 1));
        const std::vector<NodePtr> after(kids.begin() + static_cast<std::ptrdiff_t>(i), kids.end());
        const NodePtr& last = kids[i - 1];
        auto join = [&](std::vector<NodePtr> front, NodePtr middle) {
          front.push_back(std::move(middle));
          front.insert(front.end(), after.begin(), after.end());
          return make_seq(std::move(front));
        };
        if (last->kind == Node::Kind::Set && !is_marker_set(*last)) {
          if (prefix.empty() || !is_marker_set(*prefix.back())) return std::nullopt;
          // The marker also names the type of the character after it, one of `last`'s: saying so
          // keeps the narrowed set to a few ranges.
          const NodePtr marker = make_set(prefix.back()->set & allowed & types_of(last->set));
          prefix.back() = marker;
          return join(std::move(prefix), last);
        }
        if (!nullable(*last)) {
          auto c = constrain_last(last, allowed);
          if (!c) return std::nullopt;
          return join(std::move(prefix), *c);
        }
        // `last` may be empty: it ends with a character of its own, or the prefix does.
        auto own = constrain_nonempty(last, allowed);
        auto before = constrain_last(make_seq(prefix), allowed);
        if (!own || !before) return std::nullopt;
        std::vector<NodePtr> with_own = prefix;
        with_own.push_back(std::move(*own));
        return join({}, make_alt({make_seq(std::move(with_own)), *before}));
      }
      case Node::Kind::Alt: {
        std::vector<NodePtr> kids;
        for (const NodePtr& k : n->kids) {
          auto c = constrain_last(k, allowed);
          if (!c) return std::nullopt;
          kids.push_back(std::move(*c));
        }
        return make_alt(std::move(kids));
      }
      case Node::Kind::Repeat:
        if (n->min == 0) return std::nullopt;
        return constrain_nonempty(n, allowed);
      default: return std::nullopt;
    }
  }

  // The non-empty strings of n, their last marker narrowed (n a Repeat or an Alt).
  std::optional<NodePtr> constrain_nonempty(const NodePtr& n, const CodeSet& allowed) const {
    if (n->kind == Node::Kind::Repeat) {
      const NodePtr& body = n->kids.front();
      if (nullable(*body)) return std::nullopt;
      auto c = constrain_last(body, allowed);
      if (!c) return std::nullopt;
      const int min = std::max(n->min - 1, 0);
      return make_seq({make_repeat(body, min, n->max < 0 ? -1 : n->max - 1), *c});
    }
    if (n->kind == Node::Kind::Alt) {
      std::vector<NodePtr> kids;
      for (const NodePtr& k : n->kids) {
        if (k->kind == Node::Kind::Empty) continue;
        auto c = nullable(*k) ? constrain_nonempty(k, allowed) : constrain_last(k, allowed);
        if (!c) return std::nullopt;
        kids.push_back(std::move(*c));
      }
      return make_alt(std::move(kids));
    }
    return std::nullopt;
  }

  Packing pack_;
};

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
  unsigned type;  // grapheme cluster type, when the layout asks
};

bool line_terminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029; }

// Java 17's line anchors at position i (Pattern.Dollar, UnixDollar, Caret, UnixCaret): never
// between \r and \n; $ at the end or before one final terminator (\r\n counts as one).
void line_facts(const std::vector<CodePoint>& cps, std::size_t i, Facts& f) {
  const std::size_t n = cps.size();
  const char32_t before = i > 0 ? cps[i - 1].value : 0;
  const char32_t next = i < n ? cps[i].value : 0;
  const bool inside_crlf = before == '\r' && next == '\n';
  const std::size_t rest = n - i;
  f.dollar = rest == 0 || (rest == 1 && line_terminator(next) && !inside_crlf) ||
             (rest == 2 && next == '\r' && cps[i + 1].value == '\n');
  f.dollar_multiline = rest == 0 || (line_terminator(next) && !inside_crlf);
  f.unix_dollar = rest == 0 || (rest == 1 && next == '\n');
  f.unix_dollar_multiline = rest == 0 || next == '\n';
  f.caret = rest > 0 && (i == 0 || line_terminator(before)) && !inside_crlf;
  f.unix_caret = rest > 0 && (i == 0 || before == '\n');
}

}  // namespace

std::optional<MarkedPattern> marked_pattern(const NodePtr& full, const NodePtr& find) {
  MarkedPattern p;
  if (!scan(*full, p.layout) || !scan(*find, p.layout)) return std::nullopt;
  const Rewriter rewrite(p.layout);
  const NodePtr m = make_set(rewrite.packing().all());
  const NodePtr pair = make_seq({m, make_set(CodeSet::all())});
  p.full = make_seq({rewrite(full), m});
  // Matcher.find as a full match: the pairs before the match, the match, the pairs after it.
  p.find = make_seq({make_repeat(pair, 0, -1), rewrite(find), make_repeat(pair, 0, -1), m});
  return p;
}

void mark_input(std::string_view text, const MarkerLayout& layout, std::string& out) {
  const bool types = layout.next_type || layout.second_type;
  thread_local std::vector<CodePoint> cps;
  cps.clear();
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    char32_t c = 0xFFFD;  // an invalid byte: copied as is, seen as an unassigned character
    int category = -1;
    if (n > 1 || static_cast<unsigned char>(text[i]) < 0x80) {
      c = n == 1 ? static_cast<unsigned char>(text[i])
                 : static_cast<char32_t>(static_cast<unsigned char>(text[i]) & (0x7F >> n));
      for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      category = layout.boundary ? category_of(c) : -1;
    }
    cps.push_back(CodePoint{c, i, n, category, types ? static_cast<unsigned>(grapheme_type_of(c)) : kEndType});
    i += n;
  }
  auto is_word_u = [&](std::size_t k) { return layout.boundary_u && unicode_word().contains(cps[k].value); };
  out.clear();
  out.reserve(text.size() + 4 * (cps.size() + 1));
  // Pattern.Bound: a non-spacing mark is a word character when, stepping back one UTF-16 unit at
  // a time over marks, a letter or digit comes first; a supplementary character there is read as
  // its low surrogate, which stops the walk.
  bool based_before = false;  // the walk's answer from the character before the current position
  for (std::size_t i = 0; i <= cps.size(); ++i) {
    Facts f;
    f.start = i == 0;
    bool left = false, right = false;
    if (i > 0) {
      const CodePoint& p = cps[i - 1];
      left = p.value == '_' || letter_or_digit(p.category) ||
             (p.category == kNonSpacingMark && p.value <= 0xFFFF && based_before);
    }
    if (i < cps.size()) {
      const CodePoint& c = cps[i];
      // The walk for a mark here starts at the mark itself, whatever its plane, then goes back.
      right = c.value == '_' || letter_or_digit(c.category) || (c.category == kNonSpacingMark && based_before);
      f.next = c.type;
      if (i + 1 < cps.size()) f.second = cps[i + 1].type;
    }
    f.boundary = left != right;
    f.boundary_u = (i > 0 && is_word_u(i - 1)) != (i < cps.size() && is_word_u(i));
    line_facts(cps, i, f);
    append_utf8(out, encode(layout, f));
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
