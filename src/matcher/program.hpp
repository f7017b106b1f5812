// What compile.cpp builds and select.cpp runs, beyond the leaves in the public header
// (ecsq/detail/matcher_program.hpp): the comparison behind each table leaf, and the and/or tree
// that select() evaluates.
#pragma once

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
enum class Test : std::uint8_t { in_set, regex, order };

/// The comparison behind a table leaf, and its table. The mutable part (buffers, capacity,
/// group_results) is touched only under MatcherState::mutex.
struct Predicate : ValueCache {
  LeafKind kind = LeafKind::attribute_table;
  Test test = Test::in_set;
  Op op = Op::eq;                    ///< order: a positive comparison (==, <, <=, >, >=)
  std::uint32_t column = 0;
  std::vector<std::uint32_t> codes;  ///< in_set: sorted attribute codes, ec2 codes or group ids
  std::optional<Regex> regex;
  std::string literal;               ///< attribute ordering
  Version version;                   ///< agentVersion

  std::uint32_t capacity = 0;
  std::vector<std::unique_ptr<std::uint8_t[]>> buffers;  ///< back() is current; older ones may still be read
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
