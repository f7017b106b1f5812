// Building blocks for the placement engine tests: instances with the attributes placement reads,
// tasks, requests, and what a result says in a form Catch prints well.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"

namespace ecsq::testing {

/// An ACTIVE, connected instance `id` in `zone` of `type`, with a container-instance ARN whose
/// last segment is "ci-" + id.
inline Instance host(const std::string& id, const std::string& zone = "us-east-1a",
                     const std::string& type = "m5.large") {
  Instance instance;
  instance.ec2_instance_id = id;
  instance.container_instance_arn = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/ci-" + id;
  instance.status = "ACTIVE";
  instance.agent_connected = true;
  instance.set_attribute("ecs.availability-zone", zone);
  instance.set_attribute("ecs.instance-type", type);
  instance.set_attribute("ecs.os-type", "linux");
  return instance;
}

/// CPU units and MiB left (nullopt: unlimited), nothing else taken.
inline InstanceCapacity left(std::optional<std::int64_t> cpu, std::optional<std::int64_t> memory) {
  InstanceCapacity capacity;
  capacity.cpu = cpu;
  capacity.memory = memory;
  return capacity;
}

/// A bridge-mode task of family "web" needing `cpu` units and `memory` MiB.
inline TaskDemand task(std::int64_t cpu, std::int64_t memory) {
  TaskDemand demand;
  demand.family = "web";
  demand.cpu = cpu;
  demand.memory = memory;
  return demand;
}

inline StrategySpec strategy(std::string_view text) {
  SpecText<StrategySpec> parsed = parse_strategy(text);
  REQUIRE(parsed.spec);
  return *parsed.spec;
}

inline ConstraintSpec constraint(std::string_view text) {
  SpecText<ConstraintSpec> parsed = parse_constraint(text);
  REQUIRE(parsed.spec);
  return *parsed.spec;
}

/// RunTask of `count` tasks with these strategies (none: the default, random).
inline PlacementRequest run_task(std::int64_t count, std::initializer_list<std::string_view> strategies = {}) {
  PlacementRequest request;
  request.kind = RequestKind::run_task;
  request.count = count;
  request.count_given = true;
  for (const std::string_view s : strategies) request.strategies.push_back(strategy(s));
  return request;
}

/// A REPLICA service `name` of `count` tasks with these strategies (none: the default).
inline PlacementRequest service(const std::string& name, std::int64_t count,
                                std::initializer_list<std::string_view> strategies = {}) {
  PlacementRequest request = run_task(count, strategies);
  request.kind = RequestKind::service_replica;
  request.service_name = name;
  return request;
}

/// The ec2InstanceId of each task placed, in task order.
inline std::vector<std::string> placed_on(const PlacementResult& result) {
  std::vector<std::string> ids;
  for (const PlacedTask& t : result.tasks) ids.push_back(t.ec2_instance_id);
  return ids;
}

/// "index:reason@ec2InstanceId" for each failure, in task order.
inline std::vector<std::string> failed(const PlacementResult& result) {
  std::vector<std::string> out;
  for (const PlacementFailure& f : result.failures) {
    out.push_back(std::to_string(f.index) + ":" + f.reason + "@" + f.ec2_instance_id);
  }
  return out;
}

/// The rejections as "REASON=n" for the filters that rejected any instance, in filter order.
inline std::vector<std::string> rejected(const PlacementResult& result) {
  std::vector<std::string> out;
  for (std::size_t f = 0; f < placement_filter_count; ++f) {
    if (result.rejections[f] == 0) continue;
    out.push_back(std::string(failure_reason(static_cast<PlacementFilter>(f))) + "=" +
                  std::to_string(result.rejections[f]));
  }
  return out;
}

/// The rendered input diagnostics of a result, for INFO.
inline std::string diagnostics_of(const PlacementResult& result) {
  std::string out;
  for (const PlacementDiagnostic& d : result.diagnostics) out += d.diagnostic.code + " " + d.diagnostic.message + "\n";
  return out;
}

/// The cluster of a fleet document (describe-container-instances + describe-tasks JSON).
inline Cluster cluster_of_json(std::string_view json) {
  FleetReadResult read = read_fleet_json(json, "fleet.json");
  INFO(render_diagnostics(read));
  REQUIRE(read.fleet);
  return Cluster(*read.fleet);
}

/// Ties broken by fleet order (seed 0): the runs tests compare against a fixed expectation.
inline const PlacementOptions fleet_order{.seed = 0, .ties = TieBreak::fleet_order};

/// plan(), requiring a result without errors (the diagnostics are printed when it has some).
inline PlacementResult plan_ok(const Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
                               const PlacementOptions& options = fleet_order) {
  PlacementResult result = plan(cluster, demand, request, options);
  INFO(diagnostics_of(result));
  REQUIRE_FALSE(result.has_errors());
  return result;
}

}  // namespace ecsq::testing
