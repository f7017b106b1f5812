// The placement engine (contract §3-§6a). Not written yet: this commit publishes the API.
#include <stdexcept>

#include "ecsq/placement.hpp"

namespace ecsq {

std::vector<PlacementDiagnostic> check_placement(const TaskDemand&, const PlacementRequest&) {
  throw std::logic_error("ecsq::check_placement is not implemented yet");
}

PlacementResult plan(const Cluster&, const TaskDemand&, const PlacementRequest&, const PlacementOptions&) {
  throw std::logic_error("ecsq::plan is not implemented yet");
}

PlacementResult place(Cluster&, const TaskDemand&, const PlacementRequest&, const PlacementOptions&) {
  throw std::logic_error("ecsq::place is not implemented yet");
}

}  // namespace ecsq
