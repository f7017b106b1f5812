// The ecsq._ecsq extension module: the library's API for Python (python/ecsq/__init__.py re-exports
// it). Each file binds one concept; they convert types and nothing else, so Python sees exactly the
// behaviour of the C++ library and the CLI.
#include "bindings.hpp"
#include "ecsq/version.hpp"

PYBIND11_MODULE(_ecsq, module) {
  module.doc() = "ecsq: the Amazon ECS cluster query language (check, evaluate, select, lint, place).";
  module.attr("__version__") = ECSQ_VERSION_STRING;
  ecsq::python::bind_diagnostics(module);
  ecsq::python::bind_query(module);
  ecsq::python::bind_fleet(module);
  ecsq::python::bind_lint(module);
  ecsq::python::bind_placement(module);
}
