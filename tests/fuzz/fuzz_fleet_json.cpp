// libFuzzer harness: the fleet reader (describe-container-instances / describe-tasks JSON). Any
// document gives a fleet or coded diagnostics whose spans lie in the document; a fleet loads into
// the column store, and fixed queries select the same instances there as the reference evaluator.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "fixtures.hpp"

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const ecsq::FleetReadResult result = ecsq::read_fleet_json(json, "fuzz.json");
  for (const ecsq::FleetDiagnostic& d : result.diagnostics) {
    if (d.source >= result.sources.size()) {
      std::fprintf(stderr, "diagnostic %s names source %zu of %zu\n", d.diagnostic.code.c_str(), d.source,
                   result.sources.size());
      std::abort();
    }
    const std::size_t length = result.sources[d.source].text.size();
    if (d.diagnostic.span.begin > d.diagnostic.span.end || d.diagnostic.span.end > length + 1) {
      std::fprintf(stderr, "diagnostic %s span [%u, %u) outside a %zu-byte document\n", d.diagnostic.code.c_str(),
                   d.diagnostic.span.begin, d.diagnostic.span.end, length);
      std::abort();
    }
  }
  (void)ecsq::render_diagnostics(result);
  if (!result.fleet) return 0;

  const std::vector<ecsq::Instance>& instances = result.fleet->instances;
  ecsq::Fleet fleet(instances);
  if (fleet.size() != instances.size()) std::abort();
  for (const ecsq::CheckedQuery& query : checked_queries()) {
    ecsq::fuzz::expect_matcher_agrees(query, instances, fleet, "fuzz_fleet_json");
    for (const ecsq::Instance& instance : instances) (void)ecsq::explain(query, instance);
  }
  return 0;
}
