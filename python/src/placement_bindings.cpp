// ecsq.place: the inputs `ecsq place` takes (a task definition, a RunTask or CreateService request,
// count, group, constraints, strategies, seed, ties), checked the way it checks them (lint's errors,
// the placement readers' E05xx, the engine's limits), then plan() on the fleet's cluster, or
// place() with apply=True so the fleet afterwards is as if the tasks ran. Placing releases the GIL.
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "ecsq/lint.hpp"
#include "ecsq/placement.hpp"
#include "fleet_object.hpp"

namespace ecsq::python {

namespace {

struct PlacedTaskRecord {
  std::size_t index = 0;
  std::string ec2_instance_id;
  std::string container_instance_arn;
  std::string group;
  std::optional<std::int64_t> cpu_left;
  std::optional<std::int64_t> memory_left;
};

struct FailureRecord {
  std::size_t index = 0;
  std::optional<std::string> ec2_instance_id;  ///< the closest matching instance; None when none is ACTIVE
  std::optional<std::string> container_instance_arn;
  std::string reason;
  std::optional<std::string> event;  ///< services: the service event text
};

struct PlacementRecord {
  std::string group;
  std::vector<std::string> strategies;
  std::vector<PlacedTaskRecord> tasks;
  std::vector<FailureRecord> failures;
  std::vector<std::string> events;
  std::vector<std::pair<std::string, std::size_t>> rejections;
  std::size_t rejections_task = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> notes;
  int exit_code = 0;
};

// Input problems gathered before placing: rendered as `ecsq place` prints them, and as records.
struct Problems {
  std::string text;
  std::vector<DiagnosticRecord> records;

