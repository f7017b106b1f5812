// query(): check() for expressions a program writes itself, where an error is the programmer's and an
// exception is the short way to say so. The exception keeps its details behind a shared pointer, so
// copying it (as throw and catch may) cannot throw, as std::exception requires.
#include "ecsq/query.hpp"

#include <utility>

namespace ecsq {

namespace {

std::string rendered(std::string_view source, const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += render_text(d, source);
  return out;
}

}  // namespace

struct QueryError::Details {
  std::string source;
  std::vector<Diagnostic> diagnostics;
};

QueryError::QueryError(std::string source, std::vector<Diagnostic> diagnostics)
    : std::invalid_argument(rendered(source, diagnostics)),
      details_(std::make_shared<const Details>(Details{std::move(source), std::move(diagnostics)})) {}

const std::string& QueryError::source() const noexcept { return details_->source; }

const std::vector<Diagnostic>& QueryError::diagnostics() const noexcept { return details_->diagnostics; }

CheckedQuery query(std::string_view text, const ParseOptions& parse_options, const CheckOptions& options) {
  CheckResult result = check(text, parse_options, options);
  if (!result.ok()) throw QueryError(std::string(text), std::move(result.diagnostics));
  return std::move(*result.query);
}

}  // namespace ecsq
