// Code point sets and Java 17's Unicode data, decoded once from java_regex_unicode_data.cpp.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <unordered_map>

#include "regex/java_regex.hpp"

namespace ecsq::detail::jre {

// ---------------------------------------------------------------------------------------------
// CodeSet

CodeSet CodeSet::range(char32_t lo, char32_t hi) {
  CodeSet s;
  if (lo <= hi) s.ranges_.push_back({lo, std::min(hi, kMaxCodePoint)});
  return s;
}

CodeSet CodeSet::from_ranges(std::vector<Range> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  CodeSet s;
  for (const Range& r : ranges) {
    if (r.lo > r.hi) continue;
    if (!s.ranges_.empty() && r.lo <= s.ranges_.back().hi + 1) {
      s.ranges_.back().hi = std::max(s.ranges_.back().hi, r.hi);
    } else {
      s.ranges_.push_back(r);
    }
  }
  return s;
}

void CodeSet::add(char32_t lo, char32_t hi) {
  if (lo > hi) return;
  // Appending in order is the common case (table decoding, class parsing).
  if (ranges_.empty() || lo > ranges_.back().hi + 1) {
    ranges_.push_back({lo, hi});
    return;
  }
  if (lo >= ranges_.back().lo) {
    ranges_.back().hi = std::max(ranges_.back().hi, hi);
    return;
  }
  *this = *this | range(lo, hi);
}

CodeSet CodeSet::operator|(const CodeSet& other) const {
  std::vector<Range> all = ranges_;
  all.insert(all.end(), other.ranges_.begin(), other.ranges_.end());
  return from_ranges(std::move(all));
}

CodeSet CodeSet::operator&(const CodeSet& other) const {
  CodeSet s;
  std::size_t i = 0, j = 0;
  while (i < ranges_.size() && j < other.ranges_.size()) {
    const Range& a = ranges_[i];
    const Range& b = other.ranges_[j];
    const char32_t lo = std::max(a.lo, b.lo), hi = std::min(a.hi, b.hi);
    if (lo <= hi) s.ranges_.push_back({lo, hi});
    if (a.hi < b.hi) ++i; else ++j;
  }
  return s;
}

CodeSet CodeSet::complement() const {
  CodeSet s;
  char32_t next = 0;
  for (const Range& r : ranges_) {
    if (r.lo > next) s.ranges_.push_back({next, r.lo - 1});
    next = r.hi + 1;
  }
  if (next <= kMaxCodePoint) s.ranges_.push_back({next, kMaxCodePoint});
  return s;
}

CodeSet CodeSet::operator-(const CodeSet& other) const { return *this & other.complement(); }

bool CodeSet::contains(char32_t c) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), c, [](char32_t v, const Range& r) { return v < r.lo; });
  return it != ranges_.begin() && std::prev(it)->hi >= c;
}

std::size_t CodeSet::size() const {
  std::size_t n = 0;
  for (const Range& r : ranges_) n += r.hi - r.lo + 1;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Decoded tables

namespace {

struct Run {
  char32_t lo;
  char32_t hi;
  int value;
};

std::vector<Run> decode_runs(const std::int32_t* v, std::size_t n) {
  std::vector<Run> runs;
  char32_t next = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    const auto len = static_cast<char32_t>(v[i]);
    runs.push_back({next, next + len - 1, v[i + 1]});
    next += len;
  }
  return runs;
}

CodeSet decode_ranges(const std::int32_t* v, std::size_t n) {
  CodeSet s;
  char32_t next = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    const char32_t lo = next + static_cast<char32_t>(v[i]);
    const char32_t hi = lo + static_cast<char32_t>(v[i + 1]) - 1;
    s.add(lo, hi);
    next = hi + 1;
  }
  return s;
}

std::vector<std::pair<char32_t, char32_t>> decode_mapping(const std::int32_t* v, std::size_t n) {
  std::vector<std::pair<char32_t, char32_t>> m;
  std::int64_t cp = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    cp += v[i];
    m.emplace_back(static_cast<char32_t>(cp), static_cast<char32_t>(cp + v[i + 1]));
  }
  return m;
}

CodeSet runs_with(const std::vector<Run>& runs, int value) {
  CodeSet s;
  for (const Run& r : runs) {
    if (r.value == value) s.add(r.lo, r.hi);
  }
  return s;
}

int run_value(const std::vector<Run>& runs, char32_t c) {
  auto it = std::upper_bound(runs.begin(), runs.end(), c, [](char32_t v, const Run& r) { return v < r.lo; });
  return it == runs.begin() ? -1 : std::prev(it)->value;
}

