// Marked text: Java's assertions (\b, \B, atomic \X, the line anchors) read from position
// markers where spelling them out in the pattern is over the budget.
//
// Spelling them out (java_regex_emit.cpp) splits every character set by the huge Unicode classes
// \b and \X look at, and loops multiply the pieces: (?:\b..)+ or \X\X come out at megabytes.
// Here the text is matched as m0 c1 m1 c2 ... cn mn, where the marker mi (a code point of a
// private-use block) says what Java would see at position i and at i+1: whether \b holds, with
// and without UNICODE_CHARACTER_CLASS, whether it is the start, which line anchors hold, and the
// grapheme cluster types of the next two characters. Every character of the pattern reads the
// marker before it. An assertion right after a character narrows that marker (which knows the
// next position), so it leaves no state pending: the end of an atomic \X ("the next character
// does not continue the cluster") is such an assertion, and \X+ loops on one state. An assertion
// with no character before it in its sequence constrains the next marker instead (the
// emitter's NotBefore, on a small set). A marker carries only the facts the pattern asks
// (MarkerLayout), which keeps every marker set a few ranges.
#include <algorithm>
#include <array>
#include <map>

#include "common/utf8.hpp"
#include "regex/java_regex.hpp"

namespace ecsq::detail::jre {
namespace {

constexpr char32_t kMarkerBase = 0x100000;  // Supplementary Private Use Area-B
constexpr unsigned kEndType = 15;           // the grapheme "type" past the last character

// What an assertion can ask of a position, one bit each (MarkerLayout::flags).
enum Flag : std::uint16_t {
  kBoundary = 1,         // \b holds
  kBoundaryU = 2,        // \b holds under UNICODE_CHARACTER_CLASS
  kStart = 4,            // position 0
  kDollar = 8,           // $ (and \Z) holds
  kDollarMultiline = 16,
  kUnixDollar = 32,
  kUnixDollarMultiline = 64,
  kCaret = 128,          // (?m)^
  kUnixCaret = 256,      // (?md)^
  kFlagEnd = 512,
  kLineFlags = kDollar | kDollarMultiline | kUnixDollar | kUnixDollarMultiline | kCaret | kUnixCaret,
};

// What one marker says: the flags of its position and of the next one (where an assertion
// after the next character reads them), and the grapheme types of the next two characters.
struct Facts {
  std::uint16_t now = 0;
  std::uint16_t after = 0;
  unsigned next = kEndType;
  unsigned second = kEndType;
};

// The marker for `f` under `layout`: the flags it carries in the high bits, then the types, so
// that a constraint on any one of them is a few ranges.
char32_t encode(const MarkerLayout& layout, const Facts& f) {
  unsigned v = 0;
  for (const std::uint16_t flags : {f.now, f.after}) {
    for (std::uint16_t b = kFlagEnd >> 1; b != 0; b = static_cast<std::uint16_t>(b >> 1)) {
      if (layout.flags & b) v = v << 1 | ((flags & b) ? 1u : 0u);
    }
  }
  if (layout.next_type) v = v << 4 | f.next;
  if (layout.second_type) v = v << 4 | f.second;
  return kMarkerBase + v;
}

// The markers of a layout, as sets of facts.
class Packing {
 public:
  explicit Packing(const MarkerLayout& layout) : layout_(layout) {
    for (std::uint16_t f = 1; f < kFlagEnd; f = static_cast<std::uint16_t>(f << 1)) {
      if (layout.flags & f) bits_ += 2;
    }
    bits_ += (layout.next_type ? 4 : 0) + (layout.second_type ? 4 : 0);
    all_ = CodeSet::range(kMarkerBase, kMarkerBase + (1u << bits_) - 1);
  }

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
    for (std::uint16_t* flags : {&f.after, &f.now}) {  // encode()'s order, from the low bits up
      for (std::uint16_t b = 1; b < kFlagEnd; b = static_cast<std::uint16_t>(b << 1)) {
        if (!(layout_.flags & b)) continue;
        if (v & 1u) *flags = static_cast<std::uint16_t>(*flags | b);
        v >>= 1;
      }
    }
    return f;
  }

