// From the parsed Java pattern to RE2 syntax.
//
// Most patterns translate node for node. A few Java assertions look at the characters around a
// position in ways RE2 cannot: Java 17's \b (letters and digits of every script are word
// characters, and non-spacing marks after them), $ (also before a final line terminator, but
// never between \r and \n), (?m)^ and $ (every Java line terminator, never ^ at the very end),
// the atomic \r of a quantified \R and the end of an atomic \X (the next character must not
// continue the cluster).
// Those are compiled away: the emitter walks the pattern as an automaton whose states record
// the class of the last character consumed and what the next characters must be, splits
// character sets by those classes, and spells the surviving paths as an ordinary regex (state
// elimination where the pattern loops). Only patterns using these assertions pay for it.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "ecsq/codes.hpp"
#include "regex/java_regex.hpp"

namespace ecsq::detail::jre {
namespace {

// ---------------------------------------------------------------------------------------------
// Output regexes

struct Rx;
using RxPtr = std::shared_ptr<const Rx>;

struct Rx {
  enum class Kind { Fail, Eps, Set, Native, Cat, Alt, Repeat };
  Kind kind = Kind::Fail;
  CodeSet set;
  std::string native;
  std::vector<RxPtr> kids;
  int min = 0;
  int max = -1;
  bool nullable = false;  // matches the empty string at any position
  std::size_t weight = 1;  // rough printed size, to stop runaway translations early
};

struct TooLarge {};

constexpr std::size_t kWeightCap = std::size_t{1} << 40;
std::size_t add_weight(std::size_t a, std::size_t b) { return std::min(kWeightCap, a + b); }

RxPtr rx_fail() {
  static const RxPtr r = std::make_shared<const Rx>();
  return r;
}

RxPtr rx_eps() {
  static const RxPtr r = [] {
    Rx x;
    x.kind = Rx::Kind::Eps;
    x.nullable = true;
    return std::make_shared<const Rx>(std::move(x));
  }();
  return r;
}

RxPtr rx_set(CodeSet s) {
  if (s.empty()) return rx_fail();
  Rx x;
  x.kind = Rx::Kind::Set;
  x.weight = 2 + 12 * std::min(s.ranges().size(), s.complement().ranges().size());
  x.set = std::move(s);
  return std::make_shared<const Rx>(std::move(x));
}

RxPtr rx_native(std::string text) {
  Rx x;
  x.kind = Rx::Kind::Native;
  x.nullable = false;  // \A and \z match the empty string only somewhere
  x.weight = text.size();
  x.native = std::move(text);
  return std::make_shared<const Rx>(std::move(x));
}

RxPtr rx_cat(std::vector<RxPtr> kids) {
  std::vector<RxPtr> flat;
  auto push = [&](const RxPtr& k) {
    // x*x* is x*.
    const auto star_of_set = [](const Rx& r) {
      return r.kind == Rx::Kind::Repeat && r.min == 0 && r.max < 0 && r.kids.front()->kind == Rx::Kind::Set;
    };
    if (!flat.empty() && star_of_set(*k) && star_of_set(*flat.back()) && k->kids.front()->set == flat.back()->kids.front()->set) {
      return;
    }
    flat.push_back(k);
  };
  for (RxPtr& k : kids) {
    if (k->kind == Rx::Kind::Fail) return rx_fail();
    if (k->kind == Rx::Kind::Eps) continue;
    if (k->kind == Rx::Kind::Cat) {
      for (const RxPtr& kk : k->kids) push(kk);
    } else {
      push(k);
    }
  }
  if (flat.empty()) return rx_eps();
  if (flat.size() == 1) return flat.front();
  Rx x;
  x.kind = Rx::Kind::Cat;
  x.nullable = true;
  x.weight = 0;
  for (const RxPtr& k : flat) {
    x.nullable = x.nullable && k->nullable;
    x.weight = add_weight(x.weight, k->weight);
  }
  x.kids = std::move(flat);
  return std::make_shared<const Rx>(std::move(x));
}

RxPtr rx_cat(RxPtr a, RxPtr b) { return rx_cat(std::vector<RxPtr>{std::move(a), std::move(b)}); }

RxPtr rx_repeat(RxPtr kid, int min, int max);
RxPtr rx_alt(std::vector<RxPtr> kids);

// Alternatives sharing their first (or last) part, the same node, as one: p x | p y is p (x|y).
// State elimination repeats its labels; this keeps the big character classes from multiplying.
std::vector<RxPtr> factored(std::vector<RxPtr> alts, bool front) {
  if (alts.size() < 2) return alts;
  auto end_of = [&](const RxPtr& r) { return r->kind == Rx::Kind::Cat ? (front ? r->kids.front() : r->kids.back()) : r; };
  auto rest_of = [&](const RxPtr& r) {
    if (r->kind != Rx::Kind::Cat) return rx_eps();
    return front ? rx_cat(std::vector<RxPtr>(r->kids.begin() + 1, r->kids.end()))
                 : rx_cat(std::vector<RxPtr>(r->kids.begin(), r->kids.end() - 1));
  };
  std::vector<const Rx*> order;
  std::map<const Rx*, std::vector<RxPtr>> groups;
  for (const RxPtr& a : alts) {
    const Rx* key = end_of(a).get();
    if (groups.find(key) == groups.end()) order.push_back(key);
    groups[key].push_back(a);
  }
  if (order.size() == alts.size()) return alts;
  std::vector<RxPtr> out;
  for (const Rx* key : order) {
    std::vector<RxPtr>& members = groups[key];
    if (members.size() == 1) {
      out.push_back(members.front());
      continue;
    }
    const RxPtr shared = end_of(members.front());
    std::vector<RxPtr> rests;
    for (const RxPtr& m : members) rests.push_back(rest_of(m));
    out.push_back(front ? rx_cat(shared, rx_alt(std::move(rests))) : rx_cat(rx_alt(std::move(rests)), shared));
  }
  return out;
}

RxPtr rx_alt(std::vector<RxPtr> kids) {
  std::vector<RxPtr> flat;
  CodeSet merged;
  bool has_set = false, has_eps = false;
  std::set<const Rx*> seen;
  for (RxPtr& k : kids) {
    std::vector<RxPtr> parts = k->kind == Rx::Kind::Alt ? k->kids : std::vector<RxPtr>{k};
    for (RxPtr& p : parts) {
      if (p->kind == Rx::Kind::Fail) continue;
      if (p->kind == Rx::Kind::Eps) {
        has_eps = true;
      } else if (p->kind == Rx::Kind::Set) {
        merged = merged | p->set;
        has_set = true;
      } else if (seen.insert(p.get()).second) {
        flat.push_back(std::move(p));
      }
    }
  }
  flat = factored(std::move(flat), true);
  flat = factored(std::move(flat), false);
  if (has_set) flat.insert(flat.begin(), rx_set(std::move(merged)));
  RxPtr out;
  if (flat.empty()) {
    out = has_eps ? rx_eps() : rx_fail();
  } else if (flat.size() == 1) {
    out = flat.front();
  } else {
    Rx x;
    x.kind = Rx::Kind::Alt;
    x.weight = 0;
    for (const RxPtr& k : flat) {
      x.nullable = x.nullable || k->nullable;
      x.weight = add_weight(x.weight, k->weight + 1);
    }
    x.kids = std::move(flat);
    out = std::make_shared<const Rx>(std::move(x));
  }
  if (has_eps && !out->nullable) out = rx_repeat(out, 0, 1);
  return out;
}

RxPtr rx_alt(RxPtr a, RxPtr b) { return rx_alt(std::vector<RxPtr>{std::move(a), std::move(b)}); }

RxPtr rx_repeat(RxPtr kid, int min, int max) {
  if (max == 0) return rx_eps();
  if (kid->kind == Rx::Kind::Fail) return min == 0 ? rx_eps() : rx_fail();
  if (kid->kind == Rx::Kind::Eps) return rx_eps();
  if (min == 1 && max == 1) return kid;
  // \A? may be skipped, so it is empty; \A+ is \A.
  if (kid->kind == Rx::Kind::Native) return min == 0 ? rx_eps() : kid;
  // An unbounded inner repetition absorbs any outer count: (x*){n,m} is x*, (x+){n,m} is x{n,}.
  if (kid->kind == Rx::Kind::Repeat && kid->max < 0 && kid->min <= 1) {
    if (kid->min == 0) return kid;
    return rx_repeat(kid->kids.front(), min, -1);
  }
  Rx x;
  x.kind = Rx::Kind::Repeat;
  x.nullable = min == 0 || kid->nullable;
  x.weight = add_weight(kid->weight, 8);
  x.kids.push_back(std::move(kid));
  x.min = min;
  x.max = max;
  return std::make_shared<const Rx>(std::move(x));
}

// Strings of r whose first code point is in `a` (r has no assertions).
RxPtr first_split(const RxPtr& r, const CodeSet& a) {
  switch (r->kind) {
    case Rx::Kind::Fail:
    case Rx::Kind::Eps:
    case Rx::Kind::Native:
      return rx_fail();
    case Rx::Kind::Set:
      return rx_set(r->set & a);
    case Rx::Kind::Alt: {
      std::vector<RxPtr> alts;
      for (const RxPtr& k : r->kids) alts.push_back(first_split(k, a));
      return rx_alt(std::move(alts));
    }
    case Rx::Kind::Cat: {
      std::vector<RxPtr> alts;
      for (std::size_t i = 0; i < r->kids.size(); ++i) {
        std::vector<RxPtr> seq{first_split(r->kids[i], a)};
        seq.insert(seq.end(), r->kids.begin() + static_cast<std::ptrdiff_t>(i) + 1, r->kids.end());
        alts.push_back(rx_cat(std::move(seq)));
        if (!r->kids[i]->nullable) break;
      }
      return rx_alt(std::move(alts));
    }
    case Rx::Kind::Repeat: {
      const RxPtr& x = r->kids.front();
      return rx_cat(first_split(x, a), rx_repeat(x, x->nullable ? 0 : std::max(r->min - 1, 0), r->max < 0 ? -1 : r->max - 1));
    }
  }
  return rx_fail();
}

// Strings of r whose last code point is in `g` (r has no assertions).
RxPtr last_split(const RxPtr& r, const CodeSet& g) {
  switch (r->kind) {
    case Rx::Kind::Fail:
    case Rx::Kind::Eps:
    case Rx::Kind::Native:
      return rx_fail();
    case Rx::Kind::Set:
      return rx_set(r->set & g);
    case Rx::Kind::Alt: {
      std::vector<RxPtr> alts;
      for (const RxPtr& k : r->kids) alts.push_back(last_split(k, g));
      return rx_alt(std::move(alts));
    }
    case Rx::Kind::Cat: {
      std::vector<RxPtr> alts;
      for (std::size_t i = r->kids.size(); i-- > 0;) {
        std::vector<RxPtr> seq(r->kids.begin(), r->kids.begin() + static_cast<std::ptrdiff_t>(i));
        seq.push_back(last_split(r->kids[i], g));
        alts.push_back(rx_cat(std::move(seq)));
        if (!r->kids[i]->nullable) break;
      }
      return rx_alt(std::move(alts));
    }
    case Rx::Kind::Repeat: {
      const RxPtr& x = r->kids.front();
      return rx_cat(rx_repeat(x, x->nullable ? 0 : std::max(r->min - 1, 0), r->max < 0 ? -1 : r->max - 1), last_split(x, g));
    }
  }
  return rx_fail();
}

// The strings of r made of characters of `m` only (r has no assertions).
RxPtr only_chars(const RxPtr& r, const CodeSet& m) {
  switch (r->kind) {
    case Rx::Kind::Fail:
    case Rx::Kind::Native:
      return rx_fail();
    case Rx::Kind::Eps:
      return r;
    case Rx::Kind::Set:
      return rx_set(r->set & m);
    case Rx::Kind::Alt:
    case Rx::Kind::Cat: {
      std::vector<RxPtr> kids;
      for (const RxPtr& k : r->kids) kids.push_back(only_chars(k, m));
      return r->kind == Rx::Kind::Alt ? rx_alt(std::move(kids)) : rx_cat(std::move(kids));
    }
    case Rx::Kind::Repeat:
      return rx_repeat(only_chars(r->kids.front(), m), r->min, r->max);
  }
  return rx_fail();
}

// The strings of r whose last character outside `m` is in `g`, the characters of `m` after it
// any number (r has no assertions; g and m are disjoint). Null where a counted repetition would
// have to be spelled out at length.
RxPtr last_split_past(const RxPtr& r, const CodeSet& g, const CodeSet& m) {
  constexpr int kMaxSpelled = 16;
  switch (r->kind) {
    case Rx::Kind::Fail:
    case Rx::Kind::Eps:
    case Rx::Kind::Native:
      return rx_fail();
    case Rx::Kind::Set:
      return rx_set(r->set & g);
    case Rx::Kind::Alt: {
      std::vector<RxPtr> alts;
      for (const RxPtr& k : r->kids) {
        RxPtr part = last_split_past(k, g, m);
        if (!part) return nullptr;
        alts.push_back(std::move(part));
      }
      return rx_alt(std::move(alts));
    }
    case Rx::Kind::Cat: {
      std::vector<RxPtr> alts;
      RxPtr tail = rx_eps();  // the kids after i, made of characters of m only
      for (std::size_t i = r->kids.size(); i-- > 0;) {
        RxPtr part = last_split_past(r->kids[i], g, m);
        if (!part) return nullptr;
        std::vector<RxPtr> seq(r->kids.begin(), r->kids.begin() + static_cast<std::ptrdiff_t>(i));
        seq.push_back(std::move(part));
        seq.push_back(tail);
        alts.push_back(rx_cat(std::move(seq)));
        tail = rx_cat(only_chars(r->kids[i], m), tail);
        if (tail->kind == Rx::Kind::Fail) break;
      }
      return rx_alt(std::move(alts));
    }
    case Rx::Kind::Repeat: {
      const RxPtr& x = r->kids.front();
      if (r->max == 1) return last_split_past(x, g, m);
      RxPtr part = last_split_past(x, g, m);
      if (!part) return nullptr;
      // x*, x+: the last x holding the character, any x before, x of m only after.
      if (r->min <= 1 && r->max < 0) return rx_cat({rx_repeat(x, 0, -1), part, rx_repeat(only_chars(x, m), 0, -1)});
      // Else spelled out: x{2,} is x x+, x{2,4} is x x x? x?.
      const int spelled = r->max < 0 ? r->min - 1 : r->max;
      if (spelled > kMaxSpelled) return nullptr;
      std::vector<RxPtr> seq(static_cast<std::size_t>(r->max < 0 ? r->min - 1 : r->min), x);
      if (r->max < 0) {
        seq.push_back(rx_repeat(x, 1, -1));
      } else {
        for (int i = r->min; i < r->max; ++i) seq.push_back(rx_repeat(x, 0, 1));
      }
      Rx spelled_out;
      spelled_out.kind = Rx::Kind::Cat;
      spelled_out.kids = std::move(seq);
      return last_split_past(std::make_shared<const Rx>(std::move(spelled_out)), g, m);
    }
  }
  return rx_fail();
}

// Brzozowski derivative (r has no assertions); used on strings of at most two characters.
RxPtr derive(const RxPtr& r, char32_t c) {
  switch (r->kind) {
    case Rx::Kind::Fail:
    case Rx::Kind::Eps:
    case Rx::Kind::Native:
      return rx_fail();
    case Rx::Kind::Set:
      return r->set.contains(c) ? rx_eps() : rx_fail();
    case Rx::Kind::Alt: {
      std::vector<RxPtr> alts;
      for (const RxPtr& k : r->kids) alts.push_back(derive(k, c));
      return rx_alt(std::move(alts));
    }
    case Rx::Kind::Cat: {
      const RxPtr rest = rx_cat(std::vector<RxPtr>(r->kids.begin() + 1, r->kids.end()));
      RxPtr d = rx_cat(derive(r->kids.front(), c), rest);
      if (r->kids.front()->nullable) d = rx_alt(d, derive(rest, c));
      return d;
    }
    case Rx::Kind::Repeat: {
      const RxPtr& x = r->kids.front();
      return rx_cat(derive(x, c), rx_repeat(x, std::max(r->min - 1, 0), r->max < 0 ? -1 : r->max - 1));
    }
  }
  return rx_fail();
}

bool rx_matches(RxPtr r, std::u32string_view s) {
  for (char32_t c : s) r = derive(r, c);
  return r->nullable;
}

// ---------------------------------------------------------------------------------------------
// Printing RE2 syntax

const CodeSet& surrogates() {
  static const CodeSet s = CodeSet::range(0xD800, 0xDFFF);
  return s;
}

bool printable_raw(char32_t c) {
  if (c < 0x80) return c >= 0x20 && c < 0x7F;
  if (c < 0xA0) return false;
  const int cat = category_of(c);
  const std::uint32_t visible = cat_bit(kUppercaseLetter) | cat_bit(kLowercaseLetter) | cat_bit(kTitlecaseLetter) |
                                cat_bit(kModifierLetter) | cat_bit(kOtherLetter) | cat_bit(kDecimalDigitNumber) |
                                cat_bit(kLetterNumber) | cat_bit(kOtherNumber) | cat_bit(kDashPunctuation) |
                                cat_bit(kStartPunctuation) | cat_bit(kEndPunctuation) | cat_bit(kConnectorPunctuation) |
                                cat_bit(kOtherPunctuation) | cat_bit(kMathSymbol) | cat_bit(kCurrencySymbol) |
                                cat_bit(kModifierSymbol) | cat_bit(kOtherSymbol) | cat_bit(kInitialQuotePunctuation) |
                                cat_bit(kFinalQuotePunctuation);
  return (visible & cat_bit(cat)) != 0;
}

void put_hex(std::string& out, char32_t c) {
  static const char* digits = "0123456789ABCDEF";
  std::string h;
  do {
    h.insert(h.begin(), digits[c & 0xF]);
    c >>= 4;
  } while (c);
  out += "\\x{";
  out += h;
  out += '}';
}

void put_char(std::string& out, char32_t c, bool in_class) {
  const std::string_view meta = in_class ? "\\]^-[" : "\\.+*?()|[]{}^$";
  static constexpr std::string_view controls = "\t\n\v\f\r", letters = "tnvfr";
  if (const auto i = controls.find(static_cast<char>(c)); c < 0x80 && i != std::string_view::npos) {
    out += '\\';
    out += letters[i];
  } else if (c < 0x80 && meta.find(static_cast<char>(c)) != std::string_view::npos) {
    out += '\\';
    out += static_cast<char>(c);
  } else if (printable_raw(c)) {
    append_utf8(out, c);
  } else {
    put_hex(out, c);
  }
}

void put_ranges(std::string& out, const CodeSet& s) {
  for (const CodeSet::Range& r : s.ranges()) {
    put_char(out, r.lo, true);
    if (r.hi > r.lo) {
      if (r.hi > r.lo + 1) out += '-';
      put_char(out, r.hi, true);
    }
  }
}

void put_set(std::string& out, const CodeSet& set) {
  const CodeSet s = set - surrogates();
  const CodeSet outside = (set | surrogates()).complement();
  if (s.empty()) {
    out += "[^\\x00-\\x{10FFFF}]";
  } else if (outside.empty()) {
    out += "(?s:.)";
  } else if (s.ranges().size() == 1 && s.ranges()[0].lo == s.ranges()[0].hi) {
    put_char(out, s.ranges()[0].lo, false);
  } else if (outside.ranges().size() < s.ranges().size()) {
    out += "[^";
    put_ranges(out, outside);
    out += ']';
  } else {
    out += '[';
    put_ranges(out, s);
    out += ']';
  }
}

class Printer {
 public:
  explicit Printer(std::size_t limit) : limit_(limit) {}