struct Tables {
  std::vector<Run> categories;
  std::vector<Run> scripts;
  std::vector<Run> blocks;
  std::vector<Run> graphemes;
  std::array<CodeSet, 7> binary;
  std::vector<std::pair<char32_t, char32_t>> upper;
  std::vector<std::pair<char32_t, char32_t>> lower;
  std::vector<char32_t> cased;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables x;
    x.categories = decode_runs(data::kCategoryRuns, data::kCategoryRunsSize);
    x.scripts = decode_runs(data::kScriptRuns, data::kScriptRunsSize);
    x.blocks = decode_runs(data::kBlockRuns, data::kBlockRunsSize);
    x.graphemes = decode_runs(data::kGraphemeRuns, data::kGraphemeRunsSize);
    x.binary = {
        decode_ranges(data::kAlphabetic, data::kAlphabeticSize),
        decode_ranges(data::kIdeographic, data::kIdeographicSize),
        decode_ranges(data::kLowercase, data::kLowercaseSize),
        decode_ranges(data::kUppercase, data::kUppercaseSize),
        decode_ranges(data::kMirrored, data::kMirroredSize),
        decode_ranges(data::kUnicodeIdentifierStart, data::kUnicodeIdentifierStartSize),
        decode_ranges(data::kUnicodeIdentifierPart, data::kUnicodeIdentifierPartSize),
    };
    x.upper = decode_mapping(data::kToUpper, data::kToUpperSize);
    x.lower = decode_mapping(data::kToLower, data::kToLowerSize);
    for (const auto& [c, m] : x.upper) x.cased.push_back(c);
    for (const auto& [c, m] : x.lower) x.cased.push_back(c);
    std::sort(x.cased.begin(), x.cased.end());
    x.cased.erase(std::unique(x.cased.begin(), x.cased.end()), x.cased.end());
    return x;
  }();
  return t;
}

char32_t mapped(const std::vector<std::pair<char32_t, char32_t>>& m, char32_t c) {
  auto it = std::lower_bound(m.begin(), m.end(), c, [](const auto& p, char32_t v) { return p.first < v; });
  return it != m.end() && it->first == c ? it->second : c;
}

// Java upper-cases names with Locale.ENGLISH / Locale.ROOT before looking them up; names are ASCII.
std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

int category_of(char32_t c) { return run_value(tables().categories, c); }

CodeSet category_set(std::uint32_t mask) {
  CodeSet s;
  for (const Run& r : tables().categories) {
    if (mask & cat_bit(r.value)) s.add(r.lo, r.hi);
  }
  return s;
}

std::optional<CodeSet> script_set(std::string_view name) {
  const std::string upper = ascii_upper(name);
  for (std::size_t i = 0; i < data::kScriptAliasesSize; ++i) {
    if (upper == data::kScriptAliases[i].name) return runs_with(tables().scripts, data::kScriptAliases[i].script);
  }
  for (std::size_t i = 0; i < data::kScriptNamesSize; ++i) {
    if (upper == data::kScriptNames[i]) return runs_with(tables().scripts, static_cast<int>(i));
  }
  return std::nullopt;
}

std::optional<CodeSet> block_set(std::string_view name) {
  const std::string upper = ascii_upper(name);
  for (std::size_t i = 0; i < data::kBlockNamesSize; ++i) {
    if (upper == data::kBlockNames[i].name) return runs_with(tables().blocks, data::kBlockNames[i].block);
  }
  return std::nullopt;
}

const CodeSet& binary_set(Binary which) { return tables().binary[static_cast<std::size_t>(which)]; }

char32_t to_upper(char32_t c) { return mapped(tables().upper, c); }
char32_t to_lower(char32_t c) { return mapped(tables().lower, c); }
const std::vector<char32_t>& cased_code_points() { return tables().cased; }

CodeSet grapheme_set(int type) { return runs_with(tables().graphemes, type); }

const CodeSet& java_word_set() {
  static const CodeSet s = binary_set(Binary::Alphabetic) |
                           category_set(cat_bit(kNonSpacingMark) | cat_bit(kEnclosingMark) |
                                        cat_bit(kCombiningSpacingMark) | cat_bit(kDecimalDigitNumber) |
                                        cat_bit(kConnectorPunctuation)) |
                           CodeSet::range(0x200C, 0x200D);
  return s;
}

int grapheme_type_of(char32_t c) {
  const int t = run_value(tables().graphemes, c);
  return t < 0 ? kGbOther : t;
}

