// What the placement readers share: reporting E05xx diagnostics located in the document, and
// reading typed fields (strings, integers, lists) out of the lint reader's tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/placement.hpp"
#include "lint/document_tree.hpp"

namespace ecsq::detail {

/// Reads fields of one document's tree, reporting every problem as a located diagnostic.
class InputReader {
 public:
  InputReader(const ConstraintDocument& document, std::vector<PlacementInputDiagnostic>& diagnostics);

  /// Reports `code` at `at`, whose path is `path`; the message is prefixed with the path.
  void report(const char* code, const std::string& path, const Tree& at, std::string_view message,
              std::vector<std::string> notes = {});

  /// True once an error has been reported.
  [[nodiscard]] bool failed() const noexcept { return failed_; }

  /// Member `key` of `object` unless absent or null.
  [[nodiscard]] static const Tree* field(const Tree& object, std::string_view key);

  /// A string: a JSON string or a YAML scalar; anything else is reported (E0503) and gives nullopt.
  std::optional<std::string> string(const Tree& value, const std::string& path);

  /// An integer: a JSON number without fraction or exponent, or a YAML scalar of digits (with an
  /// optional '-'). Anything else, or a value outside 64 bits, is reported (E0503).
  std::optional<std::int64_t> integer(const Tree& value, const std::string& path);

  /// `value` if it is a list; otherwise reported (E0503) and nullptr.
  const Tree* list(const Tree& value, const std::string& path);

  /// `value` if it is an object; otherwise reported (E0503) and nullptr.
  const Tree* object(const Tree& value, const std::string& path);

  [[nodiscard]] FileLocation locate(std::string path, const Tree& at) const;
  [[nodiscard]] const ConstraintDocument& document() const noexcept { return document_; }

 private:
  const ConstraintDocument& document_;
  std::vector<PlacementInputDiagnostic>& diagnostics_;
  bool yaml_ = false;
  bool failed_ = false;
};

/// A count written as digits only (spaces around allowed): "8080", " 1 "; nullopt for anything
/// else (signs, fractions, units) and past 2^63-1.
[[nodiscard]] std::optional<std::int64_t> digits_value(std::string_view text) noexcept;

/// True when `document` has an error among the lint reader's own diagnostics.
[[nodiscard]] bool has_reading_error(const ConstraintDocument& document) noexcept;

}  // namespace ecsq::detail
