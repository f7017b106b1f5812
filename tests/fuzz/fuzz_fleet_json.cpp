// libFuzzer harness: the fleet readers (describe-container-instances / describe-tasks JSON). Any
// document gives a fleet or coded diagnostics whose spans lie in the document; the columnar reader
// (read_fleet_columns) gives exactly the record reader's diagnostics and a Fleet of its instances,
// and fixed queries select the same instances there as the reference evaluator.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "fixtures.hpp"
#include "fleet/aws_json_internal.hpp"

namespace {

// One query per subject, plus a regex and a list: every column of the store gets read.
constexpr std::string_view queries[] = {
    "attribute:ecs.os-type == linux and runningTasksCount < 5",
    "attribute:ecs.instance-type =~ t2.* or attribute:ecs.capability.task-eni exists",
    "agentVersion >= 1.14.5 and agentConnected == true",
    "registeredAt > 2018-06-18 or not(task:group in [database, service:web])",
    "ec2InstanceId != i-0abc and attribute:weight > 10 and task:group =~ family:.*",
};

const std::vector<ecsq::CheckedQuery>& checked_queries() {
  static const std::vector<ecsq::CheckedQuery> out = [] {
    std::vector<ecsq::CheckedQuery> v;
    for (const std::string_view q : queries) {
      ecsq::CheckResult r = ecsq::check(q);
      if (!r.ok()) {
        std::fprintf(stderr, "fixed query does not check: %.*s\n", static_cast<int>(q.size()), q.data());
        std::abort();
      }
      v.push_back(std::move(*r.query));
    }
    return v;
  }();
  return out;
}

// The input as a source the way the file readers load it: padding reserved, or not (every other
// input), so the columnar reader's in-place and copying paths both run.
std::vector<ecsq::FleetSource> source_of(std::string_view json) {
  ecsq::FleetSource source{"fuzz.json", {}};
  if (json.size() % 2 == 0) source.text.reserve(json.size() + 64);
  source.text.append(json);
  std::vector<ecsq::FleetSource> sources;
  sources.push_back(std::move(source));
  return sources;
}

void check_spans(const std::vector<ecsq::FleetDiagnostic>& diagnostics, const std::vector<ecsq::FleetSource>& sources) {
  for (const ecsq::FleetDiagnostic& d : diagnostics) {
    if (d.source >= sources.size()) {
      std::fprintf(stderr, "diagnostic %s names source %zu of %zu\n", d.diagnostic.code.c_str(), d.source,
                   sources.size());
      std::abort();
    }
    const std::size_t length = sources[d.source].text.size();
    if (d.diagnostic.span.begin > d.diagnostic.span.end || d.diagnostic.span.end > length + 1) {
      std::fprintf(stderr, "diagnostic %s span [%u, %u) outside a %zu-byte document\n", d.diagnostic.code.c_str(),
                   d.diagnostic.span.begin, d.diagnostic.span.end, length);
      std::abort();
    }
  }
}

std::string printed(const ecsq::Instance& instance) {
  std::ostringstream out;
  out << instance;
  return out.str();
}

}  // namespace

// The columnar reader (what select reads with) is the one under test; the record reader is the
// oracle: the same diagnostics, and a Fleet holding exactly its instances.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  ecsq::FleetColumnsResult columns = ecsq::read_fleet_columns(source_of(json));
  check_spans(columns.diagnostics, columns.sources);
  (void)ecsq::render_diagnostics(columns);
  const ecsq::FleetReadResult result = ecsq::read_fleet_sources(source_of(json));
  const std::optional<ecsq::Fleet> fast = ecsq::detail::read_fleet_columns_fast(source_of(json));
  if (columns.diagnostics.size() != result.diagnostics.size() || columns.fleet.has_value() != result.fleet.has_value() ||
      (!result.diagnostics.empty() && fast)) {
    std::fprintf(stderr, "columnar reader: %zu diagnostic(s), fleet %d, fast %d; record reader: %zu, fleet %d\n",
                 columns.diagnostics.size(), columns.fleet.has_value(), fast.has_value(), result.diagnostics.size(),
                 result.fleet.has_value());
    std::abort();
  }
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    const ecsq::Diagnostic& a = columns.diagnostics[i].diagnostic;
    const ecsq::Diagnostic& b = result.diagnostics[i].diagnostic;
    if (a.code != b.code || a.message != b.message || a.span.begin != b.span.begin || a.span.end != b.span.end ||
        a.notes != b.notes) {
      std::fprintf(stderr, "diagnostic %zu differs: %s %s / %s %s\n", i, a.code.c_str(), a.message.c_str(),
                   b.code.c_str(), b.message.c_str());
      std::abort();
    }
  }
  if (!result.fleet) return 0;

  const std::vector<ecsq::Instance>& instances = result.fleet->instances;
  ecsq::Fleet& fleet = *columns.fleet;
  if (fleet.size() != instances.size() || fleet.slot_count() != instances.size()) std::abort();
  for (ecsq::InstanceId id = 0; id < instances.size(); ++id) {
    if (printed(*fleet.instance(id)) != printed(instances[id])) {
      std::fprintf(stderr, "instance %u differs:\n%s\n%s\n", id, printed(*fleet.instance(id)).c_str(),
                   printed(instances[id]).c_str());
      std::abort();
    }
  }
  for (const ecsq::CheckedQuery& query : checked_queries()) {
    ecsq::fuzz::expect_matcher_agrees(query, instances, fleet, "fuzz_fleet_json");
    for (const ecsq::Instance& instance : instances) (void)ecsq::explain(query, instance);
  }
  return 0;
}
