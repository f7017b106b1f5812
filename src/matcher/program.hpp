// What compile.cpp builds and select.cpp runs, beyond the leaves in the public header
// (ecsq/detail/matcher_program.hpp): the comparison behind each table leaf, and the and/or tree
// that select() evaluates.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ecsq/ast.hpp"
#include "ecsq/detail/matcher_program.hpp"
#include "ecsq/regex.hpp"
#include "ecsq/value.hpp"

namespace ecsq::detail {

/// How a table leaf decides one dictionary value.
enum class Test : std::uint8_t { in_set, regex, order, exists };

/// Predicate::resolved of a pending attribute the fleet has not named yet.
inline constexpr std::uint32_t unresolved = 0xffffffffu;
/// Predicate::known when every literal had a code at compile: no later value can equal one.
inline constexpr std::uint32_t all_literals_known = 0xffffffffu;

/// The comparison behind a table leaf, and its table. compile() reads a const Fleet, so a literal
/// may name a value (or an attribute) the fleet does not have yet: `codes` holds the ids of the
/// literals the fleet had, `texts` the others, and `known` the dictionary's size at compile, so an
/// id below `known` is decided by `codes` and a later one by its text. The mutable part (buffers,
/// capacity, group_results, the resolution of a pending attribute) is written only under
/// MatcherState::mutex.
struct Predicate : ValueCache {
  LeafKind kind = LeafKind::attribute_table;
  Test test = Test::in_set;
  Op op = Op::eq;                    ///< order: a positive comparison (==, <, <=, >, >=)
  std::uint32_t column = 0;          ///< attribute id (not for attribute_pending)
  std::vector<std::uint32_t> codes;  ///< in_set: sorted attribute codes, ec2 codes or group ids
  std::vector<std::string> texts;    ///< in_set: sorted literals the fleet did not have at compile
  std::uint32_t known = 0;           ///< in_set: dictionary size at compile
  std::optional<Regex> regex;
  std::string literal;               ///< attribute ordering
  Version version;                   ///< agentVersion

  // attribute_pending: the attribute's name, its id once a refresh found it (else unresolved),
  // and the size of attribute_names() when it was last looked for in vain.
  std::string attribute;
  std::atomic<std::uint32_t> resolved{unresolved};
  std::atomic<std::uint32_t> names_searched{0};

  std::uint32_t capacity = 0;  ///< entries the newest buffer holds
  std::vector<std::unique_ptr<std::uint64_t[]>> buffers;  ///< back() is current; older ones may still be read
  std::vector<std::uint8_t> group_results;              ///< regex result per task-group id
};

/// Select's view of the query: negation pushed to the leaves, so only and/or remain.
struct SelectNode {
  enum Kind : std::uint8_t { leaf, and_, or_ } kind = leaf;
  std::uint32_t first = 0;  ///< leaf: index into leaves; and/or: into children
  std::uint32_t count = 0;
};

/// Everything of a Matcher but its leaves: the select tree and the table leaves' predicates.
struct MatcherState {
  std::vector<SelectNode> nodes;
  std::vector<std::uint32_t> children;
  std::uint32_t root = 0;
  bool empty = true;  ///< matches everything
  std::uint32_t depth = 0;
  std::vector<std::unique_ptr<Predicate>> predicates;
  std::mutex mutex;
};

}  // namespace ecsq::detail
