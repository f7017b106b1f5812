// ecsq.Fleet's C++ side, shared by the bindings that read a fleet (lint, place). It holds a Cluster
// (ecsq/cluster.hpp): the columnar Fleet that select() scans plus the resources place() needs.
#pragma once

#include <shared_mutex>
#include <vector>

#include "bindings.hpp"
#include "ecsq/cluster.hpp"

namespace ecsq::python {

/// A cluster and the lock that lets long calls run without the GIL: readers (select, lint, plan)
/// share it, writers (start_task, stop_task, place with apply=True) take it alone.
struct FleetObject {
  mutable std::shared_mutex mutex;
  Cluster cluster;
  std::vector<DiagnosticRecord> warnings;
};

/// The live instances of `fleet`, in fleet order; the caller holds fleet.mutex.
[[nodiscard]] std::vector<Instance> live_instances(const FleetObject& fleet);

}  // namespace ecsq::python
