// ecsq.Fleet: read from fleet JSON (aws_json.hpp), files, or a list of dicts and ecsq.Instances;
// select() compiles the queries into one Matcher (matcher.hpp) as `ecsq select` does. Reading and
// selecting release the GIL; the fleet's own lock keeps concurrent mutations out meanwhile.
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "ecsq/matcher.hpp"
#include "fleet_object.hpp"
#include "query_object.hpp"

namespace ecsq::python {

namespace {

std::unique_ptr<FleetObject> fleet_of(FleetReadResult result) {
  std::vector<DiagnosticRecord> records;
  for (const FleetDiagnostic& d : result.diagnostics) {
    const FleetSource& source = result.sources[d.source];
    records.push_back(to_record(d.diagnostic, source.text, source.origin));
  }
  if (!result.fleet) raise_with_diagnostics(error_types().fleet_error, render_diagnostics(result), records);
  auto fleet = std::make_unique<FleetObject>();
  {
    py::gil_scoped_release unlocked;
    fleet->cluster = Cluster(*result.fleet);
  }
  fleet->warnings = std::move(records);
  return fleet;
}

std::unique_ptr<FleetObject> from_json(py::handle text, const std::string& origin) {
  std::string json;
  if (py::isinstance<py::bytes>(text)) {
    json = text.cast<std::string>();
  } else if (py::isinstance<py::str>(text)) {
    json = text.cast<std::string>();
  } else {
    throw py::type_error("Fleet.from_json: expected str or bytes, got " +
                         std::string(py::str(text.get_type().attr("__name__"))));
  }
  FleetReadResult result;
  {
    py::gil_scoped_release unlocked;
    result = read_fleet_json(json, origin);
  }
  return fleet_of(std::move(result));
}

std::unique_ptr<FleetObject> from_file(py::handle paths) {
  const std::vector<std::string> files = to_paths(paths);
  if (files.empty()) throw py::value_error("Fleet.from_file: no path given");
  FleetReadResult result;
  {
    py::gil_scoped_release unlocked;
    result = read_fleet_files(files);
  }
  return fleet_of(std::move(result));
}

std::unique_ptr<FleetObject> from_instances(py::handle instances) {
  if (py::isinstance<py::str>(instances) || is_mapping(instances) || !py::isinstance<py::iterable>(instances)) {
    throw py::type_error("Fleet: expected an iterable of ecsq.Instance or dicts, got " +
                         std::string(py::str(instances.get_type().attr("__name__"))));
  }
  FleetData data;
  std::size_t index = 0;
  for (py::handle item : instances) {
    const std::string label = "[" + std::to_string(index++) + "]";
    if (py::isinstance<Instance>(item)) {
      data.instances.push_back(item.cast<const Instance&>());
      data.resources.emplace_back();
      continue;
    }
    if (!is_mapping(item)) {
      throw py::type_error(label + ": expected an ecsq.Instance or a dict in the AWS shape, got " +
                           std::string(py::str(item.get_type().attr("__name__"))));
    }
    FleetData one = read_instance_mapping(item, label);
    data.instances.push_back(std::move(one.instances.front()));
    data.resources.push_back(std::move(one.resources.front()));
  }
  auto fleet = std::make_unique<FleetObject>();
  py::gil_scoped_release unlocked;
  fleet->cluster = Cluster(data);
  return fleet;
}

InstanceId find_instance(const FleetObject& fleet, const std::string& instance) {
  const std::optional<InstanceId> id = fleet.cluster.fleet().find(instance);
  if (!id) throw py::key_error("no instance '" + instance + "' in the fleet");
  return *id;
}

// The queries of select()/count(), and the task group a distinctInstance among them needs.
struct Selection {
  std::vector<std::shared_ptr<QueryObject>> queries;
  std::string group;
};

Selection selection_of(const py::args& constraints, const std::optional<std::string>& group) {
  Selection selection;
  bool distinct = false;
  for (py::handle constraint : constraints) {
    selection.queries.push_back(to_query(constraint));
    distinct = distinct || selection.queries.back()->checked.ast.form == ConstraintForm::distinct_instance;
  }
  if (distinct && (!group || group->empty())) {
    throw py::value_error(
        "distinctInstance needs group= (e.g. group='service:web'): it excludes the instances that already run a "
        "task of that group");
  }
  selection.group = group.value_or("");
  return selection;
}

// Compiles the selection and runs `use(matcher, fleet)` under the fleet's shared lock, without the GIL.
template <typename Use>
auto with_matcher(const FleetObject& self, const Selection& selection, Use use) {
  std::vector<const CheckedQuery*> parts;
  for (const auto& query : selection.queries) parts.push_back(&query->checked);
  py::gil_scoped_release unlocked;
  std::shared_lock lock(self.mutex);
  const Fleet& fleet = self.cluster.fleet();
  CompileOptions options;
  options.task_group = selection.group;
  const Matcher matcher = compile(std::span<const CheckedQuery* const>(parts), fleet, options);
  return use(matcher, fleet);
}

// Fleet::start_task or stop_task on the instance named `instance`; KeyError when there is none.
bool change_tasks(FleetObject& self, const std::string& instance, const std::string& group, bool start) {
  std::optional<bool> done;
  {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(self.mutex);
    Fleet& fleet = self.cluster.fleet();
    if (const std::optional<InstanceId> id = fleet.find(instance)) {
      done = start ? fleet.start_task(*id, group) : fleet.stop_task(*id, group);
    }
  }
  if (!done) throw py::key_error("no instance '" + instance + "' in the fleet");
  return *done;
}

}  // namespace

std::vector<Instance> live_instances(const FleetObject& fleet) {
  std::vector<Instance> instances;
  const Fleet& store = fleet.cluster.fleet();
  instances.reserve(store.size());
  for (const InstanceId id : store.live()) instances.push_back(*store.instance(id));
  return instances;
}

void bind_fleet(py::module_& module) {
  py::class_<FleetObject>(module, "Fleet",
                          "Container instances (and the resources placement reads), as the CLI's --fleet reads them.")
      .def(py::init(&from_instances), py::arg("instances") = py::list(),
           "A fleet of ecsq.Instance objects and/or dicts in the AWS shape, in order.")
      .def_static("from_json", &from_json, py::arg("text"), py::arg("origin") = "<json>",
                  "Reads describe-container-instances (and describe-tasks) JSON; raises FleetError.")
      .def_static("from_file", &from_file, py::arg("path"),
                  "Reads and merges one or more fleet JSON files; raises FleetError.")
      .def_readonly("warnings", &FleetObject::warnings)
      .def("__len__",
           [](const FleetObject& self) {
             std::shared_lock lock(self.mutex);
             return self.cluster.fleet().size();
           })
      .def("__contains__",
           [](const FleetObject& self, const std::string& instance) {
             std::shared_lock lock(self.mutex);
             return self.cluster.fleet().find(instance).has_value();
           })
      .def_property_readonly("ids",
                             [](const FleetObject& self) {
                               std::shared_lock lock(self.mutex);
                               std::vector<std::string> ids;
                               const Fleet& fleet = self.cluster.fleet();
                               for (const InstanceId id : fleet.live()) ids.emplace_back(fleet.ec2_instance_id(id));
                               return ids;
                             })
      .def(
          "instance",
          [](const FleetObject& self, const std::string& instance) {
            std::shared_lock lock(self.mutex);
            return *self.cluster.fleet().instance(find_instance(self, instance));
          },
          py::arg("id"), "The instance with this ec2InstanceId (or containerInstanceArn); KeyError if none.")
      .def(
          "instances",
          [](const FleetObject& self) {
            std::shared_lock lock(self.mutex);
            return live_instances(self);
          },
          "Every instance, in fleet order.")
      .def(
          "select",
          [](const FleetObject& self, const py::args& constraints, const std::optional<std::string>& group) {
            const Selection selection = selection_of(constraints, group);
            return with_matcher(self, selection, [](const Matcher& matcher, const Fleet& fleet) {
              std::vector<std::string> ids;
              for (const InstanceId id : matcher.select(fleet)) ids.emplace_back(fleet.ec2_instance_id(id));
              return ids;
            });
          },
          py::kw_only(), py::arg("group") = py::none(),
          "The ec2InstanceIds, in fleet order, where every query (ecsq.Query or str) holds.")
      .def(
          "count",
          [](const FleetObject& self, const py::args& constraints, const std::optional<std::string>& group) {
            const Selection selection = selection_of(constraints, group);
            return with_matcher(self, selection,
                                [](const Matcher& matcher, const Fleet& fleet) { return matcher.count(fleet); });
          },
          py::kw_only(), py::arg("group") = py::none(), "How many instances select() would return.")
      .def(
          "start_task",
          [](FleetObject& self, const std::string& instance, const std::string& group) {
            return change_tasks(self, instance, group, true);
          },
          py::arg("instance"), py::arg("group"),
          "A task of `group` started on the instance: its group count and runningTasksCount +1.")
      .def(
          "stop_task",
          [](FleetObject& self, const std::string& instance, const std::string& group) {
            return change_tasks(self, instance, group, false);
          },
          py::arg("instance"), py::arg("group"),
          "A task of `group` stopped on the instance; False (nothing changed) if it had none.")
      .def(
          "task_count",
          [](const FleetObject& self, const std::string& instance, const std::string& group) {
            std::shared_lock lock(self.mutex);
            return self.cluster.fleet().task_count(find_instance(self, instance), group);
          },
          py::arg("instance"), py::arg("group"), "Tasks of `group` on the instance.")
      .def("__repr__", [](const FleetObject& self) {
        std::shared_lock lock(self.mutex);
        return "Fleet(" + std::to_string(self.cluster.fleet().size()) + " instances)";
      });
}

}  // namespace ecsq::python