  std::string print(const RxPtr& r) {
    std::string out;
    emit(r, out, Prec::Alt);
    return out;
  }

 private:
  enum class Prec { Alt, Cat, Atom };
  static constexpr int kRe2MaxRepeat = 1000;  // RE2 rejects counts, and nested count products, above this

  void check(const std::string& out) const {
    if (out.size() > limit_) throw TooLarge{};
  }

  // Returns the product of nested counted repetitions inside r, which RE2 caps at 1000.
  int emit(const RxPtr& r, std::string& out, Prec ctx) {
    switch (r->kind) {
      case Rx::Kind::Fail:
        out += "[^\\x00-\\x{10FFFF}]";
        return 1;
      case Rx::Kind::Eps:
        out += "(?:)";
        return 1;
      case Rx::Kind::Native:
        out += r->native;
        return 1;
      case Rx::Kind::Set:
        put_set(out, r->set);
        check(out);
        return 1;
      case Rx::Kind::Cat:
      case Rx::Kind::Alt: {
        const bool alt = r->kind == Rx::Kind::Alt;
        const bool wrap = alt ? ctx != Prec::Alt : ctx == Prec::Atom;
        if (wrap) out += "(?:";
        int need = 1;
        for (std::size_t i = 0; i < r->kids.size(); ++i) {
          if (alt && i > 0) out += '|';
          need = std::max(need, emit(r->kids[i], out, alt ? Prec::Cat : Prec::Atom));
        }
        if (wrap) out += ')';
        check(out);
        return need;
      }
      case Rx::Kind::Repeat:
        return emit_repeat(*r, out, ctx);
    }
    return 1;
  }

