// The incremental ranking (buckets of spread values, tournament trees) against the scan of every
// candidate for every task, on random clusters and requests: the same placements, failures and
// rejection counts, with fleet-order ties, random ties and random strategies. And place() in
// steps against one plan(): the state a placement leaves in the cluster is the state the engine
// ranked with.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"
#include "placement/engine.hpp"
#include "placement_fixtures.hpp"

using namespace ecsq;
using namespace ecsq::testing;

namespace {

struct Scenario {
  Cluster cluster;
  TaskDemand demand;
  PlacementRequest request;
  PlacementOptions options;
};

Scenario random_scenario(std::mt19937_64& random, bool allow_random_strategy) {
  const auto below = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  Scenario s;
  const int instances = 1 + below(60);
  const char* zones[] = {"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"};
  for (int i = 0; i < instances; ++i) {
    Instance instance = host("i-" + std::to_string(i), zones[below(4)]);
    if (below(10) == 0) instance.remove_attribute("ecs.availability-zone");
    const int rack = below(5);
    if (rack < 3) instance.set_attribute("rack", "r" + std::to_string(rack));
    if (rack == 3) instance.set_attribute("rack");
    if (below(12) == 0) instance.status = "DRAINING";
    if (below(15) == 0) instance.agent_connected = false;
    instance.running_tasks_count = below(4);
    InstanceCapacity capacity;
    if (below(8) != 0) capacity.cpu = below(5) * 512;
    if (below(8) != 0) capacity.memory = below(6) * 1024;
    if (below(4) == 0) capacity.tcp_ports = {80};
    capacity.gpus = below(3);
    if (below(3) != 0) capacity.enis = below(4);
    const InstanceId id = s.cluster.add(instance, capacity);
    if (below(3) == 0) s.cluster.fleet().set_task_count(id, "service:web", static_cast<std::uint32_t>(1 + below(3)));
    if (below(4) == 0) s.cluster.fleet().set_task_count(id, "service:other", 1);
  }
  s.demand = task(below(3) * 256, below(4) * 512);
  if (below(4) == 0) s.demand.tcp_ports = {80};
  if (below(6) == 0) s.demand.gpus = 1;
  if (below(5) == 0) {
    s.demand.network_mode = NetworkMode::awsvpc;
    s.demand.needs_eni = true;
  }
  s.request = service("web", 1 + below(40));
  const char* strategies[] = {"spread:attribute:ecs.availability-zone", "spread:attribute:rack", "spread:instanceId",
                              "binpack:cpu", "binpack:memory", "spread:attribute:never-set", "random"};
  const int levels = below(4);
  for (int l = 0; l < levels; ++l) {
    const int pick = below(allow_random_strategy ? 7 : 6);
    s.request.strategies.push_back(strategy(strategies[pick]));
  }
  if (below(3) == 0) s.request.constraints.push_back(constraint("distinctInstance"));
  if (below(3) == 0) s.request.constraints.push_back(constraint("attribute:ecs.availability-zone != us-east-1d"));
  if (below(5) == 0) s.request.constraints.push_back(constraint("runningTasksCount < 5"));
  if (below(3) == 0) {
    // --count max, kept finite: every instance's memory limited and every task taking some.
    s.request.count_max = true;
    s.demand.memory = std::max<std::int64_t>(s.demand.memory, 512);
    for (InstanceId id = 0; id < s.cluster.fleet().slot_count(); ++id) {
      InstanceCapacity capacity = s.cluster.capacity(id);
      if (!capacity.memory) capacity.memory = 8192;
      s.cluster.set_capacity(id, capacity);
    }
  }
  s.options.seed = random();
  s.options.ties = below(2) == 0 ? TieBreak::fleet_order : TieBreak::random;
  return s;
}

std::string outcome(const PlacementResult& r) {
  std::string out;
  for (const std::string& id : placed_on(r)) out += id + " ";
  for (const std::string& f : failed(r)) out += f + " ";
  for (const std::string& x : rejected(r)) out += x + " ";
  return out;
}

}  // namespace

TEST_CASE("the incremental ranking places exactly as a scan of every candidate", "[placement]") {
  std::mt19937_64 random(20261130);
  std::size_t placed = 0;
  for (int round = 0; round < 1500; ++round) {
    const Scenario s = random_scenario(random, true);
    const PlacementResult fast = detail::plan(s.cluster, s.demand, s.request, s.options, detail::RankingMode::automatic);
    const PlacementResult scan = detail::plan(s.cluster, s.demand, s.request, s.options, detail::RankingMode::scan);
    INFO("round " << round);
    REQUIRE_FALSE(fast.has_errors());
    REQUIRE(outcome(fast) == outcome(scan));
    placed += fast.tasks.size();
  }
  CHECK(placed > 10000);
}

TEST_CASE("place() in two steps leaves the cluster where one plan() of both steps ranks", "[placement]") {
  std::mt19937_64 random(7);
  for (int round = 0; round < 300; ++round) {
    Scenario s = random_scenario(random, false);
    s.options.ties = TieBreak::fleet_order;
    s.request.count_max = false;
    const std::int64_t first = s.request.count / 2;
    const PlacementResult whole = plan(s.cluster, s.demand, s.request, s.options);
    PlacementRequest step = s.request;
    step.count = first;
    const PlacementResult a = place(s.cluster, s.demand, step, s.options);
    step.count = s.request.count - first;
    const PlacementResult b = place(s.cluster, s.demand, step, s.options);
    std::vector<std::string> stepwise = placed_on(a);
    for (const std::string& id : placed_on(b)) stepwise.push_back(id);
    INFO("round " << round);
    CHECK(stepwise == placed_on(whole));
  }
}
