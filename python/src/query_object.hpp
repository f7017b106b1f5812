// ecsq.Query's C++ side, shared by the bindings that take queries (Fleet.select).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "ecsq/check.hpp"

namespace ecsq::python {

/// A checked expression and the text it came from.
struct QueryObject {
  std::string text;
  std::string canonical;
  CheckedQuery checked;
  std::vector<DiagnosticRecord> warnings;
};

/// check(text) as a Query; raises QueryError when it has an error.
[[nodiscard]] std::shared_ptr<QueryObject> check_query(std::string text);

/// An ecsq.Query, or a str checked into one; TypeError for anything else.
[[nodiscard]] std::shared_ptr<QueryObject> to_query(py::handle object);

}  // namespace ecsq::python
