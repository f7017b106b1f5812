// What the binding's files share: the Python-side records of diagnostics, the exceptions, and the
// conversions from Python objects (dicts in the AWS shape, paths) to the library's inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/pybind11.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/instance.hpp"

namespace ecsq::python {

namespace py = pybind11;

/// A fix-it as Python sees it: the byte range it replaces, where that starts, and the new text.
struct FixItRecord {
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::string replacement;
};

/// A diagnostic as Python sees it: located by line and column in `origin` (or in the expression).
struct DiagnosticRecord {
  std::string severity;
  std::string code;
  std::string message;
  std::string origin;  ///< a file name, or empty for an expression
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::uint32_t end_line = 1;
  std::uint32_t end_column = 1;
  std::uint32_t start = 0;  ///< byte offsets of the span in its source
  std::uint32_t end = 0;
  std::string label;
  std::vector<std::string> notes;
  std::vector<FixItRecord> fixits;
  std::string text;  ///< one line: render_line
};

/// `diagnostic` located in `source` (the text its span points into), named `origin`.
[[nodiscard]] DiagnosticRecord to_record(const Diagnostic& diagnostic, std::string_view source,
                                         std::string_view origin = {});

/// The module's exception types, created once by bind_diagnostics.
struct ErrorTypes {
  py::handle query_error;
  py::handle fleet_error;
  py::handle placement_error;
};
[[nodiscard]] const ErrorTypes& error_types();

/// Raises `type(message)` with a `diagnostics` list attribute (and `source` when given).
[[noreturn]] void raise_with_diagnostics(py::handle type, const std::string& message,
                                         const std::vector<DiagnosticRecord>& diagnostics,
                                         std::optional<std::string> source = std::nullopt);

/// True for a dict or any collections.abc.Mapping.
[[nodiscard]] bool is_mapping(py::handle object);

/// `object` as JSON text through Python's json module (allow_nan=False: the AWS shape has no NaN).
[[nodiscard]] std::string to_json(py::handle object);

/// An ecsq.Instance, or a dict in the AWS shape read by the library's fleet reader; FleetError
/// names the field (`attributes[2].name: expected a string, found a number`), TypeError anything else.
/// `label` replaces the reader's "[0]" in messages (e.g. "[3]" for the fourth of a list).
[[nodiscard]] Instance to_instance(py::handle object, std::string_view label = {});

/// A dict in the AWS shape read by the fleet reader, with its resources (for placement).
[[nodiscard]] FleetData read_instance_mapping(py::handle mapping, std::string_view label);

/// A str or os.PathLike as a path string; TypeError otherwise.
[[nodiscard]] std::string to_path(py::handle object);

/// One path or an iterable of paths.
[[nodiscard]] std::vector<std::string> to_paths(py::handle object);

void bind_diagnostics(py::module_& module);
void bind_query(py::module_& module);
void bind_fleet(py::module_& module);
void bind_lint(py::module_& module);
void bind_placement(py::module_& module);

}  // namespace ecsq::python
