// ecsq.lint and ecsq.lint_report: the files read by read_constraint_file and linted by ecsq::lint
// (lint.hpp), optionally against a Fleet; findings as records, reports by the library's renderers.
// Reading and linting release the GIL.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "ecsq/lint.hpp"
#include "fleet_object.hpp"

namespace ecsq::python {

namespace {

/// One lint finding as Python sees it; positions are 1-based, columns in characters.
struct FindingRecord {
  std::string rule;
  std::string code;
  std::string severity;
  std::string message;
  std::string file;
  std::string path;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::optional<std::uint32_t> end_line;
  std::optional<std::uint32_t> end_column;
  std::optional<std::string> expression;
  std::optional<std::uint32_t> expression_line;
  std::optional<std::uint32_t> expression_column;
  std::string label;
  std::vector<std::string> notes;
  std::vector<FixItRecord> fixits;  ///< positions in `expression` when set, else in the file
};

std::string one_line(const FindingRecord& f) {
  return f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": " + f.severity + "[" + f.rule +
         (f.code == f.rule ? "" : "/" + f.code) + "]: " + f.message;
}

FindingRecord record_of(const LintReport& report, const LintFinding& finding) {
  const ConstraintDocument& document = report.documents[finding.document];
  const Diagnostic& d = finding.diagnostic;
  FindingRecord record;
  record.rule = finding.rule;
  record.code = d.code;
  record.severity = std::string(to_string(d.severity));
  record.message = d.message;
  record.file = document.origin;
  record.path = finding.path;
  record.line = finding.position.line;
  record.column = finding.position.column;
  if (finding.end) {
    record.end_line = finding.end->line;
    record.end_column = finding.end->column;
  }
  record.expression = finding.expression;
  if (finding.expression) {
    record.expression_line = finding.expression_position.line;
    record.expression_column = finding.expression_position.column;
  }
  record.label = d.label;
  record.notes = d.notes;
  const std::string_view source = finding.expression ? std::string_view(*finding.expression) : document.text;
  record.fixits = to_record(d, source).fixits;
  return record;
}

struct LintRun {
  std::vector<std::string> paths;
  const FleetObject* fleet = nullptr;
};

LintRun lint_inputs(py::handle paths, py::handle fleet) {
  LintRun run;
  run.paths = to_paths(paths);
  if (!fleet.is_none()) {
    if (!py::isinstance<FleetObject>(fleet)) {
      throw py::type_error("fleet: expected an ecsq.Fleet or None, got " +
                           std::string(py::str(fleet.get_type().attr("__name__"))));
    }
    run.fleet = &fleet.cast<const FleetObject&>();
  }
  return run;
}

// Runs lint without the GIL; the Python objects in `run` stay referenced by the caller's arguments.
LintReport run_lint(const LintRun& run) {
  py::gil_scoped_release unlocked;
  std::vector<ConstraintDocument> documents;
  for (const std::string& path : run.paths) documents.push_back(read_constraint_file(path));
  std::vector<Instance> instances;
  LintOptions options;
  if (run.fleet != nullptr) {
    std::shared_lock lock(run.fleet->mutex);
    instances = live_instances(*run.fleet);
    options.fleet = std::span<const Instance>(instances);
  }
  return lint(std::move(documents), options);
}

}  // namespace

void bind_lint(py::module_& module) {
  py::class_<FindingRecord>(module, "Finding", "One lint finding, located in its file (and expression).")
      .def_readonly("rule", &FindingRecord::rule)
      .def_readonly("code", &FindingRecord::code)
      .def_readonly("severity", &FindingRecord::severity)
      .def_readonly("message", &FindingRecord::message)
      .def_readonly("file", &FindingRecord::file)
      .def_readonly("path", &FindingRecord::path)
      .def_readonly("line", &FindingRecord::line)
      .def_readonly("column", &FindingRecord::column)
      .def_readonly("end_line", &FindingRecord::end_line)
      .def_readonly("end_column", &FindingRecord::end_column)
      .def_readonly("expression", &FindingRecord::expression)
      .def_readonly("expression_line", &FindingRecord::expression_line)
      .def_readonly("expression_column", &FindingRecord::expression_column)
      .def_readonly("label", &FindingRecord::label)
      .def_readonly("notes", &FindingRecord::notes)
      .def_readonly("fixits", &FindingRecord::fixits)
      .def("__str__", &one_line)
      .def("__repr__", [](const FindingRecord& f) { return "Finding(" + std::string(py::repr(py::str(one_line(f)))) + ")"; });

  module.def(
      "lint",
      [](py::handle paths, py::handle fleet) {
        const LintRun run = lint_inputs(paths, fleet);
        const LintReport report = run_lint(run);
        std::vector<FindingRecord> findings;
        for (const LintFinding& finding : report.findings) findings.push_back(record_of(report, finding));
        return findings;
      },
      py::arg("paths"), py::arg("fleet") = py::none(),
      "Lints task definitions, services, RunTask input and CloudFormation templates (JSON or YAML); an "
      "unreadable file is an ECSQ-L001 finding.");
  module.def(
      "lint_report",
      [](py::handle paths, py::handle fleet, const std::string& format) {
        if (format != "text" && format != "json" && format != "sarif") {
          throw py::value_error("format: expected 'text', 'json' or 'sarif', got '" + format + "'");
        }
        const LintRun run = lint_inputs(paths, fleet);
        const LintReport report = run_lint(run);
        if (format == "json") return render_lint_json(report);
        if (format == "sarif") return render_lint_sarif(report);
        return render_lint_text(report, false);
      },
      py::arg("paths"), py::arg("fleet") = py::none(), py::kw_only(), py::arg("format") = "text",
      "The report `ecsq lint --format FORMAT` prints for these files.");
}

}  // namespace ecsq::python
