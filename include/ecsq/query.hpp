// query(): check an expression you wrote yourself, throwing when it is wrong; for tests and constants.
//
// check() is the API for expressions that come from users and files: it never throws and returns the
// diagnostics as values. An expression written in a program or a test is a programming error when it
// does not check, and there an exception that carries the rendered diagnostics is the shorter form:
//   static const ecsq::CheckedQuery windows = ecsq::query("attribute:ecs.os-type == windows");
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/parse.hpp"

namespace ecsq {

/// Thrown by query() for an expression with an error. what() is every diagnostic rendered by
/// render_text with the source (warnings included); copying shares the details, so it never throws.
class QueryError : public std::invalid_argument {
 public:
  QueryError(std::string source, std::vector<Diagnostic> diagnostics);

  /// The expression that failed to check.
  [[nodiscard]] const std::string& source() const noexcept;
  /// What parse and check reported, errors and warnings, in order; spans point into source().
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept;

 private:
  struct Details;
  std::shared_ptr<const Details> details_;
};

/// The checked form of `text`, as check(text, ...) gives it; throws QueryError when `text` has an error.
/// Warnings alone do not throw (use check() to see them).
[[nodiscard]] CheckedQuery query(std::string_view text, const ParseOptions& parse_options = {},
                                 const CheckOptions& options = {});

}  // namespace ecsq
