// What a placement reports: failure reasons, service event texts (contract §5) and the exit
// status (§7). Kept apart from the engine so that the texts AWS prints live in one place.
#include <fmt/format.h>

#include "ecsq/placement.hpp"

namespace ecsq {

std::string_view failure_reason(PlacementFilter filter) noexcept {
  switch (filter) {
    case PlacementFilter::agent: return "AGENT";
    case PlacementFilter::attribute: return "ATTRIBUTE";
    case PlacementFilter::cpu: return "RESOURCE:CPU";
    case PlacementFilter::memory: return "RESOURCE:MEMORY";
    case PlacementFilter::ports: return "RESOURCE:PORTS";
    case PlacementFilter::ports_udp: return "RESOURCE:PORTS_UDP";
    case PlacementFilter::gpu: return "RESOURCE:GPU";
    case PlacementFilter::eni: return "RESOURCE:ENI";
    case PlacementFilter::member_of: return "MemberOf placement constraint unsatisfied.";
    case PlacementFilter::distinct_instance: return "DistinctInstance placement constraint unsatisfied.";
  }
  return "AGENT";
}

std::string service_event(std::string_view service_name, const PlacementFailure& failure) {
  std::string text = fmt::format(
      "(service {}) was unable to place a task because no container instance met all of its requirements.",
      service_name);
  if (failure.filter) {
    std::string_view id = failure.arn;
    if (const auto slash = id.rfind('/'); slash != std::string_view::npos) id.remove_prefix(slash + 1);
    if (id.empty()) id = failure.ec2_instance_id;
    std::string phrase;
    switch (*failure.filter) {
      case PlacementFilter::cpu: phrase = "has insufficient CPU units available"; break;
      case PlacementFilter::memory: phrase = "has insufficient memory available"; break;
      case PlacementFilter::ports:
      case PlacementFilter::ports_udp: phrase = "is already using a port required by your task"; break;
      case PlacementFilter::attribute: phrase = "is missing an attribute required by your task"; break;
      default: phrase = fmt::format("encountered error \"{}\"", failure.reason); break;
    }
    text += fmt::format(" The closest matching (container-instance {}) {}.", id, phrase);
  }
  text += " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
  return text;
}

bool PlacementResult::has_errors() const noexcept {
  for (const PlacementDiagnostic& d : diagnostics) {
    if (d.diagnostic.severity == Severity::error) return true;
  }
  return false;
}

int PlacementResult::exit_code(const PlacementRequest& request) const noexcept {
  if (has_errors()) return 1;
  if (request.count_max && request.kind != RequestKind::service_daemon) return 0;
  return failures.empty() ? 0 : 1;
}

std::vector<StrategySpec> effective_strategies(const PlacementRequest& request) {
  if (request.kind == RequestKind::service_daemon) return {};
  if (!request.strategies.empty()) return request.strategies;
  std::vector<StrategySpec> defaults;
  if (request.kind == RequestKind::run_task) {
    defaults.push_back(StrategySpec{StrategyType::random, StrategyTarget::none, "", "", {}, "default"});
    return defaults;
  }
  defaults.push_back(StrategySpec{StrategyType::spread, StrategyTarget::attribute, "attribute:ecs.availability-zone",
                                  "ecs.availability-zone", {}, "default"});
  defaults.push_back(StrategySpec{StrategyType::spread, StrategyTarget::instance_id, "instanceId", "", {}, "default"});
  return defaults;
}

}  // namespace ecsq