namespace {

// Character.getName's table, decoded on the first \N{...}.
struct CharNames {
  std::unordered_map<std::string, char32_t> by_name;
  std::vector<char32_t> named;  // sorted
};

const CharNames& char_names() {
  static const CharNames names = [] {
    CharNames n;
    std::vector<std::string_view> words;
    const std::string_view blob(data::kNameWords, data::kNameWordsSize);
    for (std::size_t at = 0; at <= blob.size();) {
      const std::size_t space = std::min(blob.find(' ', at), blob.size());
      words.push_back(blob.substr(at, space - at));
      at = space + 1;
    }
    n.by_name.reserve(data::kNameCodePointGapsSize);
    char32_t cp = 0;
    std::size_t t = 0;
    for (std::size_t i = 0; i < data::kNameCodePointGapsSize && t < data::kNameTokensSize; ++i) {
      cp += static_cast<char32_t>(data::kNameCodePointGaps[i]);
      std::string name;
      const std::size_t count = data::kNameTokens[t++];
      for (std::size_t w = 0; w < count && t < data::kNameTokensSize; ++w) {
        if (w > 0) name += ' ';
        name += words[data::kNameTokens[t++]];
      }
      n.by_name.emplace(std::move(name), cp);
      n.named.push_back(cp);
    }
    return n;
  }();
  return names;
}

// String.toUpperCase(Locale.ROOT) where the result is ASCII (all names are); nullopt otherwise.
std::optional<std::string> upper_ascii_name(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (i + static_cast<std::size_t>(len) > utf8.size()) return std::nullopt;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]) & 0x3F);
    i += static_cast<std::size_t>(len);
    // The full case mappings (SpecialCasing) that give ASCII: sharp s and the Latin ligatures.
    static constexpr std::pair<char32_t, std::string_view> kSpecial[] = {
        {0xDF, "SS"}, {0xFB00, "FF"}, {0xFB01, "FI"}, {0xFB02, "FL"}, {0xFB03, "FFI"}, {0xFB04, "FFL"}, {0xFB05, "ST"}, {0xFB06, "ST"}};
    const auto special = std::find_if(std::begin(kSpecial), std::end(kSpecial), [&](const auto& p) { return p.first == c; });
    if (special != std::end(kSpecial)) {
      out += special->second;
      continue;
    }
    const char32_t u = to_upper(c);
    if (u >= 0x80) return std::nullopt;
    out += static_cast<char>(u);
  }
  return out;
}

std::string hex_upper(char32_t c) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string h;
  do {
    h.insert(h.begin(), kDigits[c & 0xF]);
    c >>= 4;
  } while (c);
  return h;
}

}  // namespace

std::optional<char32_t> code_point_of(std::string_view name) {
  // Character.codePointOf: trim (code points <= U+0020), upper-case, look the name up; else
  // "BLOCK NAME hex" is the name Character.getName spells for an assigned character the table
  // does not name.
  while (!name.empty() && static_cast<unsigned char>(name.front()) <= 0x20) name.remove_prefix(1);
  while (!name.empty() && static_cast<unsigned char>(name.back()) <= 0x20) name.remove_suffix(1);
  const std::optional<std::string> upper = upper_ascii_name(name);
  if (!upper) return std::nullopt;
  const CharNames& names = char_names();
  if (auto it = names.by_name.find(*upper); it != names.by_name.end()) return it->second;
  const std::size_t space = upper->rfind(' ');
  if (space == std::string::npos) return std::nullopt;
  // Integer.parseInt(name, space + 1, end, 16); a sign would not survive the comparison below.
  const std::string_view digits = std::string_view(*upper).substr(space + 1);
  if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789ABCDEF") != std::string_view::npos) {
    return std::nullopt;
  }
  const auto cp = static_cast<char32_t>(std::stoul(std::string(digits), nullptr, 16));
  if (cp > kMaxCodePoint || category_of(cp) == kUnassigned) return std::nullopt;
  if (std::binary_search(names.named.begin(), names.named.end(), cp)) return std::nullopt;
  const int block = run_value(tables().blocks, cp);
  std::string spelled;
  if (block >= 0 && static_cast<std::size_t>(block) < data::kBlockCanonicalNamesSize) {
    spelled = data::kBlockCanonicalNames[block];
    std::replace(spelled.begin(), spelled.end(), '_', ' ');
    spelled += ' ';
  }
  spelled += hex_upper(cp);
  if (spelled != *upper) return std::nullopt;
  return cp;
}

}  // namespace ecsq::detail::jre
