// The placement engine's internal entry point: plan() with the ranking form chosen, for tests
// that hold the incremental ranking to the scan of every candidate.
#pragma once

#include "ecsq/placement.hpp"
#include "placement/ranking.hpp"

namespace ecsq::detail {

/// plan(), ranking the candidates in `mode`.
[[nodiscard]] PlacementResult plan(const Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
                                   const PlacementOptions& options, RankingMode mode);

/// The most tasks one request places (a larger desiredCount is E0517; `--count max` stops here).
inline constexpr std::int64_t max_tasks_per_request = 100000;

}  // namespace ecsq::detail
