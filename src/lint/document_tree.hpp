// The position-carrying tree the lint reader builds from a JSON (simdjson) or YAML (yaml-cpp) file,
// shared with the placement readers (src/placement/) so that task definitions and requests are read
// once, by one reader, with the same positions lint reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ecsq/constraint.hpp"

namespace ecsq::detail {

struct Member;

/// A JSON or YAML value and where it starts in the file. Both formats become this one shape, so
/// reading a document does not care which format a file used.
struct Tree {
  enum class Kind : std::uint8_t { null, scalar, map, sequence };
  Kind kind = Kind::null;
  bool string = false;  ///< a JSON string or any YAML scalar; false for JSON numbers and booleans
  std::string text;     ///< scalar text, unescaped (a JSON number's raw token)
  std::string tag;      ///< a YAML local tag such as "!Sub"; empty when none
  std::uint32_t offset = 0;
  std::uint32_t length = 1;                  ///< bytes of the first token (a scalar with its quotes)
  std::optional<std::uint32_t> text_offset;  ///< where `text` appears verbatim in the file
  std::uint32_t key_offset = 0;              ///< a map member's key: where it starts and its token's length
  std::uint32_t key_length = 1;
  std::vector<Member> members;
  std::vector<Tree> items;

  /// The value of member `key` (the first, if written twice), or nullptr.
  [[nodiscard]] const Tree* find(std::string_view key) const;
  [[nodiscard]] bool is_map() const noexcept { return kind == Kind::map; }
};

// Not std::pair<std::string, Tree>: instantiating that pair asks whether Tree is default
// constructible, which needs ~vector<pair>, which needs the pair: clang rejects the cycle.
struct Member {
  std::string name;
  Tree value;
};

/// "null", "a string", "a number or boolean", "an object" or "a list", for messages.
[[nodiscard]] std::string_view describe(const Tree& tree);

/// A document as the lint reader reads it, and the tree it was read from (none when unreadable).
struct DocumentTree {
  ConstraintDocument document;
  std::optional<Tree> tree;
};

/// read_constraint_document, keeping the tree: offsets in the tree are into `document.text`.
[[nodiscard]] DocumentTree read_document_tree(std::string text, std::string origin);

/// read_constraint_file, keeping the tree.
[[nodiscard]] DocumentTree read_document_tree_file(const std::string& path);

/// Where `at` is in `document`: the path given, its offset, first token's length, line and column.
[[nodiscard]] FileLocation locate(const ConstraintDocument& document, std::string path, const Tree& at);

/// `path.key`, or `key` at the top level.
[[nodiscard]] std::string join_path(std::string_view path, std::string_view key);

/// `path[index]`.
[[nodiscard]] std::string element_path(std::string_view path, std::size_t index);

}  // namespace ecsq::detail
