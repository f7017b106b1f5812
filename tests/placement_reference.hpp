// A deliberately simple placer written from the placement contract alone (§2-§6a), to check the
// engine (ecsq::place) against: the differential test, the fuzz harness and the placement
// benchmark use it. It shares nothing with the engine but the public input types and
// ecsq::evaluate: per task it runs every filter on every instance, sorts the survivors in full by
// the strategies' keys and takes the first in fleet order among ties. Slow on purpose. Beside it:
// the checks that judge an engine result against it (also when the engine chose at random), and
// writers of the inputs as the files `ecsq place` reads, for reproducers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/placement.hpp"

namespace ecsq::reference {

/// awsvpc task capacity per EC2 instance type, read from data/eni-capacity.tsv.
struct EniLimits {
  std::int64_t max_network_interfaces = 0;       ///< the primary interface included
  std::optional<std::int64_t> trunk_task_limit;  ///< with ENI trunking; none when unsupported
};
using EniTable = std::map<std::string, EniLimits, std::less<>>;

/// Reads data/eni-capacity.tsv (the file the library compiles in); empty if it cannot be read.
[[nodiscard]] EniTable load_eni_table(const std::string& path);

/// One instance as the reference sees it: the Instance evaluate() reads (task groups and
/// runningTasksCount kept up to date) and what is left on it. nullopt amounts are unlimited.
struct ReferenceInstance {
  Instance instance;
  std::optional<std::int64_t> cpu;
  std::optional<std::int64_t> memory;
  std::vector<std::uint16_t> tcp_ports;  ///< taken, sorted
  std::vector<std::uint16_t> udp_ports;
  std::int64_t gpus = 0;
  std::optional<std::int64_t> enis;
  std::map<std::string, std::int64_t, std::less<>> tasks_per_group;  ///< RUNNING and placed tasks
};

/// The whole cluster, in fleet order (index = the engine's InstanceId for a Cluster built from the
/// same FleetData).
struct ReferenceCluster {
  std::vector<ReferenceInstance> instances;
};

/// The cluster contract §1 and §6a describe for `data`: per resource, remainingResources, else
/// registeredResources minus the RUNNING tasks (not below 0; ports: registered plus the tasks'
/// host ports; GPUs: registered minus the tasks' gpuIds), else unlimited / empty / none; ENIs from
/// `enis` for ecs.instance-type (trunk limit with ecs.awsvpc-trunk-id) minus the RUNNING tasks
/// with an ENI attachment, unlimited for a type the table lacks.
[[nodiscard]] ReferenceCluster build_cluster(const FleetData& data, const EniTable& enis);

/// A placement's inputs, resolved once: group, strategies, checked memberOf constraints.
struct ReferenceRequest {
  const TaskDemand* demand = nullptr;
  const PlacementRequest* request = nullptr;
  std::string group;
  std::vector<StrategySpec> strategies;  ///< the request's, else the default for its kind
  std::vector<CheckedQuery> member_of;   ///< task definition's and request's memberOf constraints
  bool distinct_instance = false;
  /// A limit of contract §4 broken, an expression that does not check, a strategy whose type and
  /// target do not go together, or (docs/placement.md E17) a desiredCount above 100,000.
  bool input_error = false;
};

/// Resolves `request` for `demand` (contract §2 group, §4 defaults and limits).
[[nodiscard]] ReferenceRequest resolve(const TaskDemand& demand, const PlacementRequest& request);

/// The first filter of contract §3.2 that instance `index` fails for one more task of `request`,
/// or nullopt when it passes them all. Does not look at the status.
[[nodiscard]] std::optional<PlacementFilter> first_failure(const ReferenceCluster& cluster, std::size_t index,
                                                           const ReferenceRequest& request);

/// Records one task of `request` on instance `index` (contract §3.4).
void record_task(ReferenceCluster& cluster, std::size_t index, const ReferenceRequest& request);

/// One pass of the filters over the ACTIVE instances, for one task.
struct Candidates {
  std::vector<std::size_t> survivors;                            ///< in fleet order
  std::array<std::size_t, placement_filter_count> rejections{};  ///< per first failure
  std::optional<std::size_t> closest;  ///< most filters passed before its first failure; first in fleet order
  std::optional<PlacementFilter> closest_filter;
};

/// The filters of contract §3.2 run on every ACTIVE instance for which `tried(index)` holds.
template <class Tried>
[[nodiscard]] Candidates candidates(const ReferenceCluster& cluster, const ReferenceRequest& request, Tried tried) {
  Candidates out;
  for (std::size_t index = 0; index < cluster.instances.size(); ++index) {
    if (cluster.instances[index].instance.status != "ACTIVE" || !tried(index)) continue;
    const std::optional<PlacementFilter> failed = first_failure(cluster, index, request);
    if (!failed) {
      out.survivors.push_back(index);
    } else {
      ++out.rejections[static_cast<std::size_t>(*failed)];
      if (!out.closest_filter || *failed > *out.closest_filter) {
        out.closest = index;
        out.closest_filter = failed;
      }
    }
  }
  return out;
}

/// The survivors the strategies rank best (contract §3.3), in fleet order: equal keys under every
/// strategy up to the first `random` one (after which the order is random, so all are best).
[[nodiscard]] std::vector<std::size_t> best_class(const ReferenceCluster& cluster,
                                                  const std::vector<std::size_t>& survivors,
                                                  const ReferenceRequest& request);

/// The failure of task `task` when no candidate survived: the closest matching instance and its
/// first failure, or MISSING when no instance is ACTIVE (contract §5).
[[nodiscard]] PlacementFailure failure_of(const ReferenceCluster& cluster, std::size_t task,
                                          const Candidates& candidates);

/// What reference_place decided; the fields mean what PlacementResult's do.
struct ReferenceResult {
  bool input_error = false;
  std::vector<PlacedTask> tasks;
  std::vector<PlacementFailure> failures;
  std::vector<std::string> events;
  std::array<std::size_t, placement_filter_count> rejections{};
  std::size_t rejections_task = 0;
};

/// Places `request` on `cluster` one task at a time, changing it as the tasks are placed
/// (`--count max` stops at 100,000 tasks, as ecsq does: docs/placement.md E17). Only
/// strategies other than `random` and ties in fleet order: anything random is the engine's own
/// generator, which the reference does not reproduce (check_result judges random placements).
[[nodiscard]] ReferenceResult reference_place(ReferenceCluster& cluster, const TaskDemand& demand,
                                              const PlacementRequest& request);

/// The failure reason text of contract §3.2 ("RESOURCE:MEMORY", "MemberOf placement constraint unsatisfied.").
[[nodiscard]] std::string_view reason_text(PlacementFilter filter);

/// The service event text of contract §5 for a failure of service `service_name`.
[[nodiscard]] std::string event_text(std::string_view service_name, const PlacementFailure& failure);

// ---- Judging an engine result ----------------------------------------------------------------

/// One line per fact of a result (each task, failure and event, the rejections), so that two
/// results compare line by line and the first different line says what differs.
[[nodiscard]] std::vector<std::string> result_lines(const PlacementResult& result);
[[nodiscard]] std::vector<std::string> result_lines(const ReferenceResult& result);

/// One line per instance: resources left, runningTasksCount and tasks per group.
[[nodiscard]] std::vector<std::string> state_lines(const Cluster& cluster);
[[nodiscard]] std::vector<std::string> state_lines(const ReferenceCluster& cluster);

/// "WHAT:\n  engine: LINE\n  reference: LINE" for the first line where the two differ.
[[nodiscard]] std::optional<std::string> first_difference(const std::vector<std::string>& engine,
                                                          const std::vector<std::string>& expected,
                                                          std::string_view what);

/// Checks an engine result placed with any strategies and ties, task by task in order, against
/// the contract on `cluster`, recording each placement there: every placed task's instance is
/// ACTIVE, passes every filter and is in the strategies' best class; every failure is the
/// reference's (no survivor, the same closest instance and reason); events and rejections are the
/// reference's; DAEMON results (no randomness) are compared whole. Returns the first problem.
[[nodiscard]] std::optional<std::string> check_result(ReferenceCluster& cluster, const TaskDemand& demand,
                                                      const PlacementRequest& request, const PlacementResult& result);

// ---- Inputs as files, for reproducers (ecsq place --fleet F --task-definition T --run-task|--service R) ----

/// `data` as `aws ecs describe-container-instances` + `describe-tasks` JSON that read_fleet_json reads back.
[[nodiscard]] std::string fleet_json(const FleetData& data);
/// `demand` as a RegisterTaskDefinition JSON with one container that needs exactly it.
[[nodiscard]] std::string task_definition_json(const TaskDemand& demand);
/// `request` as RunTask or CreateService JSON (count_max is the command line's `--count max`).
[[nodiscard]] std::string request_json(const PlacementRequest& request, const TaskDemand& demand);

}  // namespace ecsq::reference