  int emit_repeat(const Rx& r, std::string& out, Prec ctx) {
    std::string single;
    const int need = emit(r.kids.front(), single, Prec::Atom);
    // RE2 rejects a quantifier on a quantifier (a**); a group makes it one operand.
    const std::string body = r.kids.front()->kind == Rx::Kind::Repeat ? "(?:" + single + ")" : single;
    auto quantified = [&](int min, int max) {
      std::string s = body;
      if (min == 0 && max < 0) {
        s += '*';
      } else if (min == 1 && max < 0) {
        s += '+';
      } else if (min == 0 && max == 1) {
        s += '?';
      } else if (max < 0) {
        s += '{' + std::to_string(min) + ",}";
      } else if (min == max) {
        s += '{' + std::to_string(min) + '}';
      } else {
        s += '{' + std::to_string(min) + ',' + std::to_string(max) + '}';
      }
      return s;
    };
    auto counted = [](int min, int max) { return !((min <= 1 && max < 0) || (min == 0 && max == 1)); };
    const int count = r.max < 0 ? r.min : r.max;
    if (!counted(r.min, r.max) || (count <= kRe2MaxRepeat && static_cast<long long>(need) * count <= kRe2MaxRepeat)) {
      out += quantified(r.min, r.max);
      check(out);
      return counted(r.min, r.max) ? need * std::max(count, 1) : need;
    }
    // Too large for one RE2 repetition: spell it as a run of smaller ones, x{1500} = x{1000}x{500}.
    const int chunk = std::max(1, kRe2MaxRepeat / need);
    std::vector<std::string> pieces;
    auto push = [&](int min, int max) {
      if (max == 0) return;
      pieces.push_back(min == 1 && max == 1 ? single : quantified(min, max));
      if (pieces.size() * body.size() > limit_) throw TooLarge{};
    };
    for (int left = r.min; left > 0; left -= std::min(left, chunk)) push(std::min(left, chunk), std::min(left, chunk));
    if (r.max < 0) {
      push(0, -1);
    } else {
      for (int left = r.max - r.min; left > 0; left -= std::min(left, chunk)) push(0, std::min(left, chunk));
    }
    const bool wrap = ctx == Prec::Atom && pieces.size() > 1;
    if (wrap) out += "(?:";
    for (const std::string& p : pieces) {
      out += p;
      check(out);
    }
    if (wrap) out += ')';
    return need * std::min(chunk, std::max(count, 1));
  }