  void add(const Diagnostic& diagnostic, std::string_view source, std::string_view origin) {
    text += render_text(diagnostic, source, origin);
    records.push_back(to_record(diagnostic, source, origin));
  }
  void add(const PlacementDiagnostic& d, const std::vector<const ConstraintDocument*>& documents) {
    if (!d.expression.empty()) return add(d.diagnostic, d.expression, d.origin);
    for (const ConstraintDocument* document : documents) {
      if (document->origin != d.origin) continue;
      Diagnostic located = d.diagnostic;
      located.span = Span{d.at.offset, d.at.offset + d.at.length};
      if (!d.at.path.empty()) located.message = d.at.path + ": " + located.message;
      return add(located, document->text, document->origin);
    }
    add(d.diagnostic, {}, d.origin);
  }
  [[nodiscard]] bool any() const noexcept {
    for (const DiagnosticRecord& r : records) {
      if (r.severity == "error") return true;
    }
    return false;
  }
};

std::string describe(const StrategySpec& s) {
  if (s.type == StrategyType::random) return "random";
  return std::string(to_string(s.type)) + "(" + s.field + ")";
}

// A path or a dict (serialised as JSON, named `origin` in diagnostics).
template <typename Input, typename FromText, typename FromFile>
Input read_input(py::handle source, const char* origin, FromText from_text, FromFile from_file) {
  if (is_mapping(source)) {
    std::string text = to_json(source);
    py::gil_scoped_release unlocked;
    return from_text(std::move(text), origin);
  }
  const std::string path = to_path(source);
  py::gil_scoped_release unlocked;
  return from_file(path);
}

std::vector<std::string> strings_of(py::handle items, const char* what) {
  if (py::isinstance<py::str>(items) || !py::isinstance<py::iterable>(items)) {
    throw py::type_error(std::string(what) + ": expected an iterable of str, got " +
                         std::string(py::str(items.get_type().attr("__name__"))));
  }
  std::vector<std::string> out;
  for (py::handle item : items) {
    if (!py::isinstance<py::str>(item)) {
      throw py::type_error(std::string(what) + ": expected str items, got " +
                           std::string(py::str(item.get_type().attr("__name__"))));
    }
    out.push_back(item.cast<std::string>());
  }
  return out;
}

PlacementRecord record_of(const PlacementResult& result, const PlacementRequest& request) {
  PlacementRecord record;
  record.group = result.group;
  for (const StrategySpec& s : result.strategies) record.strategies.push_back(describe(s));
  for (const PlacedTask& t : result.tasks) {
    record.tasks.push_back({t.index, t.ec2_instance_id, t.container_instance_arn, t.group, t.cpu_left, t.memory_left});
  }
  for (std::size_t i = 0; i < result.failures.size(); ++i) {
    const PlacementFailure& f = result.failures[i];
    FailureRecord failure;
    failure.index = f.index;
    if (f.instance) {
      failure.ec2_instance_id = f.ec2_instance_id;
      failure.container_instance_arn = f.arn;
    }
    failure.reason = f.reason;
    if (i < result.events.size()) failure.event = result.events[i];
    record.failures.push_back(std::move(failure));
  }
  record.events = result.events;
  for (std::size_t f = 0; f < placement_filter_count; ++f) {
    record.rejections.emplace_back(failure_reason(static_cast<PlacementFilter>(f)), result.rejections[f]);
  }
  record.rejections_task = result.rejections_task;
  record.seed = result.seed;
  record.notes = result.notes;
  record.exit_code = result.exit_code(request);
  return record;
}

PlacementRecord place_tasks(FleetObject& fleet, py::handle task_definition, py::handle run_task, py::handle service,
                            py::handle count, const std::optional<std::string>& group, py::handle constraints,
                            py::handle strategies, std::uint64_t seed, const std::string& ties, bool apply) {
  if (!run_task.is_none() && !service.is_none()) throw py::value_error("give run_task or service, not both");
  if (!service.is_none() && group) {
    throw py::value_error("group cannot be combined with service: a service's tasks are always in group service:NAME");
  }
  if (ties != "random" && ties != "fleet-order") {
    throw py::value_error("ties: expected 'random' or 'fleet-order', got '" + ties + "'");
  }
  std::optional<std::int64_t> count_value;
  bool count_max = false;
  if (py::isinstance<py::str>(count) && count.cast<std::string>() == "max") {
    count_max = true;
  } else if (py::isinstance<py::int_>(count) && !py::isinstance<py::bool_>(count)) {
    count_value = count.cast<std::int64_t>();
  } else if (!count.is_none()) {
    throw py::type_error("count: expected an int, 'max' or None, got " + std::string(py::repr(count)));
  }
  const std::vector<std::string> constraint_texts = strings_of(constraints, "constraints");
  const std::vector<std::string> strategy_texts = strings_of(strategies, "strategies");

  TaskDefinitionInput definition = read_input<TaskDefinitionInput>(
      task_definition, "<task definition>", &read_task_definition, &read_task_definition_file);
  std::optional<RequestInput> request_input;
  const py::handle request_source = service.is_none() ? run_task : service;
  if (!request_source.is_none()) {
    request_input = read_input<RequestInput>(request_source, service.is_none() ? "<run task>" : "<service>",
                                             &read_placement_request, &read_placement_request_file);
  }
  std::vector<const ConstraintDocument*> documents{&definition.document};
  if (request_input) documents.push_back(&request_input->document);

  Problems problems;
  {
    std::vector<ConstraintDocument> copies;
    for (const ConstraintDocument* d : documents) copies.push_back(*d);
    LintReport report;
    {
      py::gil_scoped_release unlocked;
      report = lint(std::move(copies));
    }
    std::erase_if(report.findings, [](const LintFinding& f) { return f.diagnostic.severity != Severity::error; });
    for (const LintFinding& f : report.findings) {
      const ConstraintDocument& document = report.documents[f.document];
      DiagnosticRecord record =
          to_record(f.diagnostic, f.expression ? std::string_view(*f.expression) : document.text, document.origin);
      record.line = f.position.line;  // the finding's place in the file, even for a span in an expression
      record.column = f.position.column;
      problems.records.push_back(std::move(record));
    }
    if (!report.findings.empty()) problems.text += render_lint_text(report, false);
  }
  for (const PlacementInputDiagnostic& d : definition.diagnostics) {
    problems.add(d.diagnostic, definition.document.text, definition.document.origin);
  }
  if (request_input) {
    for (const PlacementInputDiagnostic& d : request_input->diagnostics) {
      problems.add(d.diagnostic, request_input->document.text, request_input->document.origin);
    }
    if (request_input->request) {
      const bool service_document = request_input->request->kind != RequestKind::run_task;
      if (service_document != !service.is_none()) {
        throw py::value_error(std::string(request_input->document.origin) + " is " +
                              (service_document ? "a CreateService request; give it as service="
                                                : "a RunTask request; give it as run_task="));
      }
    }
  }

  PlacementRequest request;
  if (request_input && request_input->request) request = *request_input->request;
  std::vector<std::string> notes;
  if (request.kind == RequestKind::service_daemon && (count_value || count_max)) {
    notes.push_back("count is ignored for a DAEMON service: it places one task on each instance");
  } else if (count_max) {
    request.count_max = true;
  } else if (count_value) {
    request.count = *count_value;
    request.count_given = true;
  }
  if (group) request.group = *group;
  for (std::size_t i = 0; i < constraint_texts.size(); ++i) {
    SpecText<ConstraintSpec> parsed = parse_constraint(constraint_texts[i], "constraints[" + std::to_string(i) + "]");
    for (const PlacementDiagnostic& d : parsed.diagnostics) problems.add(d, documents);
    if (parsed.spec) request.constraints.push_back(std::move(*parsed.spec));
  }
  if (!strategy_texts.empty()) request.strategies.clear();
  for (std::size_t i = 0; i < strategy_texts.size(); ++i) {
    SpecText<StrategySpec> parsed = parse_strategy(strategy_texts[i], "strategies[" + std::to_string(i) + "]");
    for (const PlacementDiagnostic& d : parsed.diagnostics) problems.add(d, documents);
    if (parsed.spec) request.strategies.push_back(std::move(*parsed.spec));
  }
  if (!definition.demand || (request_input && !request_input->request) || problems.any()) {
    raise_with_diagnostics(error_types().placement_error,
                           problems.text.empty() ? "the placement inputs have errors" : problems.text,
                           problems.records);
  }

  PlacementOptions options;
  options.seed = seed;
  options.ties = ties == "fleet-order" ? TieBreak::fleet_order : TieBreak::random;
  PlacementResult result;
  {
    py::gil_scoped_release unlocked;
    if (apply) {
      std::unique_lock lock(fleet.mutex);
      result = place(fleet.cluster, *definition.demand, request, options);
    } else {
      std::shared_lock lock(fleet.mutex);
      result = plan(fleet.cluster, *definition.demand, request, options);
    }
  }
  for (const PlacementDiagnostic& d : result.diagnostics) problems.add(d, documents);
  if (result.has_errors()) raise_with_diagnostics(error_types().placement_error, problems.text, problems.records);
  PlacementRecord record = record_of(result, request);
  record.notes.insert(record.notes.begin(), notes.begin(), notes.end());
  return record;
}

}  // namespace

void bind_placement(py::module_& module) {
  py::class_<PlacedTaskRecord>(module, "PlacedTask", "One task placed: where, and what the instance has left.")
      .def_readonly("index", &PlacedTaskRecord::index)
      .def_readonly("ec2_instance_id", &PlacedTaskRecord::ec2_instance_id)
      .def_readonly("container_instance_arn", &PlacedTaskRecord::container_instance_arn)
      .def_readonly("group", &PlacedTaskRecord::group)
      .def_readonly("cpu_left", &PlacedTaskRecord::cpu_left)
      .def_readonly("memory_left", &PlacedTaskRecord::memory_left)
      .def("__repr__", [](const PlacedTaskRecord& t) {
        return "PlacedTask(" + std::to_string(t.index) + ", " + std::string(py::repr(py::str(t.ec2_instance_id))) + ")";
      });
  py::class_<FailureRecord>(module, "PlacementFailure",
                            "One task not placed: the AWS reason and the closest matching instance.")
      .def_readonly("index", &FailureRecord::index)
      .def_readonly("ec2_instance_id", &FailureRecord::ec2_instance_id)
      .def_readonly("container_instance_arn", &FailureRecord::container_instance_arn)
      .def_readonly("reason", &FailureRecord::reason)
      .def_readonly("event", &FailureRecord::event)
      .def("__repr__", [](const FailureRecord& f) {
        return "PlacementFailure(" + std::to_string(f.index) + ", " + std::string(py::repr(py::str(f.reason))) + ")";
      });
  py::class_<PlacementRecord>(module, "PlacementResult", "What a placement did: tasks placed, failures, reasons.")
      .def_readonly("group", &PlacementRecord::group)
      .def_readonly("strategies", &PlacementRecord::strategies)
      .def_readonly("tasks", &PlacementRecord::tasks)
      .def_readonly("failures", &PlacementRecord::failures)
      .def_readonly("events", &PlacementRecord::events)
      .def_property_readonly("rejections",
                             [](const PlacementRecord& r) {
                               py::dict out;
                               for (const auto& [reason, count] : r.rejections) out[py::str(reason)] = count;
                               return out;
                             })
      .def_readonly("rejections_task", &PlacementRecord::rejections_task)
      .def_readonly("seed", &PlacementRecord::seed)
      .def_readonly("notes", &PlacementRecord::notes)
      .def_readonly("exit_code", &PlacementRecord::exit_code)
      .def_property_readonly("placed",
                             [](const PlacementRecord& r) {
                               std::vector<std::string> ids;
                               for (const PlacedTaskRecord& t : r.tasks) ids.push_back(t.ec2_instance_id);
                               return ids;
                             })
      .def_property_readonly("all_placed", [](const PlacementRecord& r) { return r.failures.empty(); })
      .def("__repr__", [](const PlacementRecord& r) {
        return "PlacementResult(placed=" + std::to_string(r.tasks.size()) +
               ", failed=" + std::to_string(r.failures.size()) + ", group=" + std::string(py::repr(py::str(r.group))) +
               ")";
      });

  module.def("place", &place_tasks, py::arg("fleet"), py::arg("task_definition"), py::kw_only(),
             py::arg("run_task") = py::none(), py::arg("service") = py::none(), py::arg("count") = py::none(),
             py::arg("group") = py::none(), py::arg("constraints") = py::tuple(), py::arg("strategies") = py::tuple(),
             py::arg("seed") = 0, py::arg("ties") = "random", py::arg("apply") = false,
             "Places the tasks as `ecsq place` does; apply=True records them in the fleet. Raises PlacementError.");
}

}  // namespace ecsq::python
