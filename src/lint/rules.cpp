// The lint rules that look at one expression (contract §7), and the rule table.
//
// The rules themselves (ids, names, severities, summaries, explanations) are defined once, in
// include/ecsq/lint_rules.inc; each finding here names its rule by constant (rule::contradiction).
#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "ecsq/codes.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"
#include "ecsq/regex.hpp"
#include "common/text.hpp"
#include "common/utf8.hpp"
#include "lint/contradiction.hpp"

namespace ecsq {

namespace {

using detail::ascii_lower;
using detail::edit_distance;
using detail::slice;

constexpr std::array rules{
#define ECSQ_LINT_RULE(name, id, kebab_name, severity, summary, explanation) \
  LintRule{id, kebab_name, Severity::severity, summary, explanation},
#include "ecsq/lint_rules.inc"
#undef ECSQ_LINT_RULE
};

constexpr std::array rule_examples{
#define ECSQ_LINT_RULE_EXAMPLE(id, bad, good) LintRuleExample{id, bad, good},
#include "ecsq/lint_rule_examples.inc"
#undef ECSQ_LINT_RULE_EXAMPLE
};

constexpr std::size_t max_expression_characters = 2000;

// Case and the separators people mix up (`_` for `-`) do not count as differences.
std::string loose(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != '_' && c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Where value text byte i sits in the source: quoted values are raw, so the text follows the
// quote; bare values are the text. Nothing when the source does not hold it (a built tree).
std::optional<std::uint32_t> value_text_begin(const Ast& ast, const Value& value) {
  const std::uint32_t begin = value.span.begin + (value.quote != 0 ? 1u : 0u);
  if (slice(ast.source, Span{begin, begin + static_cast<std::uint32_t>(value.text.size())}) != value.text) {
    return std::nullopt;
  }
  return begin;
}

// The value written the way the original was: same quotes, or bare.
std::string requote(const Value& value, std::string_view text) {
  if (value.quote != 0) return fmt::format("{0}{1}{0}", value.quote, text);
  return quote_value(text);
}

Diagnostic warning(std::string code, std::string message, Span span, std::string label = {}) {
  return Diagnostic{Severity::warning, std::move(code), std::move(message), span, std::move(label), {}, {}};
}

// ---- Built-in attributes ---------------------------------------------------------------------

constexpr std::array<std::string_view, 8> builtin_attributes{
    "ecs.ami-id",  "ecs.availability-zone", "ecs.instance-type", "ecs.os-type",
    "ecs.os-family", "ecs.cpu-architecture", "ecs.vpc-id",       "ecs.subnet-id",
};

constexpr std::array<std::string_view, 2> os_types{"linux", "windows"};
constexpr std::array<std::string_view, 13> os_families{
    "LINUX",
    "WINDOWS_SERVER_2016_FULL", "WINDOWS_SERVER_2016_CORE", "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2004_FULL", "WINDOWS_SERVER_2004_CORE", "WINDOWS_SERVER_20H2_FULL", "WINDOWS_SERVER_20H2_CORE",
    "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_2025_CORE",
};
constexpr std::array<std::string_view, 2> cpu_architectures{"x86_64", "arm64"};

// The names other tools use for the two architectures.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> architecture_aliases{{
    {"amd64", "x86_64"}, {"x64", "x86_64"}, {"x86-64", "x86_64"}, {"aarch64", "arm64"}, {"arm", "arm64"}, {"arm64v8", "arm64"},
}};

struct ValueDomain {
  std::string_view attribute;
  std::span<const std::string_view> values;
  std::string_view described;
};

const std::array domains{
    ValueDomain{"ecs.os-type", os_types, "linux or windows"},
    ValueDomain{"ecs.os-family", os_families, "LINUX or WINDOWS_SERVER_<2016|2019|2004|20H2|2022|2025>_<FULL|CORE>"},
    ValueDomain{"ecs.cpu-architecture", cpu_architectures, "x86_64 or arm64"},
};

const ValueDomain* domain_of(const Comparison& c) {
  if (c.subject.kind != SubjectKind::attribute) return nullptr;
  for (const ValueDomain& domain : domains) {
    if (domain.attribute == c.subject.name) return &domain;
  }
  return nullptr;
}

std::string_view suggest_value(const ValueDomain& domain, std::string_view written) {
  if (domain.attribute == "ecs.cpu-architecture") {
    for (const auto& [alias, meant] : architecture_aliases) {
      if (ascii_lower(written) == alias) return meant;
    }
  }
  return closest_spelling(written, domain.values);
}

// "WINDOWS_SERVER_2019" is a prefix of two values: name both, since either could be meant.
std::string completions_of(const ValueDomain& domain, std::string_view written) {
  const std::string prefix = loose(written);
  std::string out;
  for (const std::string_view value : domain.values) {
    if (prefix.empty() || !loose(value).starts_with(prefix)) continue;
    if (!out.empty()) out += " or ";
    out += fmt::format("'{}'", value);
  }
  return out;
}

bool in_domain(const ValueDomain& domain, std::string_view value) {
  return std::find(domain.values.begin(), domain.values.end(), value) != domain.values.end();
}

// Contract §5: a value-less attribute behaves as missing for everything but exists. The one
// capability attribute known to carry a value is exempt.
bool is_capability(std::string_view name) {
  return (name.starts_with("ecs.capability.") || name.starts_with("com.amazonaws.ecs.capability.")) &&
         name != "ecs.capability.cni-plugin-version";
}

// ---- Value shapes (ECSQ-L050..L052) -----------------------------------------------------------

// The typographic quotes word processors and chat tools put in place of ' and ".
constexpr std::array<std::string_view, 8> typographic_quote_marks{"\u2018", "\u2019", "\u201A", "\u201C",
                                                                   "\u201D", "\u201E", "\u00AB", "\u00BB"};

bool has_typographic_quote(std::string_view text) {
  return std::any_of(typographic_quote_marks.begin(), typographic_quote_marks.end(),
                     [&](std::string_view mark) { return text.find(mark) != std::string_view::npos; });
}

// The text inside a leading and a trailing typographic quote, when those are the only ones.
std::optional<std::string> inside_typographic_quotes(std::string_view text) {
  const auto opening = std::find_if(typographic_quote_marks.begin(), typographic_quote_marks.end(),
                                    [&](std::string_view mark) { return text.starts_with(mark); });
  if (opening == typographic_quote_marks.end()) return std::nullopt;
  text.remove_prefix(opening->size());
  const auto closing = std::find_if(typographic_quote_marks.begin(), typographic_quote_marks.end(),
                                    [&](std::string_view mark) { return text.ends_with(mark); });
  if (closing == typographic_quote_marks.end()) return std::nullopt;
  text.remove_suffix(closing->size());
  if (has_typographic_quote(text)) return std::nullopt;
  return std::string(text);
}

bool all_of_chars(std::string_view text, bool (*allowed)(char)) {
  return std::all_of(text.begin(), text.end(), allowed);
}
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool lower_alnum_or_dash(char c) { return lower_alnum(c) || c == '-'; }
bool lower_hex(char c) { return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'); }
bool lower_letter(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// FAMILY.SIZE in lower case: t2.micro, c6gn.16xlarge, u-6tb1.metal, r7iz.metal-16xl.
bool instance_type_shaped(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return false;
  const std::string_view family = text.substr(0, dot);
  const std::string_view size = text.substr(dot + 1);
  return lower_letter(family.front()) && all_of_chars(family, lower_alnum_or_dash) && all_of_chars(size, lower_alnum_or_dash);
}

// A region's name: us-east-1, ap-southeast-2, us-gov-west-1 (two letters, words, a number).
bool region_shaped(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t begin = 0;;) {
    const std::size_t dash = text.find('-', begin);
    parts.push_back(text.substr(begin, dash == std::string_view::npos ? std::string_view::npos : dash - begin));
    if (dash == std::string_view::npos) break;
    begin = dash + 1;
  }
  if (parts.size() < 3 || parts.front().size() != 2 || !all_of_chars(parts.front(), lower_letter)) return false;
  if (parts.back().empty() || !all_of_chars(parts.back(), digit)) return false;
  return std::all_of(parts.begin() + 1, parts.end() - 1,
                     [](std::string_view word) { return !word.empty() && all_of_chars(word, lower_letter); });
}

// A zone's name: a region and a letter (us-east-1a), or a Local or Wavelength Zone's suffix
// (us-west-2-lax-1a, us-east-1-wl1-bos-wlz-1).
bool availability_zone_shaped(std::string_view text) {
  for (std::size_t end = 4; end < text.size(); ++end) {
    if (!region_shaped(text.substr(0, end))) continue;
    const std::string_view rest = text.substr(end);
    if (rest.size() == 1 && lower_letter(rest.front())) return true;
    if (rest.size() > 1 && rest.front() == '-' && all_of_chars(rest, lower_alnum_or_dash)) return true;
  }
  return false;
}

// ami-, vpc- or subnet- and 8 or 17 lower-case hex digits.
bool resource_id_shaped(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  const std::string_view hex = text.substr(prefix.size());
  return (hex.size() == 8 || hex.size() == 17) && all_of_chars(hex, lower_hex);
}

struct ValueShape {
  std::string_view attribute;
  bool (*fits)(std::string_view);
  std::string_view described;
};

const std::array shapes{
    ValueShape{"ecs.instance-type", instance_type_shaped, "an instance type is lower case, FAMILY.SIZE (t3.micro, inf1.xlarge)"},
    ValueShape{"ecs.availability-zone", availability_zone_shaped, "a zone name is lower case, a region and a letter (us-east-1a)"},
    ValueShape{"ecs.ami-id", [](std::string_view t) { return resource_id_shaped(t, "ami-"); },
               "an AMI id is 'ami-' and 8 or 17 lower-case hex digits"},
    ValueShape{"ecs.vpc-id", [](std::string_view t) { return resource_id_shaped(t, "vpc-"); },
               "a VPC id is 'vpc-' and 8 or 17 lower-case hex digits"},
    ValueShape{"ecs.subnet-id", [](std::string_view t) { return resource_id_shaped(t, "subnet-"); },
               "a subnet id is 'subnet-' and 8 or 17 lower-case hex digits"},
};

// A glob as the regex it was meant to be: * any text, ? any character, everything else literal.
std::string glob_to_regex(std::string_view glob) {
  std::string out;
  for (const char c : glob) {
    if (c == '*') {
      out += ".*";
    } else if (c == '?') {
      out += '.';
    } else {
      if (std::string_view(".+()[]{}^$|\\").find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

// A character a glob's * or ? follows: `us-east-1*`, `ami-0?23`.
bool glob_literal(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '_';
}

class QueryLinter {
 public:
  QueryLinter(const CheckedQuery& query, std::vector<Diagnostic>& out) : query_(query), ast_(query.ast), out_(out) {}

  // ECSQ-L029: the required comparisons of two constraints, grouped by subject like ECSQ-L028's.
  static std::optional<detail::ConstraintConflict> conflict(const CheckedQuery& first, const CheckedQuery& second) {
    std::vector<Leaf> mine;
    std::vector<Leaf> theirs;
    if (!first.ast.empty()) required(first, first.ast.root, mine);
    if (!second.ast.empty()) required(second, second.ast.root, theirs);
    for (const Leaf& late : theirs) {
      const auto same_subject = [&](const Leaf& l) {
        return l.comparison->subject.kind == late.comparison->subject.kind && l.comparison->subject.name == late.comparison->subject.name;
      };
      std::vector<Leaf> group_first;
      std::vector<Leaf> group_second;
      std::copy_if(mine.begin(), mine.end(), std::back_inserter(group_first), same_subject);
      std::copy_if(theirs.begin(), theirs.end(), std::back_inserter(group_second), same_subject);
      if (group_first.empty() || unsatisfiable(group_first) || unsatisfiable(group_second)) continue;
      if (never_alone(late)) continue;
      for (const Leaf& early : group_first) {
        if (!never_alone(early) && unsatisfiable({early, late})) return detail::ConstraintConflict{early.node, late.node};
      }
    }
    return std::nullopt;
  }

  void run() {
    for (std::size_t i = 0; i < ast_.comparisons.size(); ++i) {
      const Comparison& c = ast_.comparisons[i];
      const CheckedComparison& checked = query_.comparisons[i];
      attribute_name(c);
      capability(c);
      values(c, checked);
      glob(c);
      typographic(c);
      shape(c);
    }
    if (!ast_.empty()) conjunctions(ast_.root, false);
  }

 private:
  // ---- ECSQ-L024
  void attribute_name(const Comparison& c) {
    if (c.subject.kind != SubjectKind::attribute) return;
    const std::string& name = c.subject.name;
    if (std::find(builtin_attributes.begin(), builtin_attributes.end(), name) != builtin_attributes.end()) return;
    if (!ascii_lower(name).starts_with("ecs") || is_capability(name)) return;
    const std::string_view meant = closest_spelling(name, builtin_attributes);
    if (meant.empty()) return;
    const Span span = c.subject.span.size() >= name.size()
                          ? Span{c.subject.span.end - static_cast<std::uint32_t>(name.size()), c.subject.span.end}
                          : c.subject.span;
    Diagnostic d = warning(rule::misspelled_built_in_attribute,
                           fmt::format("'{}' is not a built-in attribute; did you mean '{}'?", name, meant),
                           span, "not a built-in attribute");
    d.notes.push_back(fmt::format("no instance has '{}' unless you set it with put-attributes", name));
    d.fixits.push_back(FixIt{span, std::string(meant)});
    out_.push_back(std::move(d));
  }

  // ---- ECSQ-L026
  void capability(const Comparison& c) {
    if (c.subject.kind != SubjectKind::attribute || !is_capability(c.subject.name)) return;
    if (c.op == Op::exists || c.op == Op::not_exists) return;
    const Span span{c.op_span.begin, c.values.empty() ? c.op_span.end : std::max(c.values.back().span.end, c.list_span.end)};
    const bool positive = !is_negative(c.op);
    Diagnostic d = warning(rule::capability_attribute_value,
                           fmt::format("capability attribute '{}' has no value, so '{}' is {} true", c.subject.name,
                                       to_string(c.op), positive ? "never" : "always"),
                           span, "compared with a value");
    d.notes.push_back("capability attributes are tested with exists or !exists");
    if (positive) d.fixits.push_back(FixIt{span, "exists"});
    out_.push_back(std::move(d));
  }

  // ---- ECSQ-L023
  void values(const Comparison& c, const CheckedComparison& checked) {
    const ValueDomain* domain = domain_of(c);
    if (domain == nullptr) return;
    if (c.op == Op::eq || c.op == Op::ne || c.op == Op::in || c.op == Op::not_in) {
      for (const Value& v : c.values) {
        if (in_domain(*domain, v.text)) continue;
        const std::string_view meant = suggest_value(*domain, v.text);
        std::string message = fmt::format("{} is never '{}'", domain->attribute, v.text);
        if (!meant.empty()) {
          message += fmt::format("; did you mean '{}'?", meant);
        } else if (const std::string completions = completions_of(*domain, v.text); !completions.empty()) {
          message += fmt::format("; did you mean {}?", completions);
        }
        Diagnostic d = warning(rule::impossible_attribute_value, std::move(message), v.span, "never this value");
        d.notes.push_back(fmt::format("{} is {}", domain->attribute, domain->described));
        if (!meant.empty()) d.fixits.push_back(FixIt{v.span, requote(v, meant)});
        out_.push_back(std::move(d));
      }
      return;
    }
    if ((c.op == Op::matches || c.op == Op::not_matches) && checked.regex) {
      const bool any = std::any_of(domain->values.begin(), domain->values.end(),
                                   [&](std::string_view value) { return checked.regex->full_match(value); });
      if (any) return;
      const Value& v = c.values.front();
      Diagnostic d = warning(rule::impossible_attribute_value,
                             fmt::format("pattern '{}' matches no value {} takes, so '{}' is {} true", v.text,
                                         domain->attribute, to_string(c.op), c.op == Op::matches ? "never" : "always"),
                             v.span, "matches no possible value");
      d.notes.push_back(fmt::format("{} is {}", domain->attribute, domain->described));
      out_.push_back(std::move(d));
    }
  }

  // ---- ECSQ-L050
  void typographic(const Comparison& c) {
    for (const Value& v : c.values) {
      if (!has_typographic_quote(v.text)) continue;
      Diagnostic d = warning(rule::typographic_quotes,
                             fmt::format("'{}' holds typographic quotes, which are part of the value", v.text), v.span,
                             "typographic quotes");
      d.notes.push_back("only ' and \" quote a value; no attribute value has these characters");
      if (const auto inside = inside_typographic_quotes(v.text)) {
        const bool has_single = inside->find('\'') != std::string::npos;
        const bool has_double = inside->find('"') != std::string::npos;
        if (!(has_single && has_double)) {
          d.fixits.push_back(FixIt{v.span, fmt::format("{0}{1}{0}", has_single ? '"' : '\'', *inside)});
        }
      }
      out_.push_back(std::move(d));
    }
  }

  // ---- ECSQ-L051, ECSQ-L052: values a built-in attribute with a known shape never has.
  void shape(const Comparison& c) {
    if (c.subject.kind != SubjectKind::attribute) return;
    if (c.op != Op::eq && c.op != Op::ne && c.op != Op::in && c.op != Op::not_in) return;
    const auto found = std::find_if(shapes.begin(), shapes.end(),
                                    [&](const ValueShape& s) { return s.attribute == c.subject.name; });
    if (found == shapes.end()) return;
    const bool positive = c.op == Op::eq || c.op == Op::in;
    for (const Value& v : c.values) {
      if (has_typographic_quote(v.text) || found->fits(v.text)) continue;  // typographic quotes: ECSQ-L050's
      if (found->attribute == "ecs.availability-zone" && region_shaped(v.text)) {
        Diagnostic d = warning(rule::region_as_availability_zone,
                               fmt::format("'{}' is a region, not an availability zone, so '{}' is {} true", v.text,
                                           to_string(c.op), positive ? "never" : "always"),
                               v.span, "a region");
        d.notes.push_back(fmt::format("ecs.availability-zone holds a zone such as '{}a'", v.text));
        d.notes.push_back(fmt::format("to allow every zone of the region, write 'attribute:ecs.availability-zone =~ {}.*'",
                                      v.text));
        out_.push_back(std::move(d));
        continue;
      }
      const std::string lowered = ascii_lower(v.text);
      const bool lower_fits = lowered != v.text && found->fits(lowered);
      std::string message = fmt::format("{} is never '{}'", found->attribute, v.text);
      if (lower_fits) message += fmt::format("; did you mean '{}'?", lowered);
      Diagnostic d = warning(rule::malformed_attribute_value, std::move(message), v.span, "never this value");
      d.notes.push_back(std::string(found->described));
      if (v.text.find('*') != std::string::npos) d.notes.push_back("== and in compare text exactly; a pattern needs =~");
      if (lower_fits) d.fixits.push_back(FixIt{v.span, requote(v, lowered)});
      out_.push_back(std::move(d));
    }
  }

  // ---- ECSQ-L025: `X*` after a literal character, the shape of a shell glob.
  void glob(const Comparison& c) {
    if ((c.op != Op::matches && c.op != Op::not_matches) || c.values.empty()) return;
    const Value& v = c.values.front();
    const std::string& pattern = v.text;
    if (pattern.find('\\') != std::string::npos || pattern.find('[') != std::string::npos) return;
    std::vector<std::size_t> stars;
    std::vector<std::size_t> marks;  // a glob's ?, which in a regex makes the character before optional
    for (std::size_t i = 1; i < pattern.size(); ++i) {
      if (pattern[i] == '*' && glob_literal(pattern[i - 1])) stars.push_back(i);
      if (pattern[i] == '?' && glob_literal(pattern[i - 1])) marks.push_back(i);
    }
    if (stars.empty()) return;
    std::string meant;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (std::find(stars.begin(), stars.end(), i) != stars.end()) meant += '.';
      const bool mark = std::find(marks.begin(), marks.end(), i) != marks.end();
      meant += mark ? '.' : pattern[i];
    }
    const std::size_t star = stars.front();
    Diagnostic d = warning(rule::glob_like_regex,
                           fmt::format("'{}' looks like a glob; did you mean '{}'?", pattern, meant), v.span,
                           "a regular expression, not a glob");
    d.notes.push_back(fmt::format("in a Java regex '{}*' repeats '{}' (zero or more times); '.*' matches anything",
                                  pattern[star - 1], pattern[star - 1]));
    if (!marks.empty()) {
      const std::size_t mark = marks.front();
      d.notes.push_back(fmt::format("and '{0}?' makes '{0}' optional; a glob's '?' is '.' in a regex", pattern[mark - 1]));
    }
    if (const auto begin = value_text_begin(ast_, v)) {
      d.span = Span{*begin + static_cast<std::uint32_t>(star - 1), *begin + static_cast<std::uint32_t>(star + 1)};
      for (std::size_t i = 0; i < pattern.size(); ++i) {
        const auto at = *begin + static_cast<std::uint32_t>(i);
        if (std::find(stars.begin(), stars.end(), i) != stars.end()) d.fixits.push_back(FixIt{Span{at, at}, "."});
        if (std::find(marks.begin(), marks.end(), i) != marks.end()) d.fixits.push_back(FixIt{Span{at, at + 1}, "."});
      }
    }
    out_.push_back(std::move(d));
  }

  // ---- ECSQ-L028 ---------------------------------------------------------------------------

  struct Leaf {
    std::uint32_t node;  // the comparison, or the `not` around it
    const Comparison* comparison;
    const CheckedComparison* checked;
    Op op;  // negated under `not`: negations are exact complements (§5)
  };

  // `== v` or `in [...]` with only values the attribute never takes (reported as ECSQ-L023,
  // L050..L052): that comparison is the mistake, not its clash with another constraint.
  static bool never_alone(const Leaf& leaf) {
    const Comparison& c = *leaf.comparison;
    if ((leaf.op != Op::eq && leaf.op != Op::in) || c.subject.kind != SubjectKind::attribute || c.values.empty()) return false;
    const ValueDomain* domain = domain_of(c);
    const auto known_shape =
        std::find_if(shapes.begin(), shapes.end(), [&](const ValueShape& s) { return s.attribute == c.subject.name; });
    return std::all_of(c.values.begin(), c.values.end(), [&](const Value& v) {
      if (has_typographic_quote(v.text)) return true;
      if (domain != nullptr) return !in_domain(*domain, v.text);
      return known_shape != shapes.end() && !known_shape->fits(v.text);
    });
  }

  // The comparisons (or negated comparisons) that must hold for `index` to hold: itself, or the
  // items of a conjunction.
  static void required(const CheckedQuery& query, std::uint32_t index, std::vector<Leaf>& out) {
    const Ast& ast = query.ast;
    const Node& node = ast.node(index);
    if (node.kind == NodeKind::comparison) {
      out.push_back(Leaf{index, &ast.comparison(node), &query.comparisons[node.first], ast.comparison(node).op});
    } else if (node.kind == NodeKind::not_ && node.count == 1 && ast.node(ast.child(node, 0)).kind == NodeKind::comparison) {
      const Node& inner = ast.node(ast.child(node, 0));
      out.push_back(Leaf{index, &ast.comparison(inner), &query.comparisons[inner.first], negation(ast.comparison(inner).op)});
    } else if (node.kind == NodeKind::and_) {
      for (std::uint32_t i = 0; i < node.count; ++i) required(query, ast.child(node, i), out);
    }
  }

  // Only conjunctions that must hold for the expression to hold: under `not`, a conjunction that
  // never holds makes the expression always true, which is another matter.
  void conjunctions(std::uint32_t index, bool negated) {
    const Node& node = ast_.node(index);
    if (node.kind == NodeKind::comparison) return;
    if (node.kind == NodeKind::and_ && !negated) contradictions(node);
    for (std::uint32_t i = 0; i < node.count; ++i) {
      conjunctions(ast_.child(node, i), node.kind == NodeKind::not_ ? !negated : negated);
    }
  }

  void contradictions(const Node& conjunction) {
    std::map<std::pair<SubjectKind, std::string>, std::vector<Leaf>> groups;
    std::vector<std::pair<SubjectKind, std::string>> order;
    for (std::uint32_t i = 0; i < conjunction.count; ++i) {
      const std::uint32_t index = ast_.child(conjunction, i);
      const Node* node = &ast_.node(index);
      bool negated = false;
      if (node->kind == NodeKind::not_ && node->count == 1) {
        node = &ast_.node(ast_.child(*node, 0));
        negated = true;
      }
      if (node->kind != NodeKind::comparison) continue;
      const Comparison& c = ast_.comparison(*node);
      const CheckedComparison& checked = query_.comparisons[node->first];
      const auto key = std::make_pair(c.subject.kind, c.subject.name);
      if (groups.find(key) == groups.end()) order.push_back(key);
      groups[key].push_back(Leaf{index, &c, &checked, negated ? negation(c.op) : c.op});
    }
    for (const auto& key : order) {
      const std::vector<Leaf>& leaves = groups[key];
      if (leaves.size() < 2) continue;
      report_first_contradiction(leaves);
    }
  }

  void report_first_contradiction(const std::vector<Leaf>& leaves) {
    std::vector<Leaf> prefix;
    for (const Leaf& leaf : leaves) {
      // A comparison that can never hold by itself (an empty list) is the checker's to report.
      if (unsatisfiable({leaf})) return;
      prefix.push_back(leaf);
      if (prefix.size() < 2 || !unsatisfiable(prefix)) continue;
      std::vector<const Leaf*> culprits;
      for (std::size_t j = 0; j + 1 < prefix.size(); ++j) {
        if (unsatisfiable({prefix[j], leaf})) {
          culprits = {&prefix[j]};
          break;
        }
      }
      if (culprits.empty()) {
        for (std::size_t j = 0; j + 1 < prefix.size(); ++j) culprits.push_back(&prefix[j]);
      }
      std::string others;
      for (const Leaf* other : culprits) {
        if (!others.empty()) others += " and ";
        others += fmt::format("'{}'", to_string(ast_, other->node));
      }
      Diagnostic d = warning(rule::contradiction,
                             fmt::format("'{}' contradicts {}: no instance satisfies both",
                                         to_string(ast_, leaf.node), others),
                             ast_.node(leaf.node).span, "contradicts an earlier comparison");
      if (culprits.size() > 1) d.message = fmt::format("'{}' contradicts {}: no instance satisfies them all",
                                                      to_string(ast_, leaf.node), others);
      d.notes.push_back("comparisons joined by 'and' must all hold on the same instance");
      out_.push_back(std::move(d));
      return;
    }
  }

  static bool positive(Op op) { return !is_negative(op); }

  // Sound, not complete: true only when no instance can satisfy every leaf (same subject).
  static bool unsatisfiable(const std::vector<Leaf>& leaves) {
    const SubjectKind kind = leaves.front().comparison->subject.kind;
    const bool wants_present = std::any_of(leaves.begin(), leaves.end(), [](const Leaf& l) { return positive(l.op); });
    const bool wants_absent = std::any_of(leaves.begin(), leaves.end(), [](const Leaf& l) { return l.op == Op::not_exists; });
    if (wants_present && wants_absent) return true;
    switch (kind) {
      case SubjectKind::task_group: return false;  // an instance holds many groups at once
      case SubjectKind::running_tasks_count: return integer_bounds_empty(leaves, true);
      case SubjectKind::registered_at: return integer_bounds_empty(leaves, false);
      case SubjectKind::agent_version: return version_bounds_empty(leaves);
      case SubjectKind::agent_connected:
      case SubjectKind::ec2_instance_id:
      case SubjectKind::attribute: return strings_empty(leaves, kind);
    }
    return false;
  }

  static std::int64_t integer(const CheckedComparison& c, SubjectKind kind) {
    return kind == SubjectKind::running_tasks_count ? c.count : c.instant.seconds;
  }

  // runningTasksCount and registeredAt (whole seconds) are integers: > x is >= x + 1.
  static bool integer_bounds_empty(const std::vector<Leaf>& leaves, bool non_negative) {
    using limits = std::numeric_limits<std::int64_t>;
    const SubjectKind kind = leaves.front().comparison->subject.kind;
    std::int64_t low = non_negative ? 0 : limits::min();
    std::int64_t high = limits::max();
    for (const Leaf& leaf : leaves) {
      const std::int64_t x = integer(*leaf.checked, kind);
      switch (leaf.op) {
        case Op::eq: low = std::max(low, x); high = std::min(high, x); break;
        case Op::gt:
          if (x == limits::max()) return true;
          low = std::max(low, x + 1);
          break;
        case Op::ge: low = std::max(low, x); break;
        case Op::lt:
          if (x == limits::min()) return true;
          high = std::min(high, x - 1);
          break;
        case Op::le: high = std::min(high, x); break;
        default: break;
      }
    }
    if (low > high) return true;
    if (low != high) return false;
    // Pinned to one value: a != on it leaves nothing (the pin needs a present value).
    return std::any_of(leaves.begin(), leaves.end(),
                       [&](const Leaf& l) { return l.op == Op::ne && integer(*l.checked, kind) == low; });
  }

  static bool version_bounds_empty(const std::vector<Leaf>& leaves) {
    struct Bound {
      const Version* version;
      bool strict;
    };
    std::vector<Bound> lows;
    std::vector<Bound> highs;
    for (const Leaf& leaf : leaves) {
      const Version* v = &leaf.checked->version;
      if (leaf.op == Op::eq || leaf.op == Op::ge) lows.push_back({v, false});
      if (leaf.op == Op::eq || leaf.op == Op::le) highs.push_back({v, false});
      if (leaf.op == Op::gt) lows.push_back({v, true});
      if (leaf.op == Op::lt) highs.push_back({v, true});
    }
    for (const Bound& low : lows) {
      for (const Bound& high : highs) {
        const auto order = compare(*low.version, *high.version);
        if (order > 0 || (order == 0 && (low.strict || high.strict))) return true;
        if (order != 0 || low.strict || high.strict) continue;
        for (const Leaf& leaf : leaves) {
          if (leaf.op == Op::ne && compare(leaf.checked->version, *low.version) == 0) return true;
        }
      }
    }
    return false;
  }

  // Ordering on attribute values: numeric when both sides are decimals, else byte-wise (§5). A
  // lower and an upper bound exclude everything only if they do so under every order that applies.
  static bool attribute_bounds_empty(const Leaf& low, const Leaf& high) {
    const std::string& a = low.checked->strings.front();
    const std::string& b = high.checked->strings.front();
    const bool strict = low.op == Op::gt || high.op == Op::lt;
    const auto empty_under = [&](std::strong_ordering order) { return order > 0 || (order == 0 && strict); };
    const bool a_decimal = is_decimal(a);
    const bool b_decimal = is_decimal(b);
    if (a_decimal != b_decimal) return false;
    if (!empty_under(std::string_view(a) <=> std::string_view(b))) return false;
    return !a_decimal || empty_under(compare_decimal(a, b));
  }

  static bool strings_empty(const std::vector<Leaf>& leaves, SubjectKind kind) {
    std::optional<std::vector<std::string>> candidates;
    if (kind == SubjectKind::agent_connected) candidates = std::vector<std::string>{"false", "true"};
    const auto keep_only = [&](const std::vector<std::string>& allowed) {
      if (!candidates) {
        candidates = allowed;
        return;
      }
      std::erase_if(*candidates, [&](const std::string& s) {
        return std::find(allowed.begin(), allowed.end(), s) == allowed.end();
      });
    };
    for (const Leaf& leaf : leaves) {
      if (leaf.op == Op::eq || leaf.op == Op::in) keep_only(leaf.checked->strings);
    }
    const bool ordered_attribute = kind == SubjectKind::attribute;
    if (!candidates) {
      if (!ordered_attribute) return false;
      for (const Leaf& low : leaves) {
        if (low.op != Op::gt && low.op != Op::ge) continue;
        for (const Leaf& high : leaves) {
          if ((high.op == Op::lt || high.op == Op::le) && attribute_bounds_empty(low, high)) return true;
        }
      }
      return false;
    }
    for (const Leaf& leaf : leaves) {
      const CheckedComparison& c = *leaf.checked;
      std::erase_if(*candidates, [&](const std::string& value) {
        switch (leaf.op) {
          case Op::ne: return !c.strings.empty() && value == c.strings.front();
          case Op::not_in: return std::find(c.strings.begin(), c.strings.end(), value) != c.strings.end();
          case Op::matches: return c.regex && !c.regex->full_match(value);
          case Op::not_matches: return c.regex && c.regex->full_match(value);
          case Op::gt: return ordered_attribute && !(compare_attribute_values(value, c.strings.front()) > 0);
          case Op::ge: return ordered_attribute && !(compare_attribute_values(value, c.strings.front()) >= 0);
          case Op::lt: return ordered_attribute && !(compare_attribute_values(value, c.strings.front()) < 0);
          case Op::le: return ordered_attribute && !(compare_attribute_values(value, c.strings.front()) <= 0);
          default: return false;
        }
      });
    }
    return candidates->empty();
  }

  const CheckedQuery& query_;
  const Ast& ast_;
  std::vector<Diagnostic>& out_;
};

}  // namespace

std::span<const LintRule> lint_rules() noexcept { return rules; }

const LintRule* find_lint_rule(std::string_view id) noexcept {
  for (const LintRule& rule : rules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

const LintRuleExample* find_lint_rule_example(std::string_view id) noexcept {
  for (const LintRuleExample& example : rule_examples) {
    if (example.rule == id) return &example;
  }
  return nullptr;
}

std::string lint_rule_anchor(const LintRule& rule) { return ascii_lower(fmt::format("{}-{}", rule.id, rule.name)); }

std::string lint_rule_help_uri(const LintRule& rule) {
  return fmt::format("{}/blob/main/docs/language.md#{}", ecsq_information_uri, lint_rule_anchor(rule));
}

std::string_view lint_rule_of(const Diagnostic& diagnostic) noexcept {
  if (const LintRule* own = find_lint_rule(diagnostic.code)) return own->id;
  const std::string& carried = diagnostic.code;
  if (carried == code::attribute_shorthand || carried == code::non_canonical_keyword ||
      carried == code::non_canonical_boolean) {
    return rule::non_canonical_expression;
  }
  if (carried == code::date_equality) return rule::registered_at_date_equality;
  return diagnostic.severity == Severity::error ? rule::invalid_expression : rule::expression_warning;
}

std::string_view closest_spelling(std::string_view word, std::span<const std::string_view> candidates) {
  const std::string wanted = loose(word);
  for (const std::string_view candidate : candidates) {
    if (loose(candidate) == wanted) return candidate;
  }
  const std::string lowered = ascii_lower(word);
  std::string_view best;
  std::size_t best_distance = 3;
  bool tie = false;
  for (const std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(lowered, ascii_lower(candidate));
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
      tie = false;
    } else if (distance == best_distance) {
      tie = true;
    }
  }
  // Two edits turn a short word into almost anything; demand the word be mostly right.
  if (tie || best.empty() || best_distance * 3 > std::max(word.size(), best.size())) return {};
  return best;
}

namespace detail {

std::optional<ConstraintConflict> conflict_between(const CheckedQuery& first, const CheckedQuery& second) {
  return QueryLinter::conflict(first, second);
}

}  // namespace detail

namespace {

// ECSQ-L025 for a pattern Java rejects (ECSQ-L020) that reads as a glob: `=~ *.xlarge`.
void globs_that_are_invalid_regexes(std::string_view expression, const std::vector<Diagnostic>& found,
                                    std::vector<Diagnostic>& out) {
  const auto regex_error_in = [&](Span span) {
    return std::any_of(found.begin(), found.end(), [&](const Diagnostic& d) {
      return d.code.starts_with("E03") && d.span.begin >= span.begin && d.span.begin < std::max(span.end, span.begin + 1);
    });
  };
  ParseResult parsed = parse(expression);
  if (!parsed.ast) return;
  for (const Comparison& c : parsed.ast->comparisons) {
    if ((c.op != Op::matches && c.op != Op::not_matches) || c.values.size() != 1) continue;
    const Value& v = c.values.front();
    if (v.text.find_first_of("*?") == std::string::npos || !regex_error_in(v.span)) continue;
    const std::string meant = glob_to_regex(v.text);
    if (!std::holds_alternative<std::string>(translate_java_regex(meant))) continue;
    Diagnostic d = warning(rule::glob_like_regex,
                           fmt::format("'{}' is not a valid regular expression but reads like a glob; did you mean '{}'?",
                                       v.text, meant),
                           v.span, "a glob, not a regular expression");
    d.notes.push_back("in a Java regex '.*' matches any text, '.' any character and '\\.' a dot");
    d.fixits.push_back(FixIt{v.span, requote(v, meant)});
    out.push_back(std::move(d));
  }
}

}  // namespace

std::vector<Diagnostic> lint_query(const CheckedQuery& query) {
  std::vector<Diagnostic> out;
  QueryLinter(query, out).run();
  return out;
}

std::vector<Diagnostic> lint_expression(std::string_view expression, const CheckOptions& options) {
  std::vector<Diagnostic> out;
  if (const std::uint32_t characters = character_count(expression); characters > max_expression_characters) {
    std::size_t at = 0;
    for (std::uint32_t n = 0; n < max_expression_characters; ++n) at += detail::utf8_sequence_length(expression, at);
    out.push_back(Diagnostic{Severity::error, rule::expression_too_long,
                             fmt::format("expression is {} characters long; ECS accepts at most {}", characters,
                                         max_expression_characters),
                             Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(expression.size())},
                             "past the limit", {}, {}});
  }
  CheckResult checked = check(expression, ParseOptions{}, options);
  out.insert(out.end(), checked.diagnostics.begin(), checked.diagnostics.end());
  if (!checked.query) {
    globs_that_are_invalid_regexes(expression, checked.diagnostics, out);
    return out;
  }
  const Ast& ast = checked.query->ast;
  const Span whole{0, static_cast<std::uint32_t>(expression.size())};
  if (ast.form == ConstraintForm::distinct_instance) {
    out.push_back(Diagnostic{Severity::error, rule::invalid_expression, "'distinctInstance' is a constraint type, not an expression",
                             whole, "not an expression",
                             {"write {\"type\": \"distinctInstance\"} with no expression"}, {}});
    return out;
  }
  if (ast.form == ConstraintForm::member_of) {
    const std::string inner = ast.empty() ? std::string() : to_string(ast, ast.root);
    out.push_back(Diagnostic{Severity::warning, rule::non_canonical_expression,
                             "'memberOf(...)' is the constraint, not its expression; the expression field holds only "
                             "what is inside the parentheses",
                             whole, "written as a constraint string", {}, {FixIt{whole, inner}}});
  }
  std::vector<Diagnostic> meaning = lint_query(*checked.query);
  out.insert(out.end(), meaning.begin(), meaning.end());
  return out;
}

}  // namespace ecsq