  std::size_t limit_;
};

// ---------------------------------------------------------------------------------------------
// The AST as an output regex, where no context is needed.

bool has_context(const Node& n) {
  if (n.kind == Node::Kind::Assert) return n.assertion != Assertion::Begin && n.assertion != Assertion::End;
  return std::any_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return has_context(*k); });
}

bool has_assertion(const Node& n) {
  if (n.kind == Node::Kind::Assert) return true;
  return std::any_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return has_assertion(*k); });
}

class Direct {
 public:
  RxPtr operator()(const Node& n) {
    auto it = memo_.find(&n);
    if (it != memo_.end()) return it->second;
    RxPtr r;
    switch (n.kind) {
      case Node::Kind::Empty: r = rx_eps(); break;
      case Node::Kind::Fail: r = rx_fail(); break;
      case Node::Kind::Set: r = rx_set(n.set); break;
      case Node::Kind::Assert: r = rx_native(n.assertion == Assertion::Begin ? "\\A" : "\\z"); break;
      case Node::Kind::Seq:
      case Node::Kind::Alt: {
        std::vector<RxPtr> kids;
        for (const NodePtr& k : n.kids) kids.push_back((*this)(*k));
        r = n.kind == Node::Kind::Seq ? rx_cat(std::move(kids)) : rx_alt(std::move(kids));
        break;
      }
      case Node::Kind::Repeat: r = rx_repeat((*this)(*n.kids.front()), n.min, n.max); break;
    }
    memo_.emplace(&n, r);
    return r;
  }

 private:
  std::map<const Node*, RxPtr> memo_;
};

// ---------------------------------------------------------------------------------------------
// Full-match simplifications: in Pattern.matches the match spans the whole input, so an
// assertion no character can follow stands at the end, and one no character can precede at
// the start.

bool zero_width(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Set: return false;
    case Node::Kind::Repeat: return zero_width(*n.kids.front());
    case Node::Kind::Seq:
    case Node::Kind::Alt:
      return std::all_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return zero_width(*k); });
    default: return true;
  }
}

bool can_be_empty(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Set:
    case Node::Kind::Fail: return false;
    case Node::Kind::Repeat: return n.min == 0 || can_be_empty(*n.kids.front());
    case Node::Kind::Seq:
      return std::all_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return can_be_empty(*k); });
    case Node::Kind::Alt:
      return std::any_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return can_be_empty(*k); });
    default: return true;
  }
}

NodePtr anchor_full(const NodePtr& n, bool head, bool tail) {
  switch (n->kind) {
    case Node::Kind::Assert:
      switch (n->assertion) {
        case Assertion::Begin: return head ? make_empty() : n;
        case Assertion::End:
        case Assertion::Dollar:
        case Assertion::DollarMultiline:
        case Assertion::UnixDollar:
        case Assertion::UnixDollarMultiline:
        case Assertion::NotBeforeLF:
        case Assertion::NotBefore:
          return tail ? make_empty() : n;
        case Assertion::Caret:
        case Assertion::UnixCaret:
          return tail ? make_fail() : n;  // Java's ^ never matches at the end of the input
        default:
          return n;
      }
    case Node::Kind::Seq: {
      // A kid is at the head if everything before it is zero-width, at the tail likewise.
      const std::size_t count = n->kids.size();
      std::vector<bool> at_head(count, head), at_tail(count, tail);
      for (std::size_t i = 1; i < count; ++i) at_head[i] = at_head[i - 1] && zero_width(*n->kids[i - 1]);
      for (std::size_t i = count - 1; i > 0; --i) at_tail[i - 1] = at_tail[i] && zero_width(*n->kids[i]);
      std::vector<NodePtr> kids;
      for (std::size_t i = 0; i < count; ++i) kids.push_back(anchor_full(n->kids[i], at_head[i], at_tail[i]));
      return make_seq(std::move(kids));
    }
    case Node::Kind::Alt: {
      std::vector<NodePtr> kids;
      for (const NodePtr& k : n->kids) kids.push_back(anchor_full(k, head, tail));
      return make_alt(std::move(kids));
    }
    case Node::Kind::Repeat: {
      const bool zw = zero_width(*n->kids.front());
      return make_repeat(anchor_full(n->kids.front(), head && zw, tail && zw), n->min, n->max);
    }
    default:
      return n;
  }
}

// ---------------------------------------------------------------------------------------------
// The context automaton.

// What is remembered about the last character consumed.
enum CtxBit : std::uint8_t {
  kAtStart = 1,      // nothing consumed yet
  kLeftWord = 2,     // a word character for \b
  kLeftWordU = 4,    // a word character for \b under UNICODE_CHARACTER_CLASS
  kLastCR = 8,
  kLastTerm = 16,    // any Java line terminator
  kLastLF = 32,
  kBased = 64,       // a BMP letter or digit, then BMP non-spacing marks: a mark next is a word character
};

// Rests of the input a non-multiline $ accepts.
enum DollarBit : std::uint8_t { kRestEmpty = 1, kRestLF = 2, kRestCR = 4, kRestCRLF = 8, kRestOther = 16 };

struct Pending {
  std::uint64_t allowed = ~std::uint64_t{0};  // classes the next character may come from
  bool end_ok = true;                          // or the input may end here
  bool dollar = false;                         // the rest of the input is constrained by a $
  std::uint8_t rest = 0;                       // DollarBit set, when `dollar`
  friend auto operator<=>(const Pending&, const Pending&) = default;
};

struct State {
  std::uint8_t ctx = 0;
  Pending pending;
  friend auto operator<=>(const State&, const State&) = default;
};

using Dist = std::map<int, RxPtr>;  // reachable state -> the strings that reach it

