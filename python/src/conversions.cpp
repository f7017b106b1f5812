// Conversions between Python objects and the library's inputs and diagnostics. A dict in the AWS
// shape is serialised with Python's json module and read by the library's own fleet reader, so a
// dict means exactly what the same JSON means to the CLI, and its errors name the same field paths.
#include <algorithm>
#include <string>
#include <utility>

#include <pybind11/stl.h>

#include "bindings.hpp"

namespace ecsq::python {

namespace {

ErrorTypes errors;

py::handle cached_attribute(const char* module, const char* name) {
  // Borrowed for the life of the process: the module objects are never unloaded.
  return py::object(py::module_::import(module).attr(name)).release();
}

// The reader's messages start with the path of the instance in the document, "[0]".
std::string relabel(std::string message, std::string_view label) {
  if (message.starts_with("[0].")) return std::string(label) + (label.empty() ? "" : ".") + message.substr(4);
  if (message.starts_with("[0]:")) return (label.empty() ? std::string("instance") : std::string(label)) + message.substr(3);
  return message;
}

}  // namespace

DiagnosticRecord to_record(const Diagnostic& diagnostic, std::string_view source, std::string_view origin) {
  DiagnosticRecord record;
  record.severity = std::string(to_string(diagnostic.severity));
  record.code = diagnostic.code;
  record.message = diagnostic.message;
  record.origin = std::string(origin);
  const auto clamp = [&](std::uint32_t offset) {
    return static_cast<std::uint32_t>(std::min<std::size_t>(offset, source.size()));
  };
  record.start = clamp(diagnostic.span.begin);
  record.end = clamp(diagnostic.span.end);
  const LineColumn begin = line_column(source, record.start);
  const LineColumn end = line_column(source, record.end);
  record.line = begin.line;
  record.column = begin.column;
  record.end_line = end.line;
  record.end_column = end.column;
  record.label = diagnostic.label;
  record.notes = diagnostic.notes;
  for (const FixIt& fixit : diagnostic.fixits) {
    const LineColumn at = line_column(source, clamp(fixit.span.begin));
    record.fixits.push_back({fixit.span.begin, fixit.span.end, at.line, at.column, fixit.replacement});
  }
  record.text = render_line(diagnostic, source);
  return record;
}

const ErrorTypes& error_types() { return errors; }

void raise_with_diagnostics(py::handle type, const std::string& message,
                            const std::vector<DiagnosticRecord>& diagnostics, std::optional<std::string> source) {
  py::object error = type(message);
  error.attr("diagnostics") = py::cast(diagnostics);
  if (source) error.attr("source") = py::str(*source);
  PyErr_SetObject(type.ptr(), error.ptr());
  throw py::error_already_set();
}

bool is_mapping(py::handle object) {
  if (PyDict_Check(object.ptr())) return true;
  static const py::handle mapping = cached_attribute("collections.abc", "Mapping");
  return py::isinstance(object, mapping);
}

std::string to_json(py::handle object) {
  static const py::handle dumps = cached_attribute("json", "dumps");
  return dumps(object, py::arg("allow_nan") = false).cast<std::string>();
}

FleetData read_instance_mapping(py::handle mapping, std::string_view label) {
  const std::string text = "[" + to_json(mapping) + "]";
  FleetReadResult result = read_fleet_json(text, "instance");
  std::string message;
  std::vector<DiagnosticRecord> records;
  for (const FleetDiagnostic& d : result.diagnostics) {
    if (d.diagnostic.severity != Severity::error) continue;
    // The JSON text is ours, not the caller's: the message names the field; no line or column.
    DiagnosticRecord record = to_record(d.diagnostic, {}, label);
    record.message = relabel(record.message, label);
    record.text = d.diagnostic.code + " " + record.message;
    message += (message.empty() ? "" : "\n") + record.message;
    records.push_back(std::move(record));
  }
  if (!result.fleet) raise_with_diagnostics(error_types().fleet_error, message, records);
  return std::move(*result.fleet);
}

Instance to_instance(py::handle object, std::string_view label) {
  if (py::isinstance<Instance>(object)) return object.cast<const Instance&>();
  if (!is_mapping(object)) {
    throw py::type_error((label.empty() ? std::string("instance") : std::string(label)) +
                         ": expected an ecsq.Instance or a dict in the AWS shape, got " +
                         std::string(py::str(object.get_type().attr("__name__"))));
  }
  FleetData data = read_instance_mapping(object, label);
  return std::move(data.instances.front());
}

std::string to_path(py::handle object) {
  static const py::handle fspath = cached_attribute("os", "fspath");
  py::object path;
  try {
    path = fspath(object);
  } catch (py::error_already_set&) {
    throw py::type_error("expected a path (str or os.PathLike), got " + std::string(py::str(object.get_type().attr("__name__"))));
  }
  if (!py::isinstance<py::str>(path)) throw py::type_error("expected a str path, got bytes");
  return path.cast<std::string>();
}

std::vector<std::string> to_paths(py::handle object) {
  if (py::isinstance<py::str>(object) || py::hasattr(object, "__fspath__")) return {to_path(object)};
  if (!py::isinstance<py::iterable>(object)) {
    throw py::type_error("expected a path or an iterable of paths, got " +
                         std::string(py::str(object.get_type().attr("__name__"))));
  }
  std::vector<std::string> paths;
  for (py::handle item : object) paths.push_back(to_path(item));
  return paths;
}

void bind_diagnostics(py::module_& module) {
  py::class_<FixItRecord>(module, "FixIt", "A suggested edit: replace source[start:end] (bytes) with `replacement`.")
      .def_readonly("start", &FixItRecord::start)
      .def_readonly("end", &FixItRecord::end)
      .def_readonly("line", &FixItRecord::line)
      .def_readonly("column", &FixItRecord::column)
      .def_readonly("replacement", &FixItRecord::replacement)
      .def("__repr__", [](const FixItRecord& f) {
        return "FixIt(line=" + std::to_string(f.line) + ", column=" + std::to_string(f.column) +
               ", replacement=" + std::string(py::repr(py::str(f.replacement))) + ")";
      });
  py::class_<DiagnosticRecord>(module, "Diagnostic",
                               "A coded problem: severity, code (E0103, ECSQ-L020, ...), message and where it is.")
      .def_readonly("severity", &DiagnosticRecord::severity)
      .def_readonly("code", &DiagnosticRecord::code)
      .def_readonly("message", &DiagnosticRecord::message)
      .def_readonly("origin", &DiagnosticRecord::origin)
      .def_readonly("line", &DiagnosticRecord::line)
      .def_readonly("column", &DiagnosticRecord::column)
      .def_readonly("end_line", &DiagnosticRecord::end_line)
      .def_readonly("end_column", &DiagnosticRecord::end_column)
      .def_readonly("start", &DiagnosticRecord::start)
      .def_readonly("end", &DiagnosticRecord::end)
      .def_readonly("label", &DiagnosticRecord::label)
      .def_readonly("notes", &DiagnosticRecord::notes)
      .def_readonly("fixits", &DiagnosticRecord::fixits)
      .def("__str__", [](const DiagnosticRecord& d) { return d.text; })
      .def("__repr__", [](const DiagnosticRecord& d) {
        return "Diagnostic(" + d.severity + " " + d.code + " at " + std::to_string(d.line) + ":" +
               std::to_string(d.column) + ": " + std::string(py::repr(py::str(d.message))) + ")";
      });

  const auto create = [&](const char* name, const char* doc) {
    const std::string qualified = std::string("ecsq.") + name;
    PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, PyExc_ValueError, nullptr);
    if (type == nullptr) throw py::error_already_set();
    module.attr(name) = py::handle(type);  // the module holds a reference; `type`'s own is kept for errors
    return py::handle(type);
  };
  errors.query_error = create("QueryError",
                              "An expression that does not parse or check. `diagnostics` lists what was found; "
                              "str() is the rendered caret text; `source` is the expression.");
  errors.fleet_error = create("FleetError",
                              "A fleet document or instance dict that cannot be read. `diagnostics` names each "
                              "field; str() is the rendered text.");
  errors.placement_error = create("PlacementError",
                                  "Placement inputs with an error (task definition, request, constraints, "
                                  "strategies, limits). `diagnostics` lists them; str() is the rendered text.");
}

}  // namespace ecsq::python
