// ecsq.check / ecsq.fmt, ecsq.Query, ecsq.Instance and explanations. A Query is the library's
// CheckedQuery with the text it came from; matches() and explain() are the reference evaluator
// (ecsq/evaluate.hpp), on an ecsq.Instance or on a dict converted by the fleet reader.
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"
#include "query_object.hpp"

namespace ecsq::python {

namespace {

struct ExplainLineRecord {
  std::uint32_t node = 0;
  std::uint32_t depth = 0;
  bool result = false;
  std::string text;
  std::optional<std::string> observed;  // comparisons only
};

struct ExplainNodeRecord {
  std::string text;
  bool result = false;
  std::optional<std::string> observed;
  std::vector<ExplainNodeRecord> children;
};

struct ExplanationRecord {
  bool result = false;
  std::vector<ExplainLineRecord> lines;
  std::optional<ExplainNodeRecord> root;  // none for the empty expression
  std::string text;
};

std::string type_name(py::handle object) { return py::str(object.get_type().attr("__name__")); }

// The pre-order lines with their depths, as a tree.
std::optional<ExplainNodeRecord> tree_of(const std::vector<ExplainLineRecord>& lines) {
  if (lines.empty()) return std::nullopt;
  std::size_t next = 0;
  const auto build = [&](auto& self, std::uint32_t depth) -> ExplainNodeRecord {
    const ExplainLineRecord& line = lines[next++];
    ExplainNodeRecord node{line.text, line.result, line.observed, {}};
    while (next < lines.size() && lines[next].depth > depth) node.children.push_back(self(self, depth + 1));
    return node;
  };
  return build(build, lines.front().depth);
}

ExplanationRecord explain_record(const QueryObject& query, const Instance& instance) {
  const Explanation explanation = explain(query.checked, instance);
  ExplanationRecord record;
  record.result = explanation.result;
  for (const ExplainLine& line : explanation.lines) {
    const bool comparison = query.checked.ast.node(line.node).kind == NodeKind::comparison;
    record.lines.push_back({line.node, line.depth, line.result, line.text,
                            comparison ? std::optional<std::string>(line.observed) : std::nullopt});
  }
  record.root = tree_of(record.lines);
  record.text = render_text(explanation);
  return record;
}

void set_attributes(Instance& instance, py::handle attributes) {
  if (attributes.is_none()) return;
  if (!is_mapping(attributes)) {
    throw py::type_error("attributes: expected a mapping of name to str or None, got " + type_name(attributes));
  }
  std::vector<Attribute> list;
  for (py::handle name : attributes) {
    if (!py::isinstance<py::str>(name)) throw py::type_error("attributes: names must be str, got " + type_name(name));
    const py::object value = attributes[name];
    const std::string key = name.cast<std::string>();
    if (value.is_none()) {
      list.push_back({key, std::nullopt});
    } else if (py::isinstance<py::str>(value)) {
      list.push_back({key, value.cast<std::string>()});
    } else {
      throw py::type_error("attributes['" + key + "']: expected str or None, got " + type_name(value));
    }
  }
  instance.set_attributes(std::move(list));
}

void set_task_groups(Instance& instance, py::handle groups) {
  if (groups.is_none()) return;
  if (py::isinstance<py::str>(groups) || !py::isinstance<py::iterable>(groups)) {
    throw py::type_error("task_groups: expected an iterable of str, got " + type_name(groups));
  }
  std::vector<std::string> list;
  for (py::handle group : groups) {
    if (!py::isinstance<py::str>(group)) throw py::type_error("task_groups: expected str items, got " + type_name(group));
    list.push_back(group.cast<std::string>());
  }
  instance.set_task_groups(std::move(list));
}

std::optional<Instant> to_instant(py::handle value) {
  if (value.is_none()) return std::nullopt;
  if (py::isinstance<py::bool_>(value)) throw py::type_error("registered_at: expected int, str or datetime, got bool");
  if (py::isinstance<py::int_>(value)) return Instant{value.cast<std::int64_t>()};
  if (py::isinstance<py::str>(value)) {
    const std::string text = value.cast<std::string>();
    if (std::optional<Instant> instant = parse_instant(text)) return instant;
    throw py::value_error("registered_at: '" + text + "' is not an ISO-8601 time (2018-06-18T22:28:28Z)");
  }
  if (py::hasattr(value, "timestamp")) {
    return Instant{static_cast<std::int64_t>(value.attr("timestamp")().cast<double>())};
  }
  throw py::type_error("registered_at: expected int (epoch seconds), str or datetime, got " + type_name(value));
}

py::dict attributes_of(const Instance& instance) {
  py::dict out;
  for (const Attribute& a : instance.attributes()) {
    out[py::str(a.name)] = a.value ? py::object(py::str(*a.value)) : py::object(py::none());
  }
  return out;
}

std::string render_all(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
  std::string text;
  for (const Diagnostic& d : diagnostics) text += render_text(d, source);
  return text;
}

std::vector<DiagnosticRecord> records_of(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
  std::vector<DiagnosticRecord> records;
  for (const Diagnostic& d : diagnostics) records.push_back(to_record(d, source));
  return records;
}

}  // namespace

std::shared_ptr<QueryObject> check_query(std::string text) {
  CheckResult result = check(text);
  if (!result.ok()) {
    raise_with_diagnostics(error_types().query_error, render_all(result.diagnostics, text),
                           records_of(result.diagnostics, text), text);
  }
  auto query = std::make_shared<QueryObject>();
  query->canonical = to_string(result.query->ast);
  query->checked = std::move(*result.query);
  query->warnings = records_of(result.diagnostics, text);
  query->text = std::move(text);
  return query;
}

std::shared_ptr<QueryObject> to_query(py::handle object) {
  if (py::isinstance<QueryObject>(object)) return object.cast<std::shared_ptr<QueryObject>>();
  if (py::isinstance<py::str>(object)) return check_query(object.cast<std::string>());
  throw py::type_error("expected an ecsq.Query or a str expression, got " + type_name(object));
}

void bind_query(py::module_& module) {
  py::class_<Instance>(module, "Instance", "A container instance: what expressions test, and its identity.")
      .def(py::init([](std::string ec2_instance_id, py::object attributes, py::object task_groups,
                       bool agent_connected, std::string agent_version, py::object registered_at,
                       std::int64_t running_tasks_count, std::string status, std::string container_instance_arn) {
             Instance instance;
             instance.ec2_instance_id = std::move(ec2_instance_id);
             set_attributes(instance, attributes);
             set_task_groups(instance, task_groups);
             instance.agent_connected = agent_connected;
             instance.agent_version = std::move(agent_version);
             instance.registered_at = to_instant(registered_at);
             instance.running_tasks_count = running_tasks_count;
             instance.status = std::move(status);
             instance.container_instance_arn = std::move(container_instance_arn);
             return instance;
           }),
           py::arg("ec2_instance_id"), py::kw_only(), py::arg("attributes") = py::none(),
           py::arg("task_groups") = py::none(), py::arg("agent_connected") = true, py::arg("agent_version") = "",
           py::arg("registered_at") = py::none(), py::arg("running_tasks_count") = 0, py::arg("status") = "ACTIVE",
           py::arg("container_instance_arn") = "")
      .def_static("from_dict", [](py::handle mapping) { return to_instance(mapping); }, py::arg("instance"),
                  "An instance from a dict in the AWS shape (describe-container-instances).")
      .def_readwrite("ec2_instance_id", &Instance::ec2_instance_id)
      .def_readwrite("container_instance_arn", &Instance::container_instance_arn)
      .def_readwrite("status", &Instance::status)
      .def_readwrite("agent_connected", &Instance::agent_connected)
      .def_readwrite("agent_version", &Instance::agent_version)
      .def_readwrite("running_tasks_count", &Instance::running_tasks_count)
      .def_property(
          "registered_at",
          [](const Instance& i) -> std::optional<std::int64_t> {
            return i.registered_at ? std::optional(i.registered_at->seconds) : std::nullopt;
          },
          [](Instance& i, py::handle value) { i.registered_at = to_instant(value); })
      .def_property("attributes", &attributes_of, &set_attributes)
      .def_property("task_groups", &Instance::task_groups, &set_task_groups)
      .def("set_attribute", &Instance::set_attribute, py::arg("name"), py::arg("value") = py::none())
      .def("remove_attribute", &Instance::remove_attribute, py::arg("name"))
      .def("add_task_group", &Instance::add_task_group, py::arg("group"))
      .def("remove_task_group", &Instance::remove_task_group, py::arg("group"))
      .def("__repr__", [](const Instance& i) {
        std::ostringstream out;
        out << i;
        return out.str();
      });

  py::class_<ExplainLineRecord>(module, "ExplainLine", "One node of an explanation, in pre-order.")
      .def_readonly("node", &ExplainLineRecord::node)
      .def_readonly("depth", &ExplainLineRecord::depth)
      .def_readonly("result", &ExplainLineRecord::result)
      .def_readonly("text", &ExplainLineRecord::text)
      .def_readonly("observed", &ExplainLineRecord::observed);
  py::class_<ExplainNodeRecord>(module, "ExplainNode", "One node of an explanation tree, with its children.")
      .def_readonly("text", &ExplainNodeRecord::text)
      .def_readonly("result", &ExplainNodeRecord::result)
      .def_readonly("observed", &ExplainNodeRecord::observed)
      .def_readonly("children", &ExplainNodeRecord::children)
      .def("__repr__", [](const ExplainNodeRecord& n) {
        return std::string("ExplainNode(") + (n.result ? "True" : "False") + ", " +
               std::string(py::repr(py::str(n.text))) + ")";
      });
  py::class_<ExplanationRecord>(module, "Explanation",
                                "Every sub-expression's result on one instance: lines, a tree, and text.")
      .def_readonly("result", &ExplanationRecord::result)
      .def_readonly("lines", &ExplanationRecord::lines)
      .def_readonly("root", &ExplanationRecord::root)
      .def_readonly("text", &ExplanationRecord::text)
      .def("__bool__", [](const ExplanationRecord& e) { return e.result; })
      .def("__str__", [](const ExplanationRecord& e) { return e.text; });

  py::class_<QueryObject, std::shared_ptr<QueryObject>>(module, "Query", "A checked expression (ecsq.check).")
      .def_readonly("text", &QueryObject::text)
      .def_readonly("canonical", &QueryObject::canonical)
      .def_readonly("warnings", &QueryObject::warnings)
      .def_property_readonly("is_distinct_instance",
                             [](const QueryObject& q) { return q.checked.ast.form == ConstraintForm::distinct_instance; })
      .def(
          "matches",
          [](const QueryObject& q, py::handle instance) {
            if (py::isinstance<Instance>(instance)) return evaluate(q.checked, instance.cast<const Instance&>());
            return evaluate(q.checked, to_instance(instance));
          },
          py::arg("instance"), "True if the instance (ecsq.Instance or AWS-shaped dict) satisfies the query.")
      .def(
          "explain",
          [](const QueryObject& q, py::handle instance) {
            if (py::isinstance<Instance>(instance)) return explain_record(q, instance.cast<const Instance&>());
            return explain_record(q, to_instance(instance));
          },
          py::arg("instance"), "Every sub-expression's result on the instance, and what each comparison saw.")
      .def("__str__", [](const QueryObject& q) { return q.canonical; })
      .def("__repr__", [](const QueryObject& q) { return "Query(" + std::string(py::repr(py::str(q.canonical))) + ")"; });

  module.def(
      "check", [](const py::str& text) { return check_query(text.cast<std::string>()); },
      py::arg("text"), "Parses and checks an expression or constraint string; raises QueryError on an error.");
  module.def(
      "fmt",
      [](const py::str& source) {
        const std::string text = source.cast<std::string>();
        ParseResult result = parse(text);
        if (!result.ok()) {
          std::vector<Diagnostic> errors;
          for (const Diagnostic& d : result.diagnostics) {
            if (d.severity == Severity::error) errors.push_back(d);
          }
          raise_with_diagnostics(error_types().query_error, render_all(errors, text), records_of(errors, text), text);
        }
        return to_string(*result.ast);
      },
      py::arg("text"), "The canonical form of an expression, as `ecsq fmt`; raises QueryError on a parse error.");
}

}  // namespace ecsq::python