class Automaton {
 public:
  Automaton(const Node& root, std::size_t limit) : limit_(limit) {
    scan(root);
    // Java 17's Bound: a word character is '_' or Character.isLetterOrDigit (WORD under
    // UNICODE_CHARACTER_CLASS). Without UNICODE_CHARACTER_CLASS a non-spacing mark is one too when
    // hasBaseCharacter, stepping back one UTF-16 unit at a time over marks, reaches a letter or
    // digit: so only BMP letters and digits are bases, only BMP marks are stepped over, and a
    // supplementary mark before the position is never a word character (its low surrogate is
    // read). The context after a BMP mark is that of the character before it (kBased).
    const std::uint32_t letters = cat_bit(kUppercaseLetter) | cat_bit(kLowercaseLetter) | cat_bit(kTitlecaseLetter) |
                                  cat_bit(kModifierLetter) | cat_bit(kOtherLetter);
    const CodeSet bmp = CodeSet::range(0, 0xFFFF);
    CodeSet word_n, based, marks, word_u;
    std::vector<CodeSet> splitters;
    if (used_ & kLeftWord) {
      const CodeSet letters_digits = category_set(letters | cat_bit(kDecimalDigitNumber));
      word_n = letters_digits | CodeSet::of('_');
      based = letters_digits & bmp;
      marks = category_set(cat_bit(kNonSpacingMark));
      bmp_marks_ = marks & bmp;
      splitters.insert(splitters.end(), {word_n, based, marks, bmp_marks_});
    }
    if (used_ & kLeftWordU) {
      word_u = java_word_set();
      splitters.push_back(word_u);
    }
    if (lines_) {
      splitters.push_back(CodeSet::of('\n'));
      splitters.push_back(CodeSet::of('\r'));
      splitters.push_back(CodeSet::of(0x85) | CodeSet::range(0x2028, 0x2029));
    } else if (lf_) {
      splitters.push_back(CodeSet::of('\n'));
    }
    splitters.insert(splitters.end(), not_before_.begin(), not_before_.end());
    classes_.push_back(CodeSet::all());
    for (const CodeSet& d : splitters) {
      std::vector<CodeSet> next;
      for (const CodeSet& c : classes_) {
        CodeSet in = c & d, out = c - d;
        if (!in.empty()) next.push_back(std::move(in));
        if (!out.empty()) next.push_back(std::move(out));
      }
      classes_ = std::move(next);
    }
    for (std::size_t k = 0; k < classes_.size(); ++k) {
      const CodeSet& c = classes_[k];
      std::uint8_t f = 0;
      if ((used_ & kLeftWord) && c.subset_of(word_n)) f |= kLeftWord;
      if ((used_ & kLeftWord) && c.subset_of(based)) f |= kBased;
      word_class_.push_back((used_ & kLeftWord) && c.subset_of(word_n));
      mark_class_.push_back((used_ & kLeftWord) && c.subset_of(marks));
      bmp_mark_class_.push_back((used_ & kLeftWord) && c.subset_of(bmp_marks_));
      if (bmp_mark_class_.back()) {
        ++mark_class_count_;
        mark_class_index_ = k;
      }
      if ((used_ & kLeftWord) && c.subset_of(based)) based_chars_ = based_chars_ | c;
      if ((used_ & kLeftWordU) && c.subset_of(word_u)) f |= kLeftWordU;
      if (c == CodeSet::of('\r')) {
        f |= kLastCR | kLastTerm;
        cr_ = static_cast<int>(k);
      }
      if (c == CodeSet::of('\n')) {
        f |= kLastLF | kLastTerm;
        lf_class_ = static_cast<int>(k);
      }
      if (c.contains(0x2028) && c.subset_of(CodeSet::of(0x85) | CodeSet::range(0x2028, 0x2029))) {
        f |= kLastTerm;
        other_term_ = static_cast<int>(k);
      }
      class_ctx_.push_back(static_cast<std::uint8_t>(f & used_));
    }
    if (classes_.size() > 64) throw TooLarge{};  // Pending::allowed has a bit per class
    all_classes_ = classes_.size() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << classes_.size()) - 1;
  }

  int init() { return id(State{static_cast<std::uint8_t>(kAtStart & used_), Pending{}}); }

  bool accepting(int s) const {
    const Pending& p = states_[static_cast<std::size_t>(s)].pending;
    return p.dollar ? (p.rest & kRestEmpty) != 0 : p.end_ok;
  }

  // Strings that take the automaton from `s` through node `n`, by state reached. `live`: some
  // assertion after n may read what n leaves in the context; if not, n's characters need no
  // splitting by class.
  const Dist& transfer(const Node& n, int s, bool live) {
    const auto key = std::make_tuple(&n, s, live);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    Dist d = compute(n, s, live);
    if (!live) d = forget_context(d);
    return memo_.emplace(key, std::move(d)).first->second;
  }

  Dist fold(const Dist& from, const Node& n, bool live) {
    Dist out;
    for (const auto& [s, label] : from) {
      for (const auto& [t, l2] : transfer(n, s, live)) add(out, t, rx_cat(label, l2));
    }
    return out;
  }

  // Matcher.find: the match may start anywhere, so for each context the text before it can
  // leave, the shortest text that leaves it (PartialMatch supplies the rest): the start of the
  // input, or one character.
  Dist starts() {
    Dist out;
    add(out, init(), rx_native("\\A"));
    std::map<int, CodeSet> single;
    CodeSet based_chars, other_chars;
    for (std::size_t k = 0; k < classes_.size(); ++k) {
      if (bmp_mark_class_[k]) continue;
      const int t = id(State{class_ctx_[k], Pending{}});
      single[t] = single[t] | classes_[k];
      CodeSet& to = (class_ctx_[k] & kBased) ? based_chars : other_chars;
      to = to | classes_[k];
    }
    for (const auto& [t, chars] : single) add(out, t, rx_set(chars));
    // After BMP marks the context is that of the character before them (the start: no base).
    const RxPtr more_marks = rx_repeat(rx_set(bmp_marks_), 0, -1);
    for (std::size_t k = 0; k < classes_.size(); ++k) {
      if (!bmp_mark_class_[k]) continue;
      const RxPtr last = rx_set(classes_[k]);
      add(out, id(State{static_cast<std::uint8_t>(class_ctx_[k] | kLeftWord | kBased), Pending{}}),
          rx_cat({rx_set(based_chars), more_marks, last}));
      add(out, id(State{class_ctx_[k], Pending{}}),
          rx_cat({rx_alt(rx_native("\\A"), rx_set(other_chars)), more_marks, last}));
    }
    return out;
  }

  // Whether n can start with a BMP mark whose context (that of the character before it) an
  // assertion reads: then a match found mid-text depends on the text before it.
  bool may_start_with_mark(const Node& n) {
    return (used_ & kBased) && first_split(direct_(n), bmp_marks_)->kind != Rx::Kind::Fail;
  }

  // What the rest of the input must look like after a match ending in state s (find mode).
  RxPtr rest(int s) const {
    const Pending& p = states_[static_cast<std::size_t>(s)].pending;
    const RxPtr end = rx_native("\\z");
    if (p.dollar) {
      std::vector<RxPtr> alts;
      if (p.rest & kRestEmpty) alts.push_back(end);
      if (p.rest & kRestLF) alts.push_back(rx_cat({rx_set(CodeSet::of('\n')), end}));
      if (p.rest & kRestCR) alts.push_back(rx_cat({rx_set(CodeSet::of('\r')), end}));
      if (p.rest & kRestCRLF) alts.push_back(rx_cat({rx_set(CodeSet::of('\r')), rx_set(CodeSet::of('\n')), end}));
      if (p.rest & kRestOther) alts.push_back(rx_cat(rx_set(CodeSet::of(0x85) | CodeSet::range(0x2028, 0x2029)), end));
      return rx_alt(std::move(alts));
    }
    const CodeSet next = allowed_chars(p);
    if (next.is_all() && p.end_ok) return rx_eps();
    return p.end_ok ? rx_alt(rx_set(next), end) : rx_set(next);
  }

 private:
  void scan(const Node& n) {
    if (n.kind == Node::Kind::Assert) {
      switch (n.assertion) {
        case Assertion::WordBoundary:
        case Assertion::NotWordBoundary: used_ |= kLeftWord | kBased; break;
        case Assertion::WordBoundaryU:
        case Assertion::NotWordBoundaryU: used_ |= kLeftWordU; break;
        case Assertion::Caret: used_ |= kAtStart | kLastTerm | kLastCR; lines_ = true; break;
        case Assertion::UnixCaret: used_ |= kAtStart | kLastLF; lf_ = true; break;
        case Assertion::Dollar:
        case Assertion::DollarMultiline: used_ |= kLastCR; lines_ = true; break;
        case Assertion::UnixDollar:
        case Assertion::UnixDollarMultiline:
        case Assertion::NotBeforeLF: lf_ = true; break;
        case Assertion::NotBefore:
          if (std::find(not_before_.begin(), not_before_.end(), n.set) == not_before_.end()) {
            not_before_.push_back(n.set);
          }
          break;
        default: break;
      }
    }
    for (const NodePtr& k : n.kids) scan(*k);
  }

  int id(const State& st) {
    if (auto it = ids_.find(st); it != ids_.end()) return it->second;
    const int i = static_cast<int>(states_.size());
    states_.push_back(st);
    ids_.emplace(st, i);
    return i;
  }

  std::uint64_t bit(int k) const { return k < 0 ? 0 : std::uint64_t{1} << k; }

  // Bound's right-hand side: the next character, of class k, after context ctx, is a word character.
  bool right_word(std::size_t k, bool unicode, std::uint8_t ctx) const {
    if (unicode) return (class_ctx_[k] & kLeftWordU) != 0;
    return word_class_[k] || (mark_class_[k] && (ctx & kBased));
  }

  // The context after a character of class k, in context ctx.
  std::uint8_t next_ctx(std::uint8_t ctx, std::size_t k) const {
    std::uint8_t c = class_ctx_[k];
    if (bmp_mark_class_[k] && (ctx & kBased)) c |= kLeftWord | kBased;
    return c;
  }

  // Whether the context after n depends on more than its last character (it can end in a BMP
  // mark, after which the context is that of the character before) in a way plain() cannot
  // split: then n is walked character by character.
  bool needs_walk(const Node& n) {
    if (!(used_ & kBased)) return false;
    auto it = walks_.find(&n);
    if (it == walks_.end()) {
      const RxPtr y = direct_(n);
      const bool walk = last_chars(*y).intersects(bmp_marks_) &&
                        (mark_class_count_ != 1 || !last_split_past(y, CodeSet::all() - bmp_marks_, bmp_marks_));
      it = walks_.emplace(&n, walk).first;
    }
    return it->second;
  }

  Dist forget_context(const Dist& d) {
    Dist out;
    for (const auto& [s, l] : d) {
      State st = states_[static_cast<std::size_t>(s)];
      st.ctx = 0;
      add(out, id(st), l);
    }
    return out;
  }

  // Folds plain next-character constraints into a $ constraint; false when nothing can follow.
  bool normalize(Pending& p) const {
    if (p.dollar) {
      if (!p.end_ok) p.rest &= static_cast<std::uint8_t>(~kRestEmpty);
      if (!(p.allowed & bit(lf_class_))) p.rest &= static_cast<std::uint8_t>(~kRestLF);
      if (!(p.allowed & bit(cr_))) p.rest &= static_cast<std::uint8_t>(~(kRestCR | kRestCRLF));
      if (!(p.allowed & bit(other_term_))) p.rest &= static_cast<std::uint8_t>(~kRestOther);
      p.allowed = ~std::uint64_t{0};
      p.end_ok = true;
      return p.rest != 0;
    }
    p.allowed &= all_classes_;
    if (p.allowed == all_classes_) p.allowed = ~std::uint64_t{0};
    return p.allowed != 0 || p.end_ok;
  }

  std::optional<Pending> consume(const Pending& p, int k) const {
    if (p.dollar) {
      std::uint8_t rest = 0;
      if (k == cr_) {
        if (p.rest & kRestCR) rest |= kRestEmpty;
        if (p.rest & kRestCRLF) rest |= kRestLF;
      } else if (k == lf_class_) {
        if (p.rest & kRestLF) rest |= kRestEmpty;
      } else if (k == other_term_) {
        if (p.rest & kRestOther) rest |= kRestEmpty;
      }
      if (!rest) return std::nullopt;
      Pending q;
      q.dollar = true;
      q.rest = rest;
      return q;
    }
    if (!(p.allowed & bit(k))) return std::nullopt;
    return Pending{};
  }

  std::optional<State> assert_at(const State& st, const Node& n) const {
    const Assertion a = n.assertion;
    Pending req;
    const std::uint8_t ctx = st.ctx;
    switch (a) {
      case Assertion::WordBoundary:
      case Assertion::NotWordBoundary:
      case Assertion::WordBoundaryU:
      case Assertion::NotWordBoundaryU: {
        const bool unicode = a == Assertion::WordBoundaryU || a == Assertion::NotWordBoundaryU;
        const bool boundary = a == Assertion::WordBoundary || a == Assertion::WordBoundaryU;
        const bool left = (ctx & (unicode ? kLeftWordU : kLeftWord)) != 0;
        // \b: the next character's wordness differs from the last one's (the end is not a word).
        req.allowed = 0;
        for (std::size_t k = 0; k < classes_.size(); ++k) {
          if (right_word(k, unicode, ctx) == (boundary ? !left : left)) req.allowed |= std::uint64_t{1} << k;
        }
        req.end_ok = boundary ? left : !left;
        break;
      }
      case Assertion::Caret:
        if (!(ctx & (kAtStart | kLastTerm))) return std::nullopt;
        req.allowed = (ctx & kLastCR) ? ~bit(lf_class_) : ~std::uint64_t{0};
        req.end_ok = false;
        break;
      case Assertion::UnixCaret:
        if (!(ctx & (kAtStart | kLastLF))) return std::nullopt;
        req.end_ok = false;
        break;
      case Assertion::Dollar:
        req.dollar = true;
        req.rest = kRestEmpty | kRestCR | kRestCRLF | kRestOther | ((ctx & kLastCR) ? 0 : kRestLF);
        break;
      case Assertion::DollarMultiline:
        req.allowed = bit(cr_) | bit(other_term_) | ((ctx & kLastCR) ? 0 : bit(lf_class_));
        break;
      case Assertion::UnixDollar:
        req.dollar = true;
        req.rest = kRestEmpty | kRestLF;
        break;
      case Assertion::UnixDollarMultiline:
        req.allowed = bit(lf_class_);
        break;
      case Assertion::NotBeforeLF:
        req.allowed = ~bit(lf_class_);
        break;
      case Assertion::NotBefore:
        // The classes are split by n.set (a splitter): each is inside it or outside.
        req.allowed = 0;
        for (std::size_t k = 0; k < classes_.size(); ++k) {
          if (!classes_[k].intersects(n.set)) req.allowed |= bit(static_cast<int>(k));
        }
        break;
      case Assertion::Begin:
      case Assertion::End:
        return st;
    }
    Pending p = st.pending;
    p.allowed &= req.allowed;
    p.end_ok = p.end_ok && req.end_ok;
    if (req.dollar) {
      p.rest = p.dollar ? static_cast<std::uint8_t>(p.rest & req.rest) : req.rest;
      p.dollar = true;
    }
    if (!normalize(p)) return std::nullopt;
    return State{ctx, p};
  }

  void add(Dist& d, int s, const RxPtr& label) {
    if (label->kind == Rx::Kind::Fail) return;
    auto [it, fresh] = d.emplace(s, label);
    if (!fresh) it->second = rx_alt(it->second, label);
    if (it->second->weight > limit_) throw TooLarge{};
  }

  bool asserts(const Node& n) {
    if (auto it = asserts_.find(&n); it != asserts_.end()) return it->second;
    return asserts_.emplace(&n, has_assertion(n)).first->second;
  }

  // Consecutive kids of a sequence without assertions, as one node: only its ends meet the context.
  const Node& run(const Node& seq, std::size_t from, std::size_t to) {
    auto& node = runs_[std::make_tuple(&seq, from, to)];
    if (!node) {
      node = make_seq(std::vector<NodePtr>(seq.kids.begin() + static_cast<std::ptrdiff_t>(from),
                                           seq.kids.begin() + static_cast<std::ptrdiff_t>(to)));
    }
    return *node;
  }

  Dist compute(const Node& n, int s, bool live) {
    Dist out;
    const State st = states_[static_cast<std::size_t>(s)];
    if ((n.kind == Node::Kind::Seq || n.kind == Node::Kind::Alt || n.kind == Node::Kind::Repeat) && !asserts(n) &&
        !(live && needs_walk(n))) {
      return plain(n, s, live);
    }
    switch (n.kind) {
      case Node::Kind::Empty:
        add(out, s, rx_eps());
        break;
      case Node::Kind::Fail:
        break;
      case Node::Kind::Assert:
        if (n.assertion == Assertion::Begin || n.assertion == Assertion::End) {
          add(out, s, rx_native(n.assertion == Assertion::Begin ? "\\A" : "\\z"));
        } else if (auto t = assert_at(st, n)) {
          add(out, id(*t), rx_eps());
        }
        break;
      case Node::Kind::Set:
        for (std::size_t k = 0; k < classes_.size(); ++k) {
          CodeSet part = n.set & classes_[k];
          if (part.empty()) continue;
          auto p = consume(st.pending, static_cast<int>(k));
          if (!p) continue;
          add(out, id(State{live ? next_ctx(st.ctx, k) : std::uint8_t{0}, *p}), rx_set(std::move(part)));
        }
        break;
      case Node::Kind::Seq: {
        // A kid's context is read if an assertion follows it, here or after this sequence.
        std::vector<bool> read_after(n.kids.size(), live);
        for (std::size_t i = n.kids.size() - 1; i > 0; --i) read_after[i - 1] = read_after[i] || has_context(*n.kids[i]);
        Dist cur{{s, rx_eps()}};
        for (std::size_t i = 0; i < n.kids.size();) {
          std::size_t j = i;
          while (j < n.kids.size() && !asserts(*n.kids[j])) ++j;
          if (j - i >= 2 && !(read_after[j - 1] && needs_walk(run(n, i, j)))) {
            cur = fold(cur, run(n, i, j), read_after[j - 1]);
            i = j;
          } else {
            cur = fold(cur, *n.kids[i], read_after[i]);
            ++i;
          }
        }
        out = std::move(cur);
        break;
      }
      case Node::Kind::Alt:
        for (const NodePtr& k : n.kids) {
          for (const auto& [t, l] : transfer(*k, s, live)) add(out, t, l);
        }
        break;
      case Node::Kind::Repeat:
        out = repeat(n, s, live);
        break;
    }
    return out;
  }

  // A subpattern without assertions: only its first and last characters meet the context.
  Dist plain(const Node& n, int s, bool live) {
    const State st = states_[static_cast<std::size_t>(s)];
    Dist out;
    const RxPtr y = direct_(n);
    if (y->nullable) add(out, s, rx_eps());
    if (st.pending.dollar) {
      // At most two more characters may follow a $: try each.
      auto after = [&](std::u32string_view w) -> std::optional<State> {
        Pending p = st.pending;
        std::uint8_t ctx = st.ctx;
        for (char32_t c : w) {
          const int k = class_of(c);
          auto q = consume(p, k);
          if (!q) return std::nullopt;
          p = *q;
          ctx = next_ctx(ctx, static_cast<std::size_t>(k));
        }
        return State{ctx, p};
      };
      for (std::u32string_view w : {std::u32string_view(U"\r"), std::u32string_view(U"\r\n"), std::u32string_view(U"\n")}) {
        if (auto t = after(w); t && rx_matches(y, w)) {
          std::vector<RxPtr> chars;
          for (char32_t c : w) chars.push_back(rx_set(CodeSet::of(c)));
          add(out, id(*t), rx_cat(std::move(chars)));
        }
      }
      CodeSet others;
      for (char32_t c : {char32_t{0x85}, char32_t{0x2028}, char32_t{0x2029}}) {
        const char32_t w[1] = {c};
        if (after(std::u32string_view(w, 1)) && rx_matches(y, std::u32string_view(w, 1))) others.add(c);
      }
      if (!others.empty()) {
        const char32_t w[1] = {others.ranges().front().lo};
        add(out, id(*after(std::u32string_view(w, 1))), rx_set(others));
      }
      return out;
    }
    const CodeSet first = allowed_chars(st.pending);
    std::map<std::uint8_t, CodeSet> by_ctx;
    const CodeSet ends = last_chars(*y);
    if (live && (used_ & kBased) && ends.intersects(bmp_marks_)) {
      // The context after trailing BMP marks is that of the last character before them, or of
      // the context before n when n's string is marks only.
      const RxPtr from_here = first.is_all() ? y : first_split(y, first);
      for (std::size_t k = 0; k < classes_.size(); ++k) {
        if (bmp_mark_class_[k] || !classes_[k].intersects(ends)) continue;
        by_ctx[class_ctx_[k]] = by_ctx[class_ctx_[k]] | classes_[k];
      }
      for (const auto& [ctx, chars] : by_ctx) add(out, id(State{ctx, Pending{}}), last_split(from_here, chars));
      const RxPtr marked = last_split(from_here, bmp_marks_);
      const std::size_t m = mark_class_index_;
      add(out, id(State{static_cast<std::uint8_t>(class_ctx_[m] | kLeftWord | kBased), Pending{}}),
          last_split_past(marked, based_chars_, bmp_marks_));
      add(out, id(State{class_ctx_[m], Pending{}}),
          last_split_past(marked, CodeSet::all() - based_chars_ - bmp_marks_, bmp_marks_));
      add(out, id(State{next_ctx(st.ctx, m), Pending{}}), only_chars(marked, bmp_marks_));
      return out;
    }
    for (std::size_t k = 0; k < classes_.size(); ++k) {
      if (!classes_[k].intersects(ends)) continue;
      const std::uint8_t c = live ? class_ctx_[k] : std::uint8_t{0};
      by_ctx[c] = by_ctx[c] | classes_[k];
    }
    if (by_ctx.size() <= 1) {
      const int t = id(State{by_ctx.empty() ? std::uint8_t{0} : by_ctx.begin()->first, Pending{}});
      if (t == s && first.is_all()) {
        out.clear();
        add(out, s, y);  // the common case: the context does not see this subpattern at all
      } else {
        add(out, t, y->nullable || !first.is_all() ? first_split(y, first) : y);
      }
      return out;
    }
    // The non-empty strings allowed to start here (last_split drops the empty string itself).
    const RxPtr from_here = first.is_all() ? y : first_split(y, first);
    for (const auto& [ctx, chars] : by_ctx) add(out, id(State{ctx, Pending{}}), last_split(from_here, chars));
    return out;
  }

  Dist repeat(const Node& n, int s, bool live) {
    const Node& body = *n.kids.front();
    // Another repetition may read what this one leaves.
    const bool inner = live || has_context(body);
    // Once the repetitions reach a state the body only loops on, the rest is a plain count.
    auto loop_on = [&](const Dist& d) -> RxPtr {
      if (d.size() != 1) return nullptr;
      const Dist& step = transfer(body, d.begin()->first, inner);
      return step.size() == 1 && step.begin()->first == d.begin()->first ? step.begin()->second : nullptr;
    };
    Dist cur{{s, rx_eps()}};
    for (int i = 0; i < n.min; ++i) {
      if (RxPtr l = loop_on(cur)) {
        const int t = cur.begin()->first;
        const RxPtr done = rx_cat(cur.begin()->second, rx_repeat(l, n.min - i, n.max < 0 ? -1 : n.max - i));
        return Dist{{t, done}};
      }
      cur = fold(cur, body, inner);
    }
    if (n.max < 0) return closure(cur, body, inner);
    Dist total = cur, front = cur;
    for (int i = n.min; i < n.max && !front.empty(); ++i) {
      if (RxPtr l = loop_on(front)) {
        add(total, front.begin()->first, rx_cat(front.begin()->second, rx_repeat(l, 1, n.max - i)));
        break;
      }
      front = fold(front, body, inner);
      for (const auto& [t, l] : front) add(total, t, l);
    }
    return total;
  }

  // Any number of repetitions of `body` after `from` (Kleene's construction).
  Dist closure(const Dist& from, const Node& body, bool live) {
    std::vector<int> nodes;
    std::map<int, std::size_t> index;
    for (const auto& [s, l] : from) {
      if (index.emplace(s, nodes.size()).second) nodes.push_back(s);
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      for (const auto& [t, l] : transfer(body, nodes[i], live)) {
        if (index.emplace(t, nodes.size()).second) nodes.push_back(t);
      }
    }
    const std::size_t count = nodes.size();
    std::vector<std::vector<RxPtr>> r(count, std::vector<RxPtr>(count, rx_fail()));
    for (std::size_t i = 0; i < count; ++i) {
      for (const auto& [t, l] : transfer(body, nodes[i], live)) {
        RxPtr label = l;
        if (index[t] == i) label = without_eps(label);  // (e|x)* is x*
        r[i][index[t]] = rx_alt(r[i][index[t]], label);
      }
    }
    for (std::size_t k = 0; k < count; ++k) {
      const RxPtr loop = rx_repeat(r[k][k], 0, -1);
      std::vector<std::vector<RxPtr>> next = r;
      for (std::size_t i = 0; i < count; ++i) {
        if (r[i][k]->kind == Rx::Kind::Fail) continue;
        for (std::size_t j = 0; j < count; ++j) {
          if (r[k][j]->kind == Rx::Kind::Fail) continue;
          next[i][j] = rx_alt(next[i][j], rx_cat({r[i][k], loop, r[k][j]}));
          if (next[i][j]->weight > limit_) throw TooLarge{};
        }
      }
      r = std::move(next);
    }
    Dist out;
    for (const auto& [s, l] : from) {
      const std::size_t i = index[s];
      for (std::size_t j = 0; j < count; ++j) {
        RxPtr paths = r[i][j];
        if (i == j) paths = rx_alt(rx_eps(), paths);
        add(out, nodes[j], rx_cat(l, paths));
      }
    }
    return out;
  }

  static RxPtr without_eps(const RxPtr& r) {
    if (r->kind == Rx::Kind::Eps) return rx_fail();
    if (r->kind != Rx::Kind::Alt) return r;
    std::vector<RxPtr> kids;
    for (const RxPtr& k : r->kids) {
      if (k->kind != Rx::Kind::Eps) kids.push_back(k);
    }
    return rx_alt(std::move(kids));
  }

  CodeSet allowed_chars(const Pending& p) const {
    if (p.allowed == ~std::uint64_t{0}) return CodeSet::all();
    CodeSet chars;
    for (std::size_t k = 0; k < classes_.size(); ++k) {
      if (p.allowed & (std::uint64_t{1} << k)) chars = chars | classes_[k];
    }
    return chars;
  }

  // Characters some string of r can end with (a superset).
  static CodeSet last_chars(const Rx& r) {
    switch (r.kind) {
      case Rx::Kind::Set: return r.set;
      case Rx::Kind::Repeat: return last_chars(*r.kids.front());
      case Rx::Kind::Alt: {
        CodeSet c;
        for (const RxPtr& k : r.kids) c = c | last_chars(*k);
        return c;
      }
      case Rx::Kind::Cat: {
        CodeSet c;
        for (std::size_t i = r.kids.size(); i-- > 0;) {
          c = c | last_chars(*r.kids[i]);
          if (!r.kids[i]->nullable) break;
        }
        return c;
      }
      default: return {};
    }
  }

  int class_of(char32_t c) const {
    for (std::size_t k = 0; k < classes_.size(); ++k) {
      if (classes_[k].contains(c)) return static_cast<int>(k);
    }
    return -1;
  }

  std::size_t limit_;
  std::uint8_t used_ = 0;
  bool lines_ = false;
  bool lf_ = false;
  std::vector<CodeSet> not_before_;  // the sets of NotBefore assertions
  std::vector<CodeSet> classes_;
  std::vector<std::uint8_t> class_ctx_;  // the context a character of each class leaves (but see next_ctx)
  std::vector<bool> word_class_;          // \b's word characters, marks aside
  std::vector<bool> mark_class_;          // non-spacing marks (word characters after a base)
  std::vector<bool> bmp_mark_class_;      // BMP non-spacing marks (the context passes through)
  CodeSet bmp_marks_;
  CodeSet based_chars_;              // the characters that leave kBased
  std::size_t mark_class_count_ = 0;  // classes of BMP marks (one: they all leave the same context)
  std::size_t mark_class_index_ = 0;
  std::map<const Node*, bool> walks_;
  std::uint64_t all_classes_ = 0;
  int cr_ = -1, lf_class_ = -1, other_term_ = -1;
  std::vector<State> states_;
  std::map<State, int> ids_;
  std::map<std::tuple<const Node*, int, bool>, Dist> memo_;
  std::map<const Node*, bool> asserts_;
  std::map<std::tuple<const Node*, std::size_t, std::size_t>, NodePtr> runs_;
  Direct direct_;
};