  MarkerLayout layout_;
  int bits_ = 0;
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

// The flag an assertion reads; 0 for those that read grapheme types.
std::uint16_t flag_of(Assertion a) {
  switch (a) {
    case Assertion::WordBoundary:
    case Assertion::NotWordBoundary: return kBoundary;
    case Assertion::WordBoundaryU:
    case Assertion::NotWordBoundaryU: return kBoundaryU;
    case Assertion::Begin: return kStart;
    case Assertion::Dollar: return kDollar;
    case Assertion::DollarMultiline: return kDollarMultiline;
    case Assertion::UnixDollar: return kUnixDollar;
    case Assertion::UnixDollarMultiline: return kUnixDollarMultiline;
    case Assertion::Caret: return kCaret;
    case Assertion::UnixCaret: return kUnixCaret;
    default: return 0;
  }
}

// The facts a pattern asks of its markers; false when it asks what markers do not carry.
bool scan(const Node& n, MarkerLayout& layout) {
  if (n.kind == Node::Kind::Set && read_from_marker(n)) layout.next_type = true;
  if (n.kind == Node::Kind::Assert) {
    layout.flags = static_cast<std::uint16_t>(layout.flags | flag_of(n.assertion));
    if (n.assertion == Assertion::NotBefore && !grapheme_types(n.set)) return false;
    if (n.assertion == Assertion::End || n.assertion == Assertion::NotBeforeLF || n.assertion == Assertion::NotBefore) {
      layout.next_type = layout.second_type = true;
    }
  }
  return std::all_of(n.kids.begin(), n.kids.end(), [&](const NodePtr& k) { return scan(*k, layout); });
}

// An assertion as a test of one position's facts.
struct Test {
  Assertion assertion;
  std::uint16_t flag;
  std::uint32_t types;  // NotBefore: the grapheme types that must not come next

  explicit Test(const Node& n)
      : assertion(n.assertion),
        flag(flag_of(n.assertion)),
        types(n.assertion == Assertion::NotBefore ? *grapheme_types(n.set) : 0) {}

