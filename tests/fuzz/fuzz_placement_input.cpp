// libFuzzer harness: the placement input readers on arbitrary file contents (JSON when it starts
// with '{' or '[', else YAML), as a task definition and as a request, and the CPU/memory text
// parsers on the same bytes. Properties: every diagnostic is a catalogued E05xx code whose span
// lies inside the text and renders; a demand or request is produced only without errors, and a
// demand's amounts are non-negative with sorted, unique ports.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/codes.hpp"
#include "ecsq/placement.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_placement_input: %s: %s\n", what, detail.c_str());
  std::abort();
}

void check_diagnostics(const ecsq::ConstraintDocument& document, const std::vector<ecsq::PlacementInputDiagnostic>& diagnostics) {
  for (const ecsq::PlacementInputDiagnostic& d : diagnostics) {
    const ecsq::CodeInfo* info = ecsq::find_code(d.diagnostic.code);
    if (info == nullptr || info->stage != ecsq::CodeStage::placement) fail("uncatalogued code", d.diagnostic.code);
    if (d.diagnostic.span.begin > d.diagnostic.span.end || d.diagnostic.span.end > document.text.size() + 1) {
      fail("span outside the text", d.diagnostic.message);
    }
    if (d.at.offset != d.diagnostic.span.begin || d.at.position.line == 0 || d.at.position.column == 0) {
      fail("location does not match the span", d.diagnostic.message);
    }
    (void)ecsq::render_text(d.diagnostic, document.text, document.origin);
  }
}

bool has_error(const std::vector<ecsq::PlacementInputDiagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const auto& d) { return d.diagnostic.severity == ecsq::Severity::error; });
}

template <class Ports>
bool sorted_unique(const Ports& ports) {
  return std::adjacent_find(ports.begin(), ports.end(), [](auto a, auto b) { return a >= b; }) == ports.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  const ecsq::TaskDefinitionInput definition = ecsq::read_task_definition(text, "fuzz");
  check_diagnostics(definition.document, definition.diagnostics);
  if (definition.demand) {
    const ecsq::TaskDemand& demand = *definition.demand;
    if (has_error(definition.diagnostics) || definition.document.unreadable) fail("demand despite an error", text);
    if (demand.cpu < 0 || demand.memory < 0 || demand.gpus < 0) fail("negative amount", text);
    if (!sorted_unique(demand.tcp_ports) || !sorted_unique(demand.udp_ports)) fail("ports not sorted and unique", text);
    if (demand.needs_eni != (demand.network_mode == ecsq::NetworkMode::awsvpc)) fail("ENI without awsvpc", text);
  }

  const ecsq::RequestInput request = ecsq::read_placement_request(text, "fuzz");
  check_diagnostics(request.document, request.diagnostics);
  if (request.request) {
    if (has_error(request.diagnostics) || request.document.unreadable) fail("request despite an error", text);
    if (request.request->kind == ecsq::RequestKind::run_task && (request.request->count < 1 || request.request->count > 10)) {
      fail("RunTask count outside 1..10", text);
    }
    if (request.request->count < 0) fail("negative count", text);
  }

  // The amount parsers on the raw bytes: never more than the digits could say.
  const std::string_view prefix = std::string_view(text).substr(0, 64);
  if (const auto units = ecsq::parse_cpu_units(prefix); units && *units < 0) fail("negative CPU units", text);
  if (const auto mib = ecsq::parse_memory_mib(prefix); mib && *mib < 0) fail("negative MiB", text);
  return 0;
}