// Matcher.find only asks whether some match exists, and a match of N X (or X N) contains one of
// X, where X's assertions see the same text; when N can match nothing anywhere, the converse
// holds too. So leading and trailing parts like .* go.
NodePtr find_core(const NodePtr& root) {
  if (root->kind != Node::Kind::Seq) return root;
  auto droppable = [](const NodePtr& k) { return !has_assertion(*k) && can_be_empty(*k); };
  auto b = root->kids.begin(), e = root->kids.end();
  while (b != e && droppable(*b)) ++b;
  while (e != b && droppable(*(e - 1))) --e;
  return make_seq(std::vector<NodePtr>(b, e));
}

// Whether some assertion of n can read the context n starts in, before n consumes anything.
bool reads_start(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Assert: return n.assertion != Assertion::Begin && n.assertion != Assertion::End;
    case Node::Kind::Seq:
      for (const NodePtr& k : n.kids) {
        if (reads_start(*k)) return true;
        if (!can_be_empty(*k)) return false;
      }
      return false;
    case Node::Kind::Alt:
      return std::any_of(n.kids.begin(), n.kids.end(), [](const NodePtr& k) { return reads_start(*k); });
    case Node::Kind::Repeat: return reads_start(*n.kids.front());
    default: return false;
  }
}

Problem too_large(const EmitLimits& limits) {
  return Problem{code::regex_too_large,
                 "the RE2 translation of this pattern would be larger than the memory budget (max_memory_bytes = " +
                     std::to_string(limits.max_output_bytes) + ")",
                 0, 0};
}