  // Whether it holds where the flags are `flags` and the next character is of grapheme type
  // `next` (kEndType at the end).
  bool holds(std::uint16_t flags, unsigned next) const {
    switch (assertion) {
      case Assertion::NotWordBoundary:
      case Assertion::NotWordBoundaryU: return !(flags & flag);
      case Assertion::End: return next == kEndType;
      case Assertion::NotBeforeLF: return next != kGbLF;
      case Assertion::NotBefore: return next == kEndType || !((types >> next) & 1u);
      default: return (flags & flag) != 0;
    }
  }
};

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
  explicit Rewriter(const MarkerLayout& layout) : layout_(layout), pack_(layout) {}

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
          if (k->kind == Node::Kind::Assert && !done.empty()) {
            // Read from the marker before the last character so far, which knows the next position.
            const Test test(*k);
            const CodeSet allowed = pack_.where([&](const Facts& f) { return test.holds(f.after, f.second); });
            const NodePtr so_far = make_seq(done);
            if (auto c = constrain_last(so_far, allowed); c && affordable(so_far, *c)) {
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
    // An assertion nothing before it in its sequence can carry: the next marker must satisfy it.
    const Test test(*n);
    return make_not_before(pack_.where([&](const Facts& f) { return !test.holds(f.now, f.next); }));
  }

 private:
  // The markers whose next character's type is one of those in `chars` (all, if the layout does
  // not carry types).
  CodeSet types_of(const CodeSet& chars) const {
    if (!layout_.next_type) return pack_.all();
    std::uint32_t mask = 0;
    for (std::size_t t = 0; t < grapheme_sets().size(); ++t) {
      if (grapheme_sets()[t].intersects(chars)) mask |= 1u << t;
    }
    return pack_.where([&](const Facts& f) { return f.next == kEndType ? false : ((mask >> f.next) & 1u) != 0; });
  }

  // Moving an assertion back copies what may end without a character of its own (x* y? ...),
  // and copies compound; past the rewriter's overall allowance of added nodes the assertion
  // stays on the next marker instead.
  std::size_t tree_size(const NodePtr& n) const {
    if (auto it = sizes_.find(n.get()); it != sizes_.end()) return it->second.second;
    std::size_t size = 1;
    for (const NodePtr& k : n->kids) size = std::min<std::size_t>(size + tree_size(k), std::size_t{1} << 40);
    sizes_.emplace(n.get(), std::make_pair(n, size));
    return size;
  }
  bool affordable(const NodePtr& before, const NodePtr& after) const {
    const std::size_t grown = tree_size(after), was = tree_size(before);
    if (grown - std::min(grown, was) > allowance_) return false;
    allowance_ -= grown - std::min(grown, was);
    return true;
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

  MarkerLayout layout_;
  Packing pack_;
  mutable std::size_t allowance_ = 20000;  // nodes that moving assertions back may add in all
  // Tree sizes by node; the entry holds the node, so that no other node takes its address.
  mutable std::map<const Node*, std::pair<NodePtr, std::size_t>> sizes_;
};

// Java 17's word characters for \b (Pattern.Bound.isWord).
bool letter_or_digit(int category) {
  constexpr std::uint32_t mask = cat_bit(kUppercaseLetter) | cat_bit(kLowercaseLetter) | cat_bit(kTitlecaseLetter) |
                                 cat_bit(kModifierLetter) | cat_bit(kOtherLetter) | cat_bit(kDecimalDigitNumber);
  return category >= 0 && ((mask >> category) & 1u) != 0;
}

struct CodePoint {
  char32_t value;
  std::size_t offset;
  std::size_t length;
  int category;
  unsigned type;  // grapheme cluster type, when the layout asks
};

// The table lookups of ASCII characters, once (most attribute values are ASCII).
struct AsciiTables {
  std::array<int, 0x80> category;
  std::array<unsigned, 0x80> type;
};
const AsciiTables& ascii() {
  static const AsciiTables t = [] {
    AsciiTables a;
    for (char32_t c = 0; c < 0x80; ++c) {
      a.category[c] = category_of(c);
      a.type[c] = static_cast<unsigned>(grapheme_type_of(c));
    }
    return a;
  }();
  return t;
}

bool line_terminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029; }

// Java 17's line anchors at position i (Pattern.Dollar, UnixDollar, Caret, UnixCaret): never
// between \r and \n; $ at the end or before one final terminator (\r\n counts as one).
std::uint16_t line_flags(const std::vector<CodePoint>& cps, std::size_t i) {
  const std::size_t n = cps.size();
  const char32_t before = i > 0 ? cps[i - 1].value : 0;
  const char32_t next = i < n ? cps[i].value : 0;
  const bool inside_crlf = before == '\r' && next == '\n';
  const std::size_t rest = n - i;
  unsigned f = 0;
  if (rest == 0 || (rest == 1 && line_terminator(next) && !inside_crlf) ||
      (rest == 2 && next == '\r' && cps[i + 1].value == '\n')) {
    f |= kDollar;
  }
  if (rest == 0 || (line_terminator(next) && !inside_crlf)) f |= kDollarMultiline;
  if (rest == 0 || (rest == 1 && next == '\n')) f |= kUnixDollar;
  if (rest == 0 || next == '\n') f |= kUnixDollarMultiline;
  if (rest > 0 && (i == 0 || line_terminator(before)) && !inside_crlf) f |= kCaret;
  if (rest > 0 && (i == 0 || before == '\n')) f |= kUnixCaret;
  if (i == 0) f |= kStart;
  return static_cast<std::uint16_t>(f);
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
      c = utf8_code_point(text, i, n);
      category = (layout.flags & kBoundary) ? (c < 0x80 ? ascii().category[c] : category_of(c)) : -1;
    }
    const unsigned type = !types ? kEndType : c < 0x80 ? ascii().type[c] : static_cast<unsigned>(grapheme_type_of(c));
    cps.push_back(CodePoint{c, i, n, category, type});
    i += n;
  }
  auto is_word_u = [&](std::size_t k) { return java_word_set().contains(cps[k].value); };
  // Each position's flags first: a marker also carries those of the position after it.
  thread_local std::vector<std::uint16_t> flags;
  flags.assign(cps.size() + 1, 0);
  // Pattern.Bound: a non-spacing mark is a word character when, stepping back one UTF-16 unit at
  // a time over marks, a letter or digit comes first; a supplementary character there is read as
  // its low surrogate, which stops the walk.
  bool based_before = false;  // the walk's answer from the character before the current position
  for (std::size_t i = 0; i <= cps.size(); ++i) {
    unsigned f = (layout.flags & kLineFlags) ? line_flags(cps, i) : (i == 0 ? kStart : 0);
    if (layout.flags & kBoundary) {
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
        // The walk from c: a letter or digit ends it (yes), a BMP mark passes it back, anything
        // else (a supplementary character included) ends it (no).
        based_before = c.value <= 0xFFFF && (letter_or_digit(c.category) || (c.category == kNonSpacingMark && based_before));
      }
      if (left != right) f |= kBoundary;
    }
    if ((layout.flags & kBoundaryU) && (i > 0 && is_word_u(i - 1)) != (i < cps.size() && is_word_u(i))) f |= kBoundaryU;
    flags[i] = static_cast<std::uint16_t>(f);
  }
  out.clear();
  out.reserve(text.size() + 4 * (cps.size() + 1));
  for (std::size_t i = 0; i <= cps.size(); ++i) {
    Facts f;
    f.now = flags[i];
    if (i < cps.size()) {
      f.after = flags[i + 1];
      f.next = cps[i].type;
      if (i + 1 < cps.size()) f.second = cps[i + 1].type;
    }
    append_utf8(out, encode(layout, f));
    if (i < cps.size()) out.append(text.substr(cps[i].offset, cps[i].length));
  }
}

}  // namespace ecsq::detail::jre