// The strings n matches from the start of the input to its end, context and all.
RxPtr whole_match(const Node& n, std::size_t limit) {
  Automaton a(n, limit);
  std::vector<RxPtr> alts;
  for (const auto& [s, l] : a.transfer(n, a.init(), false)) {
    if (a.accepting(s)) alts.push_back(l);
  }
  return rx_alt(std::move(alts));
}

}  // namespace

std::variant<Translation, Problem> emit_re2(const NodePtr& root, const EmitLimits& limits) {
  const std::size_t limit = limits.max_output_bytes;
  try {
    Translation t;
    Printer printer(limit);
    const NodePtr full = anchor_full(root, true, true);
    if (!has_context(*full)) {
      Direct direct;
      t.full = printer.print(direct(*full));
    } else {
      t.full = printer.print(whole_match(*full, limit));
    }
    const NodePtr core = find_core(root);
    if (!has_context(*core)) {
      Direct direct;
      t.find = printer.print(direct(*core));
    } else {
      Automaton a(*core, limit);
      const Dist before = reads_start(*core) || a.may_start_with_mark(*core) ? a.starts() : Dist{{a.init(), rx_eps()}};
      std::vector<RxPtr> alts;
      for (const auto& [s, l] : a.fold(before, *core, false)) alts.push_back(rx_cat(l, a.rest(s)));
      t.find = printer.print(rx_alt(std::move(alts)));
    }
    t.find_is_full = false;
    return t;
  } catch (const TooLarge&) {
    return too_large(limits);
  }
}

std::variant<Translation, Problem> emit_re2_marked(const NodePtr& root, const EmitLimits& limits) {
  const std::size_t limit = limits.max_output_bytes;
  const auto marked = marked_pattern(anchor_full(root, true, true), find_core(root));
  if (!marked) return Problem{code::regex_too_large, "this pattern's assertions cannot be read from position markers", 0, 0};
  try {
    Printer printer(limit);
    Translation t;
    t.full = printer.print(whole_match(*marked->full, limit));
    t.find = printer.print(whole_match(*marked->find, limit));
    t.find_is_full = true;
    t.marked = true;
    t.markers = marked->layout;
    return t;
  } catch (const TooLarge&) {
    return too_large(limits);
  }
}

}  // namespace ecsq::detail::jre
